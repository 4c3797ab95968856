"""The monthly bulletin: key figures with the month before and the same month a year before, a short
commentary generated from the month's main changes, charts, tables, the international context and a
methodology note; written as HTML and as PDF (WeasyPrint), in Spanish or English.

Every figure goes through disclosure control: the bulletin is published.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from corredor.icao import country_to_alpha3
from corredor.statistics import charts, figures, geo, permissions, selectors
from corredor.statistics.charts import number_text, percent_text
from corredor.statistics.countrynames import country_label
from corredor.statistics.engine import (
    AGE_BANDS,
    CHILD_BANDS,
    MEASURES,
    OVERSTAY_RATE_CAVEAT,
    TOTAL,
    Engine,
    Query,
    Result,
    period_start,
)


@dataclass(frozen=True)
class BulletinFiles:
    html: Path
    pdf: Path | None
    seconds: float
    pdf_seconds: float


def _change(now: Any, before: Any) -> float | None:
    if now is None or before in (None, 0):
        return None
    return (now - before) / abs(before)


def _month_label(first: date) -> str:
    return dateformat.format(first, "F Y")


def bulletin_context(*, month: str, engine: Engine | None = None, user: Any = None) -> dict[str, Any]:
    """Everything the bulletin shows for YYYY-MM, protected, in the active language. The reader's role is
    checked first, before anything about the records is read (the command passes no user)."""
    filters: dict[str, list[str]] = {}
    if user is not None:
        filters = permissions.statistics_scope(user=user, filters={})
    engine = engine or Engine()
    first, last = selectors.month_range(month)
    if engine.last_day and first > engine.last_day:
        from corredor.core.errors import ApplicationError

        raise ApplicationError(
            _("The records end on %(d)s: there is no bulletin for %(m)s yet.")
            % {"d": engine.last_day, "m": month}
        )
    if engine.first_day and last < engine.first_day:
        from corredor.core.errors import ApplicationError

        raise ApplicationError(
            _("The records begin on %(d)s: there is no bulletin for %(m)s.")
            % {"d": engine.first_day, "m": month}
        )
    k = selectors.min_cell()
    prev_first = period_start(first - timedelta(days=1), "month")
    prev_last = first - timedelta(days=1)
    year_first = date(first.year - 1, first.month, 1)
    year_last = period_start(date(first.year - 1, first.month, 28) + timedelta(days=4), "month") - timedelta(
        days=1
    )
    trend_first = year_first
    has_prev = engine.first_day is not None and prev_first >= engine.first_day
    has_year = engine.first_day is not None and year_first >= engine.first_day
    # A month that has not ended (by the calendar, or in the records) is partial: its figures run to the
    # last day recorded, and a comparison with a whole month before would read as a fall that is only
    # the month not being over.
    today = timezone.localdate()
    recorded_to = min(d for d in (today - timedelta(days=1), engine.last_day) if d is not None)
    partial = last > recorded_to
    if partial:
        last = max(first, recorded_to)
        has_prev = has_year = False

    def run(measures: list[str], by: list[str], start: date, end: date) -> dict[str, Result]:
        query = Query.make(measures=measures, by=by, date_from=start, date_to=end, filters=filters)
        return {code: result.protect(k) for code, result in engine.run(query).items()}

    flows = ["entries", "exits", "net_flow", "refusals", "referrals"]
    # The month's breakdowns in one scan each for this month and the one before (they land in the
    # engine's cache, where the calls below find them).
    for start, end, sets in (
        (first, last, ([], ["nationality"], ["post"], ["sex", "age_band"], ["region"])),
        (prev_first, prev_last, ([], ["nationality"])),
    ):
        engine.run_many(
            [Query.make(measures=flows, by=by, date_from=start, date_to=end, filters=filters) for by in sets]
        )
    now = run(flows, [], first, last)
    prev = run(flows, [], prev_first, prev_last) if has_prev else None
    year = run(flows, [], year_first, year_last) if has_year else None
    stock_now = run(["in_country", "overstays"], [], last, last)
    stock_prev = run(["in_country", "overstays"], [], prev_last, prev_last) if has_prev else None
    rate_now = run(["overstay_rate"], [], first, last)["overstay_rate"]
    rate_prev = run(["overstay_rate"], [], prev_first, prev_last)["overstay_rate"] if has_prev else None

    rows = []
    for code in flows:
        value = now[code].total()
        before = prev[code].total() if prev else None
        a_year = year[code].total() if year else None
        rows.append(_kpi(code, value, before, a_year, difference=code == "net_flow"))
    for code in ("in_country", "overstays"):
        rows.append(
            _kpi(code, stock_now[code].total(), stock_prev[code].total() if stock_prev else None, None)
        )
    rate_row = _kpi(
        "overstay_rate", rate_now.total(), rate_prev.total() if rate_prev else None, None, rate=True
    )
    rows.append(rate_row)

    trend = run(flows, ["month"], trend_first, last)
    months = [c for c in trend["entries"].categories[0] if c != TOTAL]
    # Months before the records begin are not in the results; the one they begin part-way through is
    # left out of the charts, the one they end part-way through marked (the dashboard does the same).
    drawn = selectors.chart_periods(
        periods=months,
        unit="month",
        first_day=engine.first_day,
        last_day=engine.last_day,
        label=lambda m: dateformat.format(m, "M y"),
        name=_month_label,
    )

    nationality_now = run(flows, ["nationality"], first, last)["entries"]
    nationality_prev = run(flows, ["nationality"], prev_first, prev_last)["entries"] if has_prev else None
    lang = (translation.get_language() or "es")[:2]
    top = selectors.top_categories(nationality_now, 12)
    previous_by_nationality = dict(nationality_prev.series()) if nationality_prev else {}
    nationality_rows = [
        {
            "name": country_label(c, lang),
            "value": number_text(v),
            "before": number_text(previous_by_nationality.get(c)) if nationality_prev else "—",
            "change": _fmt_change(_change(v, previous_by_nationality.get(c))),
        }
        for c, v in top
    ]
    posts = run(flows, ["post"], first, last)
    post_entries, post_exits = dict(posts["entries"].series()), dict(posts["exits"].series())
    post_codes = sorted(post_entries, key=lambda c: -(post_entries.get(c) or 0))
    from corredor.core.models import BorderPost

    names = {post.code: post.name for post in BorderPost.objects.all()}  # in the bulletin's language
    post_rows = [
        {
            "code": c,
            "name": names.get(c, c),
            "entries": number_text(post_entries.get(c)),
            "exits": number_text(post_exits.get(c)),
        }
        for c in post_codes
    ]
    sex_age = run(flows, ["sex", "age_band"], first, last)["entries"]
    women = [sex_age.value_at("F", band) for band in AGE_BANDS]
    men = [sex_age.value_at("M", band) for band in AGE_BANDS]
    rate_trend = run(["overstay_rate"], ["month"], trend_first, last)["overstay_rate"]
    stock_trend = run(["in_country", "overstays"], ["month"], trend_first, last)
    regions = run(flows, ["region"], first, last)["entries"]

    commentary = _commentary(
        now=now,
        prev=prev,
        year=year,
        stock_now=stock_now,
        stock_prev=stock_prev,
        rate=rate_row,
        nationality_now=nationality_now,
        nationality_prev=nationality_prev,
        posts=posts,
        names=names,
        sex_age=sex_age,
        lang=lang,
    )

    own = country_to_alpha3(settings.CORREDOR_COUNTRY) or settings.CORREDOR_COUNTRY
    context_data = selectors.country_context(user=user, country=own) if user is not None else _context(own)
    grid = selectors.incident_grid(context_data.incidents)
    incident_points = [(lon, lat, people, "") for lon, lat, people, _n_incidents in grid]
    last_incident_year = max((y for y, _v in context_data.incident_trend), default=None)
    periods = figures.Periods(drawn.labels, drawn.pick, drawn.partial, drawn.note, "month")
    layout = figures.BULLETIN
    # The same figures as the dashboard's, at the bulletin's sizes (figures.py).
    figure_set = {
        "trend": figures.entries_exits_figure(trend, periods, layout=layout),
        "net": figures.net_migration_figure(trend, periods, layout=layout),
        "nationalities": figures.nationalities_figure(nationality_now, layout=layout, top=10),
        "pyramid": figures.sex_age_figure(sex_age, layout=layout),
        "posts": figures.posts_figure(posts["entries"], posts["exits"], names=names, layout=layout, limit=8),
        "regions": figures.regions_figure(regions, layout=layout),
        "stock": figures.in_country_figure(
            stock_trend["in_country"], stock_trend["overstays"], periods, layout=layout
        ),
        "rate": figures.overstay_rate_figure(rate_trend, periods, layout=layout),
    }
    svg = {
        **{key: figure.svg for key, figure in figure_set.items()},
        "map": charts.map_chart(
            geo.americas(),
            incident_points,
            box=selectors.CORRIDOR_BOX,
            title=_("Dead and missing on the corridor"),
            width=700,
            fmt=number_text,
            labels=geo.corridor_labels(lang),
            incidents=sum(n for *_rest, n in grid),
        ),
        "incidents": charts.column_chart(
            [str(y) for y, _v in context_data.incident_trend],
            [v for _y, v in context_data.incident_trend],
            title=_("Dead and missing per year"),
            width=300,
            height=190,
            fmt=number_text,
        ),
        "stock_origin": charts.bar_chart(
            [(country_label(c, lang), v) for c, v in context_data.stock_by_origin[:8]],
            title=_("Migrant stock by country of birth"),
            width=340,
            fmt=number_text,
            label_width=120,
        )
        if context_data.stock_by_origin
        else "",
    }
    return {
        "month_label": _month_label(first),
        "first": first,
        "last": last,
        "country_name": country_label(own, lang),
        "post": filters.get("post", [None])[0],
        "rows": rows,
        "has_prev": has_prev,
        "partial": partial,
        "has_year": has_year,
        "commentary": commentary,
        "svg": {key: _as_image(value) for key, value in svg.items()},
        "titles": {key: figure.title for key, figure in figure_set.items()},
        "nationality_rows": nationality_rows,
        "trend_note": drawn.note,
        "post_rows": post_rows,
        "sex_age_rows": [
            {"band": band, "women": number_text(w), "men": number_text(m)}
            for band, w, m in zip(AGE_BANDS, women, men, strict=True)
        ],
        "ctx": context_data,
        "stock_total": number_text(context_data.stock_total),
        "last_incident_year": last_incident_year,
        "last_incident_value": number_text(
            dict(context_data.incident_trend).get(last_incident_year)
            if last_incident_year is not None
            else None
        ),
        "k": k,
        "last_day": engine.last_day,
        "generated": date.today(),
        "lang": lang,
        "overstay_caveat": OVERSTAY_RATE_CAVEAT,
        "measures": [
            MEASURES[c]
            for c in (
                "entries",
                "exits",
                "net_flow",
                "refusals",
                "referrals",
                "in_country",
                "overstays",
                "overstay_rate",
            )
        ],
    }


def _as_image(svg: str) -> str:
    """An SVG chart as an <img> (scales to its box in print; its title is the alternative text)."""
    if not svg:
        return ""
    import base64
    import re
    from html import escape

    title = re.search(r"<title>(.*?)</title>", svg)
    desc = re.search(r"<desc>(.*?)</desc>", svg)
    alt = (title.group(1) if title else "") + (": " + desc.group(1) if desc else "")
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return mark_safe(
        f'<img class="chart" alt="{escape(alt, quote=True)}" src="data:image/svg+xml;base64,{data}">'
    )


def _context(country: str) -> selectors.CountryContext:
    """The international context without a person's permission check (the command line)."""

    class System:
        is_authenticated = True
        is_active = True
        role = "administrator"
        border_post_id = None

    return selectors.country_context(user=System(), country=country)


def _fmt_change(change: float | None) -> str:
    if change is None:
        return "—"
    return ("+" if change > 0 else "") + number_format(change * 100, decimal_pos=1) + " %"


def _difference(value: Any, before: Any) -> str:
    if value is None or before is None:
        return "—"
    return ("+" if value - before > 0 else "") + number_text(value - before)


def _kpi(
    code: str, value: Any, before: Any, a_year: Any, *, rate: bool = False, difference: bool = False
) -> dict[str, Any]:
    fmt = percent_text if rate else number_text
    if difference:
        # A percentage change of a balance that can change sign means nothing: the difference instead.
        change, year_change = _difference(value, before), _difference(value, a_year)
    elif rate:
        # A change of a rate is told in percentage points.
        change = (
            "—"
            if value is None or before is None
            else ("+" if value >= before else "")
            + number_format((value - before) * 100, decimal_pos=1)
            + " "
            + _("points")
        )
        year_change = "—"
    else:
        change, year_change = _fmt_change(_change(value, before)), _fmt_change(_change(value, a_year))
    return {
        "code": code,
        "label": str(MEASURES[code].label),
        "value": fmt(value),
        "before": fmt(before),
        "year": fmt(a_year),
        "change": change,
        "year_change": year_change,
        "raw": value,
        "raw_before": before,
    }


def _commentary(**data: Any) -> list[str]:
    """A few sentences on the month's main changes, from the protected figures only."""
    now, prev, year = data["now"], data["prev"], data["year"]
    lines = []
    entries, exits = now["entries"].total(), now["exits"].total()
    if entries is not None:
        sentence = _("%(entries)s people entered the country and %(exits)s left it.") % {
            "entries": number_text(entries),
            "exits": number_text(exits),
        }
        if prev is not None and prev["entries"].total():
            change = _change(entries, prev["entries"].total())
            if change is not None and abs(change) >= 0.005:
                word = _("more") if change > 0 else _("fewer")
                sentence += " " + _("Entries were %(pct)s %(word)s than the month before.") % {
                    "pct": number_format(abs(change) * 100, decimal_pos=1) + " %",
                    "word": word,
                }
            else:
                sentence += " " + _("Entries were about the same as the month before.")
        if year is not None and year["entries"].total():
            change = _change(entries, year["entries"].total())
            if change is not None:
                sentence += " " + _("Compared with the same month a year before: %(c)s.") % {
                    "c": _fmt_change(change)
                }
        lines.append(sentence)
    net = now["net_flow"].total()
    if net is not None:
        if net > 0:
            lines.append(
                _("Net migration was positive: %(n)s more entries than exits.") % {"n": number_text(net)}
            )
        elif net < 0:
            lines.append(
                _("Net migration was negative: %(n)s more exits than entries.") % {"n": number_text(-net)}
            )
    movers = []
    nationality_now, nationality_prev = data["nationality_now"], data["nationality_prev"]
    if nationality_prev is not None:
        before = dict(nationality_prev.series())
        for code, value in nationality_now.series():
            if value is not None and before.get(code) is not None:
                movers.append((value - before[code], code, value, before[code]))
        movers.sort()
        lang = data["lang"]
        rises = [m for m in reversed(movers) if m[0] > 0][:2]
        falls = [m for m in movers if m[0] < 0][:1]
        if rises:
            lines.append(
                _("The largest increases in entries were of nationals of %(list)s.")
                % {
                    "list": _(" and ").join(
                        f"{country_label(c, lang)} ({number_text(b)} → {number_text(v)})"
                        for _d, c, v, b in rises
                    )
                }
            )
        if falls:
            _d, c, v, b = falls[0]
            lines.append(
                _("The largest fall was of nationals of %(c)s (%(b)s → %(v)s).")
                % {"c": country_label(c, lang), "b": number_text(b), "v": number_text(v)}
            )
    posts = data["posts"]["entries"]
    busiest = selectors.top_categories(posts, 1)
    total = posts.total()
    if busiest and total:
        code, value = busiest[0]
        lines.append(
            _("%(post)s received %(share)s of all entries.")
            % {"post": data["names"].get(code, code), "share": percent_text(value / total, 0)}
        )
    sex_age = data["sex_age"]
    women, everyone = sex_age.value_at("F", TOTAL), sex_age.total()
    children = [sex_age.value_at(TOTAL, band) for band in CHILD_BANDS]
    if women is not None and everyone:
        sentence = _("Women made %(w)s of entries") % {"w": percent_text(women / everyone, 0)}
        if all(c is not None for c in children):
            sentence += _(", children under 18 %(c)s") % {"c": percent_text(sum(children) / everyone, 0)}
        lines.append(sentence + ".")
    refusals, referrals = now["refusals"].total(), now["referrals"].total()
    small = _("fewer than %(k)s") % {"k": selectors.min_cell()}
    lines.append(
        _("%(r)s entries were refused and %(p)s people were referred for protection at the border.")
        % {
            "r": small if refusals is None else number_text(refusals),
            "p": small if referrals is None else number_text(referrals),
        }
    )
    overstays = data["stock_now"]["overstays"].total()
    if overstays is not None:
        sentence = _("At the end of the month %(n)s foreign nationals were past their authorised stay") % {
            "n": number_text(overstays)
        }
        if data["stock_prev"] is not None and data["stock_prev"]["overstays"].total() is not None:
            sentence += _(" (%(b)s a month before)") % {
                "b": number_text(data["stock_prev"]["overstays"].total())
            }
        lines.append(sentence + ".")
    return lines


def bulletin_stem(month: str, lang: str) -> str:
    """The file name without extension: boletin-2026-10-es, bulletin-2026-10-en."""
    return f"{'boletin' if lang == 'es' else 'bulletin'}-{month}-{lang}"


def bulletin_html(*, month: str, user: Any = None, engine: Engine | None = None, request: Any = None) -> str:
    """The bulletin of `month` as one self-contained HTML page in the active language (charts inline)."""
    context = bulletin_context(month=month, engine=engine, user=user)
    return render_to_string("statistics/bulletin.html", context, request=request)


def bulletin_pdf(html: str) -> bytes:
    """The bulletin's HTML printed to PDF by WeasyPrint (A4 pages as its print stylesheet lays them out)."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def bulletin_write(
    *,
    month: str,
    lang: str = "es",
    out_dir: Path | None = None,
    pdf: bool = True,
    user: Any = None,
    engine: Engine | None = None,
) -> BulletinFiles:
    """Write bulletin-YYYY-MM-LANG.html and .pdf into `out_dir` (default DATA_DIR/bulletins)."""
    started = time.perf_counter()
    out_dir = Path(out_dir or Path(settings.DATA_DIR) / "bulletins")
    out_dir.mkdir(parents=True, exist_ok=True)
    with translation.override(lang):
        html = bulletin_html(month=month, engine=engine, user=user)
    stem = bulletin_stem(month, lang)
    html_path = out_dir / f"{stem}.html"
    html_path.write_text(html, encoding="utf-8")
    pdf_path = None
    pdf_started = time.perf_counter()
    if pdf:
        pdf_path = out_dir / f"{stem}.pdf"
        pdf_path.write_bytes(bulletin_pdf(html))
    done = time.perf_counter()
    return BulletinFiles(html_path, pdf_path, done - started, done - pdf_started)
