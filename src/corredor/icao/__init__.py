"""ICAO Doc 9303 machine-readable zones: parse, validate and build, plus ICAO country codes and
the one country resolver (:mod:`corredor.icao.resolve`: codes and names in three languages).

Pure Python, no Django: the border desk, the API, the PAXLST reader and the
``corredor mrz`` command all call these functions.
"""

from corredor.icao.build import FORMATS, build_mrz, transliterate_name
from corredor.icao.checkdigit import check_digit
from corredor.icao.cli import mrz_cli
from corredor.icao.countries import ICAO_SPECIAL_CODES, country_name, country_to_alpha3, is_known_country
from corredor.icao.mrz import MrzResult, Problem, parse_mrz, parse_mrz_blocks
from corredor.icao.resolve import (
    Aggregate,
    CountryResolution,
    country_code,
    normalise_country_text,
    recognise_aggregate,
    resolve_country,
)

__all__ = [
    "FORMATS",
    "ICAO_SPECIAL_CODES",
    "Aggregate",
    "CountryResolution",
    "MrzResult",
    "Problem",
    "build_mrz",
    "check_digit",
    "country_code",
    "country_name",
    "country_to_alpha3",
    "is_known_country",
    "mrz_cli",
    "normalise_country_text",
    "parse_mrz",
    "parse_mrz_blocks",
    "recognise_aggregate",
    "resolve_country",
    "transliterate_name",
]
