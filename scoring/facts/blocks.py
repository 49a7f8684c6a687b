"""The lines a branch governs: an `if` and its indented body (Python), optionally with its
`elif`/`else` branches; for brace languages, a fixed number of lines."""

from __future__ import annotations

from ..tree import File


def block_end(f: File, line: int, *, indented: bool, limit: int, with_else: bool = False) -> int:
    """Index (0-based, exclusive) of the first line after the branch that starts at 1-based `line`."""
    last = min(len(f.lines), line + limit)
    if not indented:
        return last
    head = f.lines[line - 1]
    depth = len(head) - len(head.lstrip())
    end = line
    while end < last:
        text = f.lines[end]
        stripped = text.strip()
        if stripped and len(text) - len(text.lstrip()) <= depth:
            if not (with_else and len(text) - len(text.lstrip()) == depth and stripped.startswith(("elif ", "else:", "else "))):
                break
        end += 1
    return end
