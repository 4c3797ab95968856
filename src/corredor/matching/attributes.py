"""Reading sex and nationality as lists write them (``female``, ``Mexique``, ``MX``, ``México``).

Nationality becomes an ICAO/ISO alpha-3 code. Accepted: alpha-3 codes (ISO, and ICAO's
own such as ``D``, ``XXA``, ``GBD``), alpha-2 codes, English names (ISO name, official and
common names), Spanish names (pycountry's translations), and the demonyms of the region
in Spanish and English (``mexicana``, ``hondureño``, ``Haitian``).
"""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from corredor.icao.countries import ICAO_SPECIAL_CODES, country_to_alpha3, is_known_country
from corredor.matching.normalise import fold
from corredor.matching.records import Sex

__all__ = ["parse_nationality", "parse_sex"]

_SEX = {
    "M": "M", "MALE": "M", "MAN": "M", "H": "M", "HOMBRE": "M", "MASCULINO": "M", "MASCULIN": "M",
    "F": "F", "FEMALE": "F", "WOMAN": "F", "MUJER": "F", "FEMENINO": "F", "FEMININ": "F",
    "X": "X", "<": "X", "UNSPECIFIED": "X", "OTHER": "X",
}  # fmt: skip

# Demonyms of the region and of the largest groups of travellers through it: officers and
# partner lists often write the nationality this way. Masculine and feminine forms.
_DEMONYMS = {
    "MEX": "mexicano mexicana mexican",
    "GTM": "guatemalteco guatemalteca guatemalan",
    "SLV": "salvadoreno salvadorena salvadoran salvadorean",
    "HND": "hondureno hondurena honduran",
    "NIC": "nicaraguense nicaraguan",
    "CRI": "costarricense costarriqueno costa rican",
    "PAN": "panameno panamena panamanian",
    "BLZ": "beliceno belicena belizean",
    "CUB": "cubano cubana cuban",
    "HTI": "haitiano haitiana haitian haitien haitienne",
    "DOM": "dominicano dominicana dominican",
    "JAM": "jamaicano jamaicana jamaican",
    "VEN": "venezolano venezolana venezuelan",
    "COL": "colombiano colombiana colombian",
    "ECU": "ecuatoriano ecuatoriana ecuadorian ecuadorean",
    "PER": "peruano peruana peruvian",
    "BOL": "boliviano boliviana bolivian",
    "CHL": "chileno chilena chilean",
    "ARG": "argentino argentina argentine argentinian",
    "BRA": "brasileno brasilena brazilian",
    "USA": "estadounidense norteamericano norteamericana american",
    "CAN": "canadiense canadian",
    "ESP": "espanol espanola spanish spaniard",
    "CHN": "chino china chinese",
    "IND": "indio india indian hindu",
    "RUS": "ruso rusa russian",
    "UKR": "ucraniano ucraniana ukrainian",
}


def _key(text: str) -> str:
    return " ".join(fold(text).split())


@cache
def _names() -> dict[str, str]:
    table: dict[str, str] = {}
    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True)
    for country in pycountry.countries:
        alpha_3 = country.alpha_3
        english = [country.name, getattr(country, "official_name", ""), getattr(country, "common_name", "")]
        for name in english:
            if name:
                table.setdefault(_key(name), alpha_3)
                table.setdefault(_key(spanish.gettext(name)), alpha_3)
                # "Bolivia, Plurinational State of" is also written "Bolivia".
                table.setdefault(_key(name.split(",")[0]), alpha_3)
                table.setdefault(_key(spanish.gettext(name).split(",")[0]), alpha_3)
    for code, name in ICAO_SPECIAL_CODES.items():
        table.setdefault(_key(name), country_to_alpha3(code) or code)
    for alpha_3, words in _DEMONYMS.items():
        for word in words.split():
            table.setdefault(_key(word), alpha_3)
        table.setdefault(_key(words.split()[-1]), alpha_3)
    table.update(
        {
            "COSTA RICAN": "CRI",
            "EE UU": "USA",
            "EEUU": "USA",
            "USA": "USA",
            "UK": "GBR",
            "RUSIA": "RUS",
            "COREA DEL SUR": "KOR",
        }
    )
    return table


def parse_nationality(text: str) -> str | None:
    """The alpha-3 code for ``text``; None when empty. Raises ValueError when it is not a country.

    >>> parse_nationality("México"), parse_nationality("ht"), parse_nationality("D")
    ('MEX', 'HTI', 'DEU')
    """
    stripped = text.strip()
    if not stripped:
        return None
    upper = stripped.upper()
    if len(upper) in (1, 3) and upper.isalpha() and is_known_country(upper):
        return country_to_alpha3(upper)
    if len(upper) == 2 and upper.isalpha():
        country = pycountry.countries.get(alpha_2=upper)
        if country is not None:
            return str(country.alpha_3)
    found = _names().get(_key(stripped))
    if found is not None:
        return found
    raise ValueError(f"{stripped!r} is not a country code or a country name in English or Spanish")


def parse_sex(text: str) -> Sex | None:
    """``M``, ``F`` or ``X`` from ``M``/``male``/``F``/``female``/``X``...; None when empty.

    Raises ValueError for anything else.
    """
    stripped = text.strip()
    if not stripped:
        return None
    sex = _SEX.get(stripped.upper())
    if sex is None:
        raise ValueError(f"{stripped!r} is not a sex: use M, F, X, male or female")
    return sex  # type: ignore[return-value]
