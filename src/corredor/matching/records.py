"""The plain data that goes into screening and comes out of it.

Everything here is a frozen dataclass of strings, numbers and tuples, so that a Django
model, a CSV row or a JSON line converts to it in one place and nothing in
``corredor.matching`` needs the database.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "DocumentAlert",
    "DocumentHit",
    "EntryId",
    "Name",
    "PartialDate",
    "PersonHit",
    "Reason",
    "ScreeningResult",
    "Sex",
    "Traveller",
    "WatchlistEntry",
]

#: A watchlist entry's identifier: the CSV's ``entry_id`` text or a database primary key.
EntryId = str | int
Sex = Literal["M", "F", "X"]

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A birth date known to the year, the month or the day (``1985``, ``1985-03``, ``1985-03-12``)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if not 1800 <= self.year <= 2200:
            raise ValueError(f"year {self.year} is out of range")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} does not exist")
        if self.day is not None and self.month is not None:
            datetime.date(self.year, self.month, self.day)  # raises ValueError for 31 April

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError with a readable message."""
        match = _PARTIAL_DATE.match(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            return cls(year, month, day)
        except ValueError as error:
            raise ValueError(f"{text!r} is not a real date ({error})") from None

    @classmethod
    def from_date(cls, value: datetime.date) -> PartialDate:
        """The full date of a :class:`datetime.date`."""
        return cls(value.year, value.month, value.day)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True, slots=True)
class Name:
    """A name as given: ``surname`` and ``given_names`` apart, or a ``full_name``, or all three.

    When ``surname`` or ``given_names`` is set, ``full_name`` is not used for matching.
    """

    full_name: str = ""
    surname: str = ""
    given_names: str = ""

    def __str__(self) -> str:
        if self.surname or self.given_names:
            return f"{self.surname}, {self.given_names}".strip(", ")
        return self.full_name


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    """A person alert: names (the first is the primary name, the rest aliases) and identifiers.

    ``nationality`` is an ICAO/ISO alpha-3 code; ``sex`` is ``M``, ``F`` or ``X``.
    ``category`` is carried through for the caller (wanted, missing child ...); the index
    does not use it.
    """

    entry_id: EntryId
    names: tuple[Name, ...]
    birth_date: PartialDate | None = None
    nationality: str | None = None
    sex: Sex | None = None
    category: str = ""


@dataclass(frozen=True, slots=True)
class Traveller:
    """What is known of the person being screened (from the document, the form or a passenger list)."""

    name: Name = field(default_factory=Name)
    birth_date: PartialDate | None = None
    nationality: str | None = None
    sex: Sex | None = None
    document_number: str = ""
    issuing_state: str = ""


@dataclass(frozen=True, slots=True)
class DocumentAlert:
    """A lost, stolen, revoked or invalid document: ``ref`` is the caller's id for the alert."""

    ref: int
    issuing_state: str
    number: str


@dataclass(frozen=True, slots=True)
class Reason:
    """One line of a hit's explanation.

    ``code`` is stable for programs and translation (``name_phonetic``, ``birth_date_match``
    ...); ``text`` is the English sentence; ``params`` the values in it.
    """

    code: str
    text: str
    params: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class PersonHit:
    """A watchlist entry that matched: ``score`` in [0, 1], best alias in ``name_index`` (0 = primary).

    ``tier`` is ``"hit"`` (at or above the threshold: blocking) or ``"possible"`` (a possible
    match shown for review, not blocking; see :class:`ScreeningResult`).
    """

    entry_id: EntryId
    score: float
    reasons: tuple[Reason, ...]
    name_index: int = 0
    tier: Literal["hit", "possible"] = "hit"


@dataclass(frozen=True, slots=True)
class DocumentHit:
    """A document alert that matched: exactly, after an OCR confusion, or after one typing error."""

    ref: int
    score: float
    kind: Literal["exact", "ocr", "typo"]
    issuing_state: str
    number: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """Everything one traveller matched, best first.

    ``persons`` are hits (at or above the threshold: stop and check). ``possible`` are
    "possible matches" (tier ``"possible"``): the names agree (identical or nearly) but the
    rest does not reach the threshold, most often because the list gives little else (no
    birth date, a common name); they are shown for review and do not block.
    """

    persons: tuple[PersonHit, ...] = ()
    documents: tuple[DocumentHit, ...] = ()
    possible: tuple[PersonHit, ...] = ()
