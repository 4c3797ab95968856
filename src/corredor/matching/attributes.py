"""Reading sex and nationality as lists write them (``female``, ``Mexique``, ``MX``, ``México``).

Nationality becomes an ICAO/ISO alpha-3 code through the one country resolver,
:func:`corredor.icao.resolve.resolve_country` (codes, names in English, Spanish and French,
the forms sanctions lists and UN datasets use, demonyms of the region).

Two ways to read: ``parse_*`` raise ValueError on a bad value (for forms that must refuse it);
``read_*`` never raise — a bad value is ignored with a warning and the rest is still used (for
screening, which fails open on attributes: the name is always screened).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from corredor.icao.resolve import resolve_country
from corredor.matching.records import PartialDate, Sex

__all__ = ["Read", "parse_nationality", "parse_sex", "read_birth_date", "read_nationality", "read_sex"]

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


# -- failing open: read a value or ignore it with a warning -------------------------------------------

T = TypeVar("T")

_LENIENT_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_APPROXIMATE = re.compile(
    r"^(?:circa|ca\.?|c\.|approx\.?|approximately|about|~|hacia|vers)\s*(\d{4})$|^(\d{4})\s*\(?(?:approx\.?|approximately|circa|ca\.?)\)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Read(Generic[T]):
    """An attribute as read: ``value`` (None when empty or unusable) and, when the written text
    was not usable, a ``warning`` saying why it was ignored. ``written`` is the text as given, kept
    (an unknown nationality is kept as written for the record, and treated as unknown)."""

    value: T | None
    warning: str | None = None
    written: str = ""


def read_birth_date(text: str) -> Read[PartialDate]:
    """A birth date, read leniently: ``1969-7-16``, ``1969/07/16``, ``19690716``, ``1969``, ``circa 1969``.

    An impossible date (``1974-01-32``) or unreadable text gives no value and a warning; it never
    raises, so the name is still screened.
    """
    written = text if isinstance(text, str) else str(text)
    stripped = written.strip()
    if not stripped:
        return Read(None, None, written)
    approximate = _APPROXIMATE.match(stripped)
    if approximate:
        stripped = approximate.group(1) or approximate.group(2)
    match = _LENIENT_DATE.match(stripped) or _COMPACT_DATE.match(stripped)
    if match is None:
        return Read(
            None, f"birth date {written!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD); ignored", written
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        return Read(PartialDate(year, month, day), None, written)
    except ValueError as error:
        return Read(None, f"birth date {written!r} is not a real date ({error}); ignored", written)


def read_nationality(text: str) -> Read[str]:
    """A nationality through the country resolver; an unknown one is kept as written, with a warning."""
    written = text if isinstance(text, str) else str(text)
    resolution = resolve_country(written)
    if resolution.code is not None or resolution.kind == "empty":
        return Read(resolution.code, None, written)
    what = "a region or group, not a country" if resolution.kind == "aggregate" else "not a known country"
    return Read(
        None, f"nationality {written.strip()!r} is {what}; kept as written, treated as unknown", written
    )


def read_sex(text: str) -> Read[Sex]:
    """``M``, ``F`` or ``X`` as :func:`parse_sex` reads them; anything else ignored with a warning."""
    written = text if isinstance(text, str) else str(text)
    try:
        return Read(parse_sex(written), None, written)
    except ValueError as error:
        return Read(None, f"{error}; ignored", written)
