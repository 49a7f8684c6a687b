"""A read-only, symlink-safe, size-capped view of a checked-out tree.

Every byte in the tree is hostile input: nothing is executed, symbolic links are never followed
(a link that points out of the root is recorded so a check can report it), `.git` is not read as
content, special files (FIFOs, devices, sockets) are never opened, files over the size limit and
binary files are counted and skipped, and the walk stops at a deadline or a file budget, leaving a
partial view that says why.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import os
import re
import stat
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

import pathspec

from .facts.gitinfo import tracked_paths

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 1 * MiB
    max_files: int = 60_000  # regular files read as text
    max_entries: int = 250_000  # directory entries looked at, of any type
    max_total_bytes: int = 256 * MiB
    max_depth: int = 48
    deadline_s: float = 120.0  # wall clock for the whole scan, walk and checks
    max_line_chars: int = 4000  # longer lines are cut before line-level matching and snippets


LANGUAGES: dict[str, str] = {
    ".py": "python", ".pyw": "python",
    ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript", ".jsx": "javascript",
    ".ts": "javascript", ".tsx": "javascript", ".mts": "javascript", ".cts": "javascript",
    ".go": "go",
    ".rb": "ruby", ".rake": "ruby", ".erb": "ruby",
    ".java": "java", ".kt": "java", ".kts": "java", ".groovy": "java", ".scala": "java",
    ".php": "php",
    ".rs": "rust",
    ".cs": "dotnet", ".fs": "dotnet", ".vb": "dotnet",
    ".sh": "shell", ".bash": "shell", ".zsh": "shell",
}
# Extensionless names that are source of a known language.
NAMED_LANGUAGES = {"Rakefile": "ruby", "Gemfile": "ruby", "Jenkinsfile": "java", "Vagrantfile": "ruby"}

# Path parts that mark tests, fixtures, examples, docs and vendored code: findings there are demoted.
_ROLE_PARTS = {
    "test": "test", "tests": "test", "__tests__": "test", "spec": "test", "specs": "test",
    "testdata": "test", "test_data": "test", "fixtures": "test", "fixture": "test", "testing": "test",
    "e2e": "test", "cypress": "test", "mocks": "test", "__mocks__": "test", "testutils": "test",
    "example": "example", "examples": "example", "sample": "example", "samples": "example",
    "demo": "example", "demos": "example", "playground": "example", "tutorial": "example",
    "doc": "doc", "docs": "doc", "documentation": "doc", "website": "doc",
    "vendor": "vendor", "vendors": "vendor", "third_party": "vendor", "third-party": "vendor",
    "thirdparty": "vendor", "node_modules": "vendor", "bower_components": "vendor", "external": "vendor",
    "site-packages": "vendor", "dist": "vendor", "build": "vendor", ".venv": "vendor", "venv": "vendor",
}
_WEB_ROOTS = {"wwwroot", "static", "public"}
_JVM_SOURCE_ROOTS = {"java", "kotlin", "scala", "groovy"}
_DOC_EXTS = {".md", ".rst", ".txt", ".adoc", ".html", ".htm", ".ipynb", ".org"}
_TEST_PROJECT = re.compile(r"[.\-_](?:Unit|Integration|Functional|Acceptance|E2E)?Tests?$", re.I)
_CLASS_FILES = {".java", ".kt", ".cs", ".scala", ".groovy", ".swift"}
_TEST_CLASS = re.compile(r"(?:^|[a-z0-9_])(?:Tests?|IT|Spec)$")  # UserApiTests, AppTest, OrderIT; not Latest

# `.sample` as a whole word of the name (.env.sample, config.example.yml, settings.py.dist), not inside one
# (SimplCommerce.Module.SampleData.csproj, app.distribution.json)
_EXAMPLE_SUFFIX = re.compile(r"\.(?:example|sample|template|dist)(?=[.\-_]|$)")
_CI_FOLDER = re.compile(
    r"^(?:\.github/workflows|\.gitea/workflows|\.forgejo/workflows|\.gitlab/ci|\.circleci|\.buildkite|\.woodpecker|"
    r"\.azure-pipelines|\.drone)/[^/]+$"
)


def path_role(path: str) -> str | None:
    """'test', 'example', 'doc' or 'vendor' when a path is clearly one of those, else None."""
    p = PurePosixPath(path)
    for i, part in enumerate(p.parts[:-1]):
        if part in _JVM_SOURCE_ROOTS and i >= 2 and p.parts[i - 2 : i] == ("src", "main"):
            break  # below src/main/java/ the folders are a package name (org.springframework.samples…)
        role = _ROLE_PARTS.get(part.lower())
        if part == "lib" and i and p.parts[i - 1].lower() in _WEB_ROOTS:
            return "vendor"  # browser libraries copied into the web root (ASP.NET's wwwroot/lib by LibMan or Bower)
        if role == "doc" and i and p.parts[i - 1] == "crates":
            continue  # a Cargo workspace's crates/docs is a crate (kellnr's rustdoc builder), not documentation
        if role:
            return role
        if _TEST_PROJECT.search(part):  # .NET test projects: Api.Tests/, Web.IntegrationTests/
            return "test"
    name = p.name.lower()
    if _CI_FOLDER.search(path):
        return None  # a CI pipeline named for what it runs (.github/workflows/test.yml) is the pipeline, not a test
    stem = name.split(".", 1)[0]
    if stem.startswith("test_") or stem.endswith(("_test", "_spec", "_tests")) or ".test." in name or ".spec." in name:
        return "test"
    if stem in {"conftest", "test", "tests"} or p.suffix in _CLASS_FILES and _TEST_CLASS.search(p.name.split(".", 1)[0]):
        return "test"
    if p.suffix.lower() in _DOC_EXTS and not stem.startswith(("requirements", "constraints")):  # pip manifests are .txt
        return "doc"
    if _EXAMPLE_SUFFIX.search(name) or name.startswith("example"):
        return "example"
    return None


@dataclass(eq=False)
class File:
    path: str  # relative, posix
    size: int
    text: str
    max_line: int = Limits.max_line_chars  # line-level matching sees at most this much of a line

    @cached_property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @cached_property
    def ext(self) -> str:
        i = self.name.rfind(".")
        return self.name[i:].lower() if i > 0 else ""

    @cached_property
    def dir(self) -> str:
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @cached_property
    def language(self) -> str | None:
        return LANGUAGES.get(self.ext) or NAMED_LANGUAGES.get(self.name)

    @cached_property
    def role(self) -> str | None:
        return path_role(self.path)

    @cached_property
    def line_starts(self) -> list[int]:
        # each line's length plus its newline, summed up: the loop runs in C
        lengths = map(operator.add, map(len, self.text.split("\n")), itertools.repeat(1))
        return list(itertools.accumulate(lengths, initial=0))[:-1]

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return bisect.bisect_right(self.line_starts, offset)

    def line_text(self, line: int, limit: int = 4000) -> str:
        starts = self.line_starts
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[start : min(end, start + limit)].rstrip("\r")

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def scan_view(self) -> File:
        """This file with every line cut to `max_line` characters: what `Context.grep` searches.

        The same lines in the same order, so line numbers agree with `text`; only offsets differ,
        and only in a file with a longer line (minified code, a one-line blob), where matching the
        whole line would cost time in proportion to its length for every pattern of every check.
        """
        limit = self.max_line
        if len(self.text) <= limit or max(map(len, self.text.split("\n"))) <= limit:
            return self
        clipped = "\n".join(line[:limit] for line in self.text.split("\n"))
        return File(self.path, self.size, clipped, limit)


@dataclass(frozen=True)
class Link:
    path: str
    target: str
    escapes: bool  # resolves outside the root (or cannot be resolved inside it)


@dataclass
class Tree:
    root: str
    files: list[File] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    dirs: set[str] = field(default_factory=set)
    skipped: Counter = field(default_factory=Counter)
    binaries: list[str] = field(default_factory=list)  # paths of binary files, not read (key stores …)
    too_large: list[str] = field(default_factory=list)  # paths of files over the size limit, not read (big lock files)
    partial_reasons: list[str] = field(default_factory=list)
    bytes_read: int = 0
    limits: Limits = field(default_factory=Limits)
    started: float = field(default_factory=time.monotonic)
    has_git_dir: bool = False
    not_deployed: pathspec.PathSpec | None = None  # the `ignore` patterns of the repository's .factorcard.yml

    @cached_property
    def by_path(self) -> dict[str, File]:
        return {f.path: f for f in self.files}

    @cached_property
    def by_name(self) -> dict[str, list[File]]:
        out: dict[str, list[File]] = {}
        for f in self.files:
            out.setdefault(f.name.lower(), []).append(f)
        return out

    @cached_property
    def by_language(self) -> dict[str, list[File]]:
        out: dict[str, list[File]] = {}
        for f in self.files:
            if f.language:
                out.setdefault(f.language, []).append(f)
        return out

    def get(self, path: str) -> File | None:
        return self.by_path.get(path)

    def declare_not_deployed(self, spec: pathspec.PathSpec) -> None:
        """Paths the repository's own config says are not deployed are treated like examples, by
        every check and by the demotion of findings (`role_of`)."""
        self.not_deployed = spec
        for f in self.files:
            if f.role is None and spec.match_file(f.path):
                f.role = "example"  # shadows the cached property

    def role_of(self, path: str) -> str | None:
        """`path_role`, or 'example' for a path the repository declares not deployed."""
        role = path_role(path)
        if role is None and self.not_deployed is not None and self.not_deployed.match_file(path):
            return "example"
        return role

    def named(self, *names: str) -> list[File]:
        """Files with any of these base names (case-insensitive), anywhere in the tree."""
        return [f for n in names for f in self.by_name.get(n.lower(), [])]

    @property
    def deadline_passed(self) -> bool:
        return time.monotonic() - self.started > self.limits.deadline_s

    @property
    def partial(self) -> bool:
        return bool(self.partial_reasons)


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8", "replace")


def _shown(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (kept by the OS as surrogates) become U+FFFD,
    so every path in a report can be encoded, stored and shown. The file is opened by its real name."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _is_inside(root: str, target: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


class _Ignored:
    """Git's view of what is not part of the repository: untracked files matched by a .gitignore.

    In a git checkout the index says what is tracked; a tracked file is read even if a .gitignore
    matches it (a force-added `.env` is exactly what a scorer must see). Without an index, the
    .gitignore files alone decide.
    """

    def __init__(self, root: str):
        self.tracked = tracked_paths(root)
        self.tracked_dirs = {p.rsplit("/", 1)[0] for p in self.tracked or ()}
        self.tracked_dirs |= {d.rsplit("/", i)[0] for d in list(self.tracked_dirs) for i in range(1, d.count("/") + 1)}
        self.specs: dict[str, pathspec.PathSpec] = {}

    def add_gitignore(self, rel_dir: str, abs_dir: str) -> None:
        path = os.path.join(abs_dir, ".gitignore")
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as fh:
                lines = fh.read(256 * 1024).decode("utf-8", "replace").splitlines()
            self.specs[rel_dir] = pathspec.PathSpec.from_lines("gitwildmatch", lines)
        except (OSError, ValueError):
            pass

    def __call__(self, rel: str, is_dir: bool) -> bool:
        if self.tracked is not None:
            if rel in self.tracked or (is_dir and rel in self.tracked_dirs):
                return False
        if not self.specs:
            return False
        # Only the .gitignore files of the entry's own ancestors apply: a lookup per level, so a
        # tree with a .gitignore in every folder costs its depth per entry, not its folder count.
        parts = rel.split("/")
        for i in range(len(parts)):
            spec = self.specs.get("/".join(parts[:i]))
            if spec is not None:
                sub = "/".join(parts[i:])
                if spec.match_file(sub + "/" if is_dir else sub):
                    return True
        return False


def load_tree(root: str, limits: Limits | None = None) -> Tree:
    """Walk `root` without following links and read each regular text file once."""
    limits = limits or Limits()
    root = os.path.realpath(root)
    tree = Tree(root=root, limits=limits)
    ignored = _Ignored(root)
    entries = 0
    stack: list[tuple[str, str, int]] = [(root, "", 0)]
    while stack:
        abs_dir, rel_dir, depth = stack.pop()
        try:
            with os.scandir(abs_dir) as it:
                listing = sorted(it, key=lambda e: e.name)
        except OSError:
            tree.skipped["unreadable"] += 1
            continue
        subdirs = []
        if any(e.name == ".gitignore" for e in listing):
            ignored.add_gitignore(rel_dir, abs_dir)
        for entry in listing:
            entries += 1
            if entries > limits.max_entries:
                _stop(tree, f"more than {limits.max_entries} directory entries; the rest were not read")
                return tree
            if entries % 512 == 0 and tree.deadline_passed:
                _stop(tree, f"the {limits.deadline_s:.0f} s time limit was reached while reading the tree")
                return tree
            name = _shown(entry.name)
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if entry.name == ".git":
                tree.has_git_dir = True
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                tree.skipped["unreadable"] += 1
                continue
            if ignored(rel, stat.S_ISDIR(st.st_mode)):
                tree.skipped["ignored"] += 1
                continue
            if stat.S_ISLNK(st.st_mode):
                _record_link(tree, entry.path, rel)
            elif stat.S_ISDIR(st.st_mode):
                if depth + 1 > limits.max_depth:
                    tree.skipped["too_deep"] += 1
                    continue
                tree.dirs.add(rel)
                subdirs.append((entry.path, rel, depth + 1))
            elif stat.S_ISREG(st.st_mode):
                _read_file(tree, entry.path, rel, st.st_size)
                if len(tree.files) >= limits.max_files:
                    _stop(tree, f"more than {limits.max_files} files; the rest were not read")
                    return tree
            else:
                tree.skipped["special"] += 1
        stack.extend(reversed(subdirs))
    return tree


def _stop(tree: Tree, reason: str) -> None:
    tree.partial_reasons.append(reason)


def _record_link(tree: Tree, abs_path: str, rel: str) -> None:
    tree.skipped["symlink"] += 1
    try:
        target = _shown(os.readlink(abs_path))
    except OSError:
        return
    resolved = os.path.realpath(abs_path)  # resolves names only; the target is never opened
    tree.links.append(Link(rel, target, escapes=not _is_inside(tree.root, resolved)))


def _read_up_to(fd: int, limit: int, expected: int) -> bytes:
    """Up to `limit` bytes from a file descriptor (no buffered file object around it); the first read
    asks for the size the file had when listed, later ones for whatever it has grown by."""
    chunks, total = [], 0
    while total < limit:
        chunk = os.read(fd, min(limit - total, max(expected + 1 - total, 65536)))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _read_file(tree: Tree, abs_path: str, rel: str, size: int) -> None:
    limits = tree.limits
    if size > limits.max_file_bytes:
        tree.skipped["too_large"] += 1
        tree.too_large.append(rel)
        return
    if tree.bytes_read + size > limits.max_total_bytes:
        tree.skipped["over_budget"] += 1
        if not any("bytes" in r for r in tree.partial_reasons):
            _stop(tree, f"more than {limits.max_total_bytes // MiB} MiB of text; later files were skipped")
        return
    try:
        # O_NOFOLLOW: the entry was a regular file a moment ago; refuse if it has been swapped for a link.
        fd = os.open(abs_path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        try:
            raw = _read_up_to(fd, limits.max_file_bytes + 1, size)
        finally:
            os.close(fd)
    except OSError:
        tree.skipped["unreadable"] += 1
        return
    if len(raw) > limits.max_file_bytes:
        tree.skipped["too_large"] += 1
        return
    if b"\0" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        tree.skipped["binary"] += 1
        tree.binaries.append(rel)
        return
    tree.bytes_read += len(raw)
    tree.files.append(File(rel, len(raw), _decode(raw), limits.max_line_chars))
