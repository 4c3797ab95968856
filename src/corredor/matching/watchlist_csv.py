"""The watchlist CSV format: reading it into entries, with every problem located.

Header (any order; ``entry_id`` and one of ``full_name``/``surname`` are required, the rest
optional)::

    entry_id,full_name,surname,given_names,aliases,birth_date,nationality,sex,category

A row gives ``full_name`` or ``surname`` + ``given_names`` (or both); ``aliases`` are full
names separated by ``|``; ``birth_date`` is ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or empty;
``nationality`` an alpha-3 or alpha-2 code or a country name in English or Spanish; ``sex``
``M``, ``F``, ``X``, ``male``, ``female`` or empty.

:func:`parse_watchlist_csv` returns the good entries *and* every error, each with its line,
column and a message for people, so that a caller can refuse the whole file or show a
validation report; it never raises on bad data. Attributes fail open: a birth date, sex or
nationality that cannot be used (``1974-01-32``, ``q``, ``Narnia``) is a *warning* on its line,
the attribute is left unknown and the entry is kept, screened on its name; a lenient reading
is taken where there is one (``1969-7-16``). Only what leaves no usable entry (no name, no
entry_id, a duplicate id, a broken row) is an error.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from corredor.matching.attributes import read_birth_date, read_nationality, read_sex
from corredor.matching.normalise import normalise_name
from corredor.matching.records import Name, PartialDate, WatchlistEntry

__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "CsvError",
    "WatchlistParseResult",
    "entry_from_row",
    "parse_watchlist_csv",
]

COLUMNS = (
    "entry_id",
    "full_name",
    "surname",
    "given_names",
    "aliases",
    "birth_date",
    "nationality",
    "sex",
    "category",
)
REQUIRED_COLUMNS = ("entry_id",)
ALIAS_SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class CsvError:
    """A problem in the file: where (``line`` from 1, ``column`` name or None) and what.

    ``code`` is stable for programs and translations (``missing_column``, ``bad_birth_date``
    ...), ``value`` the offending text.
    """

    line: int
    column: str | None
    code: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class WatchlistParseResult:
    """The entries read and the errors found (entries of rows with errors are left out)."""

    entries: list[WatchlistEntry] = field(default_factory=list)
    errors: list[CsvError] = field(default_factory=list)
    warnings: list[CsvError] = field(default_factory=list)  # attributes ignored; the entries are kept
    lines: dict[str, int] = field(default_factory=dict)  # entry id -> line, for reports

    @property
    def ok(self) -> bool:
        """True when there is no error."""
        return not self.errors


def entry_from_row(
    row: Mapping[str, str | None], line: int = 0, *, warnings: list[CsvError] | None = None
) -> tuple[WatchlistEntry | None, list[CsvError]]:
    """One row (column name -> text) to an entry, or None and the errors that prevent it.

    With a ``warnings`` list, attributes fail open: a birth date, nationality or sex that cannot
    be used is appended there (same codes: ``bad_birth_date`` ...), left unknown, and the entry
    is kept. Without it, they are errors (for importers that refuse them).
    """
    errors: list[CsvError] = []
    attribute_problems = errors if warnings is None else warnings

    def text(column: str) -> str:
        return (row.get(column) or "").strip()

    entry_id = text("entry_id")
    if not entry_id:
        errors.append(CsvError(line, "entry_id", "missing_entry_id", "entry_id is empty"))
    full_name, surname, given = text("full_name"), text("surname"), text("given_names")
    names: list[Name] = []
    if full_name or surname or given:
        if (surname or given) and not surname:
            errors.append(CsvError(line, "surname", "missing_surname", "given_names without surname", given))
        primary = Name(full_name=full_name, surname=surname, given_names=given)
        if not normalise_name(primary.full_name, primary.surname, primary.given_names):
            column = "full_name" if full_name else "surname"
            errors.append(
                CsvError(line, column, "no_letters", "the name has no letters", full_name or surname)
            )
        names.append(primary)
        if full_name and (surname or given):
            structured = {p for n in normalise_name("", surname, given) for p in n.texts}
            written = {p for n in normalise_name(full_name) for p in n.texts}
            if written and written != structured:
                names.append(Name(full_name=full_name))  # written differently: keep both
    else:
        errors.append(
            CsvError(line, "full_name", "missing_name", "give full_name, or surname and given_names")
        )
    for alias in text("aliases").split(ALIAS_SEPARATOR):
        alias = alias.strip()
        if not alias:
            continue
        if not normalise_name(alias):
            errors.append(CsvError(line, "aliases", "no_letters", f"alias {alias!r} has no letters", alias))
        else:
            names.append(Name(full_name=alias))
    birth = read_birth_date(text("birth_date"))
    if birth.warning:
        attribute_problems.append(
            CsvError(line, "birth_date", "bad_birth_date", _problem(birth.warning), text("birth_date"))
        )
    elif warnings is None and birth.value is not None:
        # Refusing importers keep the strict format (YYYY, YYYY-MM, YYYY-MM-DD): "1980-1-1" is
        # refused there, read leniently only where attributes fail open.
        try:
            PartialDate.parse(text("birth_date"))
        except ValueError as error:
            errors.append(CsvError(line, "birth_date", "bad_birth_date", str(error), text("birth_date")))
    nationality = read_nationality(text("nationality"))
    if nationality.warning:
        attribute_problems.append(
            CsvError(
                line, "nationality", "bad_nationality", _problem(nationality.warning), text("nationality")
            )
        )
    sex = read_sex(text("sex"))
    if sex.warning:
        attribute_problems.append(CsvError(line, "sex", "bad_sex", _problem(sex.warning), text("sex")))
    if errors:
        return None, errors
    entry = WatchlistEntry(
        entry_id, tuple(names), birth.value, nationality.value, sex.value, text("category")
    )
    return entry, []


def _problem(warning: str) -> str:
    # The core's warning ends "; ignored" (the entry is kept); as an error that is not true.
    return warning.removesuffix("; ignored")


def parse_watchlist_csv(source: str | Iterable[str]) -> WatchlistParseResult:
    """Read a watchlist CSV (text, or an iterable of lines such as an open file).

    Checks the header (unknown, duplicate or missing columns), every field of every row,
    the number of fields per row and duplicate ``entry_id`` values. A UTF-8 byte-order
    mark is ignored; blank lines are skipped.
    """
    lines: Iterable[str] = io.StringIO(source) if isinstance(source, str) else source
    result = WatchlistParseResult()
    reader = csv.reader(_strip_bom(lines))
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append(
            CsvError(1, None, "empty_file", "the file is empty; the first line must be the header")
        )
        return result
    except csv.Error as error:
        result.errors.append(CsvError(1, None, "bad_csv", f"not readable as CSV: {error}"))
        return result
    columns = [column.strip().lower() for column in header]
    header_ok = _check_header(columns, result)
    seen: dict[str, int] = {}
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(CsvError(reader.line_num, None, "bad_csv", f"not readable as CSV: {error}"))
            break
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if not header_ok:
            continue
        if len(values) != len(columns):
            result.errors.append(
                CsvError(
                    line,
                    None,
                    "wrong_field_count",
                    f"{len(values)} fields where the header has {len(columns)}",
                )
            )
            continue
        row = dict(zip(columns, values, strict=True))
        entry, errors = entry_from_row(row, line, warnings=result.warnings)
        key = (row.get("entry_id") or "").strip()
        if key and key in seen:
            errors.insert(
                0,
                CsvError(
                    line,
                    "entry_id",
                    "duplicate_entry_id",
                    f"entry_id {key!r} already on line {seen[key]}",
                    key,
                ),
            )
        elif key:
            seen[key] = line
        result.errors.extend(errors)
        if entry is None or errors:
            continue
        result.lines[key] = line
        result.entries.append(entry)
    return result


def _strip_bom(lines: Iterable[str]) -> Iterable[str]:
    first = True
    for line in lines:
        if first:
            line = line.removeprefix("\ufeff")
            first = False
        yield line


def _check_header(columns: list[str], result: WatchlistParseResult) -> bool:
    ok = True
    for index, column in enumerate(columns):
        if column not in COLUMNS:
            expected = ", ".join(COLUMNS)
            message = f"unknown column {column!r}; the columns are {expected}"
            result.errors.append(CsvError(1, column or f"#{index + 1}", "unknown_column", message, column))
            ok = False
        elif columns.index(column) != index:
            result.errors.append(
                CsvError(1, column, "duplicate_column", f"column {column!r} appears twice", column)
            )
            ok = False
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            result.errors.append(
                CsvError(1, column, "missing_column", f"the header has no {column!r} column", column)
            )
            ok = False
    if "full_name" not in columns and "surname" not in columns:
        result.errors.append(
            CsvError(1, "full_name", "missing_column", "the header needs a full_name or a surname column")
        )
        ok = False
    return ok
