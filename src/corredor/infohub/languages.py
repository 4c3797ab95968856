"""The hub's languages and the visible fallback when a text is not translated yet.

The hub speaks five languages, one more than the staff side (Portuguese, for the Brazilian-born children of
Haitian migrants and for Brazilians on the route). Django's own LANGUAGES list stays the staff side's; the
hub activates its language from the URL (`/hub/<lang>/...`), so the language cookie is the only one it sets.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# (code, name in the language itself): what the chooser lists, in this order.
HUB_LANGUAGES: list[tuple[str, str]] = [
    ("es", "Español"),
    ("en", "English"),
    ("fr", "Français"),
    ("ht", "Kreyòl ayisyen"),
    ("pt", "Português"),
]
HUB_LANGUAGE_CODES = [code for code, _name in HUB_LANGUAGES]
LOCAL_NAMES = dict(HUB_LANGUAGES)
DEFAULT_LANGUAGE = "es"

# Where a reader's language is missing, the closest one they are likely to read: Haitian Creole readers
# read French (Haiti's other official language), Portuguese readers Spanish.
FALLBACKS: dict[str, list[str]] = {
    "es": ["en", "fr", "pt", "ht"],
    "en": ["es", "fr", "pt", "ht"],
    "fr": ["en", "es", "ht", "pt"],
    "ht": ["fr", "en", "es", "pt"],
    "pt": ["es", "en", "fr", "ht"],
}

# The language's name in the phrase "not yet in <language>" (in the reader's own language).
NOT_YET_IN = {
    "es": "Todavía no está en español; se muestra en {shown}.",
    "en": "Not yet in English; shown in {shown}.",
    "fr": "Pas encore en français ; affiché en {shown}.",
    "ht": "Poko genyen an Kreyòl; nou montre l an {shown}.",
    "pt": "Ainda não está em português; mostrado em {shown}.",
}
# The names of the languages as the reader says them (e.g. a Kreyòl reader is told "an franse").
NAMES_IN = {
    "es": {"es": "español", "en": "inglés", "fr": "francés", "ht": "criollo haitiano", "pt": "portugués"},
    "en": {"es": "Spanish", "en": "English", "fr": "French", "ht": "Haitian Creole", "pt": "Portuguese"},
    "fr": {"es": "espagnol", "en": "anglais", "fr": "français", "ht": "créole haïtien", "pt": "portugais"},
    "ht": {"es": "panyòl", "en": "angle", "fr": "franse", "ht": "kreyòl", "pt": "pòtigè"},
    "pt": {"es": "espanhol", "en": "inglês", "fr": "francês", "ht": "crioulo haitiano", "pt": "português"},
}

LANGUAGE_LABELS = {
    "es": _("Spanish"),
    "en": _("English"),
    "fr": _("French"),
    "ht": _("Haitian Creole"),
    "pt": _("Portuguese"),
}


@dataclass(frozen=True)
class Shown:
    """A text in the language it is shown in; `fallback_note` says so when that is not the reader's."""

    text: str
    language: str
    fallback_note: str = ""

    def __str__(self) -> str:
        return self.text


def pick(texts: Mapping[str, str] | None, language: str) -> Shown:
    """The text for `language`, or the closest translation with a note that says which one is shown."""
    texts = texts or {}
    if (texts.get(language) or "").strip():
        return Shown(texts[language], language)
    for other in FALLBACKS.get(language, HUB_LANGUAGE_CODES):
        if (texts.get(other) or "").strip():
            note = NOT_YET_IN.get(language, NOT_YET_IN["en"]).format(
                shown=NAMES_IN.get(language, NAMES_IN["en"])[other]
            )
            return Shown(texts[other], other, note)
    return Shown("", language)


def hub_language(code: str | None) -> str:
    """`code` if the hub speaks it, else the default."""
    return code if code in HUB_LANGUAGE_CODES else DEFAULT_LANGUAGE
