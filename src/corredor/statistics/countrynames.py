"""Country names: read from the UN's and IOM's spellings to ISO 3166 alpha-3 codes, and written in the
reader's language from CLDR (Babel's territory names), never from a hand-kept list.

Written names: an alpha-3 code (or ICAO's D for Germany) goes to alpha-2 through pycountry and to CLDR's
name for the language asked for, or the active one. ICAO's own codes (UNO, XXA, RKS, ...) that no ISO
code stands for take their names from a small table below, translated through the catalogs. CLDR has no
Haitian Creole; its readers get the French names (both official languages of Haiti, and the form their
documents print), except the region's countries, whose Kreyòl names are common usage.

Read names: the public datasets name countries in the UN's long forms ("Bolivia (Plurinational State of)",
"China, Hong Kong SAR"), with HTML entities left in ("Côte d&#039;Ivoire"), or by their older names
("Turkey", "Swaziland"); pycountry knows the ISO names, the table below the rest. Areas that have no ISO
code keep the stand-in other publishers use (CHI for the Channel Islands, XKX for Kosovo).
"""

import html
import re
import unicodedata
from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language, gettext, gettext_noop, override

# Casefolded, accents kept: the forms pycountry does not know.
ALIASES: dict[str, str] = {
    "bolivia (plurinational state of)": "BOL",
    "bolivia": "BOL",
    "china, hong kong sar": "HKG",
    "china, hong kong special administrative region": "HKG",
    "hong kong": "HKG",
    "china, macao sar": "MAC",
    "china, macao special administrative region": "MAC",
    "macao": "MAC",
    "macau": "MAC",
    "china, taiwan province of china": "TWN",
    "taiwan": "TWN",
    "côte d'ivoire": "CIV",
    "cote d'ivoire": "CIV",
    "ivory coast": "CIV",
    "curaçao": "CUW",
    "curacao": "CUW",
    "dem. people's republic of korea": "PRK",
    "democratic people's republic of korea": "PRK",
    "north korea": "PRK",
    "republic of korea": "KOR",
    "south korea": "KOR",
    "democratic republic of the congo": "COD",
    "congo, democratic republic of the": "COD",
    "dr congo": "COD",
    "congo": "COG",
    "republic of the congo": "COG",
    "holy see": "VAT",
    "iran (islamic republic of)": "IRN",
    "iran": "IRN",
    "lao people's democratic republic": "LAO",
    "laos": "LAO",
    "micronesia (fed. states of)": "FSM",
    "micronesia (federated states of)": "FSM",
    "micronesia": "FSM",
    "saint helena": "SHN",
    "saint helena, ascension and tristan da cunha": "SHN",
    "state of palestine": "PSE",
    "palestine": "PSE",
    "turkey": "TUR",
    "türkiye": "TUR",
    "turkiye": "TUR",
    "united states virgin islands": "VIR",
    "us virgin islands": "VIR",
    "venezuela (bolivarian republic of)": "VEN",
    "venezuela": "VEN",
    "wallis and futuna islands": "WLF",
    "channel islands": "CHI",
    "kosovo": "XKX",
    "kosovo (under unsc res. 1244)": "XKX",
    "republic of moldova": "MDA",
    "moldova": "MDA",
    "united republic of tanzania": "TZA",
    "tanzania": "TZA",
    "russian federation": "RUS",
    "russia": "RUS",
    "syrian arab republic": "SYR",
    "syria": "SYR",
    "viet nam": "VNM",
    "vietnam": "VNM",
    "swaziland": "SWZ",
    "cape verde": "CPV",
    "cabo verde": "CPV",
    "the former yugoslav republic of macedonia": "MKD",
    "macedonia": "MKD",
    "czech republic": "CZE",
    "bonaire, sint eustatius and saba": "BES",
    "sint maarten (dutch part)": "SXM",
    "saint martin (french part)": "MAF",
    "falkland islands (malvinas)": "FLK",
    "united kingdom": "GBR",
    "united kingdom of great britain and northern ireland": "GBR",
    "uk": "GBR",
    "united states of america": "USA",
    "united states": "USA",
    "usa": "USA",
    "brunei darussalam": "BRN",
    "bahamas": "BHS",
    "the bahamas": "BHS",
    "gambia": "GMB",
    "the gambia": "GMB",
    "netherlands": "NLD",
    "the netherlands": "NLD",
    "burma": "MMR",
    "east timor": "TLS",
    "timor leste": "TLS",
    "libyan arab jamahiriya": "LBY",
    "réunion": "REU",
    "reunion": "REU",
}


def normalise(name: str) -> str:
    """The form names are compared in: entities decoded, typographic apostrophes straightened, spaces
    collapsed, casefolded (accents kept: Curaçao and Curacao are both listed)."""
    text = html.unescape(name or "")
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


@cache
def _pycountry_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.setdefault(normalise(value), country.alpha_3)
    return names


def iso3_from_name(name: str) -> str | None:
    """The ISO alpha-3 code for a country name as the UN, UNHCR or IOM print it, or None if unknown.

    An alpha-3 code itself is accepted as it is.
    """
    key = normalise(name)
    if not key:
        return None
    if key in ALIASES:
        return ALIASES[key]
    found = _pycountry_names().get(key)
    if found:
        return found
    if re.fullmatch(r"[a-z]{3}", key) and pycountry.countries.get(alpha_3=key.upper()):
        return key.upper()
    return None


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
