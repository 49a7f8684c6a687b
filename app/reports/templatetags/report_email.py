"""Formatting for the weekly email: scores, signed changes, factor statuses and sparklines as text.

Every mark carries text as well as colour (✓ ! ✗ –, ▲ ▼), so the email reads the same in a client that
drops the colours and in the plain-text part.
"""

from __future__ import annotations

from django import template

from app.web.badges import whole

register = template.Library()

GLYPHS = {"pass": "✓", "warn": "!", "fail": "✗", "na": "–", "": "·"}
SPARKS = "▁▂▃▄▅▆▇█"
MINUS = "\u2212"  # the minus sign, not a hyphen


@register.filter
def score(value: float | None) -> str:
    return "–" if value is None else str(whole(value))


@register.filter
def signed(delta: float | None) -> str:
    """A change in whole points: +3, −2, ±0 (— when there is nothing to compare with)."""
    if delta is None:
        return "—"
    points = whole(abs(delta))
    if points == 0:
        return "±0"
    return f"+{points}" if delta > 0 else f"{MINUS}{points}"


@register.filter
def arrow(delta: float | None) -> str:
    if delta is None or whole(abs(delta)) == 0:
        return ""
    return "▲" if delta > 0 else "▼"


@register.filter
def direction(delta: float | None) -> str:
    """A class name: up, down or flat."""
    if delta is None or whole(abs(delta)) == 0:
        return "flat"
    return "up" if delta > 0 else "down"


@register.filter
def glyph(status: str) -> str:
    return GLYPHS.get(status, "·")


@register.filter
def glyphs(statuses: list[str]) -> str:
    return "".join(GLYPHS.get(s, "·") for s in statuses)


@register.filter
def sparkline(series: list[float | None]) -> str:
    """Scores 0–100 on a fixed scale, one block a week (· for a week without a score)."""
    return "".join("·" if v is None else SPARKS[min(len(SPARKS) - 1, int(v * len(SPARKS) / 100))] for v in series)


@register.filter
def cut(text: str, length: int) -> str:
    """At most `length` characters, ending with … when cut."""
    return text if len(text) <= length else text[: length - 1] + "…"


@register.filter
def pad(text: str, width: int) -> str:
    """Right-aligned in `width` characters (the plain-text table)."""
    return str(text).rjust(width)
