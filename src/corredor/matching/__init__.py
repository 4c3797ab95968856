"""Screening travellers against person and document alerts: pure Python, NumPy and rapidfuzz, no Django.

The pieces, in the order a screening goes through them:

- :mod:`~corredor.matching.records` — the plain data in and out (:class:`WatchlistEntry`,
  :class:`Traveller`, :class:`DocumentAlert`, :class:`PersonHit`, :class:`DocumentHit`);
- :mod:`~corredor.matching.normalise` — names to comparable parts (Unicode folding, ICAO 9303
  transliteration, particles, roles); :mod:`~corredor.matching.phonetic` — phonetic keys for
  Spanish, French, Creole and transliterated names; :mod:`~corredor.matching.nicknames` —
  the table of nicknames and equivalents;
- :mod:`~corredor.matching.attributes` — birth date, sex and nationality read as lists write
  them; ``read_*`` fail open (a bad value is a warning, the name is still screened);
- :mod:`~corredor.matching.frequencies` — :class:`NameFrequencies`, how common name parts are
  among those who cross (from traveller records, or the shipped table);
- :mod:`~corredor.matching.score` — one traveller against one entry, with reasons;
- :mod:`~corredor.matching.index` — :class:`ScreeningIndex`, a million entries in memory;
  :mod:`~corredor.matching.documents` — :class:`DocumentIndex`, ten million documents;
- :mod:`~corredor.matching.watchlist_csv` — the watchlist CSV format;
  :mod:`~corredor.matching.cli` — ``corredor screen``.

Typical use (the Django ``screening`` app does the same with rows from its tables)::

    index = ScreeningIndex.build(entries, DocumentIndex.build(states, numbers, refs),
                                 population=NameFrequencies.from_names(traveller_names))
    result = index.screen(Traveller(Name(surname="GARCIA", given_names="JOSE"), ...))
    for hit in result.persons: ...   # hits (tier "hit"): entry_id, score, reasons
    for hit in result.possible: ...  # possible matches (tier "possible"): shown, not blocking
    for hit in result.documents: ... # ref, kind (exact / ocr / typo), reasons
"""

from corredor.matching.attributes import (
    Read,
    parse_nationality,
    parse_sex,
    read_birth_date,
    read_nationality,
    read_sex,
)
from corredor.matching.cli import screen_cli
from corredor.matching.documents import DocumentIndex, normalise_document_number
from corredor.matching.frequencies import NameFrequencies
from corredor.matching.index import POSSIBLE_NAME_SCORE, ScreeningIndex
from corredor.matching.normalise import normalise_name
from corredor.matching.records import (
    DocumentAlert,
    DocumentHit,
    EntryId,
    Name,
    PartialDate,
    PersonHit,
    Reason,
    ScreeningResult,
    Traveller,
    WatchlistEntry,
)
from corredor.matching.score import DEFAULT_THRESHOLD, score_entry
from corredor.matching.watchlist_csv import CsvError, WatchlistParseResult, parse_watchlist_csv

__all__ = [
    "DEFAULT_THRESHOLD",
    "POSSIBLE_NAME_SCORE",
    "CsvError",
    "DocumentAlert",
    "DocumentHit",
    "DocumentIndex",
    "EntryId",
    "Name",
    "NameFrequencies",
    "PartialDate",
    "PersonHit",
    "Read",
    "Reason",
    "ScreeningIndex",
    "ScreeningResult",
    "Traveller",
    "WatchlistEntry",
    "WatchlistParseResult",
    "normalise_document_number",
    "normalise_name",
    "parse_nationality",
    "parse_sex",
    "parse_watchlist_csv",
    "read_birth_date",
    "read_nationality",
    "read_sex",
    "score_entry",
    "screen_cli",
]
