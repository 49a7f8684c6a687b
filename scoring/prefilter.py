"""A literal prefilter for regular expressions: skip a file unless it contains a string that every
match of the pattern must contain.

Python's `re` is fast when a pattern starts with a literal, and slow (about 100 MB/s) when it starts
with a class, a word boundary or an alternation, which is most of ours. For each compiled pattern we
work out, once, a set of literals such that any match contains at least one of them (the idea of
RE2's and Hyperscan's prefilters, on the pattern's parse tree); a file is searched only when its
lower-cased text contains one of them, which `str.__contains__` answers at memory speed.
"""

from __future__ import annotations

import re
import weakref
from re import _constants as C  # noqa: N812
from re import _parser as P  # noqa: N812

MIN_LITERAL = 3  # shorter required literals are too common to be worth checking
_cache: dict[re.Pattern, tuple[str, ...] | None] = {}
_lowered: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_alternation: dict[re.Pattern, re.Pattern] = {}
MANY = 4  # above this many literals, one alternation regex instead of a `in` test per literal


def required_literals(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Lower-cased literals, one of which every match contains; None when there is no useful set."""
    if pattern not in _cache:
        try:
            found = _required(P.parse(pattern.pattern, pattern.flags))
        except Exception:  # an unusual construct: no prefilter, the pattern still runs
            found = None
        if found is not None and min(map(len, found)) < MIN_LITERAL:
            found = None
        if found:
            # A literal that contains another is implied by it: keep the shorter one only.
            found = {a for a in found if not any(b != a and b in a for b in found)}
        _cache[pattern] = tuple(sorted(found)) if found else None
        if found and len(found) > MANY:
            _alternation[pattern] = re.compile("|".join(map(re.escape, sorted(found))))
    return _cache[pattern]


MAX_SET = 16  # alternatives kept when literals and small alternations are multiplied out
MAX_CLASS = 8  # a character class this small is expanded, e.g. ['"] or [._-]


def _required(items) -> set[str] | None:
    """Candidates from a sequence; keep the best (the one whose shortest literal is longest).

    A candidate is a set of strings of which every match contains one. Consecutive items whose
    matches form a small finite set (literals, alternations of literals, small classes, optional
    literals) are multiplied out into one contiguous run, so `\\.(?:get|post)\\(` gives `.get(`
    and `.post(` rather than the common `get` and `post`. Other groups, branches and repeats of at
    least one contribute their own requirement.
    """
    candidates: list[set[str]] = []
    run: set[str] = {""}

    def close_run() -> None:
        nonlocal run
        if "" not in run:
            candidates.append(run)
        run = {""}

    for item in items:
        exact = _exact([item])
        if exact is not None and len(run) * len(exact) <= MAX_SET:
            run = {a + b for a in run for b in exact}
            continue
        close_run()
        if exact is not None:
            run = exact
            continue
        op, av = item
        if op is C.SUBPATTERN:
            sub = _required(av[-1])
        elif op is C.BRANCH:
            branches = [_required(b) for b in av[1]]
            sub = set().union(*branches) if branches and all(branches) else None
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            sub = _required(av[2])
        else:
            sub = None
        if sub:
            candidates.append(sub)
    close_run()
    if not candidates:
        return None
    # Longer literals are rarer, but each alternative costs a pass over the text: past six
    # characters, fewer alternatives win.
    return max(candidates, key=lambda s: (min(6, *map(len, s)), -len(s), min(map(len, s))))


def _exact(items) -> set[str] | None:
    """The lower-cased strings a sequence can match, when they are few and finite; else None."""
    out = {""}
    for op, av in items:
        if op is C.LITERAL:
            alts = {chr(av).lower()}
        elif op is C.AT:
            alts = {""}  # anchors and word boundaries match the empty string
        elif op is C.SUBPATTERN:
            alts = _exact(av[-1])
        elif op is C.BRANCH:
            parts = [_exact(b) for b in av[1]]
            alts = None if any(p is None for p in parts) else set().union(*parts)
        elif op is C.IN:
            alts = _char_class(av)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] in (0, 1) and av[1] == 1:
            inner = _exact(av[2])
            alts = None if inner is None else inner | ({""} if av[0] == 0 else set())
        else:
            return None
        if alts is None or len(out) * len(alts) > MAX_SET:
            return None
        out = {a + b for a in out for b in alts}
    return out


def _char_class(av) -> set[str] | None:
    chars: set[str] = set()
    for op, value in av:
        if op is C.LITERAL:
            chars.add(chr(value).lower())
        elif op is C.RANGE and value[1] - value[0] < MAX_CLASS:
            chars.update(chr(c).lower() for c in range(value[0], value[1] + 1))
        else:
            return None  # negated classes, categories (\\w, \\s) and wide ranges
    return chars if 0 < len(chars) <= MAX_CLASS else None


def lowered(text_owner) -> str:
    """The lower-cased text of a File (cached while the file lives)."""
    value = _lowered.get(text_owner)
    if value is None:
        value = _lowered[text_owner] = text_owner.text.lower()
    return value


def may_match(pattern: re.Pattern, text_owner) -> bool:
    literals = required_literals(pattern)
    if literals is None:
        return True
    text = lowered(text_owner)
    many = _alternation.get(pattern)
    if many is not None:  # one pass with re's first-character skip beats a pass per literal
        return many.search(text) is not None
    return any(lit in text for lit in literals)
