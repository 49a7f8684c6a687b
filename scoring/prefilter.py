"""A literal prefilter for regular expressions: skip a file unless it contains a string that every
match of the pattern must contain.

Python's `re` is fast when a pattern starts with a literal, and slow (about 100 MB/s) when it starts
with a class, a word boundary or an alternation, which is most of ours. For each compiled pattern we
work out, once, a set of literals such that any match contains at least one of them (the idea of
RE2's and Hyperscan's prefilters, on the pattern's parse tree); a file is searched only when its
lower-cased text contains one of them.

Whether a file contains a literal is answered for all literals at once: the literals of every
pattern defined at module level in the engine go into one Hyperscan database (each literal reported
once per file), which reads each file's lower-cased text once and gives the set of literals
present; a pattern's prefilter is then a set intersection per file instead of a pass over the text
per literal. A pattern compiled elsewhere (not known when the database was built) falls back to
`in` tests.

In a file that passes, `Plan` chooses where to look, cheapest exact way first: `pattern.match` only
at the offsets of the literals every match starts with; or `pattern.search` only on the lines holding
a required literal, for a pattern whose matches cannot cross a line; or the whole text.
"""

from __future__ import annotations

import bisect
import importlib
import pkgutil
import re
import threading
import weakref
from collections.abc import Callable, Iterator
from functools import cached_property
from re import _constants as C  # noqa: N812
from re import _parser as P  # noqa: N812

import hyperscan

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
        if found:
            # A literal that contains another is implied by it: keep the shorter one only.
            found = {a for a in found if not any(b != a and b in a for b in found)}
        _cache[pattern] = tuple(sorted(found)) if found else None
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
    # Longer literals are rarer; alternatives cost nothing (one automaton finds them all).
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


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


PACKAGES = ("scoring", "scoring.facts", "scoring.factors")


def module_values(kind: type, packages=PACKAGES) -> list:
    """Instances of `kind` held at module level (also in dicts, lists and tuples) in the engine."""
    seen: dict[int, object] = {}

    def collect(value, depth=0):
        if isinstance(value, kind):
            seen.setdefault(id(value), value)
        elif depth < 2 and isinstance(value, dict):
            for v in value.values():
                collect(v, depth + 1)
        elif depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
            for v in value:
                collect(v, depth + 1)

    for pkg in packages:
        mod = importlib.import_module(pkg)
        names = [pkg] + [f"{pkg}.{m.name}" for m in pkgutil.iter_modules(mod.__path__) if not m.ispkg]
        for name in names:
            for value in vars(importlib.import_module(name)).values():
                collect(value)
    return list(seen.values())


def module_patterns(packages=PACKAGES) -> list[re.Pattern]:
    """Distinct compiled patterns held at module level in the engine."""
    distinct = {(p.pattern, p.flags): p for p in module_values(re.Pattern, packages)}
    return list(distinct.values())


class Anchors:
    """A fixed set of words a scan looks for in files (the secrets scan's keywords and credential
    prefixes). Held at module level, their lower-cased forms go into the engine's literal index,
    which then says which of them a file holds."""

    def __init__(self, words):
        self.words = frozenset(words)

    @cached_property
    def lowered_words(self) -> frozenset[str]:
        return frozenset(self._by_lowered)

    @cached_property
    def _by_lowered(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for w in sorted(self.words):
            out.setdefault(w.lower(), []).append(w)
        return {k: tuple(v) for k, v in out.items()}

    def present_in(self, text_owner) -> tuple[str, ...]:
        """The words that may occur in the owner's text (every word whose lower-cased form does):
        the engine's literal index, which holds the lower-cased words of every module-level
        Anchors, answers without reading the text again. All words when the index lacks some."""
        index = literal_index()
        if not self.lowered_words <= index.literals:
            return tuple(sorted(self.words))
        by_lowered = self._by_lowered
        return tuple(w for low in sorted(self.lowered_words & index.present(text_owner)) for w in by_lowered[low])


class LiteralIndex:
    """Which of a fixed set of literals a file's lower-cased text contains: one Hyperscan pass per
    file over its UTF-8 bytes (a literal's bytes occur there exactly where the literal occurs in
    the text), each literal reported at most once; cached while the file lives."""

    def __init__(self, literals):
        self.literals = frozenset(literals)
        self._ordered = sorted(self.literals)
        self._present: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._db = None
        if self._ordered:
            self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            self._db.compile(
                expressions=[b"".join(b"\\x%02x" % b for b in lit.encode()) for lit in self._ordered],
                ids=list(range(len(self._ordered))),
                elements=len(self._ordered),
                flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(self._ordered),
            )
        self._local = threading.local()  # Hyperscan's scratch space is per thread

    def present(self, text_owner) -> frozenset[str]:
        found = self._present.get(text_owner)
        if found is None:
            found = self._present[text_owner] = self.scan(lowered(text_owner))
        return found

    def scan(self, text: str) -> frozenset[str]:
        """The literals that occur in `text` (already lower-cased)."""
        if self._db is None or not text:
            return frozenset()
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        ids: list[int] = []
        self._db.scan(text.encode("utf-8", "surrogatepass"), match_event_handler=_collect, context=ids,
                      scratch=scratch)
        ordered = self._ordered
        return frozenset(ordered[i] for i in ids)


def _collect(literal_id: int, _start: int, _end: int, _flags: int, ids: list[int]) -> None:
    ids.append(literal_id)


_index: LiteralIndex | None = None
_gates: dict[re.Pattern, Callable[[object], bool] | None] = {}


def literal_index() -> LiteralIndex:
    global _index
    if _index is None:
        lits = {lit for p in module_patterns() for lit in (required_literals(p) or ())}
        # the anchors of the secrets scan, whatever their length: a file with none is not scanned
        lits.update(w for anchors in module_values(Anchors) for w in anchors.lowered_words)
        _index = LiteralIndex(lits)
    return _index


def gate(pattern: re.Pattern) -> Callable[[object], bool] | None:
    """A test `gate(file) -> bool` that is False only when `pattern` cannot match the file's text;
    None when the pattern has no required literals (every file must be searched)."""
    if pattern in _gates:
        return _gates[pattern]
    literals = required_literals(pattern)
    if literals is None:
        test = None
    else:
        index = literal_index()
        indexed = frozenset(lit for lit in literals if lit in index.literals)
        scanned = tuple(lit for lit in literals if lit not in indexed)

        def test(owner, _present=index.present) -> bool:
            if indexed and not indexed.isdisjoint(_present(owner)):
                return True
            if scanned:
                text = lowered(owner)
                return any(lit in text for lit in scanned)
            return False
    _gates[pattern] = test
    return test


# --------------------------------------------------------------------------------------------
# Line-local patterns: search only the lines that hold a required literal

MAX_CANDIDATE_LINES = 2000  # past this many lines with a literal, one search over the whole text is cheaper
_line_local: dict[re.Pattern, bool] = {}


def line_local(pattern: re.Pattern) -> bool:
    """True when no match of `pattern` can contain or look at a newline, and `$`/`\\Z` cannot
    mean the end of the text: every match then lies inside one line, and searching each line that
    holds a required literal (with the newline in view for look-aheads) finds exactly the matches
    a search of the whole text finds."""
    if pattern not in _line_local:
        try:
            parsed = P.parse(pattern.pattern, pattern.flags)
            flags = parsed.state.flags
            _line_local[pattern] = not _may_touch_newline(parsed, flags & re.S, flags & re.M)
        except Exception:
            _line_local[pattern] = False
    return _line_local[pattern]


_NEWLINE = ord("\n")
_CATEGORIES_WITH_NEWLINE = {C.CATEGORY_SPACE, C.CATEGORY_NOT_DIGIT, C.CATEGORY_NOT_WORD, C.CATEGORY_LINEBREAK,
                            C.CATEGORY_UNI_SPACE, C.CATEGORY_UNI_NOT_DIGIT, C.CATEGORY_UNI_NOT_WORD,
                            C.CATEGORY_UNI_LINEBREAK}


def _may_touch_newline(items, dotall, multiline) -> bool:
    for op, av in items:
        if op is C.LITERAL:
            if av == _NEWLINE:
                return True
        elif op is C.NOT_LITERAL:
            if av != _NEWLINE:
                return True
        elif op is C.ANY:
            if dotall:
                return True
        elif op is C.IN:
            if _class_has_newline(av):
                return True
        elif op is C.CATEGORY:
            if av in _CATEGORIES_WITH_NEWLINE:
                return True
        elif op is C.AT:
            if av in (C.AT_END_STRING,) or (av is C.AT_END and not multiline):
                return True
        elif op is C.SUBPATTERN:
            _group, add, remove, sub = av
            if add & (re.S | re.M) or remove & (re.S | re.M):  # local (?s:…) or (?m:…): not worth modelling
                return True
            if _may_touch_newline(sub, dotall, multiline):
                return True
        elif op is C.BRANCH:
            if any(_may_touch_newline(b, dotall, multiline) for b in av[1]):
                return True
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            if _may_touch_newline(av[2], dotall, multiline):
                return True
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if _may_touch_newline(av[1], dotall, multiline):
                return True
        elif op is C.ATOMIC_GROUP:
            if _may_touch_newline(av, dotall, multiline):
                return True
        elif op is C.GROUPREF_EXISTS:
            _group, yes, no = av
            if _may_touch_newline(yes, dotall, multiline) or (no and _may_touch_newline(no, dotall, multiline)):
                return True
        elif op is C.GROUPREF:
            continue  # repeats a group's text, which was checked where the group is
        else:
            return True  # anything not modelled: assume it may
    return False


def _class_has_newline(av) -> bool:
    negate = bool(av) and av[0][0] is C.NEGATE
    has = False
    for op, value in av[1:] if negate else av:
        if op is C.LITERAL and value == _NEWLINE:
            has = True
        elif op is C.RANGE and value[0] <= _NEWLINE <= value[1]:
            has = True
        elif op is C.CATEGORY:
            if value in _CATEGORIES_WITH_NEWLINE:
                has = True
            elif not negate:
                continue
            else:
                # [^\\S] or [^\\w]: a negated category inside a negated class; be conservative
                return True
        elif op not in (C.LITERAL, C.RANGE):
            return True
    return not has if negate else has


def candidate_lines(text_owner, literals: tuple[str, ...]) -> list[tuple[int, int]] | None:
    """(start, stop) of each line of the owner's text holding one of `literals`, in order; `stop` is
    past the line's newline. None as for `_occurrences`, past MAX_CANDIDATE_LINES lines."""
    starts = _occurrences(text_owner, literals, MAX_CANDIDATE_LINES, per_line=True)
    if starts is None:
        return None
    text = text_owner.text
    spans = []
    for start in sorted(starts):
        end = text.find("\n", start)
        spans.append((start, len(text) if end == -1 else end + 1))
    return spans


def _occurrences(text_owner, literals: tuple[str, ...], limit: int, per_line: bool) -> set[int] | None:
    """Offsets where `literals` occur in the owner's lower-cased text, or with `per_line` the
    starts of the lines they occur on. None when the lower-cased text does not line up with the
    text (a few Unicode letters lower-case to two characters) or past `limit` offsets."""
    text = text_owner.text
    low = lowered(text_owner)
    if len(low) != len(text):
        return None
    out: set[int] = set()
    found = line_starts_holding(low, literals) if per_line else (
        i for lit in literals for i in _offsets(low, lit))
    for i in found:
        out.add(i)
        if len(out) > limit:
            return None
    return out


def _offsets(text: str, literal: str) -> Iterator[int]:
    i = text.find(literal)
    while i != -1:
        yield i
        i = text.find(literal, i + 1)


def line_starts_holding(text: str, literals, confirm: Callable[[str, int, str], bool] | None = None) -> Iterator[int]:
    """Starts of the lines of `text` where one of `literals` occurs (and `confirm(text, offset,
    literal)` agrees), each line once; once a line is selected the rest of it is skipped."""
    selected: set[int] = set()
    for lit in literals:
        i = text.find(lit)
        while i != -1:
            start = text.rfind("\n", 0, i) + 1
            if start not in selected and (confirm is None or confirm(text, i, lit)):
                selected.add(start)
                yield start
            if start in selected:  # the rest of this line is selected already
                end = text.find("\n", i)
                if end == -1:
                    break
                i = text.find(lit, end)
            else:
                i = text.find(lit, i + 1)


# --------------------------------------------------------------------------------------------
# Leading literals: try a match only where a match can start

MIN_LEADING = 3
MAX_CANDIDATE_OFFSETS = 2000  # past this many, one search over the text is cheaper
_leading: dict[re.Pattern, tuple[str, ...] | None] = {}


def leading_literals(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Lower-cased literals one of which every match starts with (after zero-width assertions such
    as `\\b` or a look-behind); None when the pattern can start otherwise. `\\b(?:subprocess\\.run|
    os\\.system)\\(` starts with `subprocess.run(` or `os.system(`: a match can only begin where one of
    them occurs, so trying `pattern.match` there finds exactly what `pattern.search` finds."""
    if pattern not in _leading:
        try:
            found = _leading_set(list(P.parse(pattern.pattern, pattern.flags)))
        except Exception:
            found = None
        if found is not None and ("" in found or min(map(len, found)) < MIN_LEADING):
            found = None
        if found:  # a literal that starts with another is found at the other's offsets anyway
            found = {a for a in found if not any(b != a and a.startswith(b) for b in found)}
        _leading[pattern] = tuple(sorted(found)) if found else None
    return _leading[pattern]


def _leading_set(items) -> set[str] | None:
    i = 0
    while i < len(items) and items[i][0] in (C.AT, C.ASSERT, C.ASSERT_NOT):
        i += 1  # zero-width: the match still starts at the literal
    if i == len(items):
        return None
    run: set[str] = {""}
    for op, av in items[i:]:
        exact = _exact([(op, av)])
        if exact is None or len(run) * len(exact) > MAX_SET:
            break
        run = {a + b for a in run for b in exact}
    if "" not in run:
        return run
    if run != {""}:
        return None  # an optional start: the match may begin with what follows
    op, av = items[i]
    if op is C.SUBPATTERN:
        _group, add, remove, sub = av
        return None if (add | remove) & re.I else _leading_set(list(sub))
    if op is C.BRANCH:
        parts = [_leading_set(list(b)) for b in av[1]]
        return None if any(p is None for p in parts) else set().union(*parts)
    return None


def literal_offsets(text_owner, literals: tuple[str, ...]) -> list[int] | None:
    """Sorted offsets of every occurrence of `literals` in the owner's lower-cased text; None as
    for `_occurrences`, past MAX_CANDIDATE_OFFSETS."""
    found = _occurrences(text_owner, literals, MAX_CANDIDATE_OFFSETS, per_line=False)
    return None if found is None else sorted(found)


class Plan:
    """How `Context.grep` finds one pattern's matches in a file, the cheapest exact way."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.gate = gate(pattern)
        self.literals = required_literals(pattern)
        self.leading = leading_literals(pattern)
        self.by_line = self.literals is not None and line_local(pattern)

    def finder(self, owner) -> Callable[[int], re.Match | None]:
        """`next_match(pos)`: the first match starting at or after `pos`, as `pattern.search` finds it."""
        pattern, text = self.pattern, owner.text
        if self.leading:
            starts = literal_offsets(owner, self.leading)
            if starts is not None:
                def at_starts(pos: int) -> re.Match | None:
                    for start in starts[bisect.bisect_left(starts, pos):]:
                        m = pattern.match(text, start)
                        if m is not None:
                            return m
                    return None
                return at_starts
        if self.by_line:
            spans = candidate_lines(owner, self.literals)
            if spans is not None:
                stops = [stop for _, stop in spans]

                def on_lines(pos: int) -> re.Match | None:
                    for start, stop in spans[bisect.bisect_right(stops, pos):]:
                        m = pattern.search(text, max(pos, start), stop)
                        if m is not None:
                            return m
                    return None
                return on_lines
        return lambda pos: pattern.search(text, pos)


_plans: dict[re.Pattern, Plan] = {}


def plan(pattern: re.Pattern) -> Plan:
    found = _plans.get(pattern)
    if found is None:
        found = _plans[pattern] = Plan(pattern)
    return found


def lowered(text_owner) -> str:
    """The lower-cased text of a File (cached while the file lives)."""
    value = _lowered.get(text_owner)
    if value is None:
        value = _lowered[text_owner] = text_owner.text.lower()
    return value


