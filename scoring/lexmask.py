"""Where the comments and string literals of a source file are, so a check can tell code from prose.

A light lexer (one regular expression per language family) rather than a full parser: it only has
to answer "is this offset inside a comment, a string or a docstring?". It is linear in the file's
size and tolerant of unterminated tokens in hostile input.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_DQ = r'"(?:\\.|[^"\\\n])*"'
_SQ = r"'(?:\\.|[^'\\\n])*'"
_PATTERNS = {
    "python": re.compile(
        r'(?P<comment>#[^\n]*)|(?P<doc>"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\')|(?P<string>' + _DQ + "|" + _SQ + ")"
    ),
    "c": re.compile(
        r"(?P<comment>//[^\n]*|/\*[\s\S]*?\*/)|(?P<string>" + _DQ + "|" + _SQ + r"|`(?:\\.|[^`\\])*`)"
    ),
    "php": re.compile(r"(?P<comment>//[^\n]*|#[^\n\[]*|/\*[\s\S]*?\*/)|(?P<string>" + _DQ + "|" + _SQ + ")"),
    "hash": re.compile(r"(?P<comment>(?:^|(?<=\s))#[^\n]*)|(?P<string>" + _DQ + "|" + _SQ + ")", re.M),
}
_FAMILY = {
    "python": "python",
    "javascript": "c", "go": "c", "java": "c", "rust": "c", "dotnet": "c",
    "php": "php",
    "ruby": "hash", "shell": "hash", "yaml": "hash", "dockerfile": "hash", "procfile": "hash", "conf": "hash",
}
_LINE_START = re.compile(r"[ \t]*$")


@dataclass(frozen=True)
class Mask:
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    kinds: tuple[str, ...]

    def kind_at(self, offset: int) -> str:
        """'code', 'comment', 'string' or 'doc' (a docstring: prose, like a comment)."""
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ends[i]:
            return self.kinds[i]
        return "code"


EMPTY = Mask((), (), ())


def mask_for(text: str, family_or_language: str | None) -> Mask:
    family = _FAMILY.get(family_or_language or "", family_or_language)
    pattern = _PATTERNS.get(family or "")
    if pattern is None:
        return EMPTY
    starts, ends, kinds = [], [], []
    for m in pattern.finditer(text):
        kind = m.lastgroup or "string"
        if kind == "doc":
            line_start = text.rfind("\n", 0, m.start()) + 1
            if not _LINE_START.match(text, line_start, m.start()):
                kind = "string"  # a triple-quoted value, not a docstring
        starts.append(m.start())
        ends.append(m.end())
        kinds.append(kind)
    return Mask(tuple(starts), tuple(ends), tuple(kinds))
