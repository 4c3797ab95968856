"""Country names as the UN and IOM print them, to ISO 3166 alpha-3 codes.

Pure. The public datasets name countries in the UN's long forms ("Bolivia (Plurinational State of)",
"China, Hong Kong SAR"), with HTML entities left in ("Côte d&#039;Ivoire"), or by their older names
("Turkey", "Swaziland"); pycountry knows the ISO names, the table below the rest. Areas that have no ISO
code keep the stand-in other publishers use (CHI for the Channel Islands, XKX for Kosovo).
"""

import html
import re
import unicodedata
from functools import cache

import pycountry

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


def country_label(code: str, lang: str = "en", *, short: bool = True) -> str:
    """A readable name for an alpha-3 code (Spanish when asked and known), or the code itself; `short`
    drops the official tail ("Venezuela, República Bolivariana de" -> "Venezuela")."""
    name = _country_label(code, lang)
    if short:
        name = re.split(r",\s| \(", name)[0]
    return name


def _country_label(code: str, lang: str) -> str:
    if not code:
        return ""
    spanish = _SPANISH.get(code) if lang.startswith("es") else None
    if spanish:
        return spanish
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return {"CHI": "Channel Islands", "XKX": "Kosovo", "XXA": "Stateless", "TIB": "Tibetan"}.get(
            code, code
        )
    return str(getattr(country, "common_name", None) or country.name)


@cache
def _spanish_names() -> dict[str, str]:
    import gettext

    try:
        translator = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    except OSError:
        return {}
    return {c.alpha_3: translator.gettext(c.name) for c in pycountry.countries}


class _SpanishLookup:
    def get(self, code: str) -> str | None:
        return _spanish_names().get(code)


_SPANISH = _SpanishLookup()
