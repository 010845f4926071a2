"""Charts as small static SVG, drawn by hand.

Why not a charting library: pygal (the well-kept pure-Python SVG option) embeds a script element and a
random chart id and generation date in every SVG, so the same inputs would give different PDF bytes and
the evidence package could not compare checksums; matplotlib would add a large dependency for two bar
charts. The charts here are plain rectangles and text that WeasyPrint renders faithfully, and the same
numbers always appear as a table beside them.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from oretrace.reports.document import Chart

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
TEXT = "#222222"
GRID = "#d0d0d0"
CHAR_WIDTH = 6.2  # average advance of an 11 px sans-serif character, for laying out the legend


def chart_svg(chart: Chart, width: int = 640, height: int = 300) -> str:
    if chart.kind == "stacked-bar":
        return _bars(chart, width, height, stacked=True)
    if chart.kind == "grouped-bar":
        return _bars(chart, width, height, stacked=False)
    raise ValueError(f"unknown chart kind {chart.kind!r}")


def nice_ticks(maximum: float, target: int = 5) -> list[float]:
    """Round tick values from 0 past the maximum: steps of 1, 2 or 5 times a power of ten."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / target
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1)  # counts of facilities are whole numbers
    top = math.ceil(maximum / step) * step
    return [i * step for i in range(round(top / step) + 1)]


def _bars(chart: Chart, width: int, height: int, *, stacked: bool) -> str:
    percent = chart.unit == "%"
    n = len(chart.categories)

    def value(fig) -> float:
        return fig.value * 100 if percent else fig.value

    if stacked:
        maximum = max((sum(value(s.values[i]) for s in chart.series) for i in range(n)), default=0)
    else:
        maximum = max((value(v) for s in chart.series for v in s.values), default=0)
    ticks = [0, 20, 40, 60, 80, 100] if percent else nice_ticks(maximum)
    top_value = ticks[-1]

    legend_rows = _legend_layout([s.name for s in chart.series], width - 60)
    left, right, top = 52, 16, 26  # room above the tallest bar for its label
    bottom = 30 + 20 * len(legend_rows)
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(v: float) -> float:
        return top + plot_h - (v / top_value) * plot_h

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(chart.title)} '
        f'font-family="{FONT}" font-size="11" fill="{TEXT}">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for t in ticks:
        ty = y(t)
        out.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="{GRID}" stroke-width="0.8"/>'
        )
        label = f"{t:g}%" if percent else f"{t:g}"
        out.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{label}</text>')
    out.append(
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="{TEXT}" stroke-width="1"/>'
    )

    band = plot_w / max(n, 1)
    for i, category in enumerate(chart.categories):
        x0 = left + i * band
        out.append(
            f'<text x="{x0 + band / 2:.1f}" y="{y(0) + 16:.1f}" text-anchor="middle">{escape(category)}</text>'
        )
        if stacked:
            out.extend(_stack(chart, i, x0 + band * 0.2, band * 0.6, y, value))
        else:
            out.extend(_group(chart, i, x0 + band * 0.15, band * 0.7, y, value, percent))

    legend_y = y(0) + 34
    for row in legend_rows:
        x = left
        for name in row:
            colour = next(s.colour for s in chart.series if s.name == name)
            out.append(f'<rect x="{x}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>')
            out.append(f'<text x="{x + 14}" y="{legend_y}">{escape(name)}</text>')
            x += 14 + len(name) * CHAR_WIDTH + 18
        legend_y += 20
    out.append("</svg>")
    return "\n".join(out)


def _stack(chart: Chart, i: int, x: float, w: float, y, value) -> list[str]:
    out = []
    base = 0.0
    for series in chart.series:
        v = value(series.values[i])
        if v <= 0:
            continue
        y_top, y_bottom = y(base + v), y(base)
        out.append(
            f'<rect x="{x:.1f}" y="{y_top:.1f}" width="{w:.1f}" height="{y_bottom - y_top:.1f}" '
            f'fill="{series.colour}" stroke="#ffffff" stroke-width="0.8"/>'
        )
        if y_bottom - y_top >= 13:  # only label a segment tall enough to hold the digits
            ink = "#ffffff" if _dark(series.colour) else TEXT
            out.append(
                f'<text x="{x + w / 2:.1f}" y="{(y_top + y_bottom) / 2 + 4:.1f}" text-anchor="middle" '
                f'fill="{ink}">{series.values[i].text}</text>'
            )
        base += v
    out.append(
        f'<text x="{x + w / 2:.1f}" y="{y(base) - 4:.1f}" text-anchor="middle" font-weight="bold">{base:g}</text>'
    )
    return out


def _group(chart: Chart, i: int, x: float, w: float, y, value, percent: bool) -> list[str]:
    out = []
    bar = w / max(len(chart.series), 1)
    for k, series in enumerate(chart.series):
        v = value(series.values[i])
        bx = x + k * bar
        out.append(
            f'<rect x="{bx + 2:.1f}" y="{y(v):.1f}" width="{bar - 4:.1f}" height="{y(0) - y(v):.1f}" fill="{series.colour}"/>'
        )
        out.append(
            f'<text x="{bx + bar / 2:.1f}" y="{y(v) - 4:.1f}" text-anchor="middle">{series.values[i].text}</text>'
        )
    return out


def _legend_layout(names: list[str], available: float) -> list[list[str]]:
    rows: list[list[str]] = [[]]
    used = 0.0
    for name in names:
        needed = 14 + len(name) * CHAR_WIDTH + 18
        if rows[-1] and used + needed > available:
            rows.append([])
            used = 0.0
        rows[-1].append(name)
        used += needed
    return rows


def _dark(colour: str) -> bool:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 150
