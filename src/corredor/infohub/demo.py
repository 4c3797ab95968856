# ruff: noqa: E501  (the demo's texts in five languages read better as whole sentences)
"""The hub's demo: two information editors, the entry guide's texts, about 60 services around Costa Rica's
real border posts and cities (places and kinds are real; names are generic and no phone number is
invented), two alerts, visa requirements and remittance prices (illustrative figures in the shape of the
World Bank's Remittance Prices Worldwide), then bundle 1, which `make run` loads into the hub.

Every service goes through the same review as an editor's: drafted by one editor, approved by the other.
"""

import random
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

from corredor.core.models import Role, User
from corredor.infohub import services
from corredor.infohub.models import Service

DATA = Path(__file__).parent / "data"
EDITORS = (("editora", "Editora"), ("revisor", "Revisor"))

# (city, nearest border post or "", latitude, longitude, kinds, extra languages spoken)
PLACES: list[tuple[str, str, float, float, list[str], list[str]]] = [
    (
        "Peñas Blancas",
        "PBL",
        11.2136,
        -85.6126,
        ["migration_office", "shelter", "health", "information", "legal_aid", "consulate"],
        ["en", "fr", "ht"],
    ),
    ("La Cruz", "PBL", 11.0733, -85.6297, ["shelter", "health", "information"], ["en"]),
    (
        "Liberia",
        "LIR",
        10.6350,
        -85.4377,
        ["migration_office", "health", "legal_aid", "consulate", "shelter", "information"],
        ["en"],
    ),
    ("Los Chiles", "LCH", 11.0333, -84.7150, ["migration_office", "shelter", "health", "information"], []),
    ("Upala", "", 10.8986, -85.0167, ["health", "shelter", "information"], []),
    (
        "San José",
        "SJO",
        9.9281,
        -84.0907,
        ["migration_office", "legal_aid", "consulate", "health", "shelter", "information"],
        ["en", "fr", "ht", "pt"],
    ),
    ("Alajuela", "SJO", 10.0163, -84.2116, ["migration_office", "health", "shelter"], ["en"]),
    ("Heredia", "", 9.9981, -84.1167, ["legal_aid", "health"], ["en"]),
    (
        "Paso Canoas",
        "PCN",
        8.5331,
        -82.8366,
        ["migration_office", "shelter", "health", "information", "legal_aid", "consulate"],
        ["en", "fr", "ht", "pt"],
    ),
    ("Ciudad Neily", "PCN", 8.6500, -82.9333, ["health", "shelter", "information"], ["en"]),
    (
        "Sixaola",
        "SIX",
        9.5229,
        -82.6203,
        ["migration_office", "shelter", "health", "information", "legal_aid"],
        ["en"],
    ),
    ("Limón", "LIO", 9.9907, -83.0360, ["migration_office", "health", "legal_aid", "shelter"], ["en"]),
    ("San Vito", "SAB", 8.8210, -82.9700, ["migration_office", "health", "shelter"], []),
    ("Puntarenas", "PUN", 9.9763, -84.8384, ["migration_office", "health", "shelter"], ["en"]),
    ("Golfito", "GLF", 8.6405, -83.1665, ["migration_office", "health", "information"], ["en"]),
]

NAMES = {
    "shelter": "Albergue temporal para personas migrantes",
    "health": "Servicio de salud (EBAIS)",
    "migration_office": "Oficina de Migración (DGME)",
    "information": "Punto de información para personas migrantes",
    "legal_aid": "Orientación legal gratuita",
    "consulate": "Consulado",
}
CONSULATES = {"Peñas Blancas": "NIC", "Liberia": "NIC", "San José": "NIC", "Paso Canoas": "PAN"}
CONSULATE_NAMES = {"NIC": "Consulado de Nicaragua", "PAN": "Consulado de Panamá"}

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "shelter": {
        "es": "Alojamiento temporal, comida y duchas para personas migrantes y sus familias.",
        "en": "Temporary lodging, food and showers for migrants and their families.",
        "fr": "Hébergement temporaire, repas et douches pour les personnes migrantes et leurs familles.",
        "ht": "Kote pou dòmi pou yon ti tan, manje ak douch pou migran ak fanmi yo.",
        "pt": "Alojamento temporário, comida e chuveiros para pessoas migrantes e suas famílias.",
    },
    "health": {
        "es": "Atención médica básica, vacunas y primeros auxilios. Las emergencias se atienden siempre.",
        "en": "Basic medical care, vaccines and first aid. Emergencies are always treated.",
        "fr": "Soins médicaux de base, vaccins et premiers secours. Les urgences sont toujours soignées.",
    },
    "migration_office": {
        "es": "Trámites migratorios: prórroga de la estancia, solicitud de refugio, regularización.",
        "en": "Immigration procedures: extending a stay, asking for asylum, regularisation.",
        "fr": "Démarches migratoires : prolonger un séjour, demander l'asile, régularisation.",
        "ht": "Demach imigrasyon: pwolonje sejou, mande azil, regilarize papye.",
    },
    "information": {
        "es": "Información sobre rutas seguras, trámites y servicios, y llamada telefónica gratis.",
        "en": "Information on safe routes, procedures and services, and a free phone call.",
        "fr": "Informations sur les routes sûres, les démarches et les services, et un appel gratuit.",
        "ht": "Enfòmasyon sou wout ki san danje, demach ak sèvis, epi yon apèl telefòn gratis.",
        "pt": "Informação sobre rotas seguras, trâmites e serviços, e uma chamada telefónica grátis.",
    },
    "legal_aid": {
        "es": "Orientación legal gratuita sobre refugio, regularización y derechos laborales.",
        "en": "Free legal advice on asylum, regularisation and workers' rights.",
        "fr": "Conseil juridique gratuit sur l'asile, la régularisation et le droit du travail.",
    },
    "consulate": {
        "es": "Documentos de viaje, registro consular y asistencia a sus nacionales.",
        "en": "Travel documents, consular registration and help for its nationals.",
        "fr": "Documents de voyage, inscription consulaire et assistance à ses ressortissants.",
    },
}
HOURS = {
    "shelter": "24/7",
    "health": "Mo-Fr 07:00-16:00",
    "migration_office": "Mo-Su 06:00-22:00",
    "information": "Mo-Sa 08:00-18:00",
    "legal_aid": "Mo-Fr 08:00-16:00",
    "consulate": "Mo-Fr 08:00-15:00",
}

TOPICS: list[tuple[str, dict[str, str], dict[str, str]]] = [
    (
        "documents",
        {
            "es": "Qué documentos llevar",
            "en": "Which documents to carry",
            "fr": "Quels documents emporter",
            "ht": "Ki papye pou w pote",
            "pt": "Que documentos levar",
        },
        {
            "es": "Un pasaporte vigente (o el documento que acepte su país de destino), la visa si la necesita, "
            "y un boleto o medios para seguir su viaje. Guarde una copia de sus documentos separada del original.",
            "en": "A valid passport (or the document your destination accepts), the visa if you need one, and a "
            "ticket or the means to continue your journey. Keep a copy of your documents apart from the originals.",
            "fr": "Un passeport valide (ou le document accepté par votre destination), le visa s'il vous en faut "
            "un, et un billet ou les moyens de poursuivre votre voyage. Gardez une copie de vos documents à part.",
            "ht": "Yon paspò ki bon (oswa papye peyi kote w prale a aksepte), viza a si w bezwen l, ak yon tikè "
            "oswa mwayen pou w kontinye vwayaj ou. Kenbe yon kopi papye w yo apa orijinal yo.",
        },
    ),
    (
        "extend",
        {
            "es": "Cómo prorrogar la estancia",
            "en": "How to extend a stay",
            "fr": "Prolonger un séjour",
            "ht": "Kijan pou pwolonje sejou w",
        },
        {
            "es": "Pida la prórroga en una oficina de la Dirección General de Migración y Extranjería (DGME) "
            "antes de que termine su estancia. Después de la fecha, la permanencia es irregular.",
            "en": "Ask for an extension at an office of the Directorate General of Migration (DGME) before your "
            "stay ends. After that date, your stay is irregular.",
            "fr": "Demandez la prolongation dans un bureau de la Direction générale des migrations (DGME) avant "
            "la fin de votre séjour. Après cette date, le séjour est irrégulier.",
            "ht": "Mande pwolongasyon an nan yon biwo Direksyon Jeneral Migrasyon (DGME) anvan sejou w fini. "
            "Apre dat la, ou pa an règ.",
        },
    ),
    (
        "regularise",
        {
            "es": "Cómo regularizar su situación",
            "en": "How to regularise your status",
            "fr": "Régulariser sa situation",
            "ht": "Kijan pou regilarize papye w",
        },
        {
            "es": "Si su estancia terminó o entró sin registrarse, acuda a la DGME: hay categorías especiales para trabajadores, familias y personas que no pueden volver a su país.",
            "en": "If your stay has ended or you entered without being recorded, go to the DGME: there are special categories for workers, families and people who cannot go back to their country.",
            "fr": "Si votre séjour est terminé ou si vous êtes entré sans être enregistré, adressez-vous à la DGME : il existe des catégories spéciales pour les travailleurs, les familles et les personnes qui ne peuvent pas rentrer.",
            "ht": "Si sejou w fini oswa si w te antre san yo pa t anrejistre w, ale nan DGME: gen kategori espesyal pou travayè, fanmi ak moun ki pa ka retounen nan peyi yo.",
        },
    ),
    (
        "asylum",
        {
            "es": "Cómo pedir refugio",
            "en": "How to ask for asylum",
            "fr": "Demander l'asile",
            "ht": "Kijan pou mande azil",
            "pt": "Como pedir refúgio",
        },
        {
            "es": "Si su vida o su libertad corren peligro en su país, puede pedir refugio en la frontera o en la "
            "Unidad de Refugio de la DGME. Es gratuito. Nadie puede devolverle a un país donde corre peligro.",
            "en": "If your life or freedom is in danger in your country, you can ask for asylum at the border or "
            "at the DGME's Refugee Unit. It is free. Nobody may send you back to a country where you are in danger.",
            "fr": "Si votre vie ou votre liberté est en danger dans votre pays, vous pouvez demander l'asile à la "
            "frontière ou à l'Unité des réfugiés de la DGME. C'est gratuit. Nul ne peut vous renvoyer là où vous "
            "êtes en danger.",
            "ht": "Si lavi w oswa libète w an danje nan peyi w, ou ka mande azil sou fwontyè a oswa nan Inite "
            "Refijye DGME a. Li gratis. Pèsonn pa ka voye w tounen nan yon peyi kote w an danje.",
            "pt": "Se a sua vida ou liberdade corre perigo no seu país, pode pedir refúgio na fronteira ou na "
            "Unidade de Refúgio da DGME. É gratuito. Ninguém pode devolvê-lo a um país onde corre perigo.",
        },
    ),
    (
        "rights",
        {
            "es": "Sus derechos y dónde quejarse",
            "en": "Your rights and where to complain",
            "fr": "Vos droits et où vous plaindre",
        },
        {
            "es": "Tiene derecho a atención de emergencia, a un trato digno y a la información en un idioma que "
            "entienda. Puede presentar una queja ante la Defensoría de los Habitantes.",
            "en": "You have the right to emergency care, to be treated with dignity and to information in a "
            "language you understand. You can complain to the Ombudsman's Office (Defensoría de los Habitantes).",
            "fr": "Vous avez droit aux soins d'urgence, à un traitement digne et à l'information dans une langue "
            "que vous comprenez. Vous pouvez porter plainte auprès du Défenseur des habitants.",
        },
    ),
    (
        "trafficking",
        {
            "es": "Trata y tráfico de personas",
            "en": "Trafficking and smuggling",
            "fr": "Traite et trafic de personnes",
            "ht": "Trafik moun",
        },
        {
            "es": "Si alguien le quita sus documentos, le obliga a trabajar o le cobra una deuda por el viaje, "
            "llame al 911. La ayuda es gratuita y confidencial.",
            "en": "If someone takes your documents, forces you to work or makes you pay off a debt for the "
            "journey, call 911. Help is free and confidential.",
            "fr": "Si quelqu'un vous prend vos documents, vous force à travailler ou vous fait payer une dette "
            "pour le voyage, appelez le 911. L'aide est gratuite et confidentielle.",
            "ht": "Si yon moun pran papye w, fòse w travay oswa fè w peye yon dèt pou vwayaj la, rele 911. "
            "Èd la gratis epi an konfidans.",
        },
    ),
    (
        "return",
        {
            "es": "Volver a casa (retorno voluntario asistido)",
            "en": "Going home (assisted voluntary return)",
            "fr": "Rentrer chez soi (retour volontaire assisté)",
        },
        {
            "es": "La OIM puede ayudarle a volver a su país de forma voluntaria y segura, y a empezar de nuevo. "
            "Pregunte en un punto de información.",
            "en": "IOM can help you go back to your country voluntarily and safely, and start again. Ask at an "
            "information point.",
            "fr": "L'OIM peut vous aider à rentrer dans votre pays de façon volontaire et sûre, et à "
            "recommencer. Renseignez-vous à un point d'information.",
        },
    ),
]

ALERTS: list[tuple[str, str, dict[str, str], dict[str, str], int]] = [
    (
        "weather",
        "Zona Sur: Paso Canoas, Ciudad Neily, Golfito",
        {
            "es": "Lluvias fuertes y crecidas de ríos en la Zona Sur",
            "en": "Heavy rain and rivers rising in the South",
            "fr": "Fortes pluies et crues dans le Sud",
            "ht": "Gwo lapli ak rivyè k ap monte nan Sid la",
        },
        {
            "es": "No cruce ríos ni quebradas a pie. Los albergues de Paso Canoas y Ciudad Neily están abiertos.",
            "en": "Do not cross rivers or streams on foot. The shelters in Paso Canoas and Ciudad Neily are open.",
            "fr": "Ne traversez pas les rivières à pied. Les refuges de Paso Canoas et Ciudad Neily sont ouverts.",
            "ht": "Pa travèse rivyè a pye. Abri yo nan Paso Canoas ak Ciudad Neily louvri.",
        },
        5,
    ),
    (
        "scam",
        "Todo el país",
        {
            "es": "Nadie puede venderle una cita de Migración",
            "en": "Nobody can sell you an immigration appointment",
            "fr": "Personne ne peut vous vendre un rendez-vous de l'immigration",
            "ht": "Pèsonn pa ka vann ou yon randevou imigrasyon",
            "pt": "Ninguém pode vender-lhe uma marcação da Migração",
        },
        {
            "es": "Las citas y los trámites de la DGME no tienen intermediarios. Si le piden dinero, denúncielo.",
            "en": "DGME appointments and procedures have no middlemen. If someone asks you for money, report it.",
            "fr": "Les rendez-vous et démarches de la DGME n'ont pas d'intermédiaires. Si on vous demande de "
            "l'argent, signalez-le.",
            "ht": "Randevou ak demach DGME yo pa gen koutye. Si yon moun mande w lajan, denonse l.",
            "pt": "As marcações e trâmites da DGME não têm intermediários. Se lhe pedirem dinheiro, denuncie.",
        },
        30,
    ),
]

# Visa requirements for entering Costa Rica (demo: a sample of its visa groups; editors keep the full list).
VISA_EXEMPT = ["USA", "CAN", "MEX", "PAN", "BRA", "ARG", "CHL", "ESP", "FRA", "D", "GBR", "ITA", "NLD", "URY"]
VISA_REQUIRED = ["NIC", "HTI", "CUB", "VEN", "COL", "DOM", "CHN", "IND"]


def _editors() -> tuple[User, User]:
    made = []
    for username, first_name in EDITORS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username, password=username, role=Role.INFORMATION_EDITOR, first_name=first_name
            )
        made.append(user)
    return made[0], made[1]


def _offset(rng: random.Random) -> float:
    # Services of one town are spread over a few hundred metres, so that their markers do not overlap.
    return rng.uniform(-0.006, 0.006)


def seed(*, rng: random.Random, now: datetime | None = None) -> str:
    """Seed the hub's demo content and publish bundle 1; returns one line for the demo command."""
    now = now or timezone.now()
    editor, reviewer = _editors()
    for order, (slug, title, body) in enumerate(TOPICS):
        services.topic_save(user=editor, slug=slug, title=title, body=body, sort_order=order)
    made = 0
    for city, post, lat, lon, kinds, languages in PLACES:
        for kind in kinds:
            name = NAMES[kind]
            if kind == "consulate":
                name = CONSULATE_NAMES[CONSULATES.get(city, "NIC")]
            service = services.service_save(
                user=editor,
                kind=kind,
                name=f"{name} — {city}",
                description=DESCRIPTIONS[kind],
                city=city,
                near_post=post,
                address=city,
                phone="911" if kind == "health" else "",
                hours=HOURS[kind],
                languages=["es", *languages],
                latitude=round(lat + _offset(rng), 5),
                longitude=round(lon + _offset(rng), 5),
            )
            services.service_submit(user=editor, service=service)
            services.service_review(user=reviewer, service=service, approve=True)
            made += 1
    for kind, area, title, body, days in ALERTS:
        services.alert_save(
            user=editor,
            kind=kind,
            area=area,
            title=title,
            body=body,
            starts_at=now - timedelta(hours=2),
            expires_at=now + timedelta(days=days),
        )
    for code in VISA_EXEMPT:
        services.visa_set(user=editor, nationality=code, visa_required=False)
    for code in VISA_REQUIRED:
        services.visa_set(
            user=editor,
            nationality=code,
            visa_required=True,
            note={
                "es": "Pida la visa consular en un consulado de Costa Rica antes de viajar.",
                "en": "Apply for a consular visa at a Costa Rican consulate before you travel.",
                "fr": "Demandez le visa consulaire dans un consulat du Costa Rica avant de partir.",
                "ht": "Mande viza konsila a nan yon konsila Kosta Rika anvan ou vwayaje.",
            },
        )
    prices = services.remittances_import(
        user=editor,
        data=(DATA / "remittances_demo_rpw.csv").read_bytes(),
        source_name="remittances_demo_rpw.csv",
    )
    record, _data = services.bundle_publish(user=editor)
    return (
        f"Information hub: {made} services ({Service.objects.filter(status='published').count()} published), "
        f"{len(TOPICS)} guide topics, {len(ALERTS)} alerts, {len(prices.rows)} remittance prices; bundle "
        f"{record.sequence} published (logins: editora, revisor)."
    )
