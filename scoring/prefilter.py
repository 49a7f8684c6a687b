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


def required_literals(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Lower-cased literals, one of which every match contains; None when there is no useful set."""
    if pattern not in _cache:
        try:
            found = _required(P.parse(pattern.pattern, pattern.flags))
        except Exception:  # an unusual construct: no prefilter, the pattern still runs
            found = None
        if found is not None and min(map(len, found)) < MIN_LITERAL:
            found = None
        _cache[pattern] = tuple(sorted(found)) if found else None
    return _cache[pattern]


def _required(items) -> set[str] | None:
    """Candidates from a sequence: runs of literals, required groups, branches; keep the best."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append({"".join(run).lower()})
            run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        if op is C.SUBPATTERN:
            sub = _required(av[-1])
        elif op is C.BRANCH:
            branches = [_required(b) for b in av[1]]
            sub = set().union(*branches) if branches and all(branches) else None
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            sub = _required(av[2])
        elif op is C.ATOMIC_GROUP if hasattr(C, "ATOMIC_GROUP") else False:
            sub = _required(av)
        else:
            sub = None
        if sub:
            candidates.append(sub)
    close_run()
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


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
    return any(lit in text for lit in literals)
