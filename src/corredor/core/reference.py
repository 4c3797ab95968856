"""Reference data shipped with Corredor: countries, stay categories, common areas, and per deploying
country its border posts and stay rules. Loaders take the model classes so that migrations can use them
with historical models."""

import gettext
from typing import Any

import pycountry
from django.utils.translation import gettext_noop

from corredor.icao import ICAO_SPECIAL_CODES

# (code, name_es, name_en, name_fr, default_days, open_ended)
STAY_CATEGORIES = [
    ("tourist", "Turista", gettext_noop("Tourist"), "Touriste", 90, False),
    ("business", "Negocios", gettext_noop("Business"), "Affaires", 30, False),
    ("transit", "Tránsito", gettext_noop("Transit"), "Transit", 3, False),
    ("student", "Estudiante", gettext_noop("Student"), "Étudiant", 365, False),
    ("worker", "Trabajador", gettext_noop("Worker"), "Travailleur", 365, False),
    (
        "humanitarian",
        "Visitante por razones humanitarias",
        gettext_noop("Humanitarian"),
        "Humanitaire",
        365,
        False,
    ),
    ("crew", "Tripulación", gettext_noop("Crew"), "Équipage", 7, False),
    ("resident", "Residente", gettext_noop("Resident"), "Résident", 0, True),
    (
        "asylum",
        "Refugiado o solicitante de asilo",
        gettext_noop("Refugee or asylum seeker"),
        "Réfugié ou demandeur d'asile",
        0,
        True,
    ),
    ("national", "Nacional", gettext_noop("National"), "National", 0, True),
]

COMMON_AREAS = {
    "CA4": (("Área CA-4", gettext_noop("CA-4 area"), "Zone CA-4"), ["GTM", "SLV", "HND", "NIC"]),
}

# Per deploying country: border posts (code, kind, name_es, name_en, neighbour) and stay rules.
POSTS: dict[str, list[tuple[str, str, str, str, str | None]]] = {
    "CRI": [
        (
            "SJO",
            "airport",
            "Aeropuerto Internacional Juan Santamaría",
            "Juan Santamaría International Airport",
            None,
        ),
        (
            "LIR",
            "airport",
            "Aeropuerto Internacional Daniel Oduber Quirós",
            "Daniel Oduber Quirós International Airport",
            None,
        ),
        ("LIO", "airport", "Aeropuerto Internacional de Limón", "Limón International Airport", None),
        (
            "SYQ",
            "airport",
            "Aeropuerto Internacional Tobías Bolaños",
            "Tobías Bolaños International Airport",
            None,
        ),
        ("PBL", "land", "Peñas Blancas", "Peñas Blancas", "NIC"),
        ("LCH", "land", "Los Chiles - Las Tablillas", "Los Chiles - Las Tablillas", "NIC"),
        ("PCN", "land", "Paso Canoas", "Paso Canoas", "PAN"),
        ("SIX", "land", "Sixaola", "Sixaola", "PAN"),
        ("SAB", "land", "Sabalito", "Sabalito", "PAN"),
        ("PLM", "seaport", "Puerto Limón - Moín", "Port of Limón - Moín", None),
        ("PUN", "seaport", "Puerto de Puntarenas", "Port of Puntarenas", None),
        ("CAL", "seaport", "Puerto Caldera", "Port of Caldera", None),
        ("GLF", "seaport", "Puerto de Golfito", "Port of Golfito", None),
    ],
    "GTM": [
        ("GUA", "airport", "Aeropuerto Internacional La Aurora", "La Aurora International Airport", None),
        ("FRS", "airport", "Aeropuerto Internacional Mundo Maya", "Mundo Maya International Airport", None),
        ("TCU", "land", "Tecún Umán", "Tecún Umán", "MEX"),
        ("LME", "land", "La Mesilla", "La Mesilla", "MEX"),
        ("PAL", "land", "Pedro de Alvarado", "Pedro de Alvarado", "SLV"),
        ("AGC", "land", "Agua Caliente", "Agua Caliente", "HND"),
        ("FLO", "land", "El Florido", "El Florido", "HND"),
        ("PQZ", "seaport", "Puerto Quetzal", "Puerto Quetzal", None),
        ("STC", "seaport", "Puerto Santo Tomás de Castilla", "Port of Santo Tomás de Castilla", None),
    ],
}

TIME_ZONES = {"CRI": "America/Costa_Rica", "GTM": "America/Guatemala"}

# (name, category, nationality, nationality_area, days_per_entry, window_days, window_length, common_area)
RULES: dict[
    str, list[tuple[str, str | None, str | None, str | None, int, int | None, int | None, str | None]]
] = {
    "CRI": [
        ("Turista: 90 días por entrada, 180 en 365", "tourist", None, None, 90, 180, 365, None),
        ("Turista, Estados Unidos: 180 días por entrada", "tourist", "USA", None, 180, 180, 365, None),
        ("Turista, Canadá: 180 días por entrada", "tourist", "CAN", None, 180, 180, 365, None),
        ("Negocios: 30 días", "business", None, None, 30, None, None, None),
        ("Tránsito: 72 horas", "transit", None, None, 3, None, None, None),
    ],
    "GTM": [
        ("Turista: 90 días por entrada", "tourist", None, None, 90, 180, 365, None),
        ("CA-4: 90 días en el área", "tourist", None, "CA4", 90, None, None, "CA4"),
        ("Tránsito: 72 horas", "transit", None, None, 3, None, None, None),
    ],
}


def _translator(lang: str) -> Any:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def load_countries(country_model: Any) -> int:
    """Every ISO 3166 country and ICAO's own codes, with names in Spanish, English and French."""
    es, fr = _translator("es"), _translator("fr")
    rows: dict[str, Any] = {}
    for c in pycountry.countries:
        english = getattr(c, "common_name", None) or c.name
        code = "D" if c.alpha_3 == "DEU" else c.alpha_3
        rows[code] = country_model(
            code=code,
            alpha3=c.alpha_3,
            alpha2=c.alpha_2,
            name_en=english,
            name_es=es.gettext(c.name),
            name_fr=fr.gettext(c.name),
        )
    for code, english in ICAO_SPECIAL_CODES.items():
        if code not in rows:
            rows[code] = country_model(
                code=code, alpha3="", alpha2="", name_en=english, name_es=english, name_fr=english
            )
    existing = set(country_model.objects.values_list("code", flat=True))
    country_model.objects.bulk_create([row for code, row in rows.items() if code not in existing])
    return len(rows)


def load_categories_and_areas(category_model: Any, area_model: Any) -> None:
    for order, (code, es, en, fr, days, open_ended) in enumerate(STAY_CATEGORIES):
        category_model.objects.update_or_create(
            code=code,
            defaults={
                "name_es": es,
                "name_en": en,
                "name_fr": fr,
                "default_days": days,
                "open_ended": open_ended,
                "sort_order": order,
            },
        )
    for code, ((es, en, fr), members) in COMMON_AREAS.items():
        area, _ = area_model.objects.update_or_create(
            code=code, defaults={"name_es": es, "name_en": en, "name_fr": fr}
        )
        area.members.set(members)


def load_posts_and_rules(*, country: str, post_model: Any, rule_model: Any) -> tuple[int, int]:
    """The border posts and stay rules of the deploying country, where Corredor ships them."""
    posts = POSTS.get(country, [])
    for code, kind, es, en, neighbour in posts:
        post_model.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name_es": es,
                "name_en": en,
                "name_fr": en,
                "country_id": country,
                "timezone": TIME_ZONES.get(country, "UTC"),
                "neighbour_id": neighbour,
            },
        )
    rules = RULES.get(country, [])
    for name, category, nationality, nat_area, days, n, m, area in rules:
        rule_model.objects.update_or_create(
            name=name,
            defaults={
                "category_id": category,
                "nationality_id": nationality,
                "nationality_area_id": nat_area,
                "days_per_entry": days,
                "window_days": n,
                "window_length": m,
                "common_area_id": area,
            },
        )
    return len(posts), len(rules)
