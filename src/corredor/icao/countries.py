"""Three-letter codes for states and organisations, as ICAO Doc 9303 Part 3 section 5 uses them.

ISO 3166-1 alpha-3 comes from pycountry; on top of it ICAO keeps codes of its own
(Germany's single ``D``, British nationality classes, international organisations,
stateless persons and refugees) and a few withdrawn ISO codes still printed on
documents that are in people's pockets or in old records.
"""

from __future__ import annotations

from functools import cache

import pycountry

#: English names of the codes ICAO uses that ISO 3166-1 alpha-3 does not list.
ICAO_SPECIAL_CODES: dict[str, str] = {
    "D": "Germany",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "EUE": "European Union",
    "UNO": "United Nations Organization or one of its officials",
    "UNA": "Specialized agency of the United Nations or one of its officials",
    "UNK": "Resident of Kosovo with a travel document issued by UNMIK",
    "RKS": "Kosovo",
    "XBA": "African Development Bank",
    "XIM": "African Export-Import Bank",
    "XCC": "Caribbean Community (CARICOM) or one of its emissaries",
    "XCE": "Council of Europe",
    "XCO": "Common Market for Eastern and Southern Africa (COMESA)",
    "XEC": "Economic Community of West African States (ECOWAS)",
    "XPO": "International Criminal Police Organization (INTERPOL)",
    # Some issuers and the issue that specified this module list INP for INTERPOL travel documents too.
    "INP": "International Criminal Police Organization (INTERPOL)",
    "XES": "Organization of Eastern Caribbean States (OECS) or one of its emissaries",
    "XMP": "Parliamentary Assembly of the Mediterranean",
    "XOM": "Sovereign Military Order of Malta or one of its emissaries",
    "XDC": "Southern African Development Community",
    "XXA": "Stateless person (1954 Convention)",
    "XXB": "Refugee (1951 Convention and 1967 Protocol)",
    "XXC": "Refugee, other than under the 1951 Convention",
    "XXX": "Person of unspecified nationality",
    "IAO": "International Civil Aviation Organization",
    "ANT": "Netherlands Antilles",
    "NTZ": "Neutral Zone",
}

# Withdrawn ISO codes of states that issued machine-readable documents; they still
# appear as nationality in old records and on documents presented long after expiry.
_HISTORIC_CODES = frozenset({"ANT", "BUR", "CSK", "SCG", "SUN", "TMP", "YUG", "ZAR"})


@cache
def _iso_names() -> dict[str, str]:
    # Loaded on first use: pycountry reads its database lazily and most imports of
    # this package (Django start-up) never look a country up.
    names = {country.alpha_3: country.name for country in pycountry.countries}
    for country in pycountry.historic_countries:
        if country.alpha_3 in _HISTORIC_CODES:
            names.setdefault(country.alpha_3, country.name)
    return names


def _clean(code: str) -> str:
    return code.strip().upper().rstrip("<")


def is_known_country(code: str) -> bool:
    """True when ``code`` (as printed in an MRZ; trailing fillers allowed) is an ISO or ICAO code."""
    cleaned = _clean(code)
    return cleaned in ICAO_SPECIAL_CODES or cleaned in _iso_names()


def country_to_alpha3(code: str) -> str | None:
    """Return the three-letter code to store for ``code``, or None when it is unknown.

    Only Germany's ``D`` changes (to ``DEU``); ICAO's own codes such as ``GBD`` or
    ``XXA`` are kept, because they say more than any ISO code could (a British
    Overseas Territories Citizen is not a plain British citizen).
    """
    cleaned = _clean(code)
    if cleaned == "D":
        return "DEU"
    if cleaned in ICAO_SPECIAL_CODES or cleaned in _iso_names():
        return cleaned
    return None


def country_name(code: str) -> str | None:
    """Return the English name for an ISO or ICAO code, or None when it is unknown."""
    cleaned = _clean(code)
    return ICAO_SPECIAL_CODES.get(cleaned) or _iso_names().get(cleaned)
