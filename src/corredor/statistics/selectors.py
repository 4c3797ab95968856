"""Reads for the statistics pages, the API, the exports and the bulletin: who may see what, the
protected tables, the dashboard's figures, the international datasets.

Who may see what is decided in `permissions.py` (re-exported here for the callers that read it here).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from django.conf import settings
from django.db.models import F, QuerySet, Sum
from django.db.models.expressions import Combinable
from django.utils.translation import gettext as _

from corredor.core.errors import ApplicationError
from corredor.statistics import disclosure
from corredor.statistics.engine import (
    DIMENSIONS,
    MEASURES,
    TOTAL,
    Engine,
    Query,
    Result,
    period_coverage,
    period_next,
    period_start,
)
from corredor.statistics.models import Dataset, MigrantStock, MissingMigrantIncident, RefugeeFigure
from corredor.statistics.permissions import permit_statistics, statistics_scope


def min_cell() -> int:
    """The smallest published cell (K): CORREDOR_STATS_MIN_CELL, default 5."""
    configured = getattr(settings, "CORREDOR_STATS_MIN_CELL", None) or os.environ.get(
        "CORREDOR_STATS_MIN_CELL"
    )
    return int(configured) if configured else disclosure.DEFAULT_MIN_CELL


def has_statistics() -> bool:
    """Whether the records have been extracted (`corredor stats refresh`), so that tables can be made."""
    try:
        Engine()
    except ApplicationError:
        return False
    return True


def check_k(k: int | None, *, floor: int | None = None) -> int:
    """The K to use: the configured one, or a larger one asked for (smaller ones are refused)."""
    floor = min_cell() if floor is None else floor
    if k is None:
        return floor
    if k < floor:
        raise ApplicationError(
            _("The smallest published cell is %(floor)s; a smaller one (%(k)s) is not allowed.")
            % {"floor": floor, "k": k}
        )
    return k


def validate_request(*, measure: str, by: Sequence[str], filters: Mapping[str, Sequence[str]]) -> None:
    if measure not in MEASURES:
        raise ApplicationError(
            _("Unknown measure %(m)s; one of: %(all)s") % {"m": measure, "all": ", ".join(MEASURES)}
        )
    for code in [*by, *filters]:
        if code not in DIMENSIONS:
            raise ApplicationError(
                _("Unknown dimension %(d)s; one of: %(all)s") % {"d": code, "all": ", ".join(DIMENSIONS)}
            )


def is_fine(*, by: Sequence[str], filters: Mapping[str, Sequence[str]] | None) -> bool:
    """A table broken down or filtered by anything but time (nationality, post, sex...): its cells can
    count a few people, so it is published for fixed periods only (`fixed_range`)."""
    return any(not DIMENSIONS[code].period for code in by if code in DIMENSIONS) or any(
        values for values in (filters or {}).values()
    )


def whole_months(engine: Engine, date_from: date, date_to: date) -> tuple[date, date] | None:
    """The whole months within the range that have ended in the records (their last day is on or before
    the records' last day), or None when there is none."""
    start = date_from if date_from.day == 1 else period_next(period_start(date_from, "month"), "month")
    end = period_start(date_to, "month") - timedelta(days=1)
    if period_next(period_start(date_to, "month"), "month") - timedelta(days=1) == date_to:
        end = date_to
    if engine.last_day is not None and end > engine.last_day:
        end = period_start(engine.last_day + timedelta(days=1), "month") - timedelta(days=1)
    return (start, end) if start <= end else None


def fixed_range(
    *, engine: Engine, date_from: date | None, date_to: date | None, fine: bool
) -> tuple[date | None, date | None]:
    """The range a table is published for. Differencing: two tables over ranges one day apart would give
    that day's figures by subtraction, small cells included. So a fine table covers whole months that
    have ended: asked without dates, the twelve latest; asked over any other range, refused (400) with
    the whole months to ask for instead. Tables by period alone keep any range (each period is a cell)."""
    if not fine:
        return date_from, date_to
    default_from, default_to = engine.default_range()
    months = whole_months(engine, date_from or default_from, date_to or default_to)
    if date_from is None and date_to is None:
        if months is None:
            raise ApplicationError(_("No whole month has ended in the records yet: there is no such table."))
        return months
    start, end = date_from or default_from, date_to or default_to
    if months is not None and months == (start, end):
        return months
    suggestion = (
        _("ask for %(start)s to %(end)s") % {"start": months[0], "end": months[1]}
        if months
        else _("no whole month of that range has ended yet")
    )
    raise ApplicationError(
        _(
            "Tables broken down or filtered by anything but time are published for whole months that have "
            "ended, from the first day of a month to the last, so that two tables cannot be subtracted to "
            "reveal a few people: %(suggestion)s."
        )
        % {"suggestion": suggestion},
        detail=[{"field": "from", "message": str(suggestion)}],
    )


def statistics_table(
    *,
    user: Any,
    measure: str,
    by: Sequence[str],
    date_from: date | None = None,
    date_to: date | None = None,
    filters: Mapping[str, Sequence[str]] | None = None,
    k: int | None = None,
    engine: Engine | None = None,
) -> Result:
    """A protected table for a person: their scope applied, primary and secondary suppression done."""
    scoped = statistics_scope(user=user, filters=filters)
    validate_request(measure=measure, by=by, filters=scoped)
    k = check_k(k)
    engine = engine or Engine()
    # The supervisor's own post is their scope, not a filter they chose: it does not make a table fine.
    date_from, date_to = fixed_range(
        engine=engine, date_from=date_from, date_to=date_to, fine=is_fine(by=by, filters=filters)
    )
    result = engine.table(measure, by=by, date_from=date_from, date_to=date_to, filters=scoped)
    return result.protect(k)


# --- the dashboard ----------------------------------------------------------------------------------------


@dataclass
class Kpi:
    code: str
    label: str
    value: Any
    previous: Any = None
    unit: str = ""

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous in (None, 0) or self.unit == "ratio":
            return None
        return (self.value - self.previous) / abs(self.previous)


@dataclass
class Dashboard:
    """Everything the main statistics page shows, every table protected."""

    date_from: date
    date_to: date
    period: str
    filters: dict[str, list[str]]
    first_day: date | None
    last_day: date | None
    k: int
    # The whole months that have ended within the range: what the breakdowns by nationality, region,
    # post, sex and age cover (None: no whole month yet, the breakdowns are not shown).
    fine_from: date | None = None
    fine_to: date | None = None
    kpis: list[Kpi] = field(default_factory=list)
    flows: dict[str, Result] = field(default_factory=dict)  # entries, exits, net_flow, refusals, referrals
    nationalities: Result | None = None
    regions: Result | None = None
    posts: dict[str, Result] = field(default_factory=dict)
    sex_age: Result | None = None
    in_country: Result | None = None
    overstays: Result | None = None
    overstay_rate: Result | None = None
    seconds: float = 0.0


def previous_range(date_from: date, date_to: date) -> tuple[date, date]:
    """The range of the same length just before (whole months stay whole months)."""
    if date_from.day == 1 and (date_to + timedelta(days=1)).day == 1:
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        start = date_from
        for _month in range(months):
            start = period_start(start - timedelta(days=1), "month")
        return start, date_from - timedelta(days=1)
    length = (date_to - date_from).days + 1
    return date_from - timedelta(days=length), date_from - timedelta(days=1)


def dashboard_data(
    *,
    user: Any,
    date_from: date | None = None,
    date_to: date | None = None,
    period: str = "month",
    filters: Mapping[str, Sequence[str]] | None = None,
    engine: Engine | None = None,
) -> Dashboard:
    """The dashboard's figures for a range and filters: flows over time, nationalities, regions, posts,
    sex and age, people in the country, overstays and the overstay rate, with the range before for
    comparison."""
    import time

    started = time.perf_counter()
    scoped = statistics_scope(user=user, filters=filters)
    validate_request(measure="entries", by=(), filters=scoped)
    if period not in ("day", "month", "quarter", "year"):
        raise ApplicationError(_("The period is day, month, quarter or year."))
    engine = engine or Engine()
    default_from, default_to = engine.default_range()
    date_from, date_to = date_from or default_from, date_to or default_to
    if date_to < date_from:
        raise ApplicationError(_("The period ends before it starts."))
    k = min_cell()
    months = whole_months(engine, date_from, date_to)
    if is_fine(by=(), filters=filters):
        # Filtered by the reader (not the supervisor's own scope): every figure is a fine one, so the
        # whole page covers the whole months that have ended (see fixed_range).
        if months is None:
            raise ApplicationError(
                _("Filtered figures are published for whole months that have ended; this range holds none.")
            )
        date_from, date_to = months
    board = Dashboard(
        date_from=date_from,
        date_to=date_to,
        period=period,
        filters=scoped,
        first_day=engine.first_day,
        last_day=engine.last_day,
        k=k,
        fine_from=months[0] if months else None,
        fine_to=months[1] if months else None,
    )

    def run(
        measures: list[str],
        by: list[str],
        *,
        start: date = date_from,
        end: date = date_to,
        margins: bool = True,
    ) -> dict[str, Result]:
        query = Query.make(
            measures=measures, by=by, date_from=start, date_to=end, filters=scoped, margins=margins
        )
        return {code: result.protect(k) for code, result in engine.run(query).items()}

    flows = ["entries", "exits", "net_flow", "refusals", "referrals"]
    # One scan of the crossings answers the breakdowns over one range (GROUPING SETS): the series over
    # the range, the fine breakdowns over its whole months.
    fine = [["nationality"], ["region"], ["post"], ["sex", "age_band"]]
    queries = [Query.make(measures=flows, by=[period], date_from=date_from, date_to=date_to, filters=scoped)]
    if months is not None:
        queries += [
            Query.make(measures=flows, by=by, date_from=months[0], date_to=months[1], filters=scoped)
            for by in fine
        ]
    answers = engine.run_many(queries)
    protected = [{code: result.protect(k) for code, result in answer.items()} for answer in answers]
    board.flows = protected[0]
    if months is not None:
        board.nationalities = protected[1]["entries"]
        board.regions = protected[2]["entries"]
        board.posts = {code: protected[3][code] for code in ("entries", "exits")}
        board.sex_age = protected[4]["entries"]
    previous_from, previous_to = previous_range(date_from, date_to)
    # A comparison with a range the records do not cover would show growth from nothing.
    comparable = engine.first_day is not None and previous_from >= engine.first_day
    before = run(flows, [], start=previous_from, end=previous_to) if comparable else {}
    for code in flows:
        board.kpis.append(
            Kpi(
                code,
                str(MEASURES[code].label),
                _grand_total(board.flows[code]),
                before[code].total() if comparable else None,
            )
        )
    stock = run(["in_country", "overstays"], [period])
    board.in_country, board.overstays = stock["in_country"], stock["overstays"]
    board.overstay_rate = run(["overstay_rate"], [period])["overstay_rate"]
    previous_stock = (
        run(["in_country", "overstays"], [], start=previous_to, end=previous_to) if comparable else {}
    )
    for code in ("in_country", "overstays"):
        series = stock[code].series()
        board.kpis.append(
            Kpi(
                code,
                str(MEASURES[code].label),
                series[-1][1] if series else None,
                previous_stock[code].total() if comparable else None,
                unit="people",
            )
        )
    rate_before = (
        run(["overstay_rate"], [], start=previous_from, end=previous_to)["overstay_rate"]
        if comparable
        else None
    )
    board.kpis.append(
        Kpi(
            "overstay_rate",
            str(MEASURES["overstay_rate"].label),
            _grand_total(board.overstay_rate),
            rate_before.total() if rate_before is not None else None,
            unit="ratio",
        )
    )
    board.seconds = time.perf_counter() - started
    return board


def _grand_total(result: Result) -> Any:
    if any(not c or c[-1] != TOTAL for c in result.categories):
        return None
    return result.total()


def top_categories(result: Result, n: int = 10) -> list[tuple[Any, Any]]:
    """The `n` largest published categories of a one-dimensional result, largest first. Categories with
    nothing (0) are not "top"; withheld ones are left out, never shown with a value (nor summed as
    "other": that sum could reveal them)."""
    pairs = [(category, value) for category, value in result.series() if value is not None and value > 0]
    pairs.sort(key=lambda pair: (-pair[1], str(pair[0])))
    return pairs[:n]


@dataclass(frozen=True)
class ChartPeriods:
    """The periods a chart over time draws (positions on its result's period axis) with their axis
    labels, the periods the records cover only in part (`partial`, marked * in tables) and the note
    under the chart that says so."""

    indexes: list[int]
    labels: list[str]
    partial: frozenset[date]
    note: str

    def pick(self, values: Sequence[Any]) -> list[Any]:
        return [values[i] for i in self.indexes]


def chart_periods(
    *,
    periods: Sequence[date],
    unit: str,
    first_day: date | None,
    last_day: date | None,
    label: Callable[[date], str],
    name: Callable[[date], str] | None = None,
) -> ChartPeriods:
    """Which periods to draw, with their axis labels (`label`; `name` names a period in the note). One
    the records begin part-way through is left out: its few days would draw a rise that is only the
    records beginning. One they end part-way through (the period in progress) is drawn and marked *:
    the latest figures matter, incomplete as they are. Periods the records do not reach at all are not
    in the results (see Engine.record_periods)."""
    from django.utils.formats import date_format
    from django.utils.text import capfirst

    def name_of(start: date) -> str:
        # Every note begins with the period's name: "Noviembre de 2025 ...", not "noviembre".
        return capfirst((name or label)(start))

    def day(value: date | None) -> str:
        # Notes are made only for periods the records begin or end in: then both days are known.
        return date_format(value, "DATE_FORMAT") if value is not None else ""

    indexes, labels, notes = [], [], []
    partial = set()
    for index, start in enumerate(periods):
        coverage = period_coverage(start, unit, first_day, last_day)
        if coverage == "begins":
            partial.add(start)
            notes.append(
                _("%(period)s is incomplete (the records begin on %(day)s) and is not drawn.")
                % {"period": name_of(start), "day": day(first_day)}
            )
            continue
        indexes.append(index)
        if coverage == "ends":
            partial.add(start)
            labels.append(label(start) + "*")
            notes.append(
                _("* %(period)s is incomplete (the records end on %(day)s).")
                % {"period": name_of(start), "day": day(last_day)}
            )
        elif coverage == "both":
            # All the records lie within this one period: draw it, marked, rather than nothing.
            partial.add(start)
            labels.append(label(start) + "*")
            notes.append(
                _("* %(period)s is incomplete (the records run from %(first)s to %(last)s).")
                % {
                    "period": name_of(start),
                    "first": day(first_day),
                    "last": day(last_day),
                }
            )
        else:
            labels.append(label(start))
    return ChartPeriods(indexes, labels, frozenset(partial), " ".join(notes))


# --- the international datasets ---------------------------------------------------------------------------


def external_figures(
    *,
    dataset: str,
    origin: str | None = None,
    destination: str | None = None,
    year: int | None = None,
) -> list[dict[str, Any]]:
    """Figures of an imported dataset as {origin, destination, year, value}: UN DESA migrant stock;
    UNHCR refugees plus asylum seekers; Missing Migrants dead plus missing by country of incident and
    year (origin empty). Public data: no permission needed beyond the caller's own."""
    origin = origin.upper() if origin else None
    destination = destination.upper() if destination else None
    # Both bilateral datasets have origin, destination and year.
    qs: QuerySet[MigrantStock] | QuerySet[RefugeeFigure]
    value: Combinable
    if dataset == Dataset.UNDESA_STOCK:
        qs = MigrantStock.objects.all()
        value = F("value")
    elif dataset == Dataset.UNHCR_BILATERAL:
        qs = RefugeeFigure.objects.all()
        value = F("refugees") + F("asylum_seekers")
    elif dataset == Dataset.MISSING_MIGRANTS:
        if origin:
            return []  # incidents have no origin
        incidents = MissingMigrantIncident.objects.exclude(year__isnull=True)
        if destination is not None:
            incidents = incidents.filter(country=destination)
        if year is not None:
            incidents = incidents.filter(year=year)
        by_year = (
            incidents.values("country", "year")
            .annotate(value=Sum(F("dead") + F("missing")))
            .order_by("year", "country")
        )
        return [
            {"origin": "", "destination": row["country"], "year": row["year"], "value": row["value"]}
            for row in by_year
        ]
    else:
        raise ApplicationError(
            _("Unknown dataset %(d)s; one of: %(all)s") % {"d": dataset, "all": ", ".join(Dataset.values)}
        )
    if origin is not None:
        qs = qs.filter(origin=origin)
    if destination is not None:
        qs = qs.filter(destination=destination)
    if year is not None:
        qs = qs.filter(year=year)
    totals = qs.annotate(total=value).values("origin", "destination", "year", "total")
    return [
        {"origin": r["origin"], "destination": r["destination"], "year": r["year"], "value": r["total"]}
        for r in totals.order_by("year", "origin", "destination")
    ]


@dataclass
class CountryContext:
    """The international picture for one country beside its own records."""

    country: str
    stock_year: int | None = None
    stock_total: int | None = None
    stock_by_origin: list[tuple[str, int]] = field(default_factory=list)
    stock_trend: list[tuple[int, int]] = field(default_factory=list)
    abroad_total: int | None = None
    abroad_by_destination: list[tuple[str, int]] = field(default_factory=list)
    refugee_year: int | None = None
    refugees_hosted: list[tuple[str, int]] = field(default_factory=list)
    refugees_hosted_trend: list[tuple[int, int]] = field(default_factory=list)
    refugees_from: list[tuple[str, int]] = field(default_factory=list)
    incidents: list[MissingMigrantIncident] = field(default_factory=list)
    incident_trend: list[tuple[int, int]] = field(default_factory=list)
    incident_by_country: list[tuple[str, int]] = field(default_factory=list)
    imports: list[Any] = field(default_factory=list)
    imported: frozenset[str] = frozenset()  # the datasets with figures in the database


# The corridor the Missing Migrants map and trend cover: Mexico, Central America, the Caribbean, the
# Darién and the US-Mexico border, where the region's routes run.
CORRIDOR_BOX = (-120.0, -5.0, -55.0, 35.0)  # west, south, east, north
CORRIDOR_REGIONS = ("Central America", "Caribbean", "North America", "South America")


def country_context(*, user: Any, country: str, top: int = 10) -> CountryContext:
    """UN DESA stock in and from the country, UNHCR refugees hosted and from it, Missing Migrants on the
    corridor: what the context page and the bulletin show."""
    from corredor.statistics.models import ExternalImport

    permit_statistics(user)
    context = CountryContext(country=country)
    stock = MigrantStock.objects.filter(destination=country)
    context.stock_year = stock.order_by("-year").values_list("year", flat=True).first()
    if context.stock_year:
        latest = stock.filter(year=context.stock_year)
        context.stock_total = latest.aggregate(total=Sum("value"))["total"]
        context.stock_by_origin = list(latest.order_by("-value").values_list("origin", "value")[:top])
        context.stock_trend = [
            (row["year"], row["total"])
            for row in stock.values("year").annotate(total=Sum("value")).order_by("year")
        ]
        abroad = MigrantStock.objects.filter(origin=country, year=context.stock_year)
        context.abroad_total = abroad.aggregate(total=Sum("value"))["total"]
        context.abroad_by_destination = list(
            abroad.order_by("-value").values_list("destination", "value")[:top]
        )
    refugees = RefugeeFigure.objects.filter(destination=country)
    context.refugee_year = RefugeeFigure.objects.order_by("-year").values_list("year", flat=True).first()
    total = F("refugees") + F("asylum_seekers")
    if context.refugee_year:
        context.refugees_hosted = [
            (o, v)
            for o, v in refugees.filter(year=context.refugee_year)
            .annotate(total=total)
            .order_by("-total")
            .values_list("origin", "total")[:top]
            if v
        ]
        context.refugees_hosted_trend = [
            (row["year"], row["value"])
            for row in refugees.values("year").annotate(value=Sum(total)).order_by("year")
        ]
        context.refugees_from = [
            (d, v)
            for d, v in RefugeeFigure.objects.filter(origin=country, year=context.refugee_year)
            .annotate(total=total)
            .order_by("-total")
            .values_list("destination", "total")[:top]
            if v
        ]
    west, south, east, north = CORRIDOR_BOX
    corridor = MissingMigrantIncident.objects.filter(
        longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north
    )
    context.incidents = list(corridor.only("latitude", "longitude", "dead", "missing", "year", "country"))
    context.incident_trend = [
        (cast(int, row["year"]), row["value"])  # not None: excluded
        for row in corridor.exclude(year__isnull=True)
        .values("year")
        .annotate(value=Sum(F("dead") + F("missing")))
        .order_by("year")
    ]
    context.incident_by_country = [
        (row["country"], row["value"])
        for row in corridor.values("country")
        .annotate(value=Sum(F("dead") + F("missing")))
        .order_by("-value")[:top]
    ]
    context.imports = list(ExternalImport.objects.order_by("-imported_at")[:6])
    context.imported = frozenset(
        dataset
        for dataset, model in (
            (Dataset.UNDESA_STOCK, MigrantStock),
            (Dataset.UNHCR_BILATERAL, RefugeeFigure),
            (Dataset.MISSING_MIGRANTS, MissingMigrantIncident),
        )
        if model.objects.exists()
    )
    return context


def incident_grid(
    incidents: Sequence[MissingMigrantIncident], cell: float = 0.5
) -> list[tuple[float, float, int, int]]:
    """Incidents summed on a grid of `cell` degrees: (longitude, latitude, dead and missing, incidents),
    placed at the people-weighted centre of each cell. Thousands of overlapping circles read as one."""
    cells: dict[tuple[int, int], list[float]] = {}
    for incident in incidents:
        people = incident.dead + incident.missing
        if incident.longitude is None or incident.latitude is None or people <= 0:
            continue
        key = (int(incident.longitude // cell), int(incident.latitude // cell))
        acc = cells.setdefault(key, [0.0, 0.0, 0, 0])
        acc[0] += incident.longitude * people
        acc[1] += incident.latitude * people
        acc[2] += people
        acc[3] += 1
    return [(lon / people, lat / people, int(people), int(n)) for lon, lat, people, n in cells.values()]


def month_range(month: str) -> tuple[date, date]:
    """The first and last day of YYYY-MM."""
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except (ValueError, TypeError):
        raise ApplicationError(_("A month is written YYYY-MM, not %(m)s.") % {"m": month}) from None
    return first, period_next(first, "month") - timedelta(days=1)
