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
import html
import io
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pycountry

from corredor.icao.resolve import resolve_country as shared_resolve

MAX_PROBLEMS = 25


def normalise(name: str) -> str:
    """The form headers and names are compared in: entities decoded, typographic apostrophes straightened,
    spaces collapsed, casefolded."""
    text = html.unescape(name or "")
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


# UN regional, development and income aggregates that appear among countries in the UN DESA tables (and
# the headings of their groups): recognised, skipped and counted, never read as countries. "Micronesia"
# alone is the region; the country is written "Micronesia (Fed. States of)".
AGGREGATES = {
    normalise(name)
    for name in (
        "World",
        "WORLD",
        "Total",
        "Other",
        "Other North",
        "Other South",
        "Not specified",
        "Unknown",
        "Various/unknown",
        "Various",
        "Stateless",
        "Sustainable Development Goal (SDG) regions",
        "SDG regions",
        "Geographic regions",
        "UN development groups",
        "World Bank income groups",
        "Development groups",
        "Income groups",
        "Sub-Saharan Africa",
        "Northern Africa and Western Asia",
        "Central and Southern Asia",
        "Eastern and South-Eastern Asia",
        "Latin America and the Caribbean",
        "Oceania (excluding Australia and New Zealand)",
        "Oceania (excluding Australia and New Zealand)*",
        "Australia and New Zealand",
        "Australia/New Zealand",
        "Europe and Northern America",
        "Developed regions",
        "Developing regions",
        "More developed regions",
        "Less developed regions",
        "Least developed countries",
        "Less developed regions, excluding least developed countries",
        "Less developed regions, excluding China",
        "Less developed regions excluding least developed countries",
        "High-income countries",
        "Middle-income countries",
        "Upper-middle-income countries",
        "Lower-middle-income countries",
        "Low-income countries",
        "Low-and-middle-income countries",
        "Low-and-Lower-middle-income countries",
        "No income group available",
        "Land-locked Developing Countries (LLDC)",
        "Landlocked developing countries (LLDC)",
        "Small island developing States (SIDS)",
        "Small Island Developing States (SIDS)",
        "Africa",
        "Asia",
        "Europe",
        "Oceania",
        "Americas",
        "Northern America",
        "NORTHERN AMERICA",
        "Latin America and the Caribbean",
        "LATIN AMERICA AND THE CARIBBEAN",
        "AFRICA",
        "ASIA",
        "EUROPE",
        "OCEANIA",
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
        "South-eastern Asia",
        "Southern Asia",
        "Western Asia",
        "Eastern Europe",
        "Northern Europe",
        "Southern Europe",
        "Western Europe",
        "Melanesia",
        "Micronesia",
        "Micronesia (region)",
        "Polynesia",
    )
}

# UN M49 codes of areas that are no ISO 3166 country but are countries or areas in UN DESA tables.
M49_AREAS = {830: "CHI", 412: "XKX"}
# M49's geographic regions below 900 (continents, sub-regions, intermediate regions); UN DESA's own
# groups (development, income, SDG regions) are numbered from 900 up.
M49_REGIONS = {1, 2, 5, 9, 11, 13, 14, 15, 17, 18, 19, 21, 29, 30, 34, 35, 39, 53, 54, 57, 61, 142, 143, 145}
M49_REGIONS |= {150, 151, 154, 155, 202, 419}

# What a Missing Migrants incident may give as its country when it gives none: seas, "Mixed/Unknown".
# The incident is kept (its dead and missing count), without a country, and counted in the report.
NO_COUNTRY = {
    normalise(n)
    for n in (
        "",
        "Unknown",
        "Mixed",
        "Mixed/Unknown",
        "Mixed/unknown",
        "Unknown/Mixed",
        "Mediterranean",
        "Mediterranean Sea",
        "Central Mediterranean",
        "Western Mediterranean",
        "Eastern Mediterranean",
        "Atlantic Ocean",
        "Caribbean Sea",
        "Gulf of Aden",
        "Red Sea",
        "Andaman Sea",
        "Bay of Bengal",
        "English Channel",
        "International waters",
        "Multiple",
        "Various",
    )
}

_FOOTNOTE = re.compile(r"(\s*(\*+|[\u00b9\u00b2\u00b3\u2070-\u2079]+|\(\d{1,2}\)|\[\d{1,2}\]))+$")


def clean_name(raw: str) -> str:
    """A name without the footnote markers statistical tables append ("Sudan*", "Cyprus (3)", "Kosovo¹")."""
    return _FOOTNOTE.sub("", raw.strip()).strip()


# Areas the shared resolver does not take for one country, that the UN DESA and UNHCR tables do.
LOCAL_AREAS = {"channel islands": "CHI", "tibetan": "TIB"}
# The stand-ins these tables have always been stored under (ICAO's RKS is XKX in the UN's datasets).
STORED_AS = {"RKS": "XKX"}


def is_aggregate(raw: str) -> bool:
    """A world, regional, development or income group, or a group heading, in the UN DESA tables."""
    name = normalise(clean_name(raw))
    if name in LOCAL_AREAS:
        return False
    if normalise(raw) in AGGREGATES or name in AGGREGATES:
        return True
    found = shared_resolve(clean_name(raw))
    return found.kind == "aggregate" and found.aggregate is not None and found.aggregate.kind != "stateless"


def resolve_country(raw: str) -> str | None:
    """The alpha-3 code of a country name or code as the public datasets write it, or None: the shared
    resolver (corredor.icao.resolve), after the tables' footnote markers and qualifiers are taken off."""
    text = clean_name(raw)
    if normalise(text) in LOCAL_AREAS:
        return LOCAL_AREAS[normalise(text)]
    for candidate in (text, re.sub(r"\s*\([^)]*\)$", "", text)):
        found = shared_resolve(candidate)
        if found.kind == "country" and found.code:
            return STORED_AS.get(found.code, found.code)
    return None


def m49_place(raw: str) -> tuple[str, str | None]:
    """What a UN M49 location code names: ("country", alpha-3), ("aggregate", None) for a region or
    group, ("", None) for no code or one that is neither. M49 gives countries their ISO 3166 numeric
    code; regions and UN DESA's groups have codes of their own."""
    text = raw.strip()
    if not re.fullmatch(r"\d{1,4}(\.0+)?", text):
        return "", None
    number = int(float(text))
    if number in M49_AREAS:
        return "country", M49_AREAS[number]
    country = pycountry.countries.get(numeric=f"{number:03d}")
    if country is not None:
        return "country", country.alpha_3
    if number >= 900 or number in M49_REGIONS:
        return "aggregate", None
    return "", None


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
    """The rows read from a file, what was skipped on purpose (aggregates, values not available) and the
    values not understood (`unknown`: each with its line; their rows are left out, the rest imported)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    noted: dict[str, int] = field(default_factory=dict)  # kept, but worth saying (no single country)
    unknown: list[Problem] = field(default_factory=list)
    unknown_count: int = 0
    lines: int = 0  # data lines (or JSON records) read
    _lines: dict[tuple[str, str, int], int] = field(default_factory=dict, repr=False)

    def skip(self, why: str, n: int = 1) -> None:
        self.skipped[why] = self.skipped.get(why, 0) + n

    def note(self, why: str, n: int = 1) -> None:
        self.noted[why] = self.noted.get(why, 0) + n

    def flag(self, line: int, column: int | None, message: str, field_name: str = "", *, n: int = 1) -> None:
        """A value not understood: reported with its line, not fatal."""
        self.unknown_count += n
        if len(self.unknown) < MAX_PROBLEMS:
            self.unknown.append(Problem(line, column, message, field_name))

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
# Not available in the source: "..", "-" (nil or not available), "*" (UNHCR: withheld, fewer than five).
MISSING_VALUES = {"", "..", "...", "-", "–", "—", "*", "n/a", "na", "x", "nan", "none", "null"}


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

# The published tables' own headers (2015, 2017, 2019: one column per origin, a year column; 2020 and
# later: origin and destination as rows, one column per year, then the same years again by sex).
_DESTINATION_NAME = (
    "dest",
    "destination",
    "country or area of destination",
    "major area, region, country or area of destination",
    "region, development group, country or area of destination",
    "region, subregion, country or area of destination",
    "region, development group, country or area of destination (a)",
)
_ORIGIN_NAME = (
    "origin",
    "country or area of origin",
    "major area, region, country or area of origin",
    "region, development group, country or area of origin",
    "region, subregion, country or area of origin",
)
_DESTINATION_CODE = ("code", "location code of destination", "country code", "location code", "dest code")
_ORIGIN_CODE = ("location code of origin", "origin code")
# Columns of the published tables that are neither places nor figures.
_META = (
    "sort order",
    "index",
    "notes",
    "notes of destination",
    "notes of origin",
    "type of data",
    "type of data (a)",
    "type of data of destination",
    "type of data of destination (a)",
)
HEADER_SEARCH = 40  # title lines the published tables put above their header


def _header_map(header: list[str], wanted: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    found: dict[str, int] = {}
    names = [normalise(h) for h in header]
    for key, aliases in wanted.items():
        for position, name in enumerate(names):
            if name in aliases:
                found[key] = position
                break
    return found


@dataclass
class _Layout:
    """Where a UN DESA table keeps what: `mode` "origins" (one value column per origin), "years" (one per
    year) or "long" (one value column)."""

    mode: str
    header_line: int
    header: list[str]
    year: int | None = None
    destination: int = 0
    destination_code: int | None = None
    origin: int | None = None
    origin_code: int | None = None
    value: int | None = None
    columns: list[tuple[int, Any]] = field(default_factory=list)  # (position, origin or year)
    later_years: int = 0  # year columns repeated (the tables by sex that follow both sexes)


def _find(names: list[str], wanted: tuple[str, ...]) -> int | None:
    for position, name in enumerate(names):
        if name in wanted:
            return position
    return None


def _year_heading(name: str) -> int | None:
    match = re.fullmatch(r"(\d{4})(\.0+)?", name.strip())
    return int(match.group(1)) if match and 1900 <= int(match.group(1)) <= 2100 else None


def _undesa_layout(line: int, header: list[str]) -> _Layout | None:
    names = [normalise(clean_name(h)) for h in header]
    long_columns = _header_map(header, _LONG_HEADERS)
    if len(long_columns) == 4:
        return _Layout(
            "long",
            line,
            header,
            year=long_columns["year"],
            destination=long_columns["destination"],
            origin=long_columns["origin"],
            value=long_columns["value"],
        )
    destination = _find(names, _DESTINATION_NAME)
    if destination is None:
        return None
    origin = _find(names, _ORIGIN_NAME)
    year = _find(names, ("year", "time"))
    destination_code = _find(names, _DESTINATION_CODE)
    origin_code = _find(names, _ORIGIN_CODE)
    if origin is not None:
        columns: list[tuple[int, Any]] = []
        seen: set[int] = set()
        later = 0
        for position, name in enumerate(names):
            heading = _year_heading(name)
            if heading is None:
                continue
            if heading in seen:
                later += 1
                continue
            seen.add(heading)
            columns.append((position, heading))
        if not columns:
            return None
        return _Layout(
            "years",
            line,
            header,
            destination=destination,
            destination_code=destination_code,
            origin=origin,
            origin_code=origin_code,
            columns=columns,
            later_years=later,
        )
    if year is None:
        return None
    meta = {year, destination, *(p for p in (destination_code,) if p is not None)}
    meta |= {p for p, name in enumerate(names) if name in _META}
    first_value = max(meta) + 1
    columns = [(p, header[p]) for p in range(first_value, len(header)) if header[p].strip()]
    if not columns:
        return None
    return _Layout(
        "origins",
        line,
        header,
        year=year,
        destination=destination,
        destination_code=destination_code,
        columns=columns,
    )


def _place(name: str, code: str = "") -> tuple[str, str | None]:
    """("country", alpha-3), ("aggregate", None) or ("unknown", None) for a place as a UN table gives it,
    by its name and, where the table has one, its M49 location code (which tells the region Micronesia,
    057, from the country, 583)."""
    if is_aggregate(name):
        return "aggregate", None
    kind, country = m49_place(code) if code else ("", None)
    if kind == "country":
        return "country", country
    found = resolve_country(name)
    if found is not None:
        return "country", found
    if kind == "aggregate":
        return "aggregate", None  # a region or group code under a name of its own
    return "unknown", None


def _cell(cells: list[str], position: int | None) -> str:
    return cells[position] if position is not None and position < len(cells) else ""


def read_undesa_stock(data: bytes) -> Parsed:
    """UN DESA origin-destination migrant stock into rows {origin, destination, year, value}: the clean
    wide layout (`Year, Dest, <origins>`), the published tables of 2015-2019 (title lines, `Sort order`,
    `Notes`, `Code`, `Type of data`, then Total, Other North, Other South and one column per origin), those
    of 2020 and later (origin and destination as rows with their location codes, one column per year, the
    years by sex after them) and the long layout (`year, origin, destination, value`)."""
    records = list(_csv_rows(_text(data)))
    if not records:
        raise ImportFailed([Problem(1, None, "the file is empty")])
    for position, (line, cells) in enumerate(records[:HEADER_SEARCH]):
        layout = _undesa_layout(line, cells)
        if layout is not None:
            parsed = Parsed()
            if position:
                parsed.skip("title lines", position)
            return _undesa_read(layout, records[position + 1 :], parsed)
    raise ImportFailed(
        [
            Problem(
                records[0][0],
                None,
                "not a UN DESA migrant stock table: expected the wide layout "
                "`Year, Dest, <origin countries>` (or the published one with "
                "`Major area, region, country or area of destination`), the "
                "layout by year with origin and destination as rows, or the long layout "
                "`year, origin, destination, value`",
            )
        ]
    )


def _undesa_read(layout: _Layout, records: list[tuple[int, list[str]]], parsed: Parsed) -> Parsed:
    problems = _Problems()
    header = layout.header
    origins: list[tuple[int, str | None]] = []
    if layout.mode == "origins":
        for position, name in layout.columns:
            kind, code = _place(name)
            if kind == "aggregate":
                parsed.skip("aggregate columns")
                continue
            if kind == "unknown":
                parsed.flag(layout.header_line, position + 1, f"unknown country of origin {name!r}", name)
            origins.append((position, code))
    elif layout.later_years:
        parsed.skip("columns by sex (not imported)", layout.later_years)
    for line, cells in records:
        filled = sum(1 for c in cells if c.strip())
        if filled == 0:
            continue
        if filled == 1 and not _cell(cells, layout.destination).strip():
            parsed.skip("notes and headings")  # footnotes under the table, a group's heading
            continue
        parsed.lines += 1
        destination_name = _cell(cells, layout.destination)
        kind, destination = _place(destination_name, _cell(cells, layout.destination_code))
        origin: str | None = None
        if kind == "country" and layout.origin is not None:
            kind, origin = _place(_cell(cells, layout.origin), _cell(cells, layout.origin_code))
            if kind == "unknown":
                name = _cell(cells, layout.origin)
                parsed.flag(
                    line, layout.origin + 1, f"unknown country of origin {name!r}", header[layout.origin]
                )
                parsed.skip("unknown country")
                continue
        elif kind == "unknown":
            if not destination_name.strip():
                parsed.skip("notes and headings")
                continue
            parsed.flag(
                line,
                layout.destination + 1,
                f"unknown country of destination {destination_name!r}",
                header[layout.destination],
            )
            parsed.skip("unknown country")
            continue
        if kind == "aggregate":
            parsed.skip("aggregate rows")
            continue
        assert destination is not None
        year: int | None = None
        if layout.year is not None:
            raw_year = _cell(cells, layout.year)
            try:
                year = _year(raw_year)
            except ValueError:
                problems.add(line, layout.year + 1, f"not a year: {raw_year!r}", header[layout.year])
                continue
        if layout.mode == "long":
            assert layout.value is not None and origin is not None and year is not None
            figures: list[tuple[int, str | None, int]] = [(layout.value, origin, year)]
        elif layout.mode == "years":
            figures = [(position, origin, heading) for position, heading in layout.columns]
        else:
            assert year is not None
            figures = [(position, code, year) for position, code in origins]
        for position, figure_origin, figure_year in figures:
            raw = _cell(cells, position)
            if figure_origin is None:
                if raw.strip() and raw.strip() not in MISSING_VALUES:
                    parsed.skip("unknown country")
                continue
            try:
                value = _count(raw)
            except ValueError:
                problems.add(line, position + 1, f"not a number of migrants: {raw!r}", header[position])
                continue
            if value is None:
                parsed.skip("not available")
                continue
            parsed.keep(
                {"origin": figure_origin, "destination": destination, "year": figure_year, "value": value},
                line=line,
                column=position + 1 if layout.mode != "long" else None,
                problems=problems,
            )
    problems.raise_if_any()
    return parsed


# --- UNHCR --------------------------------------------------------------------------------------------------

_UNHCR_HEADERS = {
    "year": ("year",),
    "origin": ("orig", "origin", "country of origin (iso)", "coo_iso", "iso3 origin", "origin (iso)"),
    "destination": (
        "dest",
        "destination",
        "asylum",
        "country of asylum (iso)",
        "coa_iso",
        "iso3 asylum",
        "asylum (iso)",
    ),
    "refugees": (
        "refugees",
        "refugees under unhcr's mandate",
        "refugees under unhcr’s mandate",
        "refugees (incl. refugee-like situations)",
    ),
    "asylum_seekers": (
        "asylum_seekers",
        "asylum seekers",
        "asylum-seekers",
        "asylum-seekers (pending cases)",
    ),
}
# UNHCR's names of the same columns, used when a file has no ISO code columns.
_UNHCR_NAMES = {
    "origin": ("country of origin", "origin name", "coo_name", "coo"),
    "destination": ("country of asylum", "country / territory of asylum/residence", "coa_name", "coa"),
}
# Codes UNHCR writes where it gives no single country: various or unknown.
UNHCR_NO_COUNTRY = {"", "-", "UNK", "VAR", "XXX"}


def read_unhcr_bilateral(data: bytes) -> Parsed:
    """UNHCR refugees and asylum seekers by origin and destination into rows
    {origin, destination, year, refugees, asylum_seekers}: the short layout (`year, orig, dest, refugees,
    asylum_seekers`) or the Refugee Data Finder's download (title lines above the header, country names
    beside their ISO codes, more populations in columns not imported, `-` for none, `*` withheld)."""
    records = list(_csv_rows(_text(data)))
    if not records:
        raise ImportFailed([Problem(1, None, "the file is empty")])
    found = None
    for position, (line, header) in enumerate(records[:HEADER_SEARCH]):
        columns = _header_map(header, _UNHCR_HEADERS)
        names = _header_map(header, _UNHCR_NAMES)
        for key in ("origin", "destination"):
            if key not in columns and key in names:
                columns[key] = names[key]
                columns[f"{key}_by_name"] = names[key]
        if all(key in columns for key in _UNHCR_HEADERS):
            found = position, line, header, columns
            break
    if found is None:
        line, header = records[0]
        missing = [key for key in _UNHCR_HEADERS if key not in _header_map(header, _UNHCR_HEADERS)]
        raise ImportFailed(
            [
                Problem(
                    line,
                    None,
                    f"missing column(s) {', '.join(missing)}: expected year, orig, dest, "
                    "refugees, asylum_seekers (or the Refugee Data Finder's columns)",
                )
            ]
        )
    position, _header_line, header, columns = found
    problems = _Problems()
    parsed = Parsed()
    if position:
        parsed.skip("title lines", position)
    for line, cells in records[position + 1 :]:
        if not any(c.strip() for c in cells):
            continue
        parsed.lines += 1
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
            if raw.upper() in UNHCR_NO_COUNTRY or is_aggregate(raw):
                row[key] = ""  # UNHCR gives no country for some figures: kept as "various or unknown"
                parsed.note(f"{key} various or unknown")
                continue
            if f"{key}_by_name" in columns:
                code = resolve_country(raw)
            else:
                code = raw if re.fullmatch(r"[A-Z]{3}", raw) else None
            if code is None:
                parsed.flag(line, columns[key] + 1, f"unknown country code {raw!r}", header[columns[key]])
                parsed.skip("unknown country")
                ok = False
                break
            row[key] = code
        if not ok:
            continue
        not_given = 0
        for key in ("refugees", "asylum_seekers"):
            raw = cells[columns[key]]
            try:
                value = _count(raw)
            except ValueError:
                problems.add(line, columns[key] + 1, f"not a number: {raw!r}", header[columns[key]])
                ok = False
                break
            not_given += value is None
            row[key] = value or 0
        if not ok:
            continue
        if not_given == 2:
            parsed.skip("not available")
            continue
        parsed.keep(row, line=line, column=None, problems=problems)
    problems.raise_if_any()
    return parsed


# --- IOM Missing Migrants -----------------------------------------------------------------------------------

_MMP_FIELDS = {
    "incident_id": ("web_id", "incident id", "incident_id", "main id", "id"),
    "reported_on": ("reported_date", "reported date", "incident date", "date", "website date"),
    "year": ("year", "incident year", "reported year", "incident_year"),
    "region": ("region", "region of incident", "region of origin"),
    "country": ("country_of_incident", "country of incident", "country"),
    "route": ("migration_route", "migration route", "migrantion route"),
    "dead": ("number_dead", "number of dead", "number dead", "dead"),
    "missing": ("number_missing", "minimum estimated number of missing", "number missing", "missing"),
    "total": ("total_dead_and_missing", "total number of dead and missing", "total dead and missing"),
    "children": ("number_of_children", "number of children"),
    "coordinates": ("location_coodinates", "location_coordinates", "coordinates", "location coordinates"),
    "cause": ("cause_death", "cause of death"),
    "location": (
        "location_description",
        "location description",
        "location of death",
        "location of incident",
    ),
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

    hxl = 0

    def as_dicts() -> Iterator[tuple[int, int | None, dict[str, str], dict[str, int]]]:
        nonlocal hxl
        positions = {normalise(h): n + 1 for n, h in enumerate(header)}
        for line, cells in records[1:]:
            filled = [c.strip() for c in cells if c.strip()]
            if not filled:
                continue
            if all(c.startswith("#") for c in filled):
                hxl += 1  # HDX's row of HXL hashtags under the header
                continue
            yield line, None, {normalise(h): v for h, v in zip(header, cells, strict=False)}, positions

    parsed = _mmp_records(as_dicts())
    if hxl:
        parsed.skip("HXL hashtag row", hxl)
    return parsed


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


def _where(
    record: dict[str, Any], positions: dict[str, int], key: str, column: int | None
) -> tuple[int | None, str]:
    for alias in _MMP_FIELDS[key]:
        if alias in record:
            return positions.get(alias, column), alias
    return column, key


def _incident_date(raw: str) -> date | None:
    """An incident's date: ISO (2019-03-14, or with a time after it) or as older exports print it
    ("Thu, 03/14/2019 - 12:00", month first)."""
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        pass
    found = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", raw)
    if found:
        try:
            return date(int(found.group(3)), int(found.group(1)), int(found.group(2)))
        except ValueError:
            return None
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

        parsed.lines += 1
        incident_id = str(_pick(record, "incident_id") or "").strip()
        reported_raw = str(_pick(record, "reported_on") or "").strip()
        reported_on = _incident_date(reported_raw) if reported_raw else None
        if reported_raw and reported_on is None:
            # Fail open: the incident counts; its date is reported, and its year taken from elsewhere.
            where, name = _where(record, positions, "reported_on", column)
            parsed.flag(line, where, f"incident {number}: not a date: {reported_raw!r}", name)
        year = reported_on.year if reported_on else None
        year_raw = str(_pick(record, "year") or "").strip()
        if year is None and year_raw:
            try:
                year = _year(year_raw.split(".")[0])
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
        if normalise(clean_name(country_raw)) in NO_COUNTRY:
            if country_raw.strip():
                parsed.note("incidents without a country: " + clean_name(country_raw))
        else:
            code = resolve_country(country_raw)
            if code is None:
                # Kept without a country (its dead and missing still count), and reported.
                where, name = _where(record, positions, "country", column)
                parsed.flag(
                    line, where, f"incident {number}: unknown country of incident {country_raw!r}", name
                )
            else:
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
