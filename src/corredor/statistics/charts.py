"""Charts as server-side SVG: drawn from the protected tables, shown offline (no script, no CDN) in the
browser and in the PDF bulletin alike. Pure apart from Django's translation and number formatting in the
active language: plain data in, an SVG string out.

Every chart has a <title> and a <desc> for screen readers, and the page shows its table beside it.
A withheld value (None) is drawn as a gap, never as zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Okabe-Ito: told apart by people with colour-blindness, printable in grey.
PALETTE = ("#0b5cad", "#d55e00", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#000000")
INK = "#1b2430"
MUTED = "#5b6775"
GRID = "#d5dbe3"
FONT = 'font-family="DejaVu Sans, system-ui, sans-serif"'

Number = float | int


def number_text(value: Number | None) -> str:
    """A figure as the reader's locale writes it (one decimal when it has any); a withheld one is "—"."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return number_format(value, decimal_pos=1, force_grouping=True)
    return number_format(int(value), decimal_pos=0, force_grouping=True)


def percent_text(value: float | None, digits: int = 1) -> str:
    """A share (0.043) as a percentage in the reader's locale ("4,3 %"); a withheld one is "—"."""
    return "—" if value is None else number_format(value * 100, decimal_pos=digits) + " %"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (0 included)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _label_step(labels: Sequence[str], plot_width: float) -> int:
    """Show every n-th axis label so that labels never overlap (about 7 px a character)."""
    if not labels:
        return 1
    widest = max(len(label) for label in labels) * 7 + 10
    return max(1, math.ceil(len(labels) * widest / plot_width))


def _open(width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" class="chart" {FONT} font-size="12">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]


def _legend(names: Sequence[str], x: float, y: float, colours: Sequence[str]) -> list[str]:
    out = []
    for i, name in enumerate(names):
        out.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="12" height="12" fill="{colours[i % len(colours)]}"/>'
            f'<text x="{x + 17:.1f}" y="{y + 1:.1f}" fill="{INK}">{escape(name)}</text>'
        )
        x += 30 + 7.2 * len(name)
    return out


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
    fmt: Callable[[Number], str] = number_text,
    percent: bool = False,
    colours: Sequence[str] = PALETTE,
) -> str:
    """Lines over time, one per series; None values break the line."""
    left, right, top, bottom = 64, 40, 30, 42
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _n, vs in series for v in vs if v is not None]
    desc = "; ".join(
        f"{name}: "
        + ", ".join(f"{x} {'—' if v is None else fmt(v)}" for x, v in zip(x_labels, vs, strict=False))
        for name, vs in series
    )
    out = _open(width, height, title, desc)
    ticks = nice_ticks(min(values, default=0), max(values, default=1))
    y_min, y_max = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        return top + plot_h - (v - y_min) / (y_max - y_min) * plot_h

    n = max(len(x_labels), 1)
    step = plot_w / max(n - 1, 1) if n > 1 else 0

    def x_of(i: int) -> float:
        return left + (i * step if n > 1 else plot_w / 2)

    for t in ticks:
        y = y_of(t)
        label = percent_text(t, 0) if percent else fmt(t)
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">{escape(label)}</text>'
        )
    every = _label_step(x_labels, plot_w)
    for i, label in enumerate(x_labels):
        if i % every == 0:
            out.append(
                f'<text x="{x_of(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'fill="{MUTED}">{escape(label)}</text>'
            )
    for s, (name, vs) in enumerate(series):
        colour = colours[s % len(colours)]
        path: list[str] = []
        pen_down = False
        for i, v in enumerate(vs):
            if v is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x_of(i):.1f},{y_of(v):.1f}")
            pen_down = True
        if path:
            out.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for i, v in enumerate(vs):
            if v is not None:
                shown = percent_text(v, 1) if percent else fmt(v)
                out.append(
                    f'<circle cx="{x_of(i):.1f}" cy="{y_of(v):.1f}" r="3" fill="{colour}">'
                    f"<title>{escape(name)} {escape(x_labels[i])}: {escape(shown)}</title></circle>"
                )
    out += _legend([name for name, _v in series], left, 16, colours)
    out.append("</svg>")
    return "".join(out)


def bar_chart(
    items: Sequence[tuple[str, Number | None]],
    *,
    title: str,
    width: int = 420,
    bar_height: int = 22,
    fmt: Callable[[Number], str] = number_text,
    colour: str = PALETTE[0],
    links: Sequence[str | None] | None = None,
    label_width: int = 150,
) -> str:
    """Horizontal bars, largest first as given; an optional link per bar (drill-down)."""
    top = 8
    height = top + bar_height * max(len(items), 1) + 8
    plot_w = width - label_width - 70
    values = [v for _l, v in items if v is not None]
    high = max(values, default=1) or 1
    desc = "; ".join(f"{label}: {'—' if v is None else fmt(v)}" for label, v in items)
    out = _open(width, height, title, desc)
    for i, (label, v) in enumerate(items):
        y = top + i * bar_height
        text = escape(label if len(label) <= 24 else label[:23] + "…")
        row = (
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.65:.1f}" text-anchor="end" fill="{INK}">'
            f"{text}</text>"
        )
        row += _hbar(
            v,
            x=label_width,
            y=y + 3,
            height=bar_height - 6,
            text_y=y + bar_height * 0.65,
            length=plot_w * max(v or 0, 0) / high,
            colour=colour,
            tip=label,
            fmt=fmt,
        )
        out.append(_linked(row, links, i))
    out.append("</svg>")
    return "".join(out)


def _hbar(
    value: Number | None,
    *,
    x: float,
    y: float,
    height: float,
    text_y: float,
    length: float,
    colour: str,
    tip: str,
    fmt: Callable[[Number], str],
    small: bool = False,
) -> str:
    """One horizontal bar from `x` with its value written after it and as its tooltip; a withheld value
    (None) is a dash, never a bar."""
    if value is None:
        return f'<text x="{x + 4}" y="{text_y:.1f}" fill="{MUTED}">—</text>'
    w = max(1.0, length)
    size = ' font-size="10"' if small else ""
    return (
        f'<rect x="{x}" y="{y}" width="{w:.1f}" height="{height}" fill="{colour}">'
        f"<title>{escape(tip)}: {escape(fmt(value))}</title></rect>"
        f'<text x="{x + w + 5:.1f}" y="{text_y:.1f}"{size} fill="{INK}">{escape(fmt(value))}</text>'
    )


def _linked(row: str, links: Sequence[str | None] | None, i: int) -> str:
    """A chart's row wrapped in its drill-down link, when it has one."""
    link = links[i] if links else None
    return f'<a href="{escape(link)}">{row}</a>' if link else row


def paired_bars(
    items: Sequence[tuple[str, Number | None, Number | None]],
    names: tuple[str, str],
    *,
    title: str,
    width: int = 420,
    fmt: Callable[[Number], str] = number_text,
    links: Sequence[str | None] | None = None,
) -> str:
    """Two bars per category (entries and exits by post)."""
    label_width, bar = 70, 11
    row_h = 2 * bar + 8
    top = 26
    height = top + row_h * max(len(items), 1) + 6
    plot_w = width - label_width - 70
    values = [v for _l, a, b in items for v in (a, b) if v is not None]
    high = max(values, default=1) or 1
    desc = "; ".join(
        f"{label}: {names[0]} {'—' if a is None else fmt(a)}, {names[1]} {'—' if b is None else fmt(b)}"
        for label, a, b in items
    )
    out = _open(width, height, title, desc)
    out += _legend(list(names), label_width, 14, PALETTE)
    for i, (label, a, b) in enumerate(items):
        y = top + i * row_h
        row = (
            f'<text x="{label_width - 6}" y="{y + bar + 4}" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
        )
        for j, v in enumerate((a, b)):
            yy = y + j * bar
            row += _hbar(
                v,
                x=label_width,
                y=yy,
                height=bar - 1,
                text_y=yy + bar - 2,
                length=plot_w * max(v or 0, 0) / high,
                colour=PALETTE[j],
                tip=f"{label} {names[j]}",
                fmt=fmt,
                small=True,
            )
        out.append(_linked(row, links, i))
    out.append("</svg>")
    return "".join(out)


def column_chart(
    x_labels: Sequence[str],
    values: Sequence[Number | None],
    *,
    title: str,
    width: int = 640,
    height: int = 240,
    fmt: Callable[[Number], str] = number_text,
    links: Sequence[str | None] | None = None,
) -> str:
    """Columns above and below zero (net flow by month): positive in blue, negative in orange."""
    left, right, top, bottom = 64, 16, 14, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    present = [v for v in values if v is not None]
    ticks = nice_ticks(min(present, default=0), max(present, default=1))
    y_min, y_max = ticks[0], ticks[-1]
    desc = "; ".join(f"{x}: {'—' if v is None else fmt(v)}" for x, v in zip(x_labels, values, strict=False))
    out = _open(width, height, title, desc)

    def y_of(v: float) -> float:
        return top + plot_h - (v - y_min) / (y_max - y_min) * plot_h

    for t in ticks:
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y_of(t):.1f}" y2="{y_of(t):.1f}" '
            f'stroke="{INK if t == 0 else GRID}"/>'
            f'<text x="{left - 6}" y="{y_of(t) + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(fmt(t))}</text>"
        )
    n = max(len(values), 1)
    slot = plot_w / n
    every = _label_step(x_labels, plot_w)
    for i, (label, v) in enumerate(zip(x_labels, values, strict=False)):
        x = left + i * slot
        if i % every == 0:
            out.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'fill="{MUTED}">{escape(label)}</text>'
            )
        if v is None:
            out.append(
                f'<text x="{x + slot / 2:.1f}" y="{y_of(0) - 4:.1f}" text-anchor="middle" '
                f'fill="{MUTED}">—</text>'
            )
            continue
        y0, y1 = sorted((y_of(0), y_of(v)))
        colour = PALETTE[0] if v >= 0 else PALETTE[1]
        bar = (
            f'<rect x="{x + slot * 0.15:.1f}" y="{y0:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{max(y1 - y0, 1):.1f}" '
            f'fill="{colour}"><title>{escape(label)}: {escape(fmt(v))}</title></rect>'
        )
        out.append(_linked(bar, links, i))
    out.append("</svg>")
    return "".join(out)


def pyramid(
    bands: Sequence[str],
    women: Sequence[Number | None],
    men: Sequence[Number | None],
    *,
    title: str,
    names: tuple[str, str] | None = None,
    width: int = 420,
    fmt: Callable[[Number], str] = number_text,
) -> str:
    """An age pyramid: women to the left, men to the right, youngest at the bottom."""
    if names is None:
        names = (_("Women"), _("Men"))
    row_h, top, label_w = 24, 28, 56
    height = top + row_h * len(bands) + 8
    half = (width - label_w) / 2 - 40
    values = [v for v in (*women, *men) if v is not None]
    high = max(values, default=1) or 1
    centre = width / 2
    desc = "; ".join(
        f"{band}: {names[0]} {'—' if w is None else fmt(w)}, {names[1]} {'—' if m is None else fmt(m)}"
        for band, w, m in zip(bands, women, men, strict=False)
    )
    out = _open(width, height, title, desc)
    out.append(
        f'<text x="{centre - label_w / 2 - 4:.1f}" y="16" text-anchor="end" fill="{PALETTE[4]}" '
        f'font-weight="bold">{escape(names[0])}</text>'
        f'<text x="{centre + label_w / 2 + 4:.1f}" y="16" fill="{PALETTE[0]}" font-weight="bold">'
        f"{escape(names[1])}</text>"
    )
    for i, band in enumerate(reversed(list(bands))):
        k = len(bands) - 1 - i
        y = top + i * row_h
        out.append(
            f'<text x="{centre:.1f}" y="{y + row_h * 0.65:.1f}" text-anchor="middle" fill="{INK}">'
            f"{escape(band)}</text>"
        )
        for side, v in ((-1, women[k]), (1, men[k])):
            edge = centre + side * label_w / 2
            if v is None:
                out.append(
                    f'<text x="{edge + side * 6:.1f}" y="{y + row_h * 0.65:.1f}" '
                    f'text-anchor="{"end" if side < 0 else "start"}" fill="{MUTED}">—</text>'
                )
                continue
            w = max(1.0, half * v / high)
            x = edge - w if side < 0 else edge
            colour = PALETTE[4] if side < 0 else PALETTE[0]
            anchor = "end" if side < 0 else "start"
            tx = x - 4 if side < 0 else x + w + 4
            out.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{colour}"/>'
                f'<text x="{tx:.1f}" y="{y + row_h * 0.65:.1f}" text-anchor="{anchor}" font-size="11" '
                f'fill="{INK}">{escape(fmt(v))}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def map_chart(
    shapes: Sequence[Sequence[Sequence[tuple[float, float]]]],
    points: Sequence[tuple[float, float, Number, str]],
    *,
    box: tuple[float, float, float, float],
    title: str,
    width: int = 640,
    fmt: Callable[[Number], str] = number_text,
    labels: Sequence[tuple[float, float, str]] = (),
    incidents: int | None = None,
) -> str:
    """Points (longitude, latitude, size, tooltip) over land outlines in an equirectangular projection
    of `box` (west, south, east, north), circles sized by area; place names (lon, lat, name) on top.
    `incidents` is how many incidents the points stand for (one each unless said: a point may sum a
    place's incidents)."""
    west, south, east, north = box
    # Equirectangular scaled by the cosine of the middle latitude: shapes look right at this latitude.
    aspect = (north - south) / ((east - west) * math.cos(math.radians((north + south) / 2)))
    height = int(width * aspect)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) / (east - west) * width, (north - lat) / (north - south) * height

    total = sum(p[2] for p in points)
    count = len(points) if incidents is None else incidents
    out = _open(width, height, title, incidents_text(count, total, fmt))
    out.append(f'<rect width="{width}" height="{height}" fill="#eaf2fa"/>')
    for polygon in shapes:
        d = []
        for ring in polygon:
            coords = [project(lon, lat) for lon, lat in ring]
            if len(coords) > 2:
                d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z")
        if d:
            out.append(f'<path d="{"".join(d)}" fill="#f4f1ea" stroke="#9aa6b2" stroke-width="0.6"/>')
    high = max((p[2] for p in points), default=1) or 1
    for lon, lat, size, tip in sorted(points, key=lambda p: -p[2]):
        x, y = project(lon, lat)
        r = 2 + 12 * math.sqrt(max(size, 0) / high)
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{PALETTE[1]}" fill-opacity="0.55" '
            f'stroke="#8a3a00" stroke-width="0.5"><title>{escape(tip)}</title></circle>'
        )
    # Place names last, so that no circle covers them, each over a white halo of itself so that it reads
    # over the circles (drawn twice rather than with paint-order, which not every SVG renderer knows).
    for lon, lat, name in labels:
        x, y = project(lon, lat)
        attributes = f'x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="11" font-weight="bold"'
        out.append(
            f'<text {attributes} fill="#ffffff" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" '
            f'stroke-opacity="0.9" aria-hidden="true">{escape(name)}</text>'
            f'<text {attributes} fill="{INK}">{escape(name)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def incidents_text(incidents: int, people: Number, fmt: Callable[[Number], str] = number_text) -> str:
    """ "3 incidents, 12 people dead or missing", in the active language."""
    return (
        ngettext("%(n)s incident", "%(n)s incidents", incidents) % {"n": fmt(incidents)}
        + ", "
        + ngettext("%(n)s person dead or missing", "%(n)s people dead or missing", int(people))
        % {"n": fmt(people)}
    )


def as_series(pairs: Sequence[tuple[Any, Any]]) -> tuple[list[Any], list[Any]]:
    return [p[0] for p in pairs], [p[1] for p in pairs]
