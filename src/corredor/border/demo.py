"""The demo: a realistic synthetic year of border crossings for the deploying country, made fast.

Generation is pure: `generate` turns a seed, a number of travellers and a `DemoContext` (plain data read
from the database once: posts, stay rules, officers) into rows, drawing everything from a seeded
`random.Random`, so the same seed and year give the same data. `demo_load` writes those rows with
`bulk_create`, one transaction per batch, and one audit entry for the whole load (the audit signal does
not fire on bulk inserts). A few scripted travellers, the same whatever the seed, are there to try the
desk with; their MRZs are printed by `corredor demo`.

The flows follow the shape of real movements through Costa Rica: North American and European tourists
by air (and some cruise passengers for the day), Nicaraguans at Peñas Blancas and Los Chiles, Panamanians
at Paso Canoas and Sixaola, Costa Ricans leaving and coming back, residents, asylum seekers, and transit
migrants (Venezuelan, Haitian, Ecuadorian, extra-continental) crossing by land within a few days.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import random
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from corredor.border import stay_rules
from corredor.icao import build_mrz, check_digit

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem
    from django.db.models import Model

_T = TypeVar("_T")

# --- names ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamePool:
    """Given names and surnames of one naming tradition, with how often a person carries two surnames
    (Spanish: the father's and the mother's) or two given names."""

    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    two_surnames: float = 0.0
    two_given: float = 0.0
    # German documents spell umlauts out (MÜLLER -> MUELLER), as ICAO 9303 Part 3 allows.
    spell_umlauts: bool = False


_SPANISH_SURNAMES = (
    "García", "Rodríguez", "Hernández", "López", "Martínez", "González", "Pérez", "Sánchez", "Ramírez",
    "Flores", "Gómez", "Díaz", "Cruz", "Morales", "Reyes", "Jiménez", "Torres", "Vargas", "Castro", "Rojas",
    "Mora", "Chaves", "Solís", "Alvarado", "Mejía", "Aguilar", "Ortiz", "Mendoza", "Castillo", "Romero",
    "Herrera", "Medina", "Guzmán", "Muñoz", "Ruiz", "Álvarez", "Vásquez", "Salazar", "Espinoza", "Chávez",
    "Rivera", "Orozco", "Pineda", "Ortega", "Molina", "Navarro", "Gutiérrez", "Fernández", "Ramos", "Silva",
)  # fmt: skip


def _spanish(male: tuple[str, ...], female: tuple[str, ...], regional: tuple[str, ...]) -> NamePool:
    # Regional surnames weigh three times: each country's own names show, the common ones stay common.
    return NamePool(male, female, _SPANISH_SURNAMES + regional * 3, two_surnames=0.97, two_given=0.0)


NAME_POOLS: dict[str, NamePool] = {
    "MEX": _spanish(
        ("José Luis", "Juan Carlos", "Miguel Ángel", "Alejandro", "Jesús", "Francisco", "Eduardo", "Emiliano",
         "Ricardo", "Fernando", "Luis Enrique", "Héctor"),
        ("María Guadalupe", "Alejandra", "Fernanda", "Ximena", "Gabriela", "Mariana", "Itzel", "Verónica",
         "Lucía", "Daniela", "Karla Patricia", "Rocío"),
        ("Domínguez", "Cervantes", "Villarreal", "Ibarra", "Zavala", "Nava", "Cuauhtémoc", "Olvera"),
    ),
    "CA": _spanish(
        ("Wilber", "Edwin", "Marvin", "Olvin", "Osman", "Kevin", "Brayan", "Josué", "Elmer", "Selvin",
         "Byron", "Walter", "Juan José", "Carlos Roberto"),
        ("Wendy", "Yesenia", "Kenia", "Heydi", "Karla", "Ingrid", "Dayana", "Jeimy", "Glenda", "Sulema",
         "Yahaira", "María José", "Ana Gabriela"),
        ("Bonilla", "Alas", "Canales", "Portillo", "Funes", "Xicará", "Tzul", "Ixcot", "Batz", "Zelaya",
         "Argueta", "Hernández"),
    ),
    "NIC": _spanish(
        ("Yader", "Jader", "Bayardo", "Léster", "Norlan", "Francisco José", "Juan Carlos", "Henry", "Marlon",
         "Ervin", "Yasser", "Danilo"),
        ("Meyling", "Xochilt", "Scarleth", "Maryuri", "Jahoska", "Yelba", "Martha Lorena", "Ileana", "Karen",
         "Heysel", "Yorleni", "Fátima"),
        ("Chamorro", "Mairena", "Téllez", "Obando", "Rocha", "Somarriba", "Largaespada", "Sequeira", "Úbeda",
         "Palacios", "Aráuz", "Lacayo"),
    ),
    "CRI": _spanish(
        ("José Pablo", "Luis Diego", "Esteban", "Andrés", "Mauricio", "Jorge Arturo", "Allan", "Randall",
         "Greivin", "Daniel", "Minor", "Warner"),
        ("María Fernanda", "Natalia", "Valeria", "Yendry", "Karol", "Ana Lucía", "Melissa", "Priscilla",
         "Sofía", "Tatiana", "Mariela", "Hazel"),
        ("Quesada", "Alfaro", "Brenes", "Zamora", "Arias", "Monge", "Ulate", "Araya", "Calderón", "Zúñiga",
         "Villalobos", "Cordero", "Ugalde", "Quirós"),
    ),
    "PAN": _spanish(
        ("Luis Carlos", "Rubén Darío", "Omar", "Abdiel", "Eliécer", "Yamir", "Aníbal", "Edgardo", "Iván"),
        ("Yariela", "Itzela", "Kathia", "Yamileth", "Anayansi", "Dalys", "Yarisbeth", "Nitzia", "Edilsa"),
        ("Batista", "Samudio", "De León", "Pitti", "Saldaña", "Quintero", "Rangel", "Caballero", "Him"),
    ),
    "COL": _spanish(
        ("Jhon Jairo", "Andrés Felipe", "Juan Sebastián", "Carlos Andrés", "Jhonatan", "Duván", "Yeison",
         "Santiago", "Camilo", "Brayan Stiven"),
        ("Yuliana", "Valentina", "Luisa Fernanda", "Paola Andrea", "Leidy Johana", "Manuela", "Natalia",
         "Yenny Marcela", "Diana Carolina", "Sara"),
        ("Restrepo", "Giraldo", "Ospina", "Cardona", "Zapata", "Londoño", "Arango", "Henao", "Betancur"),
    ),
    "VEN": _spanish(
        ("Yorman", "Keiber", "Yeferson", "Luis Alejandro", "José Gregorio", "Jesús Alberto", "Wuilmer",
         "Deivis", "Endrick", "Richard", "Yonaiker", "Carlos Eduardo"),
        ("Yusmary", "Oriana", "Yuleisy", "Mariangel", "Dayerlin", "Génesis", "Yelitza", "Nathaly", "Karelys",
         "Roxana", "Yoselin", "María Gabriela"),
        ("Rondón", "Carrasquero", "Briceño", "Colmenares", "Pacheco", "Marcano", "Urdaneta", "Guerrero",
         "Sifontes", "Parra"),
    ),
    "CUB": _spanish(
        ("Yoandri", "Yunior", "Yoel", "Dayron", "Yasmani", "Osmel", "Yoennis", "Alexei", "Lázaro", "Raúl"),
        ("Yusleidy", "Yaima", "Yanelis", "Dayami", "Yamilé", "Yudelkis", "Odalys", "Mailén", "Lisandra",
         "Arletys"),
        ("Alfonso", "Céspedes", "Hechavarría", "Ravelo", "Cabrera", "Valdés", "Betancourt", "Leyva"),
    ),
    "ECU": _spanish(
        ("Kléber", "Wilson", "Holger", "Jefferson", "Segundo", "Jhon", "Bryan", "Darwin", "Freddy"),
        ("Mishel", "Jessenia", "Gissela", "Mayra", "Dayana", "Tatiana", "Maribel", "Nube", "Karina"),
        ("Zambrano", "Cedeño", "Vera", "Macías", "Intriago", "Chiriboga", "Quishpe", "Guamán", "Loor"),
    ),
    "ESP": _spanish(
        ("Javier", "Alejandro", "Pablo", "Sergio", "Iñaki", "Jordi", "Manuel", "Álvaro", "Xabier"),
        ("Lucía", "Laura", "Marta", "Nerea", "Carmen", "Ainhoa", "Irene", "Montserrat", "Begoña"),
        ("Martín", "Iglesias", "Gil", "Serrano", "Blanco", "Rubio", "Garrido", "Etxeberria", "Puig"),
    ),
    "HTI": NamePool(
        ("Jean-Baptiste", "Wilner", "Fritznel", "Jean Robert", "Jameson", "Wisly", "Frantz", "Jean Claude",
         "Peterson", "Lovensky", "Woodley", "Stevenson", "Wilfrid", "Ronald"),
        ("Guerline", "Widlène", "Marie Carmelle", "Rose-Berline", "Nadège", "Fabiola", "Mirlande", "Roseline",
         "Darline", "Youdeline", "Marie-Ange", "Sherline", "Wislande"),
        ("Pierre", "Joseph", "Jean", "Louis", "Charles", "Desir", "Jean-Baptiste", "Saint-Fleur", "Toussaint",
         "Dorvil", "Augustin", "Étienne", "François", "Michel", "Célestin", "Dorcélus", "Valcin", "Exantus",
         "Fils-Aimé", "Noël", "Jean-Louis", "Pierre-Louis"),
    ),
    "CARIB": NamePool(
        ("Andre", "Kemar", "Delroy", "Oneil", "Shamar", "Rajiv", "Marlon", "Tyrone", "Garfield", "Devon",
         "Ravi", "Keron"),
        ("Shanice", "Tamika", "Marcia", "Kerry-Ann", "Annmarie", "Shelly-Ann", "Nadine", "Latoya",
         "Sasha-Gaye", "Keisha", "Anjali", "Kezia"),
        ("Campbell", "Brown", "Williams", "Thompson", "Clarke", "Gordon", "Reid", "Stewart", "Ramdial",
         "Mohammed", "Singh", "Baptiste", "Maharaj", "Persad", "Alleyne", "Forde", "McKenzie"),
        two_given=0.3,
    ),
    "BRA": NamePool(
        ("João Pedro", "Luiz Carlos", "Thiago", "Gabriel", "Rafael", "Lucas", "Marcos Vinícius",
         "Paulo Henrique", "Antônio", "Caio"),
        ("Maria Eduarda", "Ana Clara", "Gabriela", "Juliana", "Fernanda", "Letícia", "Camila", "Beatriz",
         "Larissa", "Tânia"),
        ("da Silva", "dos Santos", "de Oliveira", "de Souza", "Pereira", "Ferreira", "Rodrigues", "Almeida",
         "Nascimento", "Lima", "Araújo", "Carvalho", "Gomes", "Ribeiro", "da Conceição"),
        two_surnames=0.5,
    ),
    "USA": NamePool(
        ("John", "James", "Robert", "David", "Christopher", "Matthew", "Joshua", "Daniel", "Ryan", "Tyler",
         "Kevin", "Brandon", "William", "Michael"),
        ("Emily", "Jessica", "Ashley", "Sarah", "Jennifer", "Megan", "Lauren", "Hannah", "Olivia",
         "Elizabeth", "Madison", "Rachel"),
        ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Rodriguez", "Wilson",
         "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Lee", "Nguyen", "O'Brien", "Murphy", "Sullivan",
         "Kowalski", "Schmidt", "Cohen", "Patel", "Kim", "Peterson", "Washington", "Hernandez"),
        two_given=0.5,
    ),
    "CAN": NamePool(
        ("Jean-François", "Mathieu", "Étienne", "Olivier", "Liam", "Noah", "Ethan", "Connor", "Samuel"),
        ("Marie-Ève", "Geneviève", "Chloé", "Émilie", "Sophie", "Emma", "Ava", "Megan", "Isabelle"),
        ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "MacDonald", "Campbell", "Wilson",
         "Fraser", "Singh", "Chen", "Li", "Bergeron", "Leblanc"),
        two_given=0.3,
    ),
    "D": NamePool(
        ("Lukas", "Jonas", "Maximilian", "Felix", "Jürgen", "Stefan", "Thomas", "Tobias", "Jörg", "Niklas"),
        ("Anna", "Lena", "Sophie", "Katharina", "Laura", "Sabine", "Birgit", "Hannah", "Jülide", "Käthe"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
         "Hoffmann", "Koch", "Weiß", "Schröder", "Groß", "Krüger", "Öztürk"),
        two_given=0.2,
        spell_umlauts=True,
    ),
    "FRA": NamePool(
        ("Jean-Luc", "Thomas", "Nicolas", "Julien", "Antoine", "Hugo", "Mathis", "Benoît"),
        ("Camille", "Manon", "Léa", "Chloé", "Céline", "Amélie", "Élodie", "Hélène"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
         "Lefèvre", "Fournier", "Girard", "Benali"),
    ),
    "GBR": NamePool(
        ("Oliver", "Harry", "George", "James", "William", "Callum", "Rhys", "Arjun"),
        ("Olivia", "Amelia", "Isla", "Charlotte", "Emily", "Sophie", "Eleanor", "Niamh"),
        ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts", "Walker",
         "Wright", "Hughes", "O'Connor", "McAllister", "Khan"),
        two_given=0.4,
    ),
    "NLD": NamePool(
        ("Daan", "Sem", "Lucas", "Bram", "Thijs", "Jeroen", "Pieter"),
        ("Emma", "Julia", "Sanne", "Fleur", "Lotte", "Anouk", "Femke"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer",
         "de Boer", "van der Meer"),
    ),
    "ITA": NamePool(
        ("Marco", "Luca", "Giuseppe", "Francesco", "Alessandro", "Matteo", "Niccolò"),
        ("Giulia", "Francesca", "Chiara", "Sofia", "Martina", "Alessia", "Federica"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
         "D'Angelo"),
    ),
    "CHN": NamePool(
        ("Wei", "Hao", "Jun", "Lei", "Yang", "Jianguo", "Zhiwei", "Xiaoming", "Haoran", "Yuxuan"),
        ("Fang", "Xiuying", "Jing", "Na", "Min", "Xiaoyan", "Yan", "Lihua", "Yuting", "Meiling"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Lin"),
    ),
    "IND": NamePool(
        ("Rajesh Kumar", "Amit", "Vikram", "Gurpreet", "Harjinder", "Sandeep", "Rahul", "Manoj", "Arjun"),
        ("Priya", "Sunita", "Anjali", "Pooja", "Harpreet", "Kavita", "Neha", "Simran", "Lakshmi"),
        ("Sharma", "Kumar", "Singh", "Patel", "Gupta", "Yadav", "Reddy", "Shah", "Kaur", "Verma", "Nair"),
    ),
    "BGD": NamePool(
        ("Mohammad", "Md Rafiqul", "Abdul Karim", "Shahidul", "Rezaul", "Arif", "Jahangir", "Sohel"),
        ("Fatema", "Nasrin", "Shirin", "Taslima", "Rokeya", "Sumaiya", "Shamima", "Rehana"),
        ("Rahman", "Hossain", "Islam", "Akter", "Ahmed", "Uddin", "Miah", "Chowdhury", "Sarker", "Begum"),
    ),
    "NPL": NamePool(
        ("Bikash", "Ramesh", "Suman", "Prakash", "Dipendra", "Krishna Bahadur", "Santosh", "Ram Prasad"),
        ("Sita", "Anjali", "Sunita", "Gita", "Pramila", "Sarita", "Kamala", "Binita"),
        ("Shrestha", "Gurung", "Tamang", "Thapa", "Magar", "Rai", "Limbu", "Karki", "Adhikari", "Bhandari"),
    ),
    "CMR": NamePool(
        ("Emmanuel", "Blaise", "Achille", "Brice", "Serge", "Ferdinand", "Joël", "Franck", "Divine"),
        ("Clarisse", "Yvette", "Brigitte", "Laure", "Mireille", "Carine", "Sandrine", "Estelle", "Blessing"),
        ("Nkongho", "Tabi", "Mbah", "Fomba", "Ngwa", "Tchinda", "Nkeng", "Fouda", "Mbarga", "Atangana",
         "Essomba", "Kamga", "Tchoupo", "Ayuk"),
        two_given=0.3,
    ),
    "SEN": NamePool(
        ("Mamadou", "Cheikh", "Ousmane", "Moussa", "Abdoulaye", "Ibrahima", "Modou", "Pape", "Serigne"),
        ("Aminata", "Fatou", "Awa", "Mariama", "Khady", "Ndeye", "Coumba", "Rokhaya", "Astou"),
        ("Diop", "Ndiaye", "Fall", "Sow", "Ba", "Diallo", "Faye", "Gueye", "Sarr", "Cissé", "Mbaye", "Sy"),
    ),
    "ERI": NamePool(
        ("Tesfay", "Yonas", "Abraham", "Mebrahtu", "Dawit", "Samuel", "Filmon", "Habtom", "Kidane"),
        ("Senait", "Helen", "Selam", "Luwam", "Saba", "Ruta", "Feven", "Yordanos", "Mehret"),
        ("Tesfamariam", "Gebremedhin", "Haile", "Tekle", "Berhane", "Ghebreyesus", "Woldu", "Kidane",
         "Mehari", "Negash", "Tewelde", "Asmerom"),
    ),
}  # fmt: skip

_POOL_OF = {
    "GTM": "CA", "HND": "CA", "SLV": "CA", "JAM": "CARIB", "TTO": "CARIB", "BRB": "CARIB", "BHS": "CARIB",
}  # fmt: skip

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def name_pool(nationality: str) -> NamePool:
    """The naming tradition of a nationality (Spanish-speaking neighbours fall back on Central America's)."""
    return NAME_POOLS.get(nationality) or NAME_POOLS[_POOL_OF.get(nationality, "CA")]


# --- flows ------------------------------------------------------------------------------------------------

Weighted = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Flow:
    """One kind of traveller: who they are, where they cross, what stay they get and how they behave.

    `weight` is the flow's share of travellers. `home` flows (nationals, residents) live in the country:
    their trips start with an exit. `transit` flows enter at one land border and leave by another.
    Probabilities are per entry (refusal, referral) or per traveller (overstay: the last trip never ends).
    """

    name: str
    weight: float
    nationalities: Weighted
    entry_posts: Weighted
    categories: Weighted
    trips: tuple[tuple[int, float], ...] = ((1, 1.0),)
    median_days: float = 10.0
    home: bool = False
    transit_exit_posts: Weighted = ()
    same_day: bool = False
    overstay: float = 0.0
    refusal: float = 0.0
    referral: float = 0.0
    id_card: float = 0.0
    minors: float = 0.1
    seasonal: bool = True
    reverse: float = 0.0  # transit flows: share going the other way (north to south)


FLOWS: tuple[Flow, ...] = (
    Flow(
        "north_american_tourists", 24,
        (("USA", 84), ("CAN", 16)),
        (("SJO", 55), ("LIR", 43), ("SYQ", 2)),
        (("tourist", 94), ("business", 4), ("student", 2)),
        trips=((1, 78), (2, 15), (3, 5), (4, 2)), median_days=9, overstay=0.025, refusal=0.004,
        referral=0.0003,
    ),
    Flow(
        "cruise_passengers", 3,
        (("USA", 60), ("CAN", 15), ("GBR", 8), ("D", 6), ("FRA", 4), ("NLD", 4), ("ITA", 3)),
        (("PLM", 50), ("PUN", 30), ("CAL", 15), ("GLF", 5)),
        (("tourist", 100),), median_days=1, same_day=True, refusal=0.001,
    ),
    Flow(
        "european_tourists", 8,
        (("ESP", 22), ("D", 22), ("FRA", 18), ("GBR", 16), ("NLD", 12), ("ITA", 10)),
        (("SJO", 72), ("LIR", 28)),
        (("tourist", 95), ("business", 3), ("student", 2)),
        trips=((1, 92), (2, 8)), median_days=16, overstay=0.025, refusal=0.004,
    ),
    Flow(
        "latin_american_air", 7,
        (("MEX", 30), ("COL", 24), ("BRA", 15), ("GTM", 8), ("SLV", 8), ("HND", 6), ("ECU", 5), ("PAN", 4)),
        (("SJO", 90), ("LIR", 10)),
        (("tourist", 80), ("business", 15), ("student", 5)),
        trips=((1, 75), (2, 18), (3, 7)), median_days=7, overstay=0.05, refusal=0.02, referral=0.001,
    ),
    Flow(
        "caribbean", 1.5,
        (("JAM", 45), ("TTO", 35), ("BRB", 10), ("BHS", 10)),
        (("SJO", 85), ("PLM", 15)),
        (("tourist", 90), ("business", 10)),
        trips=((1, 85), (2, 15)), median_days=8, overstay=0.05, refusal=0.03, referral=0.001,
    ),
    Flow(
        "nicaraguans", 13,
        (("NIC", 100),),
        (("PBL", 60), ("LCH", 18), ("SJO", 22)),
        (("tourist", 60), ("worker", 32), ("student", 4), ("humanitarian", 4)),
        trips=((1, 45), (2, 30), (3, 15), (4, 7), (6, 3)), median_days=14, overstay=0.10, refusal=0.025,
        referral=0.003, id_card=0.15, seasonal=False,
    ),
    Flow(
        "foreign_residents", 5,
        (("NIC", 70), ("COL", 8), ("VEN", 8), ("USA", 8), ("CUB", 6)),
        (("SJO", 45), ("PBL", 40), ("LCH", 10), ("PCN", 5)),
        (("resident", 100),),
        trips=((1, 55), (2, 30), (3, 15)), median_days=12, home=True, id_card=0.1,
    ),
    Flow(
        "asylum_seekers", 1.2,
        (("NIC", 70), ("VEN", 15), ("CUB", 10), ("HTI", 5)),
        (("PBL", 45), ("LCH", 35), ("SJO", 20)),
        (("asylum", 100),), referral=0.12, minors=0.25, seasonal=False,
    ),
    Flow(
        "panamanians", 4,
        (("PAN", 100),),
        (("PCN", 55), ("SIX", 25), ("SAB", 5), ("SJO", 15)),
        (("tourist", 85), ("business", 10), ("worker", 5)),
        trips=((1, 35), (2, 20), (3, 15), (5, 15), (8, 10), (12, 5)), median_days=3, overstay=0.035,
        refusal=0.01, id_card=0.3, seasonal=False,
    ),
    Flow(
        "costa_ricans", 14,
        (("CRI", 100),),
        (("SJO", 75), ("LIR", 8), ("PBL", 5), ("PCN", 12)),
        (("national", 100),),
        trips=((1, 50), (2, 30), (3, 12), (5, 8)), median_days=8, home=True,
    ),
    Flow(
        "transit_migrants", 6,
        (("VEN", 52), ("ECU", 14), ("COL", 8), ("HTI", 14), ("CUB", 6), ("PER", 3), ("DOM", 3)),
        (("PCN", 100),),
        (("transit", 100),),
        transit_exit_posts=(("PBL", 55), ("LCH", 45)), overstay=0.13, refusal=0.02, referral=0.012,
        minors=0.22, seasonal=False, reverse=0.3,
    ),
    Flow(
        "extra_continental", 2.5,
        (("CHN", 30), ("IND", 20), ("BGD", 10), ("NPL", 10), ("CMR", 10), ("SEN", 10), ("ERI", 10)),
        (("PCN", 88), ("SJO", 12)),
        (("transit", 100),),
        transit_exit_posts=(("PBL", 55), ("LCH", 45)), overstay=0.13, refusal=0.03, referral=0.012,
        minors=0.1, seasonal=False, reverse=0.1,
    ),
)  # fmt: skip

# Posts by kind in Costa Rica, the country the flows are written for; other countries' posts stand in.
CRI_POST_KINDS = {
    "SJO": "airport", "LIR": "airport", "LIO": "airport", "SYQ": "airport",
    "PBL": "land", "LCH": "land", "PCN": "land", "SIX": "land", "SAB": "land",
    "PLM": "seaport", "PUN": "seaport", "CAL": "seaport", "GLF": "seaport",
}  # fmt: skip

_AIRLINES = {
    "USA": ("AA", "UA", "DL", "WN", "B6", "AS", "NK", "F9"),
    "CAN": ("AC", "WS", "TS", "AA", "UA"),
    "EUR": ("IB", "UX", "DE", "AF", "KL", "BA", "LH"),
    "LAT": ("CM", "AV", "AM", "Y4", "LA", "VB"),
    "CRI": ("AV", "CM", "UA", "AA", "Y4", "DL"),
}
_AIRLINE_GROUP = {
    "USA": "USA", "CAN": "CAN", "ESP": "EUR", "D": "EUR", "FRA": "EUR", "GBR": "EUR", "NLD": "EUR",
    "ITA": "EUR", "CRI": "CRI",
}  # fmt: skip
_BUSES = ("TICA BUS", "TRANSNICA", "NICABUS", "CENTRAL LINE", "TRACOPA", "EXPRESO PANAMA")
_VESSELS = ("ISLA BONITA", "CARIBBEAN STAR", "PACIFIC DAWN", "OCEAN ODYSSEY", "SERENADE OF THE SEAS")

_REFUSAL_NOTES = (
    "Sin boleto de salida del país.",
    "Sin medios económicos suficientes para la estancia.",
    "Requiere visa consular y no la presenta.",
    "Impedimento de ingreso vigente.",
    "Documento de viaje dañado.",
)
_REFERRAL_NOTES = (
    "Solicita refugio: referida a la Unidad de Refugio.",
    "Persona menor de edad no acompañada: referida al PANI.",
    "Posible víctima de trata: referida al equipo de respuesta inmediata (CATT).",
    "Necesita atención médica: referida a la Cruz Roja.",
)
_NO_DAYS_LEFT = "Sin días disponibles según la regla de estancia (180 en 365)."

# Local hours of crossings, by post kind and direction: flights by day, land crossings 6:00-22:00.
_HOURS: dict[tuple[str, str], tuple[tuple[int, ...], tuple[float, ...]]] = {
    ("airport", "entry"): (tuple(range(6, 24)), (1, 1, 2, 2, 3, 5, 7, 8, 8, 7, 6, 5, 4, 4, 3, 3, 2, 1)),
    ("airport", "exit"): (tuple(range(5, 23)), (3, 6, 7, 7, 6, 5, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1)),
    ("land", "entry"): (tuple(range(6, 22)), (3, 5, 6, 7, 7, 6, 6, 6, 6, 5, 5, 4, 3, 2, 2, 1)),
    ("land", "exit"): (tuple(range(6, 22)), (4, 6, 7, 7, 6, 6, 6, 6, 5, 5, 4, 4, 3, 2, 1, 1)),
    ("seaport", "entry"): (tuple(range(7, 11)), (4, 6, 3, 1)),
    ("seaport", "exit"): (tuple(range(15, 19)), (3, 5, 3, 1)),
}
# Tourist seasons: the dry season (December-April) and the northern summer.
_MONTH_WEIGHT = (1.3, 1.3, 1.4, 1.1, 0.8, 0.8, 1.1, 0.9, 0.6, 0.6, 0.8, 1.3)

# Passport numbers by issuing state: '#' a digit, '@' a letter, '*' a letter or digit; others as written.
_NUMBER_PATTERNS = {
    "USA": ("5########", "A########"), "CAN": ("@@######",), "MEX": ("G########", "N########"),
    "D": ("C********",), "GBR": ("1########",), "FRA": ("##@@#####",), "ESP": ("PA@######",),
    "NLD": ("N@*****#",), "ITA": ("Y@#######",), "BRA": ("F@######",), "CHN": ("E########", "EJ#######"),
    "IND": ("@#######",), "CRI": ("#########",), "NIC": ("C0#######",), "PAN": ("PA#######",),
    "COL": ("AV#######", "PE#######"), "VEN": ("1########",),
}  # fmt: skip
_ALNUM = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
# Passport validity in years; elsewhere 6.
_VALIDITY = {"USA": 10, "CAN": 10, "D": 10, "FRA": 10, "GBR": 10, "NLD": 10, "ESP": 10, "ITA": 10, "BRA": 10}
_ID_CARD_STATES = frozenset({"NIC", "PAN", "GTM", "HND", "SLV"})


# --- rows -------------------------------------------------------------------------------------------------


# Row fields are named as the models' columns (attnames), so that rows are written without translation.


class TravellerRow(NamedTuple):
    id: uuid.UUID
    surname: str
    given_names: str
    birth_date: date
    sex: str
    nationality_id: str
    device_id: str
    created_at: datetime


class DocumentRow(NamedTuple):
    id: uuid.UUID
    traveller_id: uuid.UUID
    document_code: str
    issuing_state_id: str
    number: str
    surname: str
    given_names: str
    nationality_id: str
    birth_date: date
    sex: str
    expiry_date: date
    mrz: str
    device_id: str
    created_at: datetime


class CrossingRow(NamedTuple):
    id: uuid.UUID
    traveller_id: uuid.UUID
    document_id: uuid.UUID
    direction: str
    post_id: str
    occurred_at: datetime
    officer_id: int
    transport: str
    transport_reference: str
    decision: str
    note: str
    device_id: str
    created_at: datetime  # recorded as it happened


class StayRow(NamedTuple):
    id: uuid.UUID
    traveller_id: uuid.UUID
    entry_id: uuid.UUID
    category_id: str
    granted_days: int | None
    authorised_until: date | None
    device_id: str
    created_at: datetime


@dataclass
class Person:
    """One generated traveller with everything that is stored about them."""

    traveller: TravellerRow
    documents: list[DocumentRow] = field(default_factory=list)
    crossings: list[CrossingRow] = field(default_factory=list)
    stays: list[StayRow] = field(default_factory=list)
    flow: str = ""


@dataclass(frozen=True)
class DemoContext:
    """What the generator needs from the database, as plain data.

    `rules` maps (nationality, stay category) to the stay rule that applies (None: the category's default
    days); `categories` maps a category to (default days, open-ended); `officers` maps a post to the
    user ids of its officers; `latest` is the last instant a crossing may have (never in the future).
    """

    country: str
    year_end: date
    latest: datetime
    posts: Mapping[str, tuple[str, str]]  # code -> (kind, time zone)
    rules: Mapping[tuple[str, str], stay_rules.Rule | None]
    categories: Mapping[str, tuple[int, bool]]
    officers: Mapping[str, Sequence[int]]
    taken_numbers: frozenset[tuple[str, str]] = frozenset()

    @property
    def year_start(self) -> date:
        return self.year_end - timedelta(days=364)

    def post_for(self, cri_code: str) -> str:
        """The country's post standing in for a Costa Rican post of the flows (itself in Costa Rica)."""
        return stand_in_post(cri_code, {code: kind for code, (kind, _) in self.posts.items()})


def stand_in_post(cri_code: str, posts: Mapping[str, str]) -> str:
    """Among `posts` (code -> kind), the one standing in for a Costa Rican post: itself, or the post of the
    same kind in the same place of the list, so that the flows work for any country's posts."""
    if cri_code in posts:
        return cri_code
    kind = CRI_POST_KINDS.get(cri_code, "airport")
    same_kind = sorted(code for code, k in posts.items() if k == kind) or sorted(posts)
    same_kind_cri = [code for code, k in CRI_POST_KINDS.items() if k == kind]
    index = same_kind_cri.index(cri_code) if cri_code in same_kind_cri else 0
    return same_kind[index % len(same_kind)]


def flows_for(context: DemoContext) -> list[Flow]:
    """The flows with the deploying country's posts and nationals put in: foreigners are not nationals."""
    flows = []
    for flow in FLOWS:
        nationalities = flow.nationalities
        if flow.name == "costa_ricans":
            nationalities = ((context.country, 100),)
        else:
            nationalities = tuple((n, w) for n, w in nationalities if n != context.country)
            if not nationalities:
                continue

        def posts(weighted: Weighted) -> Weighted:
            return tuple((context.post_for(code), w) for code, w in weighted)

        flows.append(
            Flow(
                **{
                    **flow.__dict__,
                    "nationalities": nationalities,
                    "entry_posts": posts(flow.entry_posts),
                    "transit_exit_posts": posts(flow.transit_exit_posts),
                }
            )
        )
    return flows


# --- the generator ----------------------------------------------------------------------------------------


class _Choice:
    """A weighted draw with the cumulative weights computed once (random.choices recomputes its checks)."""

    __slots__ = ("cum", "total", "values")

    def __init__(self, weighted: Sequence[tuple[object, float]]) -> None:
        self.values = [value for value, _ in weighted]
        cum: list[float] = []
        running = 0.0
        for _, weight in weighted:
            running += weight
            cum.append(running)
        self.cum = cum
        self.total = running

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect(self.cum, rng.random() * self.total)]


class _Random(random.Random):
    """randint and choice from one random() call each: several times faster than the exactly uniform
    versions (which draw bits until they fit), and as deterministic. Demo data can bear the bias."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: SupportsLenAndGetItem[_T]) -> _T:
        return seq[int(self.random() * len(seq))]


@dataclass
class _Trip:
    start: date
    end: date | None  # None: never left
    entry_post: str
    exit_post: str
    category: str
    decision: str = "admitted"
    note: str = ""
    granted: int | None = None
    until: date | None = None


class _Generator:
    def __init__(self, *, seed: int, context: DemoContext) -> None:
        self.rng = _Random(seed)
        # Ids come from their own stream, so that the data does not depend on how many ids were drawn.
        self.ids = random.Random(f"{seed}:ids")
        self.sequence = 0
        self.context = context
        self.flows = flows_for(context)
        self.flow_choice = _Choice([(flow, flow.weight) for flow in self.flows])
        self.choices: dict[object, _Choice] = {}
        self.taken: set[tuple[str, str]] = set(context.taken_numbers)
        self.zones = {code: ZoneInfo(tz) for code, (_, tz) in context.posts.items()}
        self.hours = {
            key: _Choice(list(zip(hours, weights, strict=True))) for key, (hours, weights) in _HOURS.items()
        }
        self.flights = {
            airline: tuple(random.Random(airline).sample(range(100, 2999), 6))
            for group in _AIRLINES.values()
            for airline in group
        }

    # -- small draws --

    def choose(self, weighted: Sequence[tuple[Any, float]]) -> Any:
        key = id(weighted)
        choice = self.choices.get(key)
        if choice is None:
            choice = self.choices[key] = _Choice(weighted)
        return choice.pick(self.rng)

    def uuid(self) -> uuid.UUID:
        # A sequence number in the top 48 bits, 74 random bits below: ids grow in the order rows are
        # written, so a big load appends to the primary-key and foreign-key indexes instead of scattering
        # writes all over them (a million-crossing load runs much faster). Still valid version-4 UUIDs.
        self.sequence += 1
        return uuid.UUID(int=(self.sequence << 80) | self.ids.getrandbits(80), version=4)

    def day_in_year(self, seasonal: bool, first: date | None = None, last: date | None = None) -> date:
        first = first or self.context.year_start
        last = last or self.context.year_end
        span = (last - first).days
        if span <= 0:
            return first
        while True:
            day = first + timedelta(days=self.rng.randint(0, span))
            if not seasonal or self.rng.random() * 1.4 < _MONTH_WEIGHT[day.month - 1]:
                return day

    def length(self, category: str, median: float) -> int:
        rng = self.rng
        if category == "worker":
            return rng.randint(45, 260)
        if category == "student":
            return rng.randint(90, 330)
        if category == "humanitarian":
            return rng.randint(20, 300)
        if category == "business":
            return rng.randint(2, 9)
        if category == "transit":
            return rng.randint(1, 3)
        # Tourists: mostly one to three weeks around the flow's median, some long stays (retirees).
        days = int(rng.lognormvariate(0, 0.6) * median + 0.5)
        if rng.random() < 0.04:
            days = rng.randint(45, 175)
        return max(1, days)

    def moment(self, post: str, direction: str, day: date) -> datetime:
        kind = self.context.posts[post][0]
        hour = self.hours[(kind, direction)].pick(self.rng)
        rng = self.rng
        local = datetime(day.year, day.month, day.day, int(hour), rng.randint(0, 59), rng.randint(0, 59))
        return local.replace(tzinfo=self.zones[post]).astimezone(UTC)

    def later_same_day(self, post: str, previous: datetime) -> datetime:
        """A moment after `previous`, before the post closes (land 22:00, seaport 19:00, airport midnight)."""
        local = previous.astimezone(self.zones[post])
        closing_hour = {"airport": 24, "land": 22, "seaport": 19}[self.context.posts[post][0]]
        closing = local.replace(hour=0, minute=0, second=0) + timedelta(hours=closing_hour)
        room = (closing - local).total_seconds()
        if room <= 120:
            return previous + timedelta(seconds=60)
        return previous + timedelta(seconds=int(room * (0.2 + 0.7 * self.rng.random())))

    def transport_reference(self, post: str, nationality: str) -> str:
        kind = self.context.posts[post][0]
        rng = self.rng
        if kind == "airport":
            group = _AIRLINE_GROUP.get(nationality, "LAT")
            airline = rng.choice(_AIRLINES[group])
            return f"{airline}{rng.choice(self.flights[airline])}"
        if kind == "seaport":
            return rng.choice(_VESSELS)
        draw = rng.random()
        if draw < 0.55:
            return rng.choice(_BUSES)
        if draw < 0.85:
            return "".join(rng.choice(_LETTERS) for _ in range(3)) + str(rng.randint(100, 999))
        return ""  # on foot

    # -- people --

    def names(self, nationality: str, sex: str) -> tuple[str, str]:
        pool = name_pool(nationality)
        rng = self.rng
        given_pool = pool.male if sex == "M" else pool.female
        given = rng.choice(given_pool)
        if pool.two_given and " " not in given and rng.random() < pool.two_given:
            other = rng.choice(given_pool)
            if other != given and " " not in other:
                given = f"{given} {other}"
        surname = rng.choice(pool.surnames)
        if pool.two_surnames and rng.random() < pool.two_surnames:
            second = rng.choice(pool.surnames)
            if second != surname:
                surname = f"{surname} {second}"
        if pool.spell_umlauts:
            surname, given = surname.translate(_UMLAUTS), given.translate(_UMLAUTS)
        return surname, given

    def birth_date(self, minors: float) -> date:
        rng = self.rng
        if rng.random() < minors:
            age_days = rng.randint(90, 18 * 365 - 1)
        else:
            age_days = int(rng.triangular(18, 82, 34) * 365.25)
        return self.context.year_end - timedelta(days=age_days)

    def document_number(self, state: str, code: str, birth: date) -> str:
        rng = self.rng
        while True:
            if code == "ID":
                if state == "NIC":  # cédula: municipality, birth date, serial, letter
                    serial = f"{rng.randint(0, 9999):04d}{rng.choice(_LETTERS)}"
                    number = f"{rng.randint(1, 616):03d}{birth:%d%m%y}{serial}"
                elif state in ("GTM", "HND"):
                    number = f"{rng.randint(1, 2299):04d}{rng.randint(0, 10**9 - 1):09d}"
                else:
                    number = f"{rng.randint(0, 10**9 - 1):09d}"
            else:
                pattern = rng.choice(_NUMBER_PATTERNS.get(state, ("@@#######",)))
                number = "".join(
                    str(rng.randint(0, 9))
                    if c == "#"
                    else rng.choice(_LETTERS)
                    if c == "@"
                    else rng.choice(_ALNUM)
                    if c == "*"
                    else c
                    for c in pattern
                )
            if (state, number) not in self.taken:
                self.taken.add((state, number))
                return number

    def allowance(
        self, nationality: str, category: str, entry: date, earlier: list[stay_rules.Period]
    ) -> int:
        """Days the rules allow, as the desk grants them by default (the most the rules allow)."""
        default_days, open_ended = self.context.categories[category]
        if open_ended:
            return 0
        rule = self.context.rules.get((nationality, category))
        if rule is None:
            return default_days
        if rule.window_length is not None:
            horizon = entry - timedelta(days=rule.window_length - 1)
            if not any(period.end >= horizon for period in earlier):
                # Nothing in the window yet: the per-entry days, capped by the window (what allowed_days
                # answers, without walking the window day by day).
                return min(rule.days_per_entry, rule.window_days or rule.days_per_entry)
        return stay_rules.allowed_days(rule, entry_date=entry, earlier=earlier).days

    def person(self) -> Person:
        rng = self.rng
        flow: Flow = self.flow_choice.pick(rng)
        nationality = str(self.choose(flow.nationalities))
        sex = "M" if rng.random() < (0.6 if flow.transit_exit_posts else 0.5) else "F"
        surname, given = self.names(nationality, sex)
        birth = self.birth_date(flow.minors)
        category = str(self.choose(flow.categories))
        if flow.home:
            trips = self.home_trips(flow, nationality, category)
        else:
            trips = self.visitor_trips(flow, nationality, category)
        return self.assemble(flow, nationality, sex, surname, given, birth, trips)

    def trip_count(self, flow: Flow) -> int:
        return int(self.choose(flow.trips))

    def home_trips(self, flow: Flow, nationality: str, category: str) -> list[_Trip]:
        """Nationals and residents: trips abroad, each an exit and (unless still away) an entry back."""
        rng = self.rng
        year_end = self.context.year_end
        starts = sorted(self.day_in_year(True) for _ in range(self.trip_count(flow)))
        trips: list[_Trip] = []
        free_from = self.context.year_start
        for start in starts:
            start = max(start, free_from)
            if start > year_end:
                break
            post = str(self.choose(flow.entry_posts))
            kind = self.context.posts[post][0]
            away = (
                rng.randint(0, 1)
                if kind == "land" and rng.random() < 0.6
                else self.length("tourist", flow.median_days)
            )
            back = start + timedelta(days=away)
            # Trips abroad are stored as (day out, day back): for home flows `start` is the exit.
            trips.append(_Trip(start, back if back <= year_end else None, post, post, category))
            free_from = back + timedelta(days=rng.randint(3, 40))
        return trips

    def visitor_trips(self, flow: Flow, nationality: str, category: str) -> list[_Trip]:
        rng = self.rng
        context = self.context
        year_start, year_end = context.year_start, context.year_end
        count = self.trip_count(flow)
        open_ended = context.categories[category][1]
        overstays = not open_ended and rng.random() < flow.overstay
        last_start = year_end
        if overstays:
            # The last stay must have ended before the year ends: enter early enough that it runs out.
            # Overstays that began any time in the year, not only lately: the overstay rate is then
            # there in every month, as in real records.
            cap = self.allowance(nationality, category, year_end, [])
            over = rng.randint(1, max(1, (year_end - year_start).days - cap - 61))
            last_start = max(year_start, year_end - timedelta(days=cap + over))
            if last_start + timedelta(days=cap) > year_end:
                overstays = False
                last_start = year_end
        earlier_last = last_start - timedelta(days=60) if overstays else last_start
        starts = sorted(self.day_in_year(flow.seasonal, last=earlier_last) for _ in range(count - overstays))
        if overstays:
            starts.append(last_start)
        trips: list[_Trip] = []
        earlier: list[stay_rules.Period] = []
        free_from = year_start
        for index, start in enumerate(starts):
            last = index == len(starts) - 1
            start = max(start, free_from)
            if start > year_end:
                break
            entry_post = str(self.choose(flow.entry_posts))
            exit_post = entry_post
            if flow.transit_exit_posts:
                exit_post = str(self.choose(flow.transit_exit_posts))
                if rng.random() < flow.reverse:
                    entry_post, exit_post = exit_post, entry_post
            elif context.posts[entry_post][0] == "airport" and rng.random() < 0.15:
                exit_post = str(self.choose(flow.entry_posts))
                if context.posts[exit_post][0] != "airport":
                    exit_post = entry_post
            trip = _Trip(start, None, entry_post, exit_post, category)
            trips.append(trip)
            draw = rng.random()
            if draw < flow.refusal:
                trip.decision, trip.note = "refused", rng.choice(_REFUSAL_NOTES)
                free_from = start + timedelta(days=rng.randint(20, 120))
                continue
            if draw < flow.refusal + flow.referral:
                trip.decision, trip.note = "referred", rng.choice(_REFERRAL_NOTES)
                if category != "asylum":
                    break  # handed over to protection: no more trips this year
                trip.note = _REFERRAL_NOTES[0]
                trips.append(_Trip(start, None, entry_post, exit_post, category))  # admitted once heard
                break
            if open_ended:
                break  # asylum seekers come once and stay
            granted = self.allowance(nationality, category, start, earlier)
            if granted < 1:
                trip.decision, trip.note = "refused", _NO_DAYS_LEFT
                free_from = start + timedelta(days=rng.randint(30, 90))
                continue
            trip.granted = granted
            trip.until = start + timedelta(days=granted - 1)
            if overstays and last:
                break  # never leaves
            days = 1 if flow.same_day else min(granted, self.length(category, flow.median_days))
            end = start + timedelta(days=days - 1)
            if end <= year_end:
                trip.end = end
                earlier.append(stay_rules.Period(start, end))
                free_from = end + timedelta(days=rng.randint(7, 90))
            else:
                break  # still here, within the stay
        return trips

    def documents(
        self,
        nationality: str,
        sex: str,
        surname: str,
        given: str,
        birth: date,
        id_card: bool,
        switch_on: date | None,
    ) -> list[tuple[str, date, str, str, str]]:
        """(document code, expiry, number, MRZ, format) for the document in use, and the one it replaced
        when `switch_on` (the day the renewed passport was issued) is given."""
        rng = self.rng
        state = nationality  # the flows use ICAO codes (D for Germany): issuing state and nationality alike
        year_end = self.context.year_end
        fmt = "TD1" if id_card else "TD3"
        code = "ID" if id_card else "P"
        validity = 10 if id_card else _VALIDITY.get(nationality, 6)
        if year_end.year - birth.year < 16:
            validity = min(validity, 5)
        span = validity * 365
        docs = []
        if switch_on is not None:
            issued = switch_on
            old_expiry = switch_on + timedelta(days=rng.randint(5, 200))
            docs.append((code, old_expiry))
        else:
            issued = year_end - timedelta(days=rng.randint(30, span - 90))
        docs.insert(0, (code, issued + timedelta(days=span - 1)))
        out = []
        for doc_code, expiry in docs:
            number = self.document_number(state, doc_code, birth)
            mrz = build_mrz(
                {
                    "document_code": doc_code,
                    "issuing_state": state,
                    "nationality": state,
                    "surname": surname,
                    "given_names": given,
                    "document_number": number,
                    "birth_date": birth,
                    "expiry_date": expiry,
                    "sex": sex,
                },
                format=fmt,
            )
            out.append((doc_code, expiry, number, mrz, fmt))
        return out

    def assemble(
        self,
        flow: Flow,
        nationality: str,
        sex: str,
        surname: str,
        given: str,
        birth: date,
        trips: list[_Trip],
    ) -> Person:
        rng = self.rng
        context = self.context
        events: list[tuple[date, str, str, _Trip]] = []  # (day, direction, post, trip)
        for trip in trips:
            if flow.home:
                events.append((trip.start, "exit", trip.entry_post, trip))
                if trip.end is not None:
                    events.append((trip.end, "entry", trip.entry_post, trip))
            else:
                events.append((trip.start, "entry", trip.entry_post, trip))
                if trip.end is not None:
                    events.append((trip.end, "exit", trip.exit_post, trip))
        # A renewed passport: issued between two trips, used from then on.
        switch_on = None
        if len(trips) >= 2 and rng.random() < 0.05:
            gap_from, gap_to = trips[0].end or trips[0].start, trips[1].start
            if (gap_to - gap_from).days >= 2:
                switch_on = gap_from + timedelta(days=rng.randint(1, (gap_to - gap_from).days - 1))
        id_card = nationality in _ID_CARD_STATES and rng.random() < flow.id_card
        docs = self.documents(nationality, sex, surname, given, birth, id_card, switch_on)

        traveller_id = self.uuid()
        stamps: list[datetime] = []
        previous: datetime | None = None
        kept: list[tuple[date, str, str, _Trip, datetime]] = []
        for day, direction, post, trip in events:
            at = self.moment(post, direction, day)
            if previous is not None and at <= previous:
                at = self.later_same_day(post, previous)
            if at > context.latest:
                break  # never in the future
            previous = at
            kept.append((day, direction, post, trip, at))
            stamps.append(at)
        first_at = stamps[0] if stamps else datetime.combine(context.year_start, datetime.min.time(), UTC)
        first_post = kept[0][2] if kept else (trips[0].entry_post if trips else next(iter(context.posts)))
        device = self.device(first_post)
        names_surname, names_given = _mrz_names(docs[0][3], docs[0][4])
        person = Person(
            TravellerRow(
                id=traveller_id,
                surname=names_surname,
                given_names=names_given,
                birth_date=birth,
                sex=sex,
                nationality_id=nationality,
                device_id=device,
                created_at=first_at,
            ),
            flow=flow.name,
        )
        doc_rows = []
        for code, expiry, number, mrz, fmt in docs:
            doc_surname, doc_given = _mrz_names(mrz, fmt)
            doc_rows.append(
                DocumentRow(
                    id=self.uuid(),
                    traveller_id=traveller_id,
                    document_code=code,
                    issuing_state_id=nationality,
                    number=number,
                    surname=doc_surname,
                    given_names=doc_given,
                    nationality_id=nationality,
                    birth_date=birth,
                    sex=sex,
                    expiry_date=expiry,
                    mrz=mrz,
                    device_id=device,
                    created_at=first_at,
                )
            )
        # docs[0] is the one in use now; docs[1] (if any) the one it replaced.
        current, replaced = doc_rows[0], doc_rows[1] if len(doc_rows) > 1 else None
        person.documents = doc_rows[::-1] if replaced else doc_rows
        for day, direction, post, trip, at in kept:
            doc = replaced if replaced is not None and switch_on is not None and day < switch_on else current
            is_entry = direction == "entry"
            decision = trip.decision if (is_entry and not flow.home) else "admitted"
            crossing = CrossingRow(
                id=self.uuid(),
                traveller_id=traveller_id,
                document_id=doc.id,
                direction=direction,
                post_id=post,
                occurred_at=at,
                officer_id=rng.choice(context.officers[post]),
                transport=_TRANSPORT[context.posts[post][0]],
                transport_reference=self.transport_reference(post, nationality),
                decision=decision,
                note=trip.note if decision != "admitted" else "",
                device_id=self.device(post),
                created_at=at,
            )
            person.crossings.append(crossing)
            if is_entry and decision == "admitted":
                open_ended = context.categories[trip.category][1]
                person.stays.append(
                    StayRow(
                        id=self.uuid(),
                        traveller_id=traveller_id,
                        entry_id=crossing.id,
                        category_id=trip.category,
                        granted_days=None if open_ended else trip.granted,
                        authorised_until=None if open_ended else trip.until,
                        device_id=crossing.device_id,
                        created_at=at,
                    )
                )
        return person

    def device(self, post: str) -> str:
        desks = {"airport": 4, "land": 3, "seaport": 1}[self.context.posts[post][0]]
        return f"{post}-{self.rng.randint(1, desks):02d}"


_TRANSPORT = {"airport": "air", "land": "land", "seaport": "sea"}


def _mrz_names(mrz: str, fmt: str) -> tuple[str, str]:
    """Surname and given names as parse_mrz reads them from the zone (parts joined by single spaces)."""
    lines = mrz.split("\n")
    field_text = lines[2] if fmt == "TD1" else lines[0][5:]
    body = field_text.rstrip("<")
    primary, _, secondary = body.partition("<<")
    return (
        " ".join(part for part in primary.split("<") if part),
        " ".join(part for part in secondary.split("<") if part),
    )


def generate(*, travellers: int, seed: int, context: DemoContext) -> Iterator[Person]:
    """`travellers` people with their documents, crossings and stays; the same seed gives the same people."""
    generator = _Generator(seed=seed, context=context)
    for _ in range(travellers):
        yield generator.person()


# --- scripted travellers ----------------------------------------------------------------------------------


def passport_mrz(holder: Any) -> str:
    """The TD3 MRZ of a passport issued by the holder's own country: `holder` has nationality, surname,
    given_names, number, birth_date, expiry_date and sex (the demo's scripted travellers and passengers)."""
    return build_mrz(
        {
            "issuing_state": holder.nationality,
            "nationality": holder.nationality,
            "surname": holder.surname,
            "given_names": holder.given_names,
            "document_number": holder.number,
            "birth_date": holder.birth_date,
            "expiry_date": holder.expiry_date,
            "sex": holder.sex,
        }
    )


@dataclass(frozen=True)
class ScriptedTraveller:
    """A traveller to try at the desk, the same whatever the seed: who, what their record shows, the MRZ."""

    key: str
    label: str
    nationality: str
    surname: str
    given_names: str
    sex: str
    birth_date: date
    number: str
    expiry_date: date
    stored: bool = True  # loaded into the demo year with a crossing history
    bad_check_digit: bool = False  # the MRZ's document-number check digit deliberately wrong

    def mrz(self) -> str:
        zone = passport_mrz(self)
        if not self.bad_check_digit:
            return zone
        # The document number's check digit (line 2, column 10) deliberately wrong, and the composite
        # check digit made to agree with it, so that the desk shows exactly one problem.
        first, second = zone.split("\n")
        second = f"{second[:9]}{(int(second[9]) + 3) % 10}{second[10:43]}"
        return f"{first}\n{second}{check_digit(second[0:10] + second[13:20] + second[21:43])}"


SCRIPTED: tuple[ScriptedTraveller, ...] = (
    ScriptedTraveller(
        "in_country", "In the country within her stay (entered SJO 12 days ago, 90 days granted)",
        "MEX", "Hernández Solís", "Valeria Guadalupe", "F", date(1991, 4, 17), "G31415926", date(2032, 9, 30),
    ),
    ScriptedTraveller(
        "overstay", "Overstaying (entered LIR 150 days ago with 90 days, never left)",
        "GBR", "Bennett", "Oliver James", "M", date(1984, 11, 2), "533812940", date(2033, 5, 19),
    ),
    ScriptedTraveller(
        "expired", "Passport expired on 2026-06-30 (one earlier trip through Peñas Blancas)",
        "NIC", "López Mairena", "Yader Antonio", "M", date(1979, 8, 23), "C01234567", date(2026, 6, 30),
    ),
    ScriptedTraveller(
        "bad_check_digit", "Wrong check digit in the document number (not stored: shows the error display)",
        "COL", "Vargas Rojas", "Camila Andrea", "F", date(1996, 2, 29), "AV4471230", date(2030, 1, 15),
        stored=False, bad_check_digit=True,
    ),
    ScriptedTraveller(
        "watchlist_hit",
        "On a watchlist (wanted; the alert spells his name differently): the desk shows a hit",
        "VEN", "Rondón Carrasquero", "Yorman José", "M", date(1988, 7, 9), "134592817", date(2031, 3, 4),
        stored=False,
    ),
)  # fmt: skip

_SCRIPTED_NAMESPACE = uuid.UUID("8f0c7a52-3c1e-4a43-9a57-2f7f4a1c0d11")


def _scripted_id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(_SCRIPTED_NAMESPACE, ":".join(str(p) for p in parts))


def scripted_people(context: DemoContext) -> list[Person]:
    """The stored scripted travellers with their histories, placed relative to the demo year's end."""
    people = []
    year_end = context.year_end

    def at(post: str, day: date, hour: int, minute: int) -> datetime:
        zone = ZoneInfo(context.posts[post][1])
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)

    def days_for(nationality: str) -> int:
        rule = context.rules.get((nationality, "tourist"))
        return min(rule.days_per_entry, rule.window_days or rule.days_per_entry) if rule else 90

    for scripted in SCRIPTED:
        if not scripted.stored:
            continue
        mrz = scripted.mrz()
        surname, given = _mrz_names(mrz, "TD3")
        # (entry post, entry day, flight, exit day or None)
        trip: tuple[str, date, str, date | None]
        if scripted.key == "in_country":
            trip = (context.post_for("SJO"), year_end - timedelta(days=12), "AM650", None)
        elif scripted.key == "overstay":
            trip = (context.post_for("LIR"), year_end - timedelta(days=150), "BA2231", None)
        else:
            entered = scripted.expiry_date - timedelta(days=120)
            trip = (context.post_for("PBL"), entered, "TICA BUS", entered + timedelta(days=18))
        post, entered_on, reference, left_on = trip
        traveller_id = _scripted_id(scripted.key, "traveller")
        document_id = _scripted_id(scripted.key, "document")
        device = f"{post}-01"
        entry_at = at(post, entered_on, 14, 35)
        person = Person(
            TravellerRow(
                id=traveller_id,
                surname=surname,
                given_names=given,
                birth_date=scripted.birth_date,
                sex=scripted.sex,
                nationality_id=scripted.nationality,
                device_id=device,
                created_at=entry_at,
            ),
            flow="scripted",
        )
        person.documents.append(
            DocumentRow(
                id=document_id,
                traveller_id=traveller_id,
                document_code="P",
                issuing_state_id=scripted.nationality,
                number=scripted.number,
                surname=surname,
                given_names=given,
                nationality_id=scripted.nationality,
                birth_date=scripted.birth_date,
                sex=scripted.sex,
                expiry_date=scripted.expiry_date,
                mrz=mrz,
                device_id=device,
                created_at=entry_at,
            )
        )
        if context.year_start <= entered_on and entry_at <= context.latest:
            officer = context.officers[post][0]
            kind = context.posts[post][0]
            entry = CrossingRow(
                id=_scripted_id(scripted.key, "entry"),
                traveller_id=traveller_id,
                document_id=document_id,
                direction="entry",
                post_id=post,
                occurred_at=entry_at,
                officer_id=officer,
                transport=_TRANSPORT[kind],
                transport_reference=reference,
                decision="admitted",
                note="",
                device_id=device,
                created_at=entry_at,
            )
            days = days_for(scripted.nationality)
            person.crossings.append(entry)
            person.stays.append(
                StayRow(
                    id=_scripted_id(scripted.key, "stay"),
                    traveller_id=traveller_id,
                    entry_id=entry.id,
                    category_id="tourist",
                    granted_days=days,
                    authorised_until=entered_on + timedelta(days=days - 1),
                    device_id=device,
                    created_at=entry_at,
                )
            )
            exit_at = at(post, left_on, 10, 5) if left_on is not None else None
            if exit_at is not None and exit_at <= context.latest:
                person.crossings.append(
                    entry._replace(
                        id=_scripted_id(scripted.key, "exit"),
                        direction="exit",
                        occurred_at=exit_at,
                        created_at=exit_at,
                    )
                )
        people.append(person)
    return people


# --- loading ----------------------------------------------------------------------------------------------

# The demo logins: (username, role, post the flows call it by). The password is the username.
DEMO_LOGINS: tuple[tuple[str, str, str | None], ...] = (
    ("admin", "administrator", None),
    ("oficial", "officer", "SJO"),
    ("oficial2", "officer", "PBL"),
    ("supervisora", "supervisor", "SJO"),
    ("analista", "analyst", None),
    ("auditora", "auditor", None),
    ("listas", "watchlist_manager", None),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    post: str | None
    created: bool


@dataclass
class DemoLoad:
    """What a demo load wrote, for the command to print and the benchmark to report."""

    year_start: date
    year_end: date
    travellers: int = 0
    documents: int = 0
    crossings: int = 0
    stays: int = 0
    refused: int = 0
    referred: int = 0
    seconds: float = 0.0
    complete: bool = False


class DemoError(Exception):
    """The demo cannot load into this database; the message says why and what to do."""


def demo_users_ensure() -> list[DemoLogin]:
    """The demo logins (password = username) and one officer per post, created where missing.

    The per-post officers (`oficial.sjo`...) record the generated crossings; they cannot log in.
    """
    from corredor.core.models import BorderPost, User

    posts = dict(BorderPost.objects.filter(active=True).values_list("code", "kind"))
    if not posts:
        raise DemoError("There are no active border posts; load them with `corredor refdata load`.")
    existing = set(User.objects.values_list("username", flat=True))
    logins = []
    for username, role, post in DEMO_LOGINS:
        post_code = stand_in_post(post, posts) if post else None
        created = username not in existing
        if created:
            User.objects.create_user(
                username,
                password=username,
                role=role,
                border_post_id=post_code,
                is_staff=role == "administrator",
                is_superuser=role == "administrator",
            )
        logins.append(DemoLogin(username, role, post_code, created))
    for code in posts:
        username = f"oficial.{code.lower()}"
        if username not in existing:
            User.objects.create_user(username, password=None, role="officer", border_post_id=code)
    return logins


def demo_logins_existing() -> list[DemoLogin]:
    """The demo logins that exist (nothing is created: a database in use gets no demo passwords)."""
    from corredor.core.models import User

    names = [username for username, _, _ in DEMO_LOGINS]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    return [
        DemoLogin(name, users[name].role, users[name].border_post_id, created=False)
        for name in names
        if name in users
    ]


def demo_context(*, year_end: date, now: datetime) -> DemoContext:
    """Read what the generator needs: posts, the stay rule for every nationality and category it uses."""
    from django.conf import settings

    from corredor.border.models import TravelDocument
    from corredor.border.selectors import stay_rule_for
    from corredor.core.models import BorderPost, StayCategory, User

    posts = {
        code: (kind, tz)
        for code, kind, tz in BorderPost.objects.filter(active=True).values_list("code", "kind", "timezone")
    }
    officers: dict[str, list[int]] = {code: [] for code in posts}
    for user_id, post in User.objects.filter(role="officer", border_post__in=posts).values_list(
        "id", "border_post_id"
    ):
        officers[post].append(user_id)
    for post, names in officers.items():
        if not names:
            raise DemoError(f"Post {post} has no officer; run the demo's user set-up first.")
        names.sort()
    categories = {c.code: (c.default_days, c.open_ended) for c in StayCategory.objects.all()}
    country = settings.CORREDOR_COUNTRY
    pairs = {(n, c) for flow in FLOWS for n, _ in flow.nationalities for c, _ in flow.categories}
    pairs |= {(country, "national")} | {(s.nationality, "tourist") for s in SCRIPTED}
    by_code = {c.code: c for c in StayCategory.objects.filter(code__in={c for _, c in pairs})}
    rules: dict[tuple[str, str], stay_rules.Rule | None] = {}
    for nationality, code in sorted(pairs):
        rule = stay_rule_for(nationality=nationality, category=by_code[code])
        rules[(nationality, code)] = (
            None
            if rule is None
            else stay_rules.Rule(rule.days_per_entry, rule.window_days, rule.window_length)
        )
    end_of_year_end = datetime(
        year_end.year, year_end.month, year_end.day, tzinfo=ZoneInfo(settings.TIME_ZONE)
    )
    latest = min(now, (end_of_year_end + timedelta(days=1) - timedelta(seconds=1)).astimezone(UTC))
    taken = frozenset(TravelDocument.objects.values_list("issuing_state_id", "number"))
    reserved = frozenset((s.nationality, s.number) for s in SCRIPTED)
    return DemoContext(
        country=country,
        year_end=year_end,
        latest=latest,
        posts=posts,
        rules=rules,
        categories=categories,
        officers={post: tuple(names) for post, names in officers.items()},
        taken_numbers=taken | reserved,
    )


def _utc_text(value: datetime) -> str:
    # As Django's SQLite backend stores an aware datetime: naive UTC, str() form.
    return str(value.astimezone(UTC).replace(tzinfo=None))


def _sqlite_converter(model_field: Any) -> Callable[[Any], Any] | None:
    target = model_field.target_field if model_field.is_relation else model_field
    kind = target.get_internal_type()
    if kind == "UUIDField":
        return lambda value: None if value is None else value.hex
    if kind == "DateTimeField":
        return lambda value: None if value is None else _utc_text(value)
    if kind == "DateField":
        return lambda value: None if value is None else value.isoformat()
    return None


def _converted(index: int, convert: Callable[[Any], Any]) -> Callable[[Sequence[Any]], Any]:
    return lambda row: convert(row[index])


def _constant(value: Any) -> Callable[[Sequence[Any]], Any]:
    return lambda row: value


class _SqliteWriter:
    """Inserts rows (named tuples whose fields are the model's attnames) with one `executemany`, converting
    values as Django's SQLite backend does and filling the other columns with their defaults.

    Building a model instance per row and compiling multi-row INSERTs is most of the cost of bulk_create;
    skipping both makes a million-crossing load several times faster. Other databases use bulk_create.
    """

    def __init__(self, model: Any, row_fields: Sequence[str], connection: Any) -> None:
        quote = connection.ops.quote_name
        fields = model._meta.concrete_fields
        self.sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        getters: list[Callable[[Sequence[Any]], Any]] = []
        for model_field in fields:
            if model_field.attname in row_fields:
                index = row_fields.index(model_field.attname)
                convert = _sqlite_converter(model_field)
                getters.append(operator.itemgetter(index) if convert is None else _converted(index, convert))
            else:
                default = model_field.get_db_prep_save(model_field.get_default(), connection)
                getters.append(_constant(default))
        self.getters = getters

    def write(self, cursor: Any, rows: Sequence[Sequence[Any]]) -> None:
        getters = self.getters
        cursor.executemany(self.sql, [tuple([get(row) for get in getters]) for row in rows])


_ROW_TYPES: tuple[tuple[str, type], ...] = (
    ("traveller", TravellerRow),
    ("document", DocumentRow),
    ("crossing", CrossingRow),
    ("stay", StayRow),
)


class _Writer:
    """Writes people in batches, one transaction each: by executemany on SQLite, by bulk_create elsewhere."""

    def __init__(self, load: DemoLoad) -> None:
        from django.db import connection

        from corredor.border.models import Crossing, Stay, TravelDocument, Traveller

        self.load = load
        self.connection = connection
        self.models: dict[str, type[Model]] = {
            "traveller": Traveller,
            "document": TravelDocument,
            "crossing": Crossing,
            "stay": Stay,
        }
        self.sqlite: dict[str, _SqliteWriter] = {}
        if connection.vendor == "sqlite":
            self.sqlite = {
                key: _SqliteWriter(self.models[key], row_type._fields, connection)  # type: ignore[attr-defined]
                for key, row_type in _ROW_TYPES
            }

    def write(self, people: Sequence[Person]) -> None:
        from django.db import transaction

        rows: dict[str, list[Any]] = {"traveller": [], "document": [], "crossing": [], "stay": []}
        for person in people:
            rows["traveller"].append(person.traveller)
            rows["document"].extend(person.documents)
            rows["crossing"].extend(person.crossings)
            rows["stay"].extend(person.stays)
        with transaction.atomic():
            if self.sqlite:
                with self.connection.cursor() as cursor:
                    for key, _ in _ROW_TYPES:
                        self.sqlite[key].write(cursor, rows[key])
            else:
                for key, _ in _ROW_TYPES:
                    model = self.models[key]
                    model._default_manager.bulk_create(
                        [model(**row._asdict()) for row in rows[key]], batch_size=1000
                    )
        load = self.load
        load.travellers += len(rows["traveller"])
        load.documents += len(rows["document"])
        load.crossings += len(rows["crossing"])
        load.stays += len(rows["stay"])
        for crossing in rows["crossing"]:
            if crossing.decision == "refused":
                load.refused += 1
            elif crossing.decision == "referred":
                load.referred += 1


def demo_load(
    *,
    travellers: int,
    seed: int,
    year_end: date,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 2000,
) -> DemoLoad:
    """Load a synthetic year ending on `year_end` into a database that holds no crossings yet.

    Writes `batch` travellers per transaction, then one audit entry for the whole load (also when the load
    is interrupted: the entry then says how far it got).
    """
    from django.conf import settings
    from django.db import connection

    from corredor.border.models import Crossing, Traveller
    from corredor.core import reference
    from corredor.core.audit import audit_write
    from corredor.core.models import BorderPost, StayRule

    now = now or datetime.now(UTC)
    if year_end > now.astimezone(ZoneInfo(settings.TIME_ZONE)).date():
        raise DemoError(f"The demo year cannot end in the future ({year_end}).")
    if Crossing.objects.exists():
        raise DemoError(
            "The database already holds crossings; the demo loads into an empty one. Use --if-empty to skip, "
            "or start from a new database (remove it and run `corredor migrate`)."
        )
    country = settings.CORREDOR_COUNTRY
    if country not in reference.POSTS and not BorderPost.objects.filter(active=True).exists():
        raise DemoError(f"Corredor ships no border posts for {country}; add some in the admin first.")
    reference.load_posts_and_rules(country=country, post_model=BorderPost, rule_model=StayRule)
    demo_users_ensure()
    context = demo_context(year_end=year_end, now=now)
    scripted = scripted_people(context)
    load = DemoLoad(year_start=context.year_start, year_end=year_end)
    started = time.perf_counter()
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            # A bigger page cache for the load: random UUID keys touch pages all over the indexes.
            cursor.execute("PRAGMA cache_size = -262144")
    try:
        writer = _Writer(load)
        # The scripted travellers have fixed ids: a database that kept them (crossings removed) keeps them.
        kept = set(
            Traveller.objects.filter(id__in=[p.traveller.id for p in scripted]).values_list("id", flat=True)
        )
        writer.write([person for person in scripted if person.traveller.id not in kept])
        people = generate(travellers=travellers, seed=seed, context=context)
        done = 0
        while done < travellers:
            pending = list(itertools.islice(people, batch))
            writer.write(pending)
            done += len(pending)
            if progress:
                progress(done, travellers)
        load.complete = True
    finally:
        load.seconds = time.perf_counter() - started
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -2000")
        if load.crossings or load.travellers:
            audit_write(
                action="bulk",
                object_type="border.crossing",
                object_id="demo",
                summary=(
                    f"demo load{'' if load.complete else ' (interrupted)'}: seed {seed}, year "
                    f"{load.year_start}..{load.year_end}, {load.travellers} travellers, {load.documents} "
                    f"documents, {load.crossings} crossings, {load.stays} stays"
                ),
            )
    return load
