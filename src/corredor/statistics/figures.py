"""The statistics figures: one function per figure, serving the dashboard and the bulletin alike.

Each function takes protected results (and the periods a chart draws) and answers a `Figure`: its title,
its SVG chart, its table (the same figures, withheld cells shown as withheld) and, on the dashboard, the
query strings of its downloads. The dashboard lays figures out as cards; the bulletin prints the same
figures at its own sizes (`BULLETIN`), so a chart is built in one place only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from corredor.statistics import charts, exports
from corredor.statistics.engine import (
    AGE_BANDS,
    MEASURES,
    OVERSTAY_RATE_CAVEAT,
    TOTAL,
    UNKNOWN,
    Result,
    period_label,
)


@dataclass(frozen=True)
class Layout:
    """Chart sizes for one use of the figures."""

    wide: int
    narrow: int
    line_height: int | None = None  # None: the chart's own default
    column_height: int | None = None
    label_width: int = 150
    small_height: int | None = None


DASHBOARD = Layout(wide=1100, narrow=420)
BULLETIN = Layout(wide=700, narrow=340, line_height=160, column_height=140, label_width=120, small_height=220)


@dataclass
class Figure:
    """One figure: `tables` as rows for a template, `download` the query string per file format."""

    id: str
    title: str
    svg: str
    tables: list[dict[str, Any]] = field(default_factory=list)
    download: dict[str, str] | None = None
    note: str = ""
    wide: bool = False
    legend: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Downloads:
    """What a figure's download links carry: the range and filters of the results it shows."""

    date_from: date
    date_to: date
    filters: dict[str, list[str]]

    def links(self, measure: str, by: Sequence[str]) -> dict[str, str]:
        base = {
            "measure": measure,
            "by": ",".join(by),
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            **self.filters,
        }
        return {fmt.replace("-", "_"): query_string(base, format=fmt) for fmt in exports.FORMATS}


def query_string(base: dict[str, Any], **changes: Any) -> str:
    params: list[tuple[str, str]] = []
    for key, value in {**base, **changes}.items():
        if value in (None, "", []):
            continue
        for item in value if isinstance(value, list) else [value]:
            params.append((key, str(item)))
    return "?" + urlencode(params)


def label(dim: str, value: Any) -> str:
    if dim == "post":
        return str(value)
    return exports.label(dim, value, (get_language() or "es")[:2])


def sort_name(name: str) -> str:
    """A name as it sorts for a reader: accents and case aside (Ecuador, El Salvador, Émirats...)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def table(result: Result, *, percent: bool = False, partial: frozenset[date] = frozenset()) -> dict[str, Any]:
    """A protected result as rows for a template: labels, values (— when withheld), flags. Periods the
    records cover only in part (`partial`) are marked *. Nationalities are shown by name, so they are
    not listed in the order of their codes: a table of nationalities alone lists the largest first
    (withheld ones last), a table that crosses them with other dimensions lists them by name."""
    fmt = charts.percent_text if percent else charts.number_text
    header = [str(d.label) for d in result.dims] + [str(result.measure.label)]
    rank: list[dict[Any, int]] = []
    for axis, dim in enumerate(result.dims):
        categories = result.categories[axis]
        if dim.code == "nationality":
            categories = sorted(
                categories,
                key=lambda c: (c == TOTAL, c == UNKNOWN, sort_name(label("nationality", c)), str(c)),
            )
        rank.append({c: n for n, c in enumerate(categories)})
    rows: list[dict[str, Any]] = []
    for labels, value, status in result.cells():
        names = []
        for axis, v in enumerate(labels):
            dim = result.dims[axis]
            if v == TOTAL:
                names.append(_("Total"))
            elif dim.period:
                names.append(period_label(v, dim.period) + ("*" if v in partial else ""))
            else:
                names.append(label(dim.code, v))
        order: tuple[Any, ...] = tuple(rank[axis][v] for axis, v in enumerate(labels))
        if [d.code for d in result.dims] == ["nationality"]:
            order = (labels[0] == TOTAL, value is None, -(value or 0), order)
        rows.append(
            {
                "labels": names,
                # A value that is neither there nor withheld: a rate with nothing to divide by.
                "value": _("n/a") if value is None and not status else fmt(value),
                "withheld": bool(status),
                "total": TOTAL in labels,
                "order": order,
            }
        )
    rows.sort(key=lambda row: row["order"])
    return {"header": header, "rows": rows}


@dataclass(frozen=True)
class Periods:
    """The periods a chart over time draws: axis labels, which positions of the results' period axis,
    the partial ones (marked *) and the note that says so (see selectors.chart_periods)."""

    labels: list[str]
    pick: Callable[[Sequence[Any]], list[Any]]
    partial: frozenset[date]
    note: str
    period: str

    def values(self, result: Result) -> list[Any]:
        return self.pick([v for _c, v in result.series(axis=0)])


def _note(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _downloads(downloads: Downloads | None, measure: str, by: Sequence[str]) -> dict[str, str] | None:
    return downloads.links(measure, by) if downloads is not None else None


# --- the figures ----------------------------------------------------------------------------------------


def entries_exits_figure(
    flows: dict[str, Result],
    periods: Periods,
    *,
    layout: Layout = DASHBOARD,
    downloads: Downloads | None = None,
) -> Figure:
    title = _("Entries and exits")
    return Figure(
        id="trend",
        title=title,
        svg=charts.line_chart(
            periods.labels,
            [(_("Entries"), periods.values(flows["entries"])), (_("Exits"), periods.values(flows["exits"]))],
            title=title,
            fmt=charts.number_text,
            width=layout.wide,
            height=layout.line_height or 260,
        ),
        tables=[
            table(flows["entries"], partial=periods.partial),
            table(flows["exits"], partial=periods.partial),
        ],
        download=_downloads(downloads, "entries", [periods.period]),
        note=periods.note,
        wide=True,
    )


def net_migration_figure(
    flows: dict[str, Result],
    periods: Periods,
    *,
    layout: Layout = DASHBOARD,
    downloads: Downloads | None = None,
    links: Sequence[str | None] | None = None,
) -> Figure:
    return Figure(
        id="net",
        title=_("Net migration (entries minus exits)"),
        svg=charts.column_chart(
            periods.labels,
            periods.values(flows["net_flow"]),
            title=_("Net migration"),
            fmt=charts.number_text,
            links=links,
            width=layout.wide,
            height=layout.column_height or 240,
        ),
        tables=[table(flows["net_flow"], partial=periods.partial)],
        download=_downloads(downloads, "net_flow", [periods.period]),
        note=_note(_("Click a column to see its days.") if links else "", periods.note),
        wide=True,
    )


def nationalities_figure(
    result: Result,
    *,
    layout: Layout = DASHBOARD,
    downloads: Downloads | None = None,
    top: int = 12,
    link: Callable[[str], str] | None = None,
) -> Figure:
    from corredor.statistics.selectors import top_categories

    title = _("Top nationalities (entries)")
    largest = top_categories(result, top)
    return Figure(
        id="nationalities",
        title=title,
        svg=charts.bar_chart(
            [(label("nationality", c), v) for c, v in largest],
            title=title,
            fmt=charts.number_text,
            links=[link(c) for c, _v in largest] if link else None,
            width=layout.narrow,
            label_width=layout.label_width,
        ),
        tables=[table(result)],
        download=_downloads(downloads, "entries", ["nationality", "sex", "age_band"]),
        note=_("Click a nationality to see its figures.") if link else "",
    )


def regions_figure(
    result: Result,
    *,
    layout: Layout = DASHBOARD,
    downloads: Downloads | None = None,
    link: Callable[[str], str] | None = None,
) -> Figure:
    title = _("Entries by region of nationality")
    items = [(c, v) for c, v in result.series() if v is not None]
    return Figure(
        id="regions",
        title=title,
        svg=charts.bar_chart(
            [(label("region", c), v) for c, v in items],
            title=title,
            fmt=charts.number_text,
            colour=charts.PALETTE[2],
            links=[link(c) for c, _v in items] if link else None,
            width=layout.narrow,
            label_width=layout.label_width,
        ),
        tables=[table(result)],
        download=_downloads(downloads, "entries", ["region", "sex"]),
    )


def posts_figure(
    entries: Result,
    exits: Result,
    *,
    names: dict[str, str],
    layout: Layout = DASHBOARD,
    downloads: Downloads | None = None,
    link: Callable[[str], str] | None = None,
    limit: int | None = None,
) -> Figure:
    by_entries, by_exits = dict(entries.series()), dict(exits.series())
    codes = sorted(by_entries, key=lambda c: -(by_entries.get(c) or 0))[:limit]
    return Figure(
        id="posts",
        title=_("Border posts"),
        svg=charts.paired_bars(
            [(c, by_entries.get(c), by_exits.get(c)) for c in codes],
            (_("Entries"), _("Exits")),
            title=_("Entries and exits by border post"),
            fmt=charts.number_text,
            links=[link(c) for c in codes] if link else None,
            width=layout.narrow,
        ),
        tables=[table(entries), table(exits)],
        download=_downloads(downloads, "crossings", ["post", "direction"]),
        legend=[(c, names.get(c, c)) for c in codes],
    )


def sex_age_figure(
    result: Result, *, layout: Layout = DASHBOARD, downloads: Downloads | None = None
) -> Figure:
    title = _("Entries by sex and age")
    women = [result.value_at("F", band) for band in AGE_BANDS]
    men = [result.value_at("M", band) for band in AGE_BANDS]
    return Figure(
        id="sex-age",
        title=title,
        svg=charts.pyramid(
            list(AGE_BANDS),
            women,
            men,
            title=title,
            names=(_("Women"), _("Men")),
            fmt=charts.number_text,
            width=layout.narrow,
        ),
        tables=[table(result)],
        download=_downloads(downloads, "entries", ["sex", "age_band"]),
        note=_("Sex X (unspecified) is counted with sex not stated where it counts too few people.")
        if result.merged.get("sex")
        else "",
    )


def in_country_figure(
    in_country: Result,
    overstays: Result,
    periods: Periods,
    *,
    layout: Layout = DASHBOARD,
    downloads: Downloads | None = None,
) -> Figure:
    return Figure(
        id="in-country",
        title=_("Foreigners in the country and overstays"),
        svg=charts.line_chart(
            periods.labels,
            [
                (_("In the country"), periods.values(in_country)),
                (_("Overstaying"), periods.values(overstays)),
            ],
            title=_("Foreigners in the country and overstays (at the end of each period)"),
            fmt=charts.number_text,
            width=layout.narrow if layout is not DASHBOARD else 640,
            height=layout.small_height or 260,
        ),
        tables=[table(in_country, partial=periods.partial), table(overstays, partial=periods.partial)],
        download=_downloads(downloads, "overstays", [periods.period, "nationality"]),
        note=periods.note,
    )


def overstay_rate_figure(
    rate: Result, periods: Periods, *, layout: Layout = DASHBOARD, downloads: Downloads | None = None
) -> Figure:
    return Figure(
        id="overstay-rate",
        title=_("Overstay rate"),
        svg=charts.line_chart(
            periods.labels,
            [(_("Overstay rate"), periods.values(rate))],
            title=_("Overstay rate: stays ending in the period not followed by an exit"),
            fmt=charts.percent_text,
            percent=True,
            colours=(charts.PALETTE[1],),
            width=layout.narrow if layout is not DASHBOARD else 640,
            height=layout.small_height or 260,
        ),
        tables=[table(rate, percent=True, partial=periods.partial)],
        download=_downloads(downloads, "overstay_rate", [periods.period]),
        note=_note(f"{MEASURES['overstay_rate'].description} {OVERSTAY_RATE_CAVEAT}", periods.note),
    )
