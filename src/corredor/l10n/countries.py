"""Country names in the reader's language, from CLDR (Babel's territory names), never from a hand-kept list.

An alpha-3 code (or ICAO's D for Germany) goes to alpha-2 through pycountry and to CLDR's name for the
language asked for, or the active one. ICAO's own codes (UNO, XXA, RKS, ...) that no ISO code stands for
take their names from a small table below, translated through the catalogs. CLDR has no Haitian Creole;
its readers get the French names (both official languages of Haiti, and the form their documents print),
except the region's countries, whose Kreyòl names are common usage.

Below core in the layers: the reference data (core's Country), the desk and the statistics all name
countries through here.
"""

import re
from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language, gettext, gettext_noop, override

# ICAO 9303 codes that no ISO 3166 code stands for, and the stand-ins the statistics' publishers use.
SPECIAL_NAMES = {
    "EUE": gettext_noop("European Union"),
    "UNO": gettext_noop("United Nations"),
    "UNA": gettext_noop("United Nations specialized agency"),
    "UNK": gettext_noop("Kosovo (UNMIK)"),
    "RKS": gettext_noop("Kosovo"),
    "XKX": gettext_noop("Kosovo"),
    "GBD": gettext_noop("British Overseas Territories Citizen"),
    "GBN": gettext_noop("British National (Overseas)"),
    "GBO": gettext_noop("British Overseas Citizen"),
    "GBP": gettext_noop("British Protected Person"),
    "GBS": gettext_noop("British Subject"),
    "XBA": gettext_noop("African Development Bank"),
    "XIM": gettext_noop("African Export-Import Bank"),
    "XCC": gettext_noop("Caribbean Community (CARICOM)"),
    "XCE": gettext_noop("Council of Europe"),
    "XCO": gettext_noop("Common Market for Eastern and Southern Africa (COMESA)"),
    "XEC": gettext_noop("Economic Community of West African States (ECOWAS)"),
    "XPO": gettext_noop("INTERPOL"),
    "INP": gettext_noop("INTERPOL"),
    "XES": gettext_noop("Organisation of Eastern Caribbean States (OECS)"),
    "XMP": gettext_noop("Parliamentary Assembly of the Mediterranean"),
    "XOM": gettext_noop("Sovereign Military Order of Malta"),
    "XDC": gettext_noop("Southern African Development Community"),
    "XXA": gettext_noop("Stateless person"),
    "XXB": gettext_noop("Refugee (1951 Convention)"),
    "XXC": gettext_noop("Refugee (other)"),
    "XXX": gettext_noop("Unspecified nationality"),
    "IAO": gettext_noop("International Civil Aviation Organization"),
    "ANT": gettext_noop("Netherlands Antilles"),
    "CHI": gettext_noop("Channel Islands"),
    "TIB": gettext_noop("Tibetan"),
}

# CLDR has no Haitian Creole. Its readers get the French names, but the countries of their own corridor
# by the names Kreyòl speakers write and say (Ayiti, Dominikani, Etazini...).
KREYOL_NAMES = {
    "HTI": "Ayiti",
    "DOM": "Dominikani",
    "USA": "Etazini",
    "CAN": "Kanada",
    "MEX": "Meksik",
    "GTM": "Gwatemala",
    "BLZ": "Beliz",
    "SLV": "Salvadò",
    "HND": "Ondiras",
    "NIC": "Nikaragwa",
    "CRI": "Kosta Rika",
    "PAN": "Panama",
    "COL": "Kolonbi",
    "VEN": "Venezyela",
    "ECU": "Ekwatè",
    "PER": "Pewou",
    "BOL": "Bolivi",
    "CHL": "Chili",
    "ARG": "Ajantin",
    "BRA": "Brezil",
    "URY": "Irigwe",
    "PRY": "Paragwe",
    "CUB": "Kiba",
    "JAM": "Jamayik",
    "BHS": "Bahamas",
    "TCA": "Zile Tik ak Kayik",
    "PRI": "Pòtoriko",
    "GUF": "Giyàn franse",
    "GLP": "Gwadloup",
    "MTQ": "Matinik",
    "FRA": "Lafrans",
    "ESP": "Espay",
    "GBR": "Wayòm Ini",
    "DEU": "Almay",
    "CHN": "Lachin",
    "SUR": "Sirinam",
    "GUY": "Giyana",
    "TTO": "Trinidad ak Tobago",
}


def _language(lang: str | None) -> str:
    return (lang or get_language() or "es").split("-")[0].split("_")[0].lower()


@cache
def _cldr_territories(language: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(language).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def country_label(code: str, lang: str | None = None, *, short: bool = True) -> str:
    """The name of the country with this alpha-3 (or ICAO) code in ``lang`` (default: the active
    language), from CLDR; the code itself when nobody knows it. ``short`` drops an official tail
    ("Venezuela (Bolivarian Republic of)" -> "Venezuela") where a name has one."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    if code == "D":  # Germany in an MRZ
        code = "DEU"
    language = _language(lang)
    name = _country_label(code, language)
    if short:
        name = re.split(r",\s| \(", name)[0] if code not in SPECIAL_NAMES else name
    return name


def _country_label(code: str, language: str) -> str:
    if language == "ht" and code in KREYOL_NAMES:
        return KREYOL_NAMES[code]
    if code in SPECIAL_NAMES:
        with override(language):
            return gettext(SPECIAL_NAMES[code])
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    territories = _cldr_territories("fr" if language == "ht" else language) or _cldr_territories("en")
    return territories.get(country.alpha_2) or str(getattr(country, "common_name", None) or country.name)
