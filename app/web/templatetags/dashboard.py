"""Small presentation helpers: status glyphs and score trends carry text as well as colour."""

from functools import lru_cache
from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..badges import whole

register = template.Library()

GLYPHS = {"pass": "✓", "warn": "!", "fail": "✗", "na": "–"}
STATE_WORDS = {"queued": "Queued", "cloning": "Cloning", "scoring": "Scoring", "done": "Done", "failed": "Failed"}


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
def factor_cells(cells):
    """The twelve coloured cells of a list row, built here rather than in a template loop: the list
    page draws 600 of them and the template engine would spend most of the request on it."""
    items = "".join(cell_html(c.number, c.name, c.status, c.score) for c in cells)
    return mark_safe(f'<ul class="cells" aria-label="Factor results">{items}</ul>')  # cell_html escapes


@lru_cache(maxsize=4096)  # a few hundred distinct cells (factor × status × score) cover every row
def cell_html(number: int, name: str, status: str, score: float | None) -> str:
    label = escape(f"{number}. {name}: {status_word(status)}")
    detail = "" if score is None else f" ({score:g}/10)"
    return (f'<li class="cell status-{escape(status or "none")}" title="{label}{detail}">'
            f'<span aria-hidden="true">{glyph(status)}</span><span class="sr">{label}</span></li>')


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
    return f"#{scan.pk} · {scan.short_sha} · {scan.queued_at:%d %b %Y %H:%M} · score {score}"
