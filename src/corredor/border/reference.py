"""The border's reference data: the refusal grounds every country starts with (modelled on the Schengen
Borders Code's refusal form, Annex V part B, grounds A to J) and the border policies of the countries whose
rules we know (Costa Rica and Guatemala require an exit permit for a national minor leaving). Loaded by the
migration, and again by whoever empties the tables (a test that flushes the database). Both are data: a
country edits its own list and policy in the admin."""

from typing import Any

from django.utils.translation import gettext_noop

GROUNDS = [
    (
        "A",
        "No tiene un documento de viaje válido.",
        gettext_noop("Has no valid travel document."),
        "N'est pas en possession d'un document de voyage valable.",
    ),
    (
        "B",
        "Tiene un documento de viaje falso, falsificado o alterado.",
        gettext_noop("Has a false, counterfeit or forged travel document."),
        "Est en possession d'un document de voyage faux, contrefait ou falsifié.",
    ),
    (
        "C",
        "No tiene una visa o un permiso de residencia válidos.",
        gettext_noop("Has no valid visa or residence permit."),
        "N'est pas en possession d'un visa ou d'un titre de séjour valable.",
    ),
    (
        "D",
        "Tiene una visa o un permiso de residencia falsos, falsificados o alterados.",
        gettext_noop("Has a false, counterfeit or forged visa or residence permit."),
        "Est en possession d'un visa ou d'un titre de séjour faux, contrefait ou falsifié.",
    ),
    (
        "E",
        "No justifica el propósito ni las condiciones de la estancia.",
        gettext_noop("Has no documents justifying the purpose and conditions of stay."),
        "N'est pas en possession des documents justifiant l'objet et les conditions du séjour.",
    ),
    (
        "F",
        "Ya permaneció el máximo de días permitido.",
        gettext_noop("Has already stayed for the maximum period allowed."),
        "A déjà séjourné pendant la durée maximale autorisée.",
    ),
    (
        "G",
        "No dispone de medios de subsistencia suficientes.",
        gettext_noop("Does not have sufficient means of subsistence."),
        "Ne dispose pas de moyens de subsistance suffisants.",
    ),
    (
        "H",
        "Tiene una alerta a efectos de denegación de entrada.",
        gettext_noop("Is the subject of an alert for the purpose of refusing entry."),
        "Fait l'objet d'un signalement aux fins de non-admission.",
    ),
    (
        "I",
        "Se considera una amenaza para el orden público, la seguridad interior, la salud pública o las "
        "relaciones internacionales.",
        gettext_noop(
            "Is considered a threat to public policy, internal security, public health or international "
            "relations."
        ),
        "Est considéré comme une menace pour l'ordre public, la sécurité intérieure, la santé publique ou "
        "les relations internationales.",
    ),
    (
        "J",
        "No tiene la autorización de viaje electrónica exigida.",
        gettext_noop("Has no valid electronic travel authorisation where one is required."),
        "N'est pas en possession de l'autorisation de voyage électronique requise.",
    ),
]

EXIT_PERMIT_COUNTRIES = ["CRI", "GTM"]


def load_border_reference(*, ground_model: Any, policy_model: Any, country_model: Any) -> None:
    """Create or refresh the common refusal grounds and the known countries' policies (idempotent)."""
    RefusalGround, BorderPolicy, Country = ground_model, policy_model, country_model
    for code, es, en, fr in GROUNDS:
        RefusalGround.objects.update_or_create(
            country=None, code=code, defaults={"name_es": es, "name_en": en, "name_fr": fr}
        )
    for country in EXIT_PERMIT_COUNTRIES:
        if Country.objects.filter(code=country).exists():
            BorderPolicy.objects.update_or_create(country_id=country, defaults={"minor_exit_permit": True})
