"""Readers for the public datasets that put the country's own figures in context.

- `undesa-stock`: UN DESA International Migrant Stock, origin x destination, in the wide layout
  (`Year, Dest, <one column per origin country name>`) or the long one (`year, origin, destination,
  value`, names or ISO codes); `..` means not available.
- `unhcr-bilateral`: UNHCR refugees and asylum seekers, `year, orig, dest, refugees, asylum_seekers`
  (ISO alpha-3; UNHCR's own codes such as XXA for stateless are kept).
- `missing-migrants`: IOM Missing Migrants Project incidents, a JSON array (as the HDX feed gives it,
  with its `location_coodinates` spelling) or a CSV with the same or the HDX column names.

Readers are pure: bytes in, rows (plain dicts) out, or an `ImportFailed` that lists every problem with its
line and column (up to a limit). Nothing is written here; `services.dataset_import` writes all or nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from corredor.statistics.countrynames import iso3_from_name, normalise

MAX_PROBLEMS = 25

# UN regional and other aggregates that appear among countries in UN DESA tables: skipped, not errors.
AGGREGATES = {
    normalise(name)
    for name in (
        "World",
        "Total",
        "Other",
        "Other North",
        "Other South",
        "Not specified",
        "Unknown",
        "Sustainable Development Goal (SDG) regions",
        "Sub-Saharan Africa",
        "Northern Africa and Western Asia",
        "Central and Southern Asia",
        "Eastern and South-Eastern Asia",
        "Latin America and the Caribbean",
        "Oceania (excluding Australia and New Zealand)",
        "Australia and New Zealand",
        "Europe and Northern America",
        "Developed regions",
        "Less developed regions",
        "Least developed countries",
        "Less developed regions, excluding least developed countries",
        "High-income countries",
        "Middle-income countries",
        "Upper-middle-income countries",
        "Lower-middle-income countries",
        "Low-income countries",
        "No income group available",
        "Land-locked Developing Countries (LLDC)",
        "Small island developing States (SIDS)",
        "Africa",
        "Asia",
        "Europe",
        "Oceania",
        "Northern America",
        "Latin America and the Caribbean",
        "Caribbean",
        "Central America",
        "South America",
        "Eastern Africa",
        "Middle Africa",
        "Northern Africa",
        "Southern Africa",
        "Western Africa",
        "Central Asia",
        "Eastern Asia",
        "South-Eastern Asia",
        "Southern Asia",
        "Western Asia",
        "Eastern Europe",
        "Northern Europe",
        "Southern Europe",
        "Western Europe",
        "Melanesia",
        "Micronesia (region)",
        "Polynesia",
    )
}

# Names of seas and unknown places a Missing Migrants incident may give as its country: no country.
NO_COUNTRY = {
    normalise(n) for n in ("", "Unknown", "Mediterranean", "Mediterranean Sea", "International waters")
}


@dataclass(frozen=True)
class Problem:
    """Where a file is wrong: 1-based line and column (the column's header name when it has one)."""

    line: int
    column: int | None
    message: str
    field: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.column is not None:
            where += f", column {self.column}"
        if self.field:
            where += f" ({self.field})"
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """The file cannot be imported; `problems` says what is wrong and where. Nothing was written."""

    def __init__(self, problems: list[Problem], *, more: int = 0) -> None:
        self.problems = problems
        self.more = more
        shown = "; ".join(str(p) for p in problems[:5])
        extra = len(problems) - 5 + more
        super().__init__(shown + (f"; and {extra} more" if extra > 0 else ""))


@dataclass
class Parsed:
    """The rows read from a file and what was skipped on purpose (aggregates, values not available)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    _lines: dict[tuple[str, str, int], int] = field(default_factory=dict, repr=False)

    def skip(self, why: str) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + 1

    def keep(self, row: dict[str, Any], *, line: int, column: int | None, problems: _Problems) -> None:
        """Keep a figure, or report it when its origin, destination and year were already given."""
        key = (row["origin"], row["destination"], row["year"])
        if key in self._lines:
            problems.add(
                line, column, f"{key[0] or '?'}->{key[1]} {key[2]} given twice (also line {self._lines[key]})"
            )
            return
        self._lines[key] = line
        self.rows.append(row)


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0

    def add(self, line: int, column: int | None, message: str, field_name: str = "") -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(line, column, message, field_name))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportFailed(self.items, more=self.more)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ImportFailed([Problem(line, column, "the file is not UTF-8 text")]) from None


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, cells) for every CSV record."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailed([Problem(reader.line_num, None, f"not valid CSV: {exc}")]) from None


_NUMBER = re.compile(r"-?\d+(\.0+)?")
MISSING_VALUES = {"", "..", "...", "-", "—", "n/a", "na", "x"}


def _count(raw: str, *, negative: bool = False) -> int | None:
    """A count as statistical tables print it ("1 234", "1,234", "1234.0"), None for not available.
    Raises ValueError otherwise (and for a negative count unless `negative`)."""
    text = raw.strip().replace("\u00a0", "").replace(" ", "").replace(",", "")
    if text.lower() in MISSING_VALUES:
        return None
    if not _NUMBER.fullmatch(text):
        raise ValueError(raw)
    value = int(float(text))
    if value < 0 and not negative:
        raise ValueError(raw)
    return value


def _year(raw: str) -> int:
    text = raw.strip()
    if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= 2100:
        raise ValueError(raw)
    return int(text)


def _code_or_name(raw: str) -> str | None:
    text = raw.strip()
    if re.fullmatch(r"[A-Z]{3}", text):
        return text
    return iso3_from_name(text)


# --- UN DESA migrant stock ----------------------------------------------------------------------------------

_LONG_HEADERS = {
    "year": ("year", "time", "period"),
    "origin": ("origin", "orig", "country of origin", "origin country", "country or area of origin", "from"),
    "destination": (
        "destination",
        "dest",
        "country of destination",
        "destination country",
        "country or area of destination",
        "major area, region, country or area of destination",
        "to",
    ),
    "value": ("value", "migrants", "migrant stock", "stock", "international migrant stock"),
}


def _header_map(header: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    found: dict[str, int] = {}
    names = [normalise(h) for h in header]
    for key, aliases in wanted.items():
        for position, name in enumerate(names):
            if name in aliases:
                found[key] = position
                break
    return found


def read_undesa_stock(data: bytes) -> Parsed:
    """UN DESA origin-destination migrant stock, wide or long layout, into rows
    {origin, destination, year, value}."""
    records = list(_csv_rows(_text(data)))
    if not records:
        raise ImportFailed([Problem(1, None, "the file is empty")])
    header_line, header = records[0]
    names = [normalise(h) for h in header]
    long_columns = _header_map(header, _LONG_HEADERS)
    if len(long_columns) == 4:
        return _undesa_long(records, long_columns)
    if len(names) >= 3 and names[0] in ("year", "time") and names[1] in ("dest", "destination"):
        return _undesa_wide(records)
    raise ImportFailed(
        [
            Problem(
                header_line,
                None,
                "not a UN DESA migrant stock table: expected the wide layout "
                "`Year, Dest, <origin countries>` "
                "or the long layout `year, origin, destination, value`",
            )
        ]
    )


def _undesa_wide(records: list[tuple[int, list[str]]]) -> Parsed:
    problems = _Problems()
    header_line, header = records[0]
    origins: list[str | None] = []
    for position, name in enumerate(header[2:], start=3):
        if normalise(name) in AGGREGATES:
            origins.append(None)
            continue
        code = iso3_from_name(name)
        if code is None:
            problems.add(header_line, position, f"unknown country of origin {name!r}", name)
        origins.append(code)
    parsed = Parsed()
    for line, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.add(line, None, f"{len(cells)} columns where the header has {len(header)}")
            continue
        try:
            year = _year(cells[0])
        except ValueError:
            problems.add(line, 1, f"not a year: {cells[0]!r}", header[0])
            continue
        if normalise(cells[1]) in AGGREGATES:
            parsed.skip("aggregate destination")
            continue
        destination = _code_or_name(cells[1])
        if destination is None:
            problems.add(line, 2, f"unknown country of destination {cells[1]!r}", header[1])
            continue
        for position, (origin, raw) in enumerate(zip(origins, cells[2:], strict=True), start=3):
            if origin is None:
                continue
            try:
                value = _count(raw)
            except ValueError:
                problems.add(line, position, f"not a number of migrants: {raw!r}", header[position - 1])
                continue
            if value is None:
                parsed.skip("not available")
                continue
            parsed.keep(
                {"origin": origin, "destination": destination, "year": year, "value": value},
                line=line,
                column=position,
                problems=problems,
            )
    problems.raise_if_any()
    return parsed


def _undesa_long(records: list[tuple[int, list[str]]], columns: dict[str, int]) -> Parsed:
    problems = _Problems()
    header = records[0][1]
    parsed = Parsed()
    for line, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            problems.add(line, None, f"{len(cells)} columns where the header has {len(header)}")
            continue
        row: dict[str, Any] = {}
        bad = False
        for key in ("origin", "destination"):
            raw = cells[columns[key]]
            if normalise(raw) in AGGREGATES:
                parsed.skip(f"aggregate {key}")
                bad = True
                break
            code = _code_or_name(raw)
            if code is None:
                problems.add(line, columns[key] + 1, f"unknown country {raw!r}", header[columns[key]])
                bad = True
                break
            row[key] = code
        if bad:
            continue
        try:
            row["year"] = _year(cells[columns["year"]])
        except ValueError:
            problems.add(
                line, columns["year"] + 1, f"not a year: {cells[columns['year']]!r}", header[columns["year"]]
            )
            continue
        try:
            value = _count(cells[columns["value"]])
        except ValueError:
            problems.add(
                line,
                columns["value"] + 1,
                f"not a number: {cells[columns['value']]!r}",
                header[columns["value"]],
            )
            continue
        if value is None:
            parsed.skip("not available")
            continue
        row["value"] = value
        parsed.keep(row, line=line, column=None, problems=problems)
    problems.raise_if_any()
    return parsed


# --- UNHCR --------------------------------------------------------------------------------------------------

_UNHCR_HEADERS = {
    "year": ("year",),
    "origin": ("orig", "origin", "country of origin (iso)", "coo_iso", "iso3 origin"),
    "destination": ("dest", "destination", "asylum", "country of asylum (iso)", "coa_iso", "iso3 asylum"),
    "refugees": ("refugees", "refugees under unhcr's mandate", "refugees under unhcr’s mandate"),
    "asylum_seekers": ("asylum_seekers", "asylum seekers", "asylum-seekers"),
}


def read_unhcr_bilateral(data: bytes) -> Parsed:
    """UNHCR refugees and asylum seekers by origin and destination into rows
    {origin, destination, year, refugees, asylum_seekers}."""
    records = list(_csv_rows(_text(data)))
    if not records:
        raise ImportFailed([Problem(1, None, "the file is empty")])
    header_line, header = records[0]
    columns = _header_map(header, _UNHCR_HEADERS)
    missing = [key for key in _UNHCR_HEADERS if key not in columns]
    if missing:
        raise ImportFailed(
            [
                Problem(
                    header_line,
                    None,
                    f"missing column(s) {', '.join(missing)}: expected year, orig, dest, "
                    "refugees, asylum_seekers",
                )
            ]
        )
    problems = _Problems()
    parsed = Parsed()
    for line, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            problems.add(line, None, f"{len(cells)} columns where the header has {len(header)}")
            continue
        row: dict[str, Any] = {}
        try:
            row["year"] = _year(cells[columns["year"]])
        except ValueError:
            problems.add(line, columns["year"] + 1, f"not a year: {cells[columns['year']]!r}", "year")
            continue
        ok = True
        for key in ("origin", "destination"):
            raw = cells[columns[key]].strip()
            if raw == "":
                row[key] = ""  # UNHCR gives no country for some figures: kept as "various or unknown"
                continue
            if not re.fullmatch(r"[A-Z]{3}", raw):
                problems.add(
                    line, columns[key] + 1, f"not a three-letter country code: {raw!r}", header[columns[key]]
                )
                ok = False
                break
            row[key] = raw
        if not ok:
            continue
        for key in ("refugees", "asylum_seekers"):
            raw = cells[columns[key]]
            try:
                value = _count(raw)
            except ValueError:
                problems.add(line, columns[key] + 1, f"not a number: {raw!r}", header[columns[key]])
                ok = False
                break
            row[key] = value or 0
        if not ok:
            continue
        parsed.keep(row, line=line, column=None, problems=problems)
    problems.raise_if_any()
    return parsed


# --- IOM Missing Migrants -----------------------------------------------------------------------------------

_MMP_FIELDS = {
    "incident_id": ("web_id", "incident id", "incident_id", "main id", "id"),
    "reported_on": ("reported_date", "reported date", "incident date", "date"),
    "year": ("year", "incident year", "reported year"),
    "region": ("region", "region of incident", "region of origin"),
    "country": ("country_of_incident", "country of incident", "country"),
    "route": ("migration_route", "migration route", "migrantion route"),
    "dead": ("number_dead", "number of dead", "number dead", "dead"),
    "missing": ("number_missing", "minimum estimated number of missing", "number missing", "missing"),
    "total": ("total_dead_and_missing", "total number of dead and missing", "total dead and missing"),
    "children": ("number_of_children", "number of children"),
    "coordinates": ("location_coodinates", "location_coordinates", "coordinates", "location coordinates"),
    "cause": ("cause_death", "cause of death"),
    "location": ("location_description", "location description", "location of death"),
}


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_missing_migrants(data: bytes) -> Parsed:
    """Missing Migrants Project incidents (JSON array or CSV) into rows {incident_id, reported_on, year,
    region, country, route, dead, missing, children, latitude, longitude, cause, location}."""
    text = _text(data)
    if text.lstrip().startswith("["):
        return _mmp_records(_json_records(text))
    records = list(_csv_rows(text))
    if not records:
        raise ImportFailed([Problem(1, None, "the file is empty")])
    header = records[0][1]

    def as_dicts() -> Iterator[tuple[int, int | None, dict[str, str], dict[str, int]]]:
        positions = {normalise(h): n + 1 for n, h in enumerate(header)}
        for line, cells in records[1:]:
            if any(c.strip() for c in cells):
                yield line, None, {normalise(h): v for h, v in zip(header, cells, strict=False)}, positions

    return _mmp_records(as_dicts())


def _json_records(text: str) -> Iterator[tuple[int, int | None, dict[str, Any], dict[str, int]]]:
    """(line, column, object, {}) for each element of a JSON array, located where it starts."""
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    index = 0
    # Lines counted as we go: one file of ten thousand incidents on a single line is common.
    counted_to, lines_before, line_start = 0, 0, 0

    def locate(offset: int) -> tuple[int, int]:
        nonlocal counted_to, lines_before, line_start
        lines_before += text.count("\n", counted_to, offset)
        newline = text.rfind("\n", counted_to, offset)
        if newline >= 0:
            line_start = newline + 1
        counted_to = offset
        return lines_before + 1, offset - line_start + 1

    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text):
            line, column = _line_and_column(text, position)
            raise ImportFailed([Problem(line, column, "the JSON array is not closed")])
        if text[position] == "]":
            return
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise ImportFailed([Problem(exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")]) from None
        line, column = locate(position)
        index += 1
        if not isinstance(value, dict):
            raise ImportFailed([Problem(line, column, f"incident {index} is not an object")])
        yield line, column, {normalise(k): v for k, v in value.items()}, {}
        position = end


def _pick(record: dict[str, Any], key: str) -> Any:
    for alias in _MMP_FIELDS[key]:
        if alias in record:
            return record[alias]
    return None


def _mmp_records(records: Iterator[tuple[int, int | None, dict[str, Any], dict[str, int]]]) -> Parsed:
    problems = _Problems()
    parsed = Parsed()
    # A negative number of missing (or dead) is the source's correction record: people first reported
    # missing and later found dead move from one count to the other. Kept, so that sums come out right.
    for number, (line, column, record, positions) in enumerate(records, start=1):

        def complain(
            key: str,
            message: str,
            record: dict[str, Any] = record,
            positions: dict[str, int] = positions,
            line: int = line,
            column: int | None = column,
            number: int = number,
        ) -> None:
            where, name = column, key
            for alias in _MMP_FIELDS[key]:
                if alias in record:
                    where, name = positions.get(alias, column), alias
                    break
            problems.add(line, where, f"incident {number}: {message}", name)

        incident_id = str(_pick(record, "incident_id") or "").strip()
        reported_raw = str(_pick(record, "reported_on") or "").strip()
        reported_on = None
        if reported_raw:
            try:
                reported_on = date.fromisoformat(reported_raw[:10])
            except ValueError:
                complain("reported_on", f"not a date YYYY-MM-DD: {reported_raw!r}")
                continue
        year = reported_on.year if reported_on else None
        year_raw = str(_pick(record, "year") or "").strip()
        if year is None and year_raw:
            try:
                year = _year(year_raw)
            except ValueError:
                complain("year", f"not a year: {year_raw!r}")
                continue
        if year is None and re.match(r"\d{4}\.", incident_id):
            year = int(incident_id[:4])  # the web id starts with the year it was recorded
        numbers: dict[str, int | None] = {}
        bad = False
        for key in ("dead", "missing", "total", "children"):
            raw = _pick(record, key)
            try:
                numbers[key] = _count(str(raw), negative=key != "children") if raw is not None else None
            except ValueError:
                complain(key, f"not a number of people: {raw!r}")
                bad = True
                break
        if bad:
            continue
        dead, missing = numbers["dead"] or 0, numbers["missing"] or 0
        if numbers["dead"] is None and numbers["missing"] is None and numbers["total"]:
            dead = numbers["total"] or 0  # only the total given: counted as dead and missing together
        country_raw = str(_pick(record, "country") or "")
        country = ""
        if normalise(country_raw) not in NO_COUNTRY:
            code = _code_or_name(country_raw)
            if code is None:
                complain("country", f"unknown country of incident {country_raw!r}")
                continue
            country = code
        latitude = longitude = None
        coordinates = str(_pick(record, "coordinates") or "").strip()
        if coordinates:
            found = _coordinates(coordinates)
            if found is None:
                complain("coordinates", f"not coordinates 'latitude, longitude': {coordinates!r}")
                continue
            latitude, longitude = found
        parsed.rows.append(
            {
                "incident_id": incident_id[:40],
                "reported_on": reported_on,
                "year": year,
                "region": str(_pick(record, "region") or "").strip()[:80],
                "country": country,
                "route": str(_pick(record, "route") or "").strip()[:120],
                "dead": dead,
                "missing": missing,
                "children": numbers["children"],
                "latitude": latitude,
                "longitude": longitude,
                "cause": str(_pick(record, "cause") or "").strip()[:300],
                "location": str(_pick(record, "location") or "").strip(),
            }
        )
    problems.raise_if_any()
    return parsed


def _coordinates(text: str) -> tuple[float, float] | None:
    point = re.fullmatch(r"POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)", text, re.IGNORECASE)
    if point:
        longitude, latitude = float(point.group(1)), float(point.group(2))
    else:
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 2:
            return None
        try:
            latitude, longitude = float(parts[0]), float(parts[1])
        except ValueError:
            return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


READERS = {
    "undesa-stock": read_undesa_stock,
    "unhcr-bilateral": read_unhcr_bilateral,
    "missing-migrants": read_missing_migrants,
}
