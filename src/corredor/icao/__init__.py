"""ICAO Doc 9303 machine-readable zones: parse, validate and build, plus ICAO country codes.

Pure Python, no Django: the border desk, the API, the PAXLST reader and the
``corredor mrz`` command all call these functions.
"""

from corredor.icao.build import FORMATS, build_mrz, transliterate_name
from corredor.icao.checkdigit import check_digit
from corredor.icao.cli import mrz_cli
from corredor.icao.countries import ICAO_SPECIAL_CODES, country_name, country_to_alpha3, is_known_country
from corredor.icao.mrz import MrzResult, Problem, parse_mrz, parse_mrz_blocks

__all__ = [
    "FORMATS",
    "ICAO_SPECIAL_CODES",
    "MrzResult",
    "Problem",
    "build_mrz",
    "check_digit",
    "country_name",
    "country_to_alpha3",
    "is_known_country",
    "mrz_cli",
    "parse_mrz",
    "parse_mrz_blocks",
    "transliterate_name",
]
