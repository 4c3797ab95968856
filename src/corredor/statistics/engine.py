"""The analytics engine: DuckDB queries over the Parquet extract, with dimensions and measures as data.

A query names measures, the dimensions to break them down by (`by`), a date range and filters. Event
measures (crossings, entries, refusals...) count effective crossings (a corrected crossing stops counting)
by the local day at the post; stock measures (people in the country, overstays) count spells of stay
present at the end of each period; the overstay rate counts the stays whose authorised end fell in each
period and how many of them were still in the country the day after. Margins (totals over each
dimension, and their combinations) come from DuckDB's CUBE, so they are exact also for measures that do
not add up (distinct travellers). The period is never totalled: each period is a table of its own.

The answer is a dense array per measure (axes in the order of `by`, the period first) that the disclosure
module protects before anything is shown or written.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corredor.core.errors import ApplicationError
from corredor.statistics import disclosure, regions
from corredor.statistics.extract import Manifest, stats_dir

TOTAL = "_T"
UNKNOWN = "_U"
NOT_REFUSED = "_Z"  # the refusal ground of a crossing that is no refusal (SDMX's "not applicable")

# --- dimensions -------------------------------------------------------------------------------------------

AGE_BANDS = ("0-11", "12-17", "18-29", "30-44", "45-59", "60+")
CHILD_BANDS = ("0-11", "12-17")


def _age_band_sql(column: str) -> str:
    return (
        f"CASE WHEN {column} IS NULL THEN '{UNKNOWN}' WHEN {column} < 12 THEN '0-11' "
        f"WHEN {column} < 18 THEN '12-17' WHEN {column} < 30 THEN '18-29' WHEN {column} < 45 THEN '30-44' "
        f"WHEN {column} < 60 THEN '45-59' ELSE '60+' END"
    )


@dataclass(frozen=True)
class Dimension:
    """A way to break figures down. `events` and `spells` are SQL expressions over the crossings (alias
    e) and the spells of stay (alias s); None where the dimension does not apply."""

    code: str
    label: Any
    events: str | None
    spells: str | None
    hxl: str
    sdmx: str
    period: str | None = None  # DuckDB date_trunc unit for period dimensions


PERIODS = ("day", "month", "quarter", "year")

DIMENSIONS: dict[str, Dimension] = {
    d.code: d
    for d in (
        Dimension("day", gettext_lazy("Day"), None, None, "#date", "TIME_PERIOD", "day"),
        Dimension("month", gettext_lazy("Month"), None, None, "#date+month", "TIME_PERIOD", "month"),
        Dimension("quarter", gettext_lazy("Quarter"), None, None, "#date+quarter", "TIME_PERIOD", "quarter"),
        Dimension("year", gettext_lazy("Year"), None, None, "#date+year", "TIME_PERIOD", "year"),
        Dimension("post", gettext_lazy("Border post"), "e.post", "s.post", "#loc+name+code", "BORDER_POST"),
        Dimension(
            "post_kind", gettext_lazy("Kind of post"), "e.post_kind", "s.post_kind", "#loc+type", "POST_TYPE"
        ),
        Dimension(
            "direction", gettext_lazy("Direction"), "e.direction", None, "#indicator+direction", "DIRECTION"
        ),
        Dimension(
            "decision", gettext_lazy("Decision"), "e.decision", None, "#indicator+decision", "DECISION"
        ),
        Dimension(
            "nationality",
            gettext_lazy("Nationality"),
            "e.nationality",
            "s.nationality",
            "#country+code",
            "CITIZENSHIP",
        ),
        Dimension(
            "region",
            gettext_lazy("Region of nationality"),
            "e.region",
            "s.region",
            "#region+name",
            "CITIZENSHIP_REGION",
        ),
        Dimension("sex", gettext_lazy("Sex"), "e.sex", "s.sex", "#affected+sex", "SEX"),
        Dimension(
            "age_band",
            gettext_lazy("Age"),
            _age_band_sql("e.age"),
            _age_band_sql("s.age"),
            "#affected+age",
            "AGE",
        ),
        Dimension(
            "refusal_ground",
            gettext_lazy("Refusal ground"),
            # Crossings that are no refusal have none; a refusal recorded without one is "not stated".
            f"CASE WHEN e.decision <> 'refused' THEN '{NOT_REFUSED}' "
            f"ELSE coalesce(nullif(e.refusal_ground, ''), '{UNKNOWN}') END",
            None,
            "#indicator+refusal_ground",
            "REFUSAL_GROUND",
        ),
        Dimension(
            "stay_category",
            gettext_lazy("Stay category"),
            f"coalesce(e.stay_category, '{UNKNOWN}')",
            f"coalesce(s.stay_category, '{UNKNOWN}')",
            "#indicator+stay",
            "STAY_CATEGORY",
        ),
    )
}

# --- measures ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """A figure. `base` is "events" (crossings in the period), "stock" (present at the end of each
    period) or "due" (stays whose authorised end fell in the period). `condition` selects the base rows;
    `value` aggregates them; `kind` says how disclosure control treats it: "count" (the value counts
    people or crossings), "net" (protected on the number of crossings behind it), "rate" (numerator and
    denominator protected)."""

    code: str
    label: Any
    description: Any
    base: str
    condition: str
    value: str = "count(*)"
    kind: str = "count"
    unit: str = "crossings"
    sdmx: str = ""


_ADMITTED_ENTRY = "e.direction = 'entry' AND e.decision = 'admitted'"
_ADMITTED_EXIT = "e.direction = 'exit' AND e.decision = 'admitted'"

# What the overstay rate cannot say, told wherever the rate is shown (its definition is the measure's).
OVERSTAY_RATE_CAVEAT = gettext_lazy(
    "A period in which no authorised stay ended has no rate (n/a), and the first months of the records "
    "count only the stays that began after the records did."
)

MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure(
            "crossings",
            gettext_lazy("Crossings"),
            gettext_lazy("Every effective crossing recorded, entries and exits, whatever the decision."),
            "events",
            "true",
            sdmx="CROSSINGS",
        ),
        Measure(
            "entries",
            gettext_lazy("Entries"),
            gettext_lazy("Admitted entries."),
            "events",
            _ADMITTED_ENTRY,
            sdmx="ENTRIES",
        ),
        Measure(
            "exits",
            gettext_lazy("Exits"),
            gettext_lazy("Admitted exits."),
            "events",
            _ADMITTED_EXIT,
            sdmx="EXITS",
        ),
        Measure(
            "net_flow",
            gettext_lazy("Net flow"),
            gettext_lazy("Admitted entries minus admitted exits."),
            "events",
            "e.decision = 'admitted'",
            "sum(CASE WHEN e.direction = 'entry' THEN 1 ELSE -1 END)",
            kind="net",
            sdmx="NET_FLOW",
        ),
        Measure(
            "travellers",
            gettext_lazy("Travellers"),
            gettext_lazy("Distinct people who crossed (each counted once in a cell and once in each total)."),
            "events",
            "true",
            "count(DISTINCT e.traveller_id)",
            unit="people",
            sdmx="TRAVELLERS",
        ),
        Measure(
            "refusals",
            gettext_lazy("Refusals of entry"),
            gettext_lazy("Entries refused at the border."),
            "events",
            "e.decision = 'refused'",
            sdmx="REFUSALS",
        ),
        Measure(
            "referrals",
            gettext_lazy("Protection referrals"),
            gettext_lazy(
                "Travellers referred at the border for protection (asylum, unaccompanied children, "
                "possible trafficking)."
            ),
            "events",
            "e.decision = 'referred'",
            sdmx="REFERRALS",
        ),
        Measure(
            "in_country",
            gettext_lazy("Foreigners in the country"),
            gettext_lazy(
                "Foreign nationals whose last recorded crossing, at the end of the period, is an admitted "
                "entry."
            ),
            "stock",
            "true",
            unit="people",
            sdmx="STOCK",
        ),
        Measure(
            "overstays",
            gettext_lazy("Overstays"),
            gettext_lazy(
                "Foreign nationals in the country at the end of the period whose authorised stay had ended."
            ),
            "stock",
            "s.until IS NOT NULL AND s.until < c.at_day",
            unit="people",
            sdmx="OVERSTAYS",
        ),
        Measure(
            "overstay_rate",
            gettext_lazy("Overstay rate"),
            gettext_lazy(
                "Of the stays whose authorised end fell in the period, the share whose holder had not left "
                "by that day."
            ),
            "due",
            "true",
            kind="rate",
            unit="ratio",
            sdmx="OVERSTAY_RATE",
        ),
    )
}

EVENT_MEASURES = tuple(code for code, m in MEASURES.items() if m.base == "events")


# --- results ----------------------------------------------------------------------------------------------


@dataclass
class Result:
    """One measure broken down: `values` has one axis per dimension in `dims` (the period first, if any);
    margin axes end with the TOTAL category. `support` holds the counts disclosure control protects
    (the values, the crossings behind a net flow, the numerator of a rate) and `denominator` a rate's.
    `status` is filled by `protect`."""

    measure: Measure
    dims: list[Dimension]
    categories: list[list[Any]]
    margin_axes: list[int]
    values: np.ndarray
    support: np.ndarray
    denominator: np.ndarray | None = None
    status: np.ndarray | None = None
    k: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    merged: dict[str, str] = field(default_factory=dict)  # categories merged for publication

    def protect(self, k: int = disclosure.DEFAULT_MIN_CELL) -> Result:
        """Apply primary and secondary suppression (in place); answer self. Sex X is published where
        every X cell is safe, else merged into "other or not stated" first (see `merge_sex_x`)."""
        self.merge_sex_x(k)
        status = disclosure.protect(self.support, margin_axes=self.margin_axes, k=k).status
        if self.denominator is not None:
            other = disclosure.protect(self.denominator, margin_axes=self.margin_axes, k=k).status
            status = np.maximum(status, other)
        self.status = status
        self.k = k
        return self

    @property
    def cell_status(self) -> np.ndarray:
        """Each cell's disclosure status (published, primary or secondary suppression) once `protect` ran."""
        if self.status is None:
            raise ValueError("The result is not protected yet: call protect() first.")
        return self.status

    def merge_sex_x(self, k: int) -> bool:
        """Sex X ("unspecified" on the document) counts few people. Where any X cell would be withheld,
        X is published merged with the records whose sex was not stated (one category, "other or not
        stated"), instead of suppressing a women's or men's cell beside every small X cell to protect it
        (what secondary suppression would otherwise have to do, row after row). Totals are unchanged.
        Answers whether X was merged."""
        axis = next((a for a, d in enumerate(self.dims) if d.code == "sex"), None)
        if axis is None or "X" not in self.categories[axis]:
            return False
        x = self.categories[axis].index("X")
        counts = [np.take(self.support, x, axis=axis)]
        if self.denominator is not None:
            counts.append(np.take(self.denominator, x, axis=axis))
        if not any(((c > 0) & (c < k)).any() for c in counts):
            return False
        categories = list(self.categories[axis])
        if UNKNOWN in categories:
            into = categories.index(UNKNOWN)
            arrays = ["support"] + (["denominator"] if self.denominator is not None else [])
            if self.measure.kind != "rate":
                arrays.append("values")
            for name in arrays:
                array = getattr(self, name)
                index_into: list[Any] = [slice(None)] * array.ndim
                index_x: list[Any] = [slice(None)] * array.ndim
                index_into[axis], index_x[axis] = into, x
                array[tuple(index_into)] += array[tuple(index_x)]
                setattr(self, name, np.delete(array, x, axis=axis))
            if self.measure.kind == "rate" and self.denominator is not None:
                self.values = np.delete(self.values, x, axis=axis)
                with np.errstate(invalid="ignore", divide="ignore"):
                    self.values = np.where(
                        self.denominator > 0, self.support / np.maximum(self.denominator, 1), np.nan
                    )
            del categories[x]
        else:
            categories[x] = UNKNOWN  # nobody without a stated sex: the merged category is X alone
        self.categories = [categories if a == axis else list(c) for a, c in enumerate(self.categories)]
        self.merged = {**self.merged, "sex": "X"}
        return True

    def cells(self, *, totals: bool = True) -> Iterator[tuple[tuple[Any, ...], Any, int]]:
        """(categories, value or None when suppressed, status) for every cell."""
        status = self.status if self.status is not None else np.zeros(self.values.shape, dtype=np.int8)
        for index in np.ndindex(self.values.shape):
            labels = tuple(self.categories[axis][i] for axis, i in enumerate(index))
            if not totals and TOTAL in labels:
                continue
            cell_status = int(status[index])
            value = None if cell_status else _plain(self.values[index])
            yield labels, value, cell_status

    def value_at(self, *labels: Any) -> Any:
        """The value at these categories (None when suppressed or not there)."""
        try:
            index = tuple(self.categories[axis].index(label) for axis, label in enumerate(labels))
        except ValueError:
            return None
        if self.status is not None and self.status[index]:
            return None
        return _plain(self.values[index])

    def series(self, axis: int = 0) -> list[tuple[Any, Any]]:
        """For a one-dimensional result (or the first axis with the others at their totals): (category,
        value or None) pairs without the total."""
        out = []
        for i, category in enumerate(self.categories[axis]):
            if category == TOTAL:
                continue
            index = tuple(
                i if a == axis else (len(self.categories[a]) - 1) for a in range(len(self.categories))
            )
            suppressed = self.status is not None and bool(self.status[index])
            out.append((category, None if suppressed else _plain(self.values[index])))
        return out

    def total(self) -> Any:
        """The grand total (the TOTAL category on every axis)."""
        if any(TOTAL not in c for c in self.categories):
            raise ValueError("This result has no grand total (a stock by period, or no margins).")
        index = tuple(len(c) - 1 for c in self.categories)
        if self.status is not None and self.status[index]:
            return None
        return _plain(self.values[index])


def _plain(value: Any) -> Any:
    if isinstance(value, np.floating):
        # NaN: a rate with nothing to divide by (no stay fell due), shown as not available.
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


# --- periods ----------------------------------------------------------------------------------------------


def period_start(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def period_next(start: date, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def periods_between(date_from: date, date_to: date, unit: str) -> list[date]:
    out = []
    current = period_start(date_from, unit)
    while current <= date_to:
        out.append(current)
        current = period_next(current, unit)
    return out


def period_coverage(start: date, unit: str, first_day: date | None, last_day: date | None) -> str:
    """How much of the period the records (first_day to last_day) cover: "whole", "begins" (they begin
    part-way through it), "ends" (they end part-way through it: the period in progress), "both" (they begin
    and end within it: all there is, e.g. a first year of operation) or "none"."""
    if first_day is None or last_day is None:
        return "whole"
    end = period_next(start, unit) - timedelta(days=1)
    if end < first_day or start > last_day:
        return "none"
    if start < first_day and end > last_day:
        return "both"
    if start < first_day:
        return "begins"
    if end > last_day:
        return "ends"
    return "whole"


def period_label(start: date, unit: str) -> str:
    """The period as SDMX writes TIME_PERIOD: 2025, 2025-Q2, 2025-05, 2025-05-31."""
    if unit == "year":
        return f"{start.year}"
    if unit == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if unit == "month":
        return f"{start:%Y-%m}"
    return start.isoformat()


# --- the engine -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    measures: tuple[str, ...]
    by: tuple[str, ...]
    date_from: date
    date_to: date
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    margins: bool = True
    period_total: bool = True

    @classmethod
    def make(
        cls,
        *,
        measures: Sequence[str],
        by: Sequence[str] = (),
        date_from: date,
        date_to: date,
        filters: Mapping[str, Sequence[str]] | None = None,
        margins: bool = True,
        period_total: bool = True,
    ) -> Query:
        clean_filters = tuple(
            sorted((dim, tuple(sorted(set(values)))) for dim, values in (filters or {}).items() if values)
        )
        return cls(tuple(measures), tuple(by), date_from, date_to, clean_filters, margins, period_total)


_CACHE: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 256


def cache_clear() -> None:
    """Forget every cached answer (and category count): the one way to reset the engine's process-wide
    cache, for tests and after an extract is replaced in place."""
    with _CACHE_LOCK:
        _CACHE.clear()


def max_cells() -> int:
    """The largest table made (CORREDOR_STATS_MAX_CELLS, default 250,000 cells): a bigger one is refused
    with its cell count rather than built (nationality x post x day x sex x age is tens of millions)."""
    import os

    configured = getattr(settings, "CORREDOR_STATS_MAX_CELLS", None) or os.environ.get(
        "CORREDOR_STATS_MAX_CELLS"
    )
    return int(configured) if configured else 250_000


class Engine:
    """Queries over one extract (the manifest read once). Cheap to make: one per request or command."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or stats_dir()
        manifest = Manifest.load(self.root)
        if (
            manifest is None
            or not manifest.parts.get("crossings")
            or not (manifest.spells and manifest.events)
        ):
            raise ApplicationError(
                _("There are no statistics yet: run `corredor stats refresh` to extract the records."),
                status=503,
            )
        self.manifest = manifest
        self.events_file, self.spells_file = manifest.events, manifest.spells
        self.first_day = date.fromisoformat(manifest.first_day) if manifest.first_day else None
        self.last_day = date.fromisoformat(manifest.last_day) if manifest.last_day else None
        self.last_seconds = 0.0

    # -- plumbing --

    def _connection(self) -> Any:
        import duckdb

        return duckdb.connect()

    def _sources(self) -> str:
        # The effective crossings and the spells are derived by every refresh (see extract.py).
        return (
            f"e AS (SELECT * FROM read_parquet('{self.root / self.events_file}')), "
            f"s AS (SELECT * FROM read_parquet('{self.root / self.spells_file}'))"
        )

    def default_range(self) -> tuple[date, date]:
        """The twelve months up to the data's last day (the first of them whole)."""
        last = self.last_day or date.today()
        start = period_start(last, "month")
        for _month in range(11):
            start = period_start(start - timedelta(days=1), "month")
        return start, last

    def record_periods(self, date_from: date, date_to: date, unit: str) -> list[date]:
        """The periods of the range that the records reach. Those wholly before the first recorded day
        or after the last are left out: their zeros would mean "no records", not "nobody"."""
        return [
            p
            for p in periods_between(date_from, date_to, unit)
            if period_coverage(p, unit, self.first_day, self.last_day) != "none"
        ]

    # -- validation --

    def _validate(self, query: Query) -> tuple[list[Measure], str | None, list[Dimension]]:
        measures = []
        for code in query.measures:
            if code not in MEASURES:
                raise ApplicationError(
                    _("Unknown measure %(m)s; one of: %(all)s") % {"m": code, "all": ", ".join(MEASURES)}
                )
            measures.append(MEASURES[code])
        bases = {m.base for m in measures}
        if len(bases) > 1:
            raise ApplicationError(_("Measures of different kinds are queried separately."))
        period = None
        dims = []
        for code in query.by:
            dim = DIMENSIONS.get(code)
            if dim is None:
                raise ApplicationError(
                    _("Unknown dimension %(d)s; one of: %(all)s") % {"d": code, "all": ", ".join(DIMENSIONS)}
                )
            if dim.period:
                if period is not None:
                    raise ApplicationError(_("Break down by one period at most."))
                period = dim.period
                continue
            if dim in dims:
                raise ApplicationError(_("Dimension %(d)s is named twice.") % {"d": code})
            dims.append(dim)
        base = measures[0].base
        for dim in dims + [DIMENSIONS[d] for d, _v in query.filters]:
            if dim.period:
                raise ApplicationError(_("Filter periods with the dates, not with a period dimension."))
            if (dim.events if base == "events" else dim.spells) is None:
                raise ApplicationError(
                    _("%(measure)s cannot be broken down by %(dim)s.")
                    % {"measure": measures[0].label, "dim": dim.label}
                )
        if query.date_to < query.date_from:
            raise ApplicationError(_("The period ends before it starts."))
        if period == "day" and (query.date_to - query.date_from).days > 800:
            raise ApplicationError(_("Daily figures are limited to about two years; choose months."))
        if period and not self.record_periods(query.date_from, query.date_to, period):
            raise ApplicationError(
                _("The records run from %(first)s to %(last)s: there are none from %(start)s to %(end)s.")
                % {
                    "first": self.first_day,
                    "last": self.last_day,
                    "start": query.date_from,
                    "end": query.date_to,
                }
            )
        return measures, period, dims

    # -- size --

    def category_counts(self, base: str) -> dict[str, int]:
        """How many categories each dimension has in the whole extract (cached per extract): an upper
        bound on a table's size, known before the table is made."""
        key = ("counts", str(self.root), self.manifest.refreshed_at, self.manifest.sequence, base)
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
        if cached is not None:
            return dict(cached)
        alias, table = ("e", "e") if base == "events" else ("s", "s")
        codes = [
            code
            for code, dim in DIMENSIONS.items()
            if not dim.period and (dim.events if base == "events" else dim.spells) is not None
        ]
        expressions = [
            f"count(DISTINCT {DIMENSIONS[c].events if base == 'events' else DIMENSIONS[c].spells}) AS n{i}"
            for i, c in enumerate(codes)
        ]
        row = self._fetch(f"WITH {self._sources()} SELECT {', '.join(expressions)} FROM {table} {alias}", {})
        counts = {code: int(row[0][f"n{i}"] or 0) + 1 for i, code in enumerate(codes)}  # + not stated
        with _CACHE_LOCK:
            _CACHE[key] = counts
        return dict(counts)

    def _check_size(self, query: Query, period: str | None, dims: list[Dimension], base: str) -> None:
        if len(dims) < 2 and not (period and dims):
            return  # a single breakdown is small (the day limit bounds periods)
        counts = self.category_counts(base)
        factors: list[tuple[str, int]] = []
        if period:
            factors.append((period, len(self.record_periods(query.date_from, query.date_to, period)) + 1))
        factors += [(dim.code, counts.get(dim.code, 1) + (1 if query.margins else 0)) for dim in dims]
        cells = 1
        for _code, n in factors:
            cells *= n
        limit = max_cells()
        if cells > limit:
            shape = " x ".join(f"{code} {n:,}" for code, n in factors)
            raise ApplicationError(
                _(
                    "This table would have about %(cells)s cells (%(shape)s, totals included); the largest "
                    "made is %(limit)s. Choose fewer dimensions, a coarser period or a shorter range."
                )
                % {"cells": f"{cells:,}", "shape": shape, "limit": f"{limit:,}"},
                detail={"cells": cells, "limit": limit, "shape": dict(factors)},
            )

    # -- the query --

    def run(self, query: Query) -> dict[str, Result]:
        """Answer every measure of the query (cached per extract and query)."""
        key = (str(self.root), self.manifest.refreshed_at, self.manifest.sequence, query)
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
            if cached is not None:
                _CACHE.move_to_end(key)
                self.last_seconds = 0.0
                return {code: _copy(result) for code, result in cached.items()}
        started = time.perf_counter()
        measures, period, dims = self._validate(query)
        self._check_size(query, period, dims, measures[0].base)
        base = measures[0].base
        if base == "events":
            results = self._events(query, measures, period, dims)
        else:
            results = self._stock(query, measures, period, dims, base)
        self.last_seconds = time.perf_counter() - started
        with _CACHE_LOCK:
            _CACHE[key] = results
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
        return {code: _copy(result) for code, result in results.items()}

    def run_many(self, queries: Sequence[Query]) -> list[dict[str, Result]]:
        """Answer several queries; those over crossings that share measures, dates and filters (the
        dashboard's and the bulletin's breakdowns) in one scan with GROUPING SETS."""
        answers: list[dict[str, Result] | None] = [None] * len(queries)
        groups: dict[tuple[Any, ...], list[int]] = {}
        for index, query in enumerate(queries):
            key = (str(self.root), self.manifest.refreshed_at, self.manifest.sequence, query)
            with _CACHE_LOCK:
                cached = _CACHE.get(key)
            if cached is not None:
                answers[index] = {code: _copy(result) for code, result in cached.items()}
                continue
            measures, _period, _dims = self._validate(query)
            if measures[0].base != "events":
                answers[index] = self.run(query)
                continue
            shared = (query.measures, query.date_from, query.date_to, query.filters)
            groups.setdefault(shared, []).append(index)
        for indexes in groups.values():
            if len(indexes) == 1:
                answers[indexes[0]] = self.run(queries[indexes[0]])
                continue
            for index, results in zip(
                indexes, self._events_together([queries[i] for i in indexes]), strict=True
            ):
                key = (str(self.root), self.manifest.refreshed_at, self.manifest.sequence, queries[index])
                with _CACHE_LOCK:
                    _CACHE[key] = results
                    while len(_CACHE) > _CACHE_SIZE:
                        _CACHE.popitem(last=False)
                answers[index] = {code: _copy(result) for code, result in results.items()}
        return [answer for answer in answers if answer is not None]

    def _events_together(self, queries: Sequence[Query]) -> list[dict[str, Result]]:
        first = queries[0]
        measures, _p, _d = self._validate(first)
        plans = []
        union: list[str] = []  # dimension codes, "p:<unit>" for periods
        for query in queries:
            _m, period, dims = self._validate(query)
            codes = ([f"p:{period}"] if period else []) + [d.code for d in dims]
            for code in codes:
                if code not in union:
                    union.append(code)
            plans.append((query, period, dims, codes))
        sets: list[frozenset[str]] = []
        for query, period, dims, _codes in plans:
            categories = [d.code for d in dims]
            subsets = (
                [
                    frozenset(c)
                    for r in range(len(categories) + 1)
                    for c in itertools.combinations(categories, r)
                ]
                if query.margins
                else [frozenset(categories)]
            )
            for subset in subsets:
                if period:
                    sets.append(subset | {f"p:{period}"})
                    if query.period_total:
                        sets.append(subset)
                else:
                    sets.append(subset)
        sets = list(dict.fromkeys(sets))
        alias = {code: f"u{i}" for i, code in enumerate(union)}
        inner = []
        for code in union:
            if code.startswith("p:"):
                inner.append(f"date_trunc('{code[2:]}', e.day)::DATE AS {alias[code]}")
            else:
                inner.append(f"{DIMENSIONS[code].events} AS {alias[code]}")
        outer = [alias[code] for code in union]
        outer += [f"grouping({alias[code]}) AS g_{alias[code]}" for code in union]
        additive = all("DISTINCT" not in m.value for m in measures)
        for j, m in enumerate(measures):
            inner.append(f"{_filtered(m.value, m.condition)} AS v{j}")
            inner.append(f"count(*) FILTER (WHERE {m.condition}) AS n{j}")
            outer += [f"sum(v{j}) AS v{j}", f"sum(n{j}) AS n{j}"]
        params: dict[str, Any] = {"date_from": first.date_from, "date_to": first.date_to}
        where = " AND ".join(
            [
                "e.day BETWEEN $date_from AND $date_to",
                "(" + " OR ".join(f"({m.condition})" for m in measures) + ")",
                self._filters_sql(first, "e", params),
            ]
        )
        grouping_sets = ", ".join(
            "(" + ", ".join(alias[c] for c in union if c in subset) + ")" for subset in sets
        )
        if additive:
            # Counts add up: aggregate the crossings once at the finest grain, then every breakdown and
            # margin from that small table.
            sql = (
                f"WITH {self._sources()}, fine AS (SELECT {', '.join(inner)} FROM e WHERE {where} "
                f"GROUP BY ALL) SELECT {', '.join(outer)} FROM fine GROUP BY GROUPING SETS ({grouping_sets})"
            )
        else:
            direct = [
                *inner[: len(union)],
                *[f"grouping({alias[code]}) AS g_{alias[code]}" for code in union],
                *inner[len(union) :],
            ]
            sql = (
                f"WITH {self._sources()} SELECT {', '.join(direct)} FROM e WHERE {where} "
                f"GROUP BY GROUPING SETS ({grouping_sets})"
            )
        rows = self._fetch(sql, params)
        answers = []
        for query, period, dims, codes in plans:
            own = set(codes)
            mine = []
            for row in rows:
                present = {code for code in union if not row[f"g_{alias[code]}"]}
                if not present <= own:
                    continue
                if period and not query.period_total and f"p:{period}" not in present:
                    continue
                if not query.margins and not {d.code for d in dims} <= present:
                    continue
                mapped: dict[str, Any] = {f"v{j}": row[f"v{j}"] for j in range(len(measures))}
                mapped.update({f"n{j}": row[f"n{j}"] for j in range(len(measures))})
                if period:
                    mapped["p"] = row[alias[f"p:{period}"]]
                    mapped["gp"] = row[f"g_{alias[f'p:{period}']}"]
                for i, dim in enumerate(dims):
                    mapped[f"d{i}"] = row[alias[dim.code]]
                    mapped[f"g{i}"] = row[f"g_{alias[dim.code]}"]
                mine.append(mapped)
            answers.append(
                self._assemble(
                    query, measures, period, dims, mine, period_total=query.period_total and bool(period)
                )
            )
        return answers

    def table(
        self,
        measure: str,
        *,
        by: Sequence[str] = (),
        date_from: date | None = None,
        date_to: date | None = None,
        filters: Mapping[str, Sequence[str]] | None = None,
        margins: bool = True,
        period_total: bool = True,
    ) -> Result:
        default_from, default_to = self.default_range()
        query = Query.make(
            measures=[measure],
            by=by,
            date_from=date_from or default_from,
            date_to=date_to or default_to,
            filters=filters,
            margins=margins,
            period_total=period_total,
        )
        return self.run(query)[measure]

    def _filters_sql(self, query: Query, alias: str, params: dict[str, Any]) -> str:
        clauses = []
        for n, (code, values) in enumerate(query.filters):
            dim = DIMENSIONS[code]
            expression = dim.events if alias == "e" else dim.spells
            params[f"f{n}"] = list(values)
            clauses.append(f"list_contains($f{n}, {expression})")
        return " AND ".join(clauses) if clauses else "true"

    def _group_by(self, dims: list[Dimension], lead: list[str], margins: bool, period_total: bool) -> str:
        names = [f"d{i}" for i in range(len(dims))]
        if period_total and lead:
            names = ["p", *names] if margins else ["p"]
            return (
                f"GROUP BY CUBE ({', '.join(names)})"
                if margins
                else "GROUP BY CUBE (p)"
                + (", " + ", ".join(f"d{i}" for i in range(len(dims))) if dims else "")
            )
        if margins and names:
            return "GROUP BY " + ", ".join([*lead, f"CUBE ({', '.join(names)})"])
        together = [*lead, *names]
        return ("GROUP BY " + ", ".join(together)) if together else ""

    def _grouping(self, dims: list[Dimension], query: Query, period: str | None, totals_p: bool) -> list[str]:
        out = [f"grouping(d{i}) AS g{i}" for i in range(len(dims))] if query.margins and dims else []
        if period and totals_p:
            out.append("grouping(p) AS gp")
        return out

    def _events(
        self, query: Query, measures: list[Measure], period: str | None, dims: list[Dimension]
    ) -> dict[str, Result]:
        params: dict[str, Any] = {"date_from": query.date_from, "date_to": query.date_to}
        select = []
        lead = []
        if period:
            select.append(f"date_trunc('{period}', e.day)::DATE AS p")
            lead.append("p")
        select += [f"{dim.events} AS d{i}" for i, dim in enumerate(dims)]
        select += self._grouping(dims, query, period, query.period_total)
        for j, m in enumerate(measures):
            select.append(f"{_filtered(m.value, m.condition)} AS v{j}")
            select.append(f"count(*) FILTER (WHERE {m.condition}) AS n{j}")
        where = " AND ".join(
            [
                "e.day BETWEEN $date_from AND $date_to",
                "(" + " OR ".join(f"({m.condition})" for m in measures) + ")",
                self._filters_sql(query, "e", params),
            ]
        )
        sql = (
            f"WITH {self._sources()} SELECT {', '.join(select)} FROM e WHERE {where} "
            f"{self._group_by(dims, lead, query.margins, query.period_total)}"
        )
        rows = self._fetch(sql, params)
        return self._assemble(query, measures, period, dims, rows, period_total=query.period_total)

    def _calendar(self, query: Query, period: str | None) -> list[tuple[date | None, date, date]]:
        """(period start or None, first day, day the stock is counted at) per period of the query."""
        last = min(query.date_to, self.last_day or query.date_to)
        if period is None:
            return [(None, query.date_from, last)]
        out: list[tuple[date | None, date, date]] = []
        for start in periods_between(query.date_from, query.date_to, period):
            end = period_next(start, period) - timedelta(days=1)
            out.append((start, max(start, query.date_from), min(end, last)))
        return out

    def _stock(
        self, query: Query, measures: list[Measure], period: str | None, dims: list[Dimension], base: str
    ) -> dict[str, Result]:
        params: dict[str, Any] = {"country": _country_alpha3()}
        calendar = self._calendar(query, period)
        values_sql = ", ".join(
            f"(DATE '{(start or first).isoformat()}', DATE '{first.isoformat()}', DATE '{at.isoformat()}')"
            for start, first, at in calendar
        )
        cal = (
            f"cal AS (SELECT * FROM (VALUES {values_sql}) AS t(p, first_day, at_day) "
            "WHERE first_day <= at_day)"
        )
        select = []
        lead = []
        # A period total means something for stays falling due (all of the range), not for a stock.
        totals_p = bool(period) and query.period_total and base == "due"
        if period:
            select.append("c.p AS p")
            lead.append("p")
        select += [f"{dim.spells} AS d{i}" for i, dim in enumerate(dims)]
        select += self._grouping(dims, query, period, totals_p)
        if base == "stock":
            join = "s.entry_day <= c.at_day AND (s.left_day IS NULL OR s.left_day > c.at_day)"
            for j, m in enumerate(measures):
                select.append(f"count(*) FILTER (WHERE {m.condition}) AS v{j}")
                select.append(f"count(*) FILTER (WHERE {m.condition}) AS n{j}")
        else:
            # The stay's last authorised day fell in the period, early enough to see whether they left.
            join = "s.until BETWEEN c.first_day AND c.at_day AND s.until < $last_day"
            params["last_day"] = self.last_day or query.date_to
            for j in range(len(measures)):
                select.append(
                    f"count(*) FILTER (WHERE s.left_day IS NULL OR s.left_day > s.until) / "
                    f"greatest(count(*), 1) AS v{j}"
                )
                select.append(f"count(*) FILTER (WHERE s.left_day IS NULL OR s.left_day > s.until) AS n{j}")
                select.append(f"count(*) AS q{j}")
        where = f"s.nationality <> $country AND {self._filters_sql(query, 's', params)}"
        sql = (
            f"WITH {self._sources()}, {cal} SELECT {', '.join(select)} FROM cal c JOIN s ON {join} "
            f"WHERE {where} {self._group_by(dims, lead, query.margins, totals_p)}"
        )
        rows = self._fetch(sql, params)
        return self._assemble(
            query, measures, period, dims, rows, rate=(base == "due"), period_total=totals_p
        )

    def _fetch(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        connection = self._connection()
        try:
            cursor = connection.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            connection.close()

    def _assemble(
        self,
        query: Query,
        measures: list[Measure],
        period: str | None,
        dims: list[Dimension],
        rows: list[dict[str, Any]],
        *,
        rate: bool = False,
        period_total: bool = False,
    ) -> dict[str, Result]:
        categories: list[list[Any]] = []
        margin_axes: list[int] = []
        all_dims: list[Dimension] = []
        if period:
            categories.append(self.record_periods(query.date_from, query.date_to, period))
            all_dims.append(DIMENSIONS[period])
            if period_total:
                categories[0].append(TOTAL)
                margin_axes.append(0)
        offset = len(categories)
        for i, dim in enumerate(dims):
            seen = sorted(
                {
                    row[f"d{i}"] if row[f"d{i}"] is not None else UNKNOWN
                    for row in rows
                    if not row.get(f"g{i}", 0)
                },
                key=_category_order(dim.code),
            )
            if query.margins:
                seen.append(TOTAL)
                margin_axes.append(offset + i)
            categories.append(seen)
            all_dims.append(dim)
        shape = tuple(len(c) for c in categories)
        lookup = [{value: n for n, value in enumerate(c)} for c in categories]
        results: dict[str, Result] = {}
        arrays = {
            j: (
                np.zeros(shape, dtype=np.float64 if rate or m.kind == "rate" else np.int64),
                np.zeros(shape, dtype=np.int64),
                np.zeros(shape, dtype=np.int64) if rate else None,
            )
            for j, m in enumerate(measures)
        }
        for row in rows:
            index = []
            if period:
                start = TOTAL if row.get("gp", 0) else row["p"]
                if start not in lookup[0]:
                    continue
                index.append(lookup[0][start])
            for i in range(len(dims)):
                if row.get(f"g{i}", 0):
                    label = TOTAL
                else:
                    label = row[f"d{i}"] if row[f"d{i}"] is not None else UNKNOWN
                index.append(lookup[offset + i][label])
            cell = tuple(index)
            for j in range(len(measures)):
                values, support, denominator = arrays[j]
                values[cell] = row[f"v{j}"] or 0
                support[cell] = row[f"n{j}"] or 0
                if denominator is not None:
                    denominator[cell] = row[f"q{j}"] or 0
        for j, m in enumerate(measures):
            values, support, denominator = arrays[j]
            if denominator is not None:
                # No stay fell due: the share is undefined, not 0 %.
                values[denominator == 0] = np.nan
            results[m.code] = Result(
                measure=m,
                dims=all_dims,
                categories=categories,
                margin_axes=margin_axes,
                values=values,
                support=support if m.kind != "count" else np.asarray(values, dtype=np.int64),
                denominator=denominator,
                date_from=query.date_from,
                date_to=query.date_to,
                filters={code: list(values) for code, values in query.filters},
            )
        return results


def _filtered(value: str, condition: str) -> str:
    if condition == "true":
        return value
    # count(*) -> count(*) FILTER (WHERE ...); the same for sum(...) and count(DISTINCT ...).
    return f"{value} FILTER (WHERE {condition})"


def _copy(result: Result) -> Result:
    return Result(
        measure=result.measure,
        dims=list(result.dims),
        categories=[list(c) for c in result.categories],
        margin_axes=list(result.margin_axes),
        values=result.values.copy(),
        support=result.support.copy(),
        denominator=None if result.denominator is None else result.denominator.copy(),
        date_from=result.date_from,
        date_to=result.date_to,
        filters=dict(result.filters),
    )


_ORDERS = {
    "age_band": {band: n for n, band in enumerate(AGE_BANDS)},
    "sex": {"F": 0, "M": 1, "X": 2},
    "region": {r: n for n, r in enumerate(regions.AMERICAS + regions.EXTRA_CONTINENTAL)},
    "direction": {"entry": 0, "exit": 1},
    "decision": {"admitted": 0, "refused": 1, "referred": 2},
    "post_kind": {"airport": 0, "land": 1, "seaport": 2},
}


def _category_order(code: str) -> Any:
    order = _ORDERS.get(code, {})
    return lambda value: (order.get(value, 99), str(value))


def _country_alpha3() -> str:
    from corredor.icao import country_to_alpha3

    return country_to_alpha3(settings.CORREDOR_COUNTRY) or settings.CORREDOR_COUNTRY
