"""The statistics pages: the dashboard (trends, nationalities, posts, net migration, overstays, with
filters and drill-down), the table explorer and its downloads, the monthly bulletin, the international
context. Thin: parse, permit (in the selectors), call, render. Charts are server-side SVG with their
tables beside them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from corredor.core.audit import audit_write
from corredor.core.errors import ApplicationError
from corredor.core.http import AuthenticatedHttpRequest
from corredor.core.models import BorderPost
from corredor.icao import country_to_alpha3
from corredor.statistics import charts, figures, geo, permissions, selectors, services
from corredor.statistics.bulletin import bulletin_html, bulletin_pdf, bulletin_stem
from corredor.statistics.countrynames import country_label
from corredor.statistics.engine import (
    AGE_BANDS,
    DIMENSIONS,
    MEASURES,
    TOTAL,
    UNKNOWN,
    period_label,
    period_next,
)
from corredor.statistics.forms import FILTER_DIMS, clean_country, query_from_request
from corredor.statistics.models import Dataset
from corredor.statistics.regions import REGION_LABELS

__all__ = ["FILTER_DIMS"]


def axis_label(start: date, period: str) -> str:
    """A short period label for a chart axis: "Mar 2026", "2026-03-14", "2026-Q1", "2026"."""
    if period == "month":
        return dateformat.format(start, "M Y")
    return period_label(start, period)


def _parse(request: HttpRequest) -> dict[str, Any]:
    """Range, period and filters from the query string, checked by the form: a bad value is refused
    (400, saying which and why), never ignored."""
    query = query_from_request(request.GET)
    return {
        "date_from": query["date_from"],
        "date_to": query["date_to"],
        "period": query["period"] or "month",
        "filters": query["filters"],
        "query": query,
    }


def _label(dim: str, value: Any) -> str:
    return figures.label(dim, value)


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Errors and refusals go to the one boundary (core.middleware): a page with their status.
    permissions.permit_statistics(request.user)  # closed on permissions: before reading the query
    parsed = _parse(request)
    parsed.pop("query")
    board = selectors.dashboard_data(user=request.user, **parsed)
    period = board.period
    base = {
        "from": board.date_from.isoformat(),
        "to": board.date_to.isoformat(),
        "period": period,
        **{k: v for k, v in board.filters.items() if not (k == "post" and request.user.role == "supervisor")},
    }
    flows = board.flows
    periods = [c for c in flows["entries"].categories[0] if c != TOTAL]
    drawn = selectors.chart_periods(
        periods=periods,
        unit=period,
        first_day=board.first_day,
        last_day=board.last_day,
        label=lambda start: axis_label(start, period),
        name=lambda start: (
            dateformat.format(start, "F Y") if period == "month" else axis_label(start, period)
        ),
    )
    chart_periods = figures.Periods(drawn.labels, drawn.pick, drawn.partial, drawn.note, period)

    def drill_period(start: date) -> str:
        end = period_next(start, period) - timedelta(days=1)
        finer = {"year": "month", "quarter": "month", "month": "day", "day": "day"}[period]
        return figures.query_string(
            base, **{"from": start.isoformat(), "to": end.isoformat(), "period": finer}
        )

    downloads = figures.Downloads(board.date_from, board.date_to, board.filters)
    # The breakdowns cover the whole months of the range that have ended (selectors.fixed_range).
    fine_downloads = (
        figures.Downloads(board.fine_from, board.fine_to, board.filters)
        if board.fine_from and board.fine_to  # both or neither
        else None
    )
    cards: list[figures.Figure] = [
        figures.entries_exits_figure(board.flows, chart_periods, downloads=downloads),
        figures.net_migration_figure(
            board.flows,
            chart_periods,
            downloads=downloads,
            links=drawn.pick([drill_period(p) for p in periods]),
        ),
    ]
    if board.nationalities is not None and board.regions is not None and board.sex_age is not None:
        # Each post's name in the reader's language (French and Kreyòl readers get the French one).
        post_names = {post.code: post.name for post in BorderPost.objects.all()}
        cards += [
            figures.nationalities_figure(
                board.nationalities,
                downloads=fine_downloads,
                link=lambda c: figures.query_string(base, nationality=c),
            ),
            figures.regions_figure(
                board.regions, downloads=fine_downloads, link=lambda c: figures.query_string(base, region=c)
            ),
            figures.posts_figure(
                board.posts["entries"],
                board.posts["exits"],
                names=post_names,
                downloads=fine_downloads,
                link=lambda c: figures.query_string(base, post=c),
            ),
            figures.sex_age_figure(board.sex_age, downloads=fine_downloads),
        ]
        months_note = _(
            "Breakdowns by nationality, region, post, sex and age: %(start)s to %(end)s (whole months)."
        ) % {
            "start": board.fine_from,
            "end": board.fine_to,
        }
        for card in cards[2:]:
            card.note = " ".join(part for part in (card.note, months_note) if part)
    assert board.in_country is not None and board.overstays is not None and board.overstay_rate is not None
    cards += [
        figures.in_country_figure(board.in_country, board.overstays, chart_periods, downloads=downloads),
        figures.overstay_rate_figure(board.overstay_rate, chart_periods, downloads=downloads),
    ]
    kpis = [
        {
            "label": k.label,
            "value": charts.percent_text(k.value) if k.unit == "ratio" else charts.number_text(k.value),
            "previous": charts.percent_text(k.previous)
            if k.unit == "ratio"
            else charts.number_text(k.previous),
            "change": None if k.change is None else number_format(k.change * 100, decimal_pos=1),
            "up": (k.change or 0) > 0,
        }
        for k in board.kpis
    ]
    active = [
        {
            "dim": str(DIMENSIONS[d].label),
            "value": ", ".join(_label(d, v) for v in vs),
            "clear": figures.query_string({**base, d: None}),
        }
        for d, vs in board.filters.items()
        if not (d == "post" and request.user.role == "supervisor")
    ]
    # The picker lists the nationalities in the records by name (codes only as values).
    shown = board.nationalities.categories[0] if board.nationalities is not None else []
    nationality_codes = {c for c in shown if c not in (TOTAL, UNKNOWN)}
    nationality_codes |= set(board.filters.get("nationality", []))
    nationality_choices = sorted(
        ((code, _label("nationality", code)) for code in nationality_codes),
        key=lambda pair: (figures.sort_name(pair[1]), pair[0]),
    )
    context = {
        # No whole month has ended in the range: the breakdowns are not published (selectors.fixed_range).
        "fine_missing": board.fine_from is None,
        "nationality_choices": nationality_choices,
        "board": board,
        "kpis": kpis,
        "cards": cards,
        "active": active,
        "posts": BorderPost.objects.filter(active=True).order_by("code"),
        "regions": [(code, label) for code, label in REGION_LABELS.items()],
        "age_bands": AGE_BANDS,
        "filters": board.filters,
        "seconds": board.seconds,
        "supervisor_post": request.user.border_post_id if request.user.role == "supervisor" else None,
    }
    return render(request, "statistics/dashboard.html", context)


@login_required
def download(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A protected table as a file, the same as `corredor stats export` (audited)."""
    get = request.GET
    permissions.permit_statistics(request.user)
    parsed = _parse(request)
    query = parsed["query"]
    file = services.statistics_export(
        user=request.user,
        measure=get.get("measure", ""),
        by=query["by"],
        date_from=parsed["date_from"],
        date_to=parsed["date_to"],
        fmt=get.get("format", "csv"),
        filters=parsed["filters"],
        k=query["min_cell"],
        lang=(get_language() or "es")[:2],
    )
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@login_required
def bulletin(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The monthly bulletin, as `corredor bulletin` writes it: last month unless ?month=YYYY-MM, in the
    reader's language; ?format=pdf for the PDF. A supervisor's is their own post's. Audited as an export."""
    pdf = request.GET.get("format") == "pdf"
    lang = (get_language() or "es")[:2]
    permissions.permit_statistics(request.user)
    asked = query_from_request(request.GET)["month"]
    month = f"{asked or timezone.localdate().replace(day=1) - timedelta(days=1):%Y-%m}"
    html = bulletin_html(month=month, user=request.user, request=request)
    response = HttpResponse(html)
    if pdf:
        response = HttpResponse(bulletin_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{bulletin_stem(month, lang)}.pdf"'
    # Audited once it is made: a PDF that failed to print was not published.
    audit_write(
        action="export",
        object_type="statistics.bulletin",
        object_id=month,
        summary=f"bulletin {month} {lang} {'pdf' if pdf else 'html'} (web)",
    )
    return response


@login_required
def explore(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Build a table: a measure broken down by chosen dimensions, protected, with its downloads."""
    get = request.GET
    permissions.permit_statistics(request.user)
    parsed = _parse(request)
    measure = parsed["query"]["measure"] or "entries"
    by = parsed["query"]["by"] or ["month", "sex", "age_band"]
    result = None
    error = None
    try:
        if "measure" in get:
            result = selectors.statistics_table(
                user=request.user,
                measure=measure,
                by=by,
                date_from=parsed["date_from"],
                date_to=parsed["date_to"],
                filters=parsed["filters"],
            )
    except ApplicationError as exc:
        # The table asked for cannot be made (too many cells, measures of two kinds): the form is shown
        # again with what is wrong, as a form with errors is, under the error's status. Refusals go to
        # the boundary.
        if exc.status == 403:
            raise
        error = exc
    downloads = None
    # A table always carries its range (the engine fills it in).
    if result is not None and result.date_from is not None and result.date_to is not None:
        downloads = figures.Downloads(result.date_from, result.date_to, result.filters)
    counts = None
    if result is not None and result.status is not None:
        counts = {"primary": int((result.status == 1).sum()), "secondary": int((result.status == 2).sum())}
    return render(
        request,
        "statistics/explore.html",
        {
            "measures": MEASURES.values(),
            "dimensions": DIMENSIONS.values(),
            "measure": measure,
            "by": by,
            "date_from": parsed["date_from"] or (result.date_from if result else None),
            "date_to": parsed["date_to"] or (result.date_to if result else None),
            "result": result,
            "table": figures.table(result, percent=result.measure.kind == "rate")
            if result is not None
            else None,
            "downloads": downloads.links(measure, by) if downloads else None,
            "counts": counts,
            "k": selectors.min_cell(),
            "error": error,
            "filters": parsed["filters"],
        },
        status=error.status if error is not None else 200,
    )


@login_required
def context_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The international picture beside the country's own records: UN DESA stock, UNHCR, Missing
    Migrants on the corridor (map and trend)."""
    own = country_to_alpha3(settings.CORREDOR_COUNTRY) or settings.CORREDOR_COUNTRY
    permissions.permit_statistics(request.user)
    country = clean_country(request.GET.get("country"), field="country") or own
    lang = (get_language() or "es")[:2]
    context = selectors.country_context(user=request.user, country=country)
    own_figures = None
    if country == own and selectors.has_statistics():
        own_figures = selectors.statistics_table(user=request.user, measure="in_country", by=["nationality"])
    name = country_label(country, lang)
    stock_items = [(country_label(c, lang), v) for c, v in context.stock_by_origin]
    own_items: list[tuple[str, Any]] = []
    if own_figures is not None:
        own_items = [(country_label(c, lang), v) for c, v in selectors.top_categories(own_figures, 10)]
    refugee_items = [
        (country_label(c, lang) if c else _("Various or unknown"), v) for c, v in context.refugees_hosted
    ]
    grid = selectors.incident_grid(context.incidents)
    incidents = [
        (lon, lat, people, charts.incidents_text(n, people, charts.number_text))
        for lon, lat, people, n in grid
    ]
    map_svg = charts.map_chart(
        geo.americas(),
        incidents,
        box=selectors.CORRIDOR_BOX,
        title=_("Migrants dead or missing on the corridor"),
        fmt=charts.number_text,
        labels=geo.corridor_labels(lang),
        incidents=sum(n for *_rest, n in grid),
    )
    imported = context.imported
    years, totals = charts.as_series(context.incident_trend)
    view: dict[str, Any] = {
        "country": country,
        "country_name": name,
        "own": own,
        "ctx": context,
        "choices": sorted(
            {own, "MEX", "USA", "CRI", "PAN", "GTM", "HND", "SLV", "NIC", "CAN", "DOM", "HTI", "BLZ"}
        ),
        "stock_svg": charts.bar_chart(
            stock_items, title=_("Migrant stock by country of birth"), fmt=charts.number_text
        )
        if stock_items
        else "",
        "own_svg": charts.bar_chart(
            own_items,
            title=_("Foreigners in the country by nationality (records)"),
            fmt=charts.number_text,
            colour=charts.PALETTE[2],
        )
        if own_items
        else "",
        "stock_trend_svg": charts.line_chart(
            [str(y) for y, _v in context.stock_trend],
            [(_("Migrant stock"), [v for _y, v in context.stock_trend])],
            title=_("Migrant stock over time"),
            fmt=charts.number_text,
        )
        if context.stock_trend
        else "",
        "refugee_svg": charts.bar_chart(
            refugee_items,
            title=_("Refugees and asylum seekers by origin"),
            fmt=charts.number_text,
            colour=charts.PALETTE[4],
        )
        if refugee_items
        else "",
        "refugee_trend_svg": charts.line_chart(
            [str(y) for y, _v in context.refugees_hosted_trend],
            [(_("Refugees and asylum seekers"), [v for _y, v in context.refugees_hosted_trend])],
            title=_("Refugees and asylum seekers hosted"),
            fmt=charts.number_text,
            colours=(charts.PALETTE[4],),
        )
        if context.refugees_hosted_trend
        else "",
        "map_svg": mark_safe(map_svg),
        "incident_svg": charts.column_chart(
            [str(y) for y in years],
            totals,
            title=_("Dead and missing per year on the corridor"),
            fmt=charts.number_text,
        )
        if years
        else "",
        "incident_rows": [
            (country_label(c, lang) if c else _("Unknown"), charts.number_text(v))
            for c, v in context.incident_by_country
        ],
        "stock_rows": [(label, charts.number_text(v)) for label, v in stock_items],
        "abroad_rows": [
            (country_label(c, lang), charts.number_text(v)) for c, v in context.abroad_by_destination
        ],
        "refugee_rows": [(label, charts.number_text(v)) for label, v in refugee_items],
        "refugees_from_rows": [
            (country_label(c, lang) if c else _("Various or unknown"), charts.number_text(v))
            for c, v in context.refugees_from
        ],
        "own_rows": [(label, charts.number_text(v)) for label, v in own_items],
        "number": charts.number_text,
        "stock_total": charts.number_text(context.stock_total),
        "abroad_total": charts.number_text(context.abroad_total),
        "stock_imported": Dataset.UNDESA_STOCK in imported,
        "refugees_imported": Dataset.UNHCR_BILATERAL in imported,
        "incidents_imported": Dataset.MISSING_MIGRANTS in imported,
        "datasets": {d.value.replace("-", "_"): d.label for d in Dataset},
    }
    for key in (
        "stock_svg",
        "own_svg",
        "stock_trend_svg",
        "refugee_svg",
        "refugee_trend_svg",
        "incident_svg",
    ):
        view[key] = mark_safe(view[key])
    return render(request, "statistics/context.html", view)
