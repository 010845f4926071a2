"""Small inline SVG charts drawn on the server: no script, no external asset, printable."""

from __future__ import annotations

import datetime as dt

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

COLOURS = {
    "draft": "#b8c2cc",
    "sent": "#8fb3d9",
    "opened": "#5b8fc7",
    "submitted": "#e0a030",
    "follow_up": "#d9822b",
    "accepted": "#3c9a5f",
    "declined": "#7d6b9e",
    "no_response": "#c0392b",
    "conformant": "#3c9a5f",
    "active": "#8fc49b",
    "non_conformant": "#c0392b",
    "not_audited": "#e0a030",
    "unidentified": "#b8c2cc",
}


def bars(items: list[tuple[str, str, int]], width: int = 520) -> str:
    """Horizontal bars: (key for colour, label, value)."""
    top = max((v for _, _, v in items), default=0) or 1
    row_h, label_w = 26, 150
    height = row_h * len(items) + 4
    parts = []
    for i, (key, label, value) in enumerate(items):
        y = i * row_h + 2
        w = round((width - label_w - 60) * value / top)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="lbl">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="18" rx="3" fill="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" class="val">{}</text>',
                label_w - 8,
                y + 14,
                label,
                label_w,
                y,
                max(w, 1),
                COLOURS.get(key, "#5b8fc7"),
                label,
                value,
                label_w + w + 6,
                y + 14,
                value,
            )
        )
    return _svg(width, height, "".join(parts))


def stacked(rows: list[tuple[str, list[tuple[str, str, int]]]], width: int = 520) -> str:
    """One stacked bar per row (e.g. metal), segments (key, label, value)."""
    top = max((sum(v for _, _, v in segs) for _, segs in rows), default=0) or 1
    row_h, label_w = 30, 90
    parts = []
    for i, (label, segs) in enumerate(rows):
        y = i * row_h + 2
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="lbl">{}</text>', label_w - 8, y + 15, label
            )
        )
        x = label_w
        for key, seg_label, value in segs:
            w = (width - label_w - 60) * value / top
            if value:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="20" fill="{}"><title>{} – {}: {}</title></rect>',
                        round(x, 1),
                        y,
                        round(max(w, 1), 1),
                        COLOURS.get(key, "#999"),
                        label,
                        seg_label,
                        value,
                    )
                )
            x += w
        total = sum(v for _, _, v in segs)
        parts.append(format_html('<text x="{}" y="{}" class="val">{}</text>', round(x + 6, 1), y + 15, total))
    return _svg(width, row_h * len(rows) + 4, "".join(parts))


def cumulative(days: list[tuple[dt.date, int]], total: int, width: int = 520, height: int = 180) -> str:
    """Responses received over time, as a rising line against the number in scope."""
    if not days or not total:
        return ""
    left, bottom, top_pad = 40, 22, 8
    start, end = days[0][0], max(days[-1][0], days[0][0] + dt.timedelta(days=1))
    span = (end - start).days or 1
    running, points = 0, []
    for day, n in days:
        running += n
        x = left + (width - left - 10) * (day - start).days / span
        y = height - bottom - (height - bottom - top_pad) * running / total
        points.append(f"{x:.1f},{y:.1f}")
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/><text x="{}" y="{}" text-anchor="end" class="lbl">{}%</text>',
        (
            (left, width - 10, y, y, left - 4, y + 4, pct)
            for pct in (0, 50, 100)
            for y in [round(height - bottom - (height - bottom - top_pad) * pct / 100, 1)]
        ),
    )
    body = format_html(
        '{}<polyline points="{}" fill="none" stroke="#2f6fab" stroke-width="2.5"/>'
        '<text x="{}" y="{}" class="lbl">{}</text><text x="{}" y="{}" text-anchor="end" class="lbl">{}</text>',
        grid,
        " ".join(points),
        left,
        height - 4,
        start.isoformat(),
        width - 10,
        height - 4,
        end.isoformat(),
    )
    return _svg(width, height, body)


def _svg(width: int, height: int, body: str) -> str:
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">{body}</svg>'
    )
