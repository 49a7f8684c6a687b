"""Small presentation helpers: status glyphs and score trends carry text as well as colour."""

import re
from html import escape

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..badges import whole
from ..queries import ROMAN

register = template.Library()

GLYPHS = {"pass": "✓", "warn": "!", "fail": "✗", "na": "–"}
STATE_WORDS = {"queued": "Queued", "cloning": "Cloning", "scoring": "Scoring", "done": "Done", "failed": "Failed", "superseded": "Superseded"}


@register.filter
def glyph(status: str) -> str:
    return GLYPHS.get(status, "·")


@register.filter
def status_word(status: str) -> str:
    return {"pass": "pass", "warn": "warning", "fail": "fail", "na": "not applicable"}.get(status, "not scanned")


@register.filter
def state_word(state: str | None) -> str:
    return STATE_WORDS.get(state or "", "Never scanned")


@register.simple_tag
def trend(delta: float | None, since: str, short: str = ""):
    """▲ +3.0 / ▼ -2.5 / = 0, with the comparison spelled out for screen readers and on hover;
    `short` is a visible hint ("vs previous") where several trends sit side by side."""
    hint = format_html(' <small class="muted" aria-hidden="true">{}</small>', short) if short else ""
    if delta is None:
        return format_html('<span class="trend none" title="No score {}">—<span class="sr"> no score {}</span>{}</span>',
                           since, since, hint)
    if abs(delta) < 0.05:
        kind, arrow, text = "flat", "=", "0"
    elif delta > 0:
        kind, arrow, text = "up", "▲", f"+{delta:.1f}"
    else:
        kind, arrow, text = "down", "▼", f"{delta:.1f}"
    return format_html('<span class="trend {}" title="{} {}"><span aria-hidden="true">{}</span> {}'
                       '<span class="sr"> {}</span>{}</span>', kind, text, since, arrow, text, since, hint)


@register.simple_tag
def factor_tds(repo, sorted_factor: int | None = None):
    """The twelve heatmap cells of a list row, built here rather than in a template loop: the list page
    draws 600 of them and the template engine would spend most of the request on it."""
    url = repo.get_absolute_url()
    return mark_safe("".join(cell_td(url, c, c.number == sorted_factor) for c in repo.cells))  # cell_td escapes


def cell_td(url: str, cell, is_sorted: bool) -> str:
    roman = ROMAN[cell.number - 1]
    classes = f"cell status-{cell.status or 'none'}" + (" sorted" if is_sorted else "")
    if not cell.status:
        return f'<td class="{classes}" data-label="{roman}"><span class="sr">{escape(cell.name)}: not scanned</span></td>'
    score = "" if cell.score is None else f"\u2009{cell.score:g}"  # a thin space: the cells are narrow
    new = f", {cell.new} new finding{'s' if cell.new != 1 else ''} since the previous scan" if cell.new else ""
    label = escape(f"{roman}. {cell.name}: {status_word(cell.status)}"
                   + ("" if cell.score is None else f", {cell.score:g}/10") + new)
    badge = f'<sup class="new" aria-hidden="true">+{cell.new}</sup>' if cell.new else ""
    return (f'<td class="{classes}" data-label="{roman}"><a href="{escape(url)}#factor-{cell.number}" title="{label}">'
            f'<span aria-hidden="true">{glyph(cell.status)}{score}{badge}</span><span class="sr">{label}</span></a></td>')


@register.filter
def roman(number: int) -> str:
    return ROMAN[number - 1] if 1 <= number <= 12 else str(number)


_CODE = re.compile(r"`([^`\n]+)`")


@register.filter
def inline_code(text: str) -> SafeString:
    """`backticks` in the engine's messages become <code>; everything else is escaped."""
    parts = _CODE.split(text or "")
    return mark_safe("".join(f"<code>{escape(p)}</code>" if i % 2 else escape(p) for i, p in enumerate(parts)))


@register.simple_tag
def scan_options(scans, selected):
    """<option>s for a scan picker; built in Python as a repository may have hundreds of scans."""
    chosen = getattr(selected, "pk", None)
    return mark_safe("".join(
        f'<option value="{s.pk}"{" selected" if s.pk == chosen else ""}>{escape(scan_label(s))}</option>'
        for s in scans
    ))


def scan_label(scan) -> str:
    score = "–" if scan.score is None else whole(scan.score)
    return f"{scan.short_sha} · {scan.queued_at:%d %b %Y %H:%M} · score {score}"


@register.simple_tag
def history_rows(repo, table):
    """The history table's rows, built here: a repository may have hundreds of scans."""
    scan_url = reverse("scan", args=[repo.slug, 0]).removesuffix("0/") + "{}/"
    rows = []
    for h, link, delta in table:
        s = h.scan
        sha = f"<code>{escape(s.short_sha)}</code>"
        commit = f'<a href="{escape(link)}" rel="noopener noreferrer">{sha}</a>' if link else sha
        same = ' <small class="muted">same as before</small>' if s.reused_from_id else ""
        score = "–" if s.score is None else whole(s.score)
        change = trend(delta, "since the scan before") if delta is not None else ""
        rows.append(
            f'<tr><td data-label="Scanned"><a href="{scan_url.format(s.pk)}" title="Open the scorecard of this scan">'
            f'<time datetime="{s.queued_at.isoformat()}">{s.queued_at:%-d %b %Y, %H:%M}</time></a></td>'
            f'<td data-label="Commit">{commit}{same}</td><td data-label="Trigger">{escape(s.trigger)}</td>'
            f'<td data-label="Score" class="num">{score}</td><td data-label="Change">{change}</td></tr>')
    return mark_safe("".join(rows))  # every value above is escaped or formatted by format_html
