"""Country names: read from the UN's and IOM's spellings to ISO 3166 alpha-3 codes, and written in the
reader's language by `corredor.l10n.countries` (CLDR through Babel), which this module passes on.

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

from corredor.l10n.countries import KREYOL_NAMES, SPECIAL_NAMES, country_label

__all__ = ["ALIASES", "KREYOL_NAMES", "SPECIAL_NAMES", "country_label", "iso3_from_name", "normalise"]

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
