"""Shields-style SVG badges: a grey label and a coloured message, text sized to fit.

The score is always written in the badge, so the colour is never the only signal; a score that
waived findings helped carries a "w" and says in its title how many and the score without them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape

NARROW, WIDE = set("iIl.,:;|!'()[] "), set("mwMW%@")
COLOURS = {"pass": "#1a7f37", "warn": "#9a6700", "fail": "#cf222e", "na": "#6e7781", "none": "#6e7781"}


def text_width(text: str) -> int:
    """Rough width of 11px Verdana; shields measures exactly, a few pixels of slack do no harm."""
    return round(sum(3.5 if c in NARROW else 10.0 if c in WIDE else 7.0 for c in text))


def whole(score: float) -> int:
    """Rounded half up, as the pages' `floatformat:0` does (Python's round() would show 92 for 92.5)."""
    return int(Decimal(str(score)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def score_colour(score: float | None) -> str:
    if score is None:
        return COLOURS["none"]
    if score >= 90:
        return "#1a7f37"
    if score >= 75:
        return "#4c9a2a"
    if score >= 60:
        return "#9a6700"
    if score >= 40:
        return "#bc4c00"
    return "#cf222e"


def badge(label: str, message: str, colour: str, note: str = "") -> str:
    lw, mw = text_width(label) + 12, text_width(message) + 12
    width = lw + mw
    label_e, message_e = escape(label), escape(message)
    title = f"{label_e}: {message_e}" + (f" ({escape(note)})" if note else "")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        f'<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        f'<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="#555"/>'
        f'<rect x="{lw}" width="{mw}" height="20" fill="{colour}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        f'<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{lw / 2}" y="15" fill="#010101" fill-opacity=".3">{label_e}</text>'
        f'<text x="{lw / 2}" y="14">{label_e}</text>'
        f'<text x="{lw + mw / 2}" y="15" fill="#010101" fill-opacity=".3">{message_e}</text>'
        f'<text x="{lw + mw / 2}" y="14">{message_e}</text></g></svg>'
    )


def score_badge(score: float | None, waived: int = 0, unwaived: float | None = None) -> str:
    message = "not scanned" if score is None else f"{whole(score)}/100"
    note = waived_note(waived, None if unwaived is None else f"{whole(unwaived)}/100")
    return badge("twelve-factor", message + (" w" if note else ""), score_colour(score), note)


def factor_badge(number: int, name: str, status: str | None, score: float | None, waived: int = 0,
                 unwaived: str = "") -> str:
    if status is None:
        message = "not scanned"
    elif score is None:
        message = status
    else:
        message = f"{status} {score:g}/10"
    note = waived_note(waived, unwaived or None)
    return badge(f"{number}. {name.lower()}", message + (" w" if note else ""),
                 COLOURS.get(status or "none", COLOURS["none"]), note)


def waived_note(waived: int, unwaived: str | None) -> str:
    if not waived:
        return ""
    return f"{waived} finding{'s' if waived != 1 else ''} waived" + (f"; {unwaived} without waivers" if unwaived else "")
