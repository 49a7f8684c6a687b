"""Server-side SVG line charts of scores over scans: no JavaScript, no asset from another host.

Every point is focusable and carries its own label (scan, commit, date, score), shown on hover and
on keyboard focus (CSS in app.css) and read by screen readers. A `None` value (not applicable, or
not scored) leaves a gap in the line rather than pretending to be 0. Points may carry a short x-axis
label (a date): a few of them, evenly spread, are written under the plot.

The SVG scales with its box, text included: a chart meant for a phone is drawn with a narrow
viewBox (see `chart_pair`) rather than shrinking a wide one until its labels cannot be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

LEFT, RIGHT, TOP, BOTTOM = 34, 12, 26, 10
AXIS = 18  # room under the plot for the x-axis labels


@dataclass(frozen=True)
class Point:
    label: str  # what hovering or focusing the point says, e.g. "Scan #12 · 1a2b3c4d · 3 May · 87"
    value: float | None
    tick: str = ""  # its x-axis label, e.g. "3 May"


def scale(points: Sequence[Point], width: int, height: int, top: float = 100,
          bottom: int = BOTTOM) -> list[tuple[float, float] | None]:
    """(x, y) in SVG coordinates for each point; None where the value is None."""
    inner_w, inner_h = width - LEFT - RIGHT, height - TOP - bottom
    n = len(points)
    out: list[tuple[float, float] | None] = []
    for i, p in enumerate(points):
        if p.value is None:
            out.append(None)
            continue
        x = LEFT + (inner_w / 2 if n == 1 else inner_w * i / (n - 1))
        y = TOP + inner_h * (1 - max(0.0, min(p.value, top)) / top)
        out.append((round(x, 1), round(y, 1)))
    return out


def segments(coords: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points with a value: a missing value breaks the line."""
    runs: list[list[tuple[float, float]]] = [[]]
    for c in coords:
        if c is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(c)
    return [r for r in runs if r]


def x_ticks(points: Sequence[Point], most: int) -> list[int]:
    """Indexes of the points whose x label is written: the first, the last and evenly spread ones."""
    n = len(points)
    if n == 0 or not any(p.tick for p in points):
        return []
    if n <= most:
        return list(range(n))
    return sorted({round(i * (n - 1) / (most - 1)) for i in range(most)})


def line_chart(points: Sequence[Point], title: str, *, top: float = 100, width: int = 640,
               height: int = 170, ticks: int = 5) -> SafeString:
    """`top` is the best score: 100 overall, 10 for a factor; at most `ticks` x labels are written."""
    shown = x_ticks(points, ticks)
    bottom = BOTTOM + (AXIS if shown else 0)
    coords = scale(points, width, height, top, bottom)
    t = escape(title)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="group" aria-label="{t}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
    ]
    for value in (0, top / 2, top):
        y = TOP + (height - TOP - bottom) * (1 - value / top)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y}" y2="{y}"/>'
                     f'<text class="axis" x="{LEFT - 6}" y="{y + 4}" text-anchor="end">{value:g}</text>')
    if not any(coords):
        parts.append(f'<text class="axis" x="{width / 2}" y="{height / 2}" text-anchor="middle">No scores yet</text>')
    n = len(points)
    for i in shown:
        x = LEFT + ((width - LEFT - RIGHT) / 2 if n == 1 else (width - LEFT - RIGHT) * i / (n - 1))
        anchor = "middle" if n == 1 else "start" if i == 0 else "end" if i == n - 1 else "middle"
        parts.append(f'<text class="axis x" x="{round(x, 1)}" y="{height - 4}" text-anchor="{anchor}">'
                     f"{escape(points[i].tick)}</text>")
    for run in segments(coords):
        parts.append('<polyline class="line" points="{}"/>'.format(" ".join(f"{x},{y}" for x, y in run)))
    for point, c in zip(points, coords, strict=True):
        if c is None:
            continue
        x, y = c
        label = escape(point.label)
        anchor = "start" if x < width / 3 else "end" if x > width * 2 / 3 else "middle"
        parts.append(
            f'<g class="pt" tabindex="0" role="img" aria-label="{label}">'
            f'<circle cx="{x}" cy="{y}" r="4"/><text class="tip" x="{x}" y="{TOP - 10}" '
            f'text-anchor="{anchor}">{label}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped


def chart_pair(points: Sequence[Point], title: str, *, top: float = 100, height: int = 190) -> SafeString:
    """The same chart twice: wide for a desktop, narrow for a phone; CSS shows the one that fits."""
    wide = line_chart(points, title, top=top, width=720, height=height, ticks=6)
    narrow = line_chart(points, title, top=top, width=340, height=height, ticks=3)
    return mark_safe(f'<div class="chart-wide-only">{wide}</div><div class="chart-narrow-only">'
                     f"{narrow}</div>")
