"""Where the comments and string literals of a source file are, so a check can tell code from prose.

A light lexer (one regular expression per language family) rather than a full parser: it only has
to answer "is this offset inside a comment, a string or a docstring?". It is linear in the file's
size and tolerant of unterminated tokens in hostile input.
"""

from __future__ import annotations

import bisect
import re

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


class Mask:
    """Comment, string and docstring spans of one text, lexed lazily: only as far as a question needs.

    Checks ask about the offsets of their matches; most ask about a few near the top of a file, so
    the rest of it is never lexed.
    """

    def __init__(self, text: str = "", pattern: re.Pattern | None = None):
        self._text = text
        self._tokens = pattern.finditer(text) if pattern is not None else iter(())
        self._done = pattern is None
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.kinds: list[str] = []

    def _lex_past(self, offset: int) -> None:
        """Lex until a token ends after `offset` (or the text ends)."""
        text = self._text
        while not self._done and (not self.ends or self.ends[-1] <= offset):
            m = next(self._tokens, None)
            if m is None:
                self._done = True
                break
            kind = m.lastgroup or "string"
            if kind == "doc":
                line_start = text.rfind("\n", 0, m.start()) + 1
                if not _LINE_START.match(text, line_start, m.start()):
                    kind = "string"  # a triple-quoted value, not a docstring
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.kinds.append(kind)

    def span_at(self, offset: int) -> tuple[int, int, str] | None:
        """(start, end, kind) of the comment, string or docstring holding `offset`; None in code."""
        self._lex_past(offset)
        i = bisect.bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.ends[i]:
            return self.starts[i], self.ends[i], self.kinds[i]
        return None

    def kind_at(self, offset: int) -> str:
        """'code', 'comment', 'string' or 'doc' (a docstring: prose, like a comment)."""
        span = self.span_at(offset)
        return "code" if span is None else span[2]


def mask_for(text: str, family_or_language: str | None) -> Mask:
    family = _FAMILY.get(family_or_language or "", family_or_language)
    return Mask(text, _PATTERNS.get(family or ""))
