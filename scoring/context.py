"""What a check sees: the files of one deployable (or the whole repository), memoized facts, and grep.

Every file was read once by `tree.load_tree`; checks search the texts in memory. `grep` runs one
compiled pattern over a whole file text, only in files that contain one of the literals every match
of the pattern needs (`prefilter.gate`: most files are skipped without being searched), and
only for the matches works out line numbers and whether the match is in code, a comment or a string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from .lexmask import Mask, mask_for
from .model import Kind, Severity
from .prefilter import plan
from .tree import File, Tree

T = TypeVar("T")
MAX_HITS_PER_FILE = 25
MAX_MATCHES_PER_FILE = 5000  # matches looked at in one file, most of them in comments or strings
SHARED_DIRS = {".github", ".gitlab", ".circleci", ".buildkite"}
# Root folders of deployment manifests for several apps (kubernetes-manifests/adservice.yaml,
# helm-chart/templates/cartservice.yaml, deploy/api/deployment.yaml): a file there belongs to the
# deployable whose folder name is the file's name or one of the folders it is in.
_GENERIC_FOLDERS = {"src", "source", "app", "apps", "services", "packages", "cmd", "main"}
DEPLOY_DIRS = re.compile(r"(?i)^(?:k8s|kube|kubernetes(?:[-_]manifests)?|manifests|deploy(?:ments?)?|helm(?:[-_]charts?)?|charts?)$")


@dataclass(frozen=True)
class Raw:
    """A finding as a check yields it; the runner adds the check id, default remediation and redaction."""

    severity: Severity
    path: str | None
    line: int | None
    message: str
    snippet: str = ""
    remediation: str | None = None
    secrets: tuple[str, ...] = ()
    # True for real-format credentials and for evidence that counts wherever it is (.env.example):
    # the runner neither demotes nor drops it in test/doc/example/vendor paths.
    anywhere: bool = False


def found(
    severity: Severity,
    message: str,
    path: str | None = None,
    line: int | None = None,
    snippet: str = "",
    **kw,
) -> Raw:
    return Raw(severity, path, line, message, snippet, **kw)


@dataclass(frozen=True)
class Hit:
    file: File
    line: int
    text: str  # the whole line (cut to the line limit)
    match: re.Match
    where: str  # code, comment, string or doc

    @property
    def path(self) -> str:
        return self.file.path

    def found(self, severity: Severity, message: str, **kw) -> Raw:
        return Raw(severity, self.file.path, self.line, message, self.text, **kw)


class Context:
    def __init__(
        self,
        tree: Tree,
        scope: str = "",
        kind: Kind = Kind.SERVICE,
        exclude: Iterable[str] = (),
        include: Iterable[str] = (),
        only: list[File] | None = None,
    ):
        self.tree = tree
        self.scope = scope  # "" for the whole repository, else a deployable's folder
        self.kind = kind
        self._exclude = tuple(e.rstrip("/") + "/" for e in exclude)  # every deployable's folder
        self._include = tuple(i.rstrip("/") + "/" for i in include)  # the library folders it uses
        # An explicit set of files: a monorepo's code used by no deployable. It runs only where a
        # deployable calls it, so boot-path checks follow calls into it from the deployables instead.
        self.shared_code = only is not None
        if only is not None:
            self.files = only
        self._facts: dict[Callable, object] = {}
        self._masks: dict[str, Mask] = {}

    def __repr__(self) -> str:
        return f"Context({self.scope or '.'!r}, {self.kind.value})"

    @cached_property
    def files(self) -> list[File]:
        if not self.scope:
            return list(self.tree.files)
        if self.scope == ".":  # the root's own deployable in a monorepo: everything but the others
            return [f for f in self.tree.files if not f.path.startswith(self._exclude)]
        prefixes = (self.scope.rstrip("/") + "/", *self._include)
        return [f for f in self.tree.files if f.path.startswith(prefixes) or self._shared(f.path)]

    def _shared(self, path: str) -> bool:
        """Files outside every deployable that belong to this one: root files, CI configuration, and
        its own manifests in a root deployment folder."""
        if path.startswith(self._exclude):
            return False
        if "/" not in path:
            return True
        top, rest = path.split("/", 1)
        if top in SHARED_DIRS:
            return True
        if DEPLOY_DIRS.match(top) and self._own_name:
            *folders, name = rest.lower().split("/")
            return self._own_name in folders or name.split(".", 1)[0] == self._own_name
        return False

    @cached_property
    def _own_name(self) -> str | None:
        """The deployable's name: its folder's, past generic ones (src/cartservice/src → cartservice)."""
        parts = [p.lower() for p in self.scope.strip("/").split("/") if p.lower() not in _GENERIC_FOLDERS]
        return parts[-1] if parts and self.scope not in ("", ".") else None

    @cached_property
    def by_language(self) -> dict[str, list[File]]:
        out: dict[str, list[File]] = {}
        for f in self.files:
            if f.language:
                out.setdefault(f.language, []).append(f)
        return out

    @cached_property
    def _by_name(self) -> dict[str, list[File]]:
        out: dict[str, list[File]] = {}
        for f in self.files:
            out.setdefault(f.name.lower(), []).append(f)
        return out

    def rel(self, path: str) -> str:
        """A path relative to this context's folder."""
        if self.scope not in ("", ".") and path.startswith(self.scope.rstrip("/") + "/"):
            return path[len(self.scope.rstrip("/")) + 1 :]
        return path

    def named(self, *names: str) -> list[File]:
        return [f for n in names for f in self._by_name.get(n.lower(), [])]

    def matching(self, pattern: re.Pattern) -> list[File]:
        """Files whose path (relative to the context) matches a compiled pattern."""
        return [f for f in self.files if pattern.search(self.rel(f.path))]

    def source(self, *languages: str) -> list[File]:
        if not languages:
            return [f for f in self.files if f.language]
        return [f for lang in languages for f in self.by_language.get(lang, [])]

    def fact(self, fn: Callable[[Context], T]) -> T:
        """Compute a shared fact once per context (parsed Procfile, Dockerfiles, manifests …)."""
        if fn not in self._facts:
            self._facts[fn] = fn(self)
        return self._facts[fn]  # type: ignore[return-value]

    def mask(self, file: File) -> Mask:
        """Comments, strings and docstrings of a file, at the offsets of the text `grep` searches."""
        m = self._masks.get(file.path)
        if m is None:
            m = self._masks[file.path] = mask_for(file.scan_view.text, file.language)
        return m

    def grep(
        self,
        pattern: re.Pattern,
        files: Iterable[File] | None = None,
        *,
        where: str | tuple[str, ...] = ("code", "string"),
        limit: int = MAX_HITS_PER_FILE,
    ) -> Iterator[Hit]:
        """Matches of `pattern` in `files` (default: all of this context's files), one per line.

        `where` keeps matches starting in code, string, comment or doc (docstring); "any" keeps all.
        Lines are searched up to the tree's line limit (`File.scan_view`), so `hit.match` offsets
        are offsets in `hit.file.scan_view.text`. Work per file is bounded: at most `limit` hits and
        MAX_MATCHES_PER_FILE matches looked at; once the scan's deadline has passed, nothing more.
        """
        wanted = None if where == "any" else ({where} if isinstance(where, str) else set(where))
        how = plan(pattern)
        for f in self.files if files is None else files:
            view = f.scan_view
            if how.gate is not None and not how.gate(view):
                continue
            # Only where a match can be: at the occurrences of the literals a match starts with, or
            # on the lines holding a required literal (git grep's way); else the whole text.
            next_match = how.finder(view)
            text = view.text
            hits = looked = 0
            pos = 0
            while pos <= len(text) and looked < MAX_MATCHES_PER_FILE and hits < limit:
                m = next_match(pos)
                if m is None:
                    break
                if self.tree.deadline_passed:
                    self._out_of_time()
                    return
                looked += 1
                kind = "code"
                if wanted is not None and f.language:
                    kind = self.mask(f).kind_at(m.start())
                if wanted is not None and kind not in wanted:
                    pos = m.end() if m.end() > m.start() else m.start() + 1
                    continue
                line = view.line_of(m.start())
                yield Hit(f, line, view.line_text(line, f.max_line), m, kind)
                hits += 1
                starts = view.line_starts
                pos = max(m.end(), starts[line] if line < len(starts) else len(text) + 1)

    def _out_of_time(self) -> None:
        reason = f"the {self.tree.limits.deadline_s:.0f} s time limit was reached while checks were searching files"
        if reason not in self.tree.partial_reasons:
            self.tree.partial_reasons.append(reason)

    def first(self, pattern: re.Pattern, files: Iterable[File] | None = None, **kw) -> Hit | None:
        return next(self.grep(pattern, files, **kw), None)
