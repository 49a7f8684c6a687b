"""The weekly email from a built report: subject, plain text and HTML, each from its template.

The HTML is written with a <style> block and inlined by css-inline (media queries are kept, for
phones), because Gmail, Outlook and Apple Mail each drop some of a <style> block; it has no images,
no scripts and no remote anything. Gmail cuts a message whose HTML passes 102 KB ("[Message clipped]"),
footer and unsubscribe link included, so the table of every repository is shortened, highest scores
last to go, until the HTML fits (the plain-text part always lists every repository).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import css_inline
from django.template.loader import render_to_string

from scoring.model import FACTORS

from .build import ReportData
from .models import UNSUBSCRIBE_MARK

SHOWN = 20  # regressions, and improvements, listed one by one
HTML_BUDGET = 100_000  # bytes, under Gmail's 102 KB clipping
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_at_rules=True, minify_css=True)
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(data: ReportData) -> Rendered:
    ctx = context(data)
    subject = " ".join(render_to_string("reports/email/subject.txt", ctx).split())
    ctx["subject"] = subject
    text = render_to_string("reports/email/body.txt", {**ctx, "rows": data.table})
    text = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.splitlines())).strip() + "\n"
    return Rendered(subject, text, html(data, ctx))


def context(data: ReportData) -> dict:
    zone = ZoneInfo(data.time_zone)
    return {
        "data": data,
        "summary": summary(data),
        "as_of_local": f"{data.as_of.astimezone(zone):%a %-d %b %Y, %H:%M} {data.time_zone}",
        "regressions": data.regressions[:SHOWN],
        "more_regressions": max(0, len(data.regressions) - SHOWN),
        "improvements": data.improvements[:SHOWN],
        "more_improvements": max(0, len(data.improvements) - SHOWN),
        "factors": FACTORS,
        "legend": ", ".join(f"{f.number} {f.name}" for f in FACTORS),
        "unsubscribe": UNSUBSCRIBE_MARK,
    }


def summary(data: ReportData) -> str:
    """The subject's second half: what needs doing, counted."""
    if not data.table:
        return "no repositories yet"
    if data.average is None:
        n = len(data.table)
        return f"no scores yet: {n} repositor{'y' if n == 1 else 'ies'} not scanned or failing"
    if data.nothing_changed:
        return "nothing changed this week"
    regressions, fixes = len(data.regressions), data.fixes
    parts = [
        f"{regressions or 'no'} regression{'' if regressions == 1 else 's'}",
        f"{fixes or 'no'} fix{'' if fixes == 1 else 'es'}",
    ]
    return ", ".join(parts)


def html(data: ReportData, ctx: dict) -> str:
    """The inlined HTML with as many table rows as fit in HTML_BUDGET (all of them, usually)."""
    shown = len(data.table)
    while True:
        out = _html(data, ctx, shown)
        size = len(out.encode())
        if size <= HTML_BUDGET or shown == 0:
            return out
        base = len(_html(data, ctx, 0).encode())
        per_row = max(1, (size - base) / shown)
        shown = max(0, min(shown - 1, int((HTML_BUDGET - base) / per_row)))


def _html(data: ReportData, ctx: dict, shown: int) -> str:
    page = render_to_string(
        "reports/email/body.html", {**ctx, "rows": data.table[:shown], "hidden_rows": len(data.table) - shown}
    )
    return _INLINER.inline(page)


def personalize(content: str, unsubscribe_url: str) -> str:
    """One recipient's copy: their own unsubscribe link in place of the mark."""
    return content.replace(UNSUBSCRIBE_MARK, unsubscribe_url)
