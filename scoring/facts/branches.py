"""The text a conditional governs, with its `else` branches: what an environment-name or debug-flag
branch chooses.

Python and Ruby branches are read by indentation (`if …:`/`elif`/`else:`, `if …`/`elsif`/`else`/
`end`); brace languages (C#, Java, JavaScript/TypeScript, Go, PHP, Rust, Kotlin) by matching braces
in code only (braces in strings and comments are skipped with the file's lexical mask), following
`else` and `else if` blocks. Both are bounded, so a hostile file cannot make this slow.
"""

from __future__ import annotations

import re

from ..context import Context, Hit

MAX_LINES = 80
MAX_CHARS = 8000
_BRACE_OR_END = re.compile(r"[{};]")
_ELSE = re.compile(r"\s*else\b")
_BRACES_REQUIRED = {"go", "rust"}


def branch_text(ctx: Context, hit: Hit, max_lines: int = MAX_LINES) -> str:
    """The condition's line and every line of the branch it heads, `else` branches included."""
    view = hit.file.scan_view
    start = view.line_starts[hit.line - 1]
    if hit.file.language in ("python", "ruby"):
        end = _indented_end(view.text.split("\n"), hit.line, max_lines)
        stop = view.line_starts[end] if end < len(view.line_starts) else len(view.text)
    else:
        stop = _brace_end(ctx, hit, hit.match.end())
    return view.text[start:stop][:MAX_CHARS]


def _indented_end(lines: list[str], line: int, limit: int) -> int:
    """0-based index after the branch starting at 1-based `line`, with elif/elsif/else at its depth."""
    last = min(len(lines), line + limit)
    head = lines[line - 1]
    depth = len(head) - len(head.lstrip())
    end = line
    while end < last:
        text = lines[end]
        stripped = text.strip()
        if stripped and len(text) - len(text.lstrip()) <= depth:
            same = len(text) - len(text.lstrip()) == depth
            if not (same and (stripped in ("else", "else:") or stripped.startswith(("elif ", "elsif ", "else ")))):
                break
        end += 1
    return end


def _brace_end(ctx: Context, hit: Hit, pos: int) -> int:
    """Offset after the block (or single statement) that follows `pos`, and its else blocks."""
    text, mask = hit.file.scan_view.text, ctx.mask(hit.file)
    limit = min(len(text), pos + MAX_CHARS)
    depth = 0
    braces_only = hit.file.language in _BRACES_REQUIRED  # Go's `if v := f(); v == "x" {`
    for m in _BRACE_OR_END.finditer(text, pos, limit):
        if mask.kind_at(m.start()) != "code":
            continue
        ch = m.group(0)
        if ch == ";" and braces_only:
            continue
        if ch == "{":
            depth += 1
            continue
        if ch == "}":
            depth -= 1
        if depth > 0 or (ch == ";" and depth < 0):
            continue
        # the end of a block or of a single statement: go on into an `else`, or stop here
        following = _ELSE.match(text, m.end(), limit)
        if following is None:
            return m.end()
        depth = 0
    return limit
