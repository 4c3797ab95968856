"""Reading sex and nationality as lists write them (``female``, ``Mexique``, ``MX``, ``México``).

Nationality becomes an ICAO/ISO alpha-3 code through the one country resolver,
:func:`corredor.icao.resolve.resolve_country` (codes, names in English, Spanish and French,
the forms sanctions lists and UN datasets use, demonyms of the region).
"""

from __future__ import annotations

from corredor.icao.resolve import resolve_country
from corredor.matching.records import Sex

__all__ = ["parse_nationality", "parse_sex"]

_SEX = {
    "M": "M", "MALE": "M", "MAN": "M", "H": "M", "HOMBRE": "M", "MASCULINO": "M", "MASCULIN": "M",
    "F": "F", "FEMALE": "F", "WOMAN": "F", "MUJER": "F", "FEMENINO": "F", "FEMININ": "F",
    "X": "X", "<": "X", "UNSPECIFIED": "X", "OTHER": "X",
}  # fmt: skip


def parse_nationality(text: str) -> str | None:
    """The alpha-3 code for ``text``; None when empty. Raises ValueError when it is not a country.

    >>> parse_nationality("México"), parse_nationality("ht"), parse_nationality("D")
    ('MEX', 'HTI', 'DEU')
    """
    resolution = resolve_country(text)
    if resolution.kind == "empty":
        return None
    if resolution.code is None:
        raise ValueError(
            f"{text.strip()!r} is not a country code or a country name in English, Spanish or French"
        )
    return resolution.code


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
