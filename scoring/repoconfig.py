"""The repository's own configuration, `.factorcard.yml` (or `.github/factorcard.yml`), read as hostile input.

The file is optional and never fails a scan: what cannot be used is left out with a message for the
scorecard, and the rest applies. It is read without following links, only as a regular file of at
most 64 KiB. Its YAML is first walked as a stream of events, before anything is built from it: more
than 16 levels of nesting, more than 10,000 values once aliases are expanded (a "billion laughs"
file stops within a few lines), a recursive alias or a second document reject the file. Then PyYAML's
safe loader builds it (no tags, no duplicate keys, dates left as text), the published JSON Schema
(docs/factorcard.schema.json) validates it, and the tree checks it: patterns that match every path,
deployable folders that do not exist, unknown checks, expiry dates past or more than a year ahead.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import stat
from collections.abc import Hashable
from datetime import date, timedelta
from functools import cache
from typing import Any

import jsonschema
import pathspec
import yaml

from .model import FACTOR_BY_ID, Kind, RepoConfig, Waiver
from .tree import Tree

CONFIG_PATHS = (".factorcard.yml", ".github/factorcard.yml")  # the first one found is read
SCHEMA_FILE = os.path.join(os.path.dirname(__file__), "factorcard.schema.json")
MAX_BYTES = 64 * 1024
MAX_DEPTH = 16
MAX_VALUES = 10_000
MAX_WAIVER_DAYS = 365
MAX_SHOWN = 80  # characters of a value from the file quoted in a message
SAMPLE_FILES = 200  # files a pattern is tried on to tell whether it matches every file
# Paths of many shapes: a pattern that matches all of them matches everything.
_PROBES = ("a", "README", ".hidden", "x/y/z.py", "src/app/main.go", "deep/a/b/c/d/e/f.txt", "q9-w_8.tar.gz")
_LISTS = ("ignore", "not_applicable", "waivers")  # a bad entry of these is left out, the others kept
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class Rejected(Exception):
    """The whole file cannot be used; the message says why."""


@cache
def schema() -> dict[str, Any]:
    with open(SCHEMA_FILE, encoding="utf-8") as fh:
        return json.load(fh)


def load_config(tree: Tree, known_checks: set[str], today: date) -> RepoConfig:
    """The configuration of the tree at `tree.root`; an empty one when there is no file."""
    for rel in CONFIG_PATHS:
        try:
            data = _read(tree.root, rel)
            if data is None:
                continue
            return _config(rel, data, tree, known_checks, today)
        except Rejected as exc:
            return RepoConfig(path=rel, messages=(f"{rel} {exc}; the scan used no configuration.",))
    return RepoConfig()


def _config(rel: str, data: bytes, tree: Tree, known_checks: set[str], today: date) -> RepoConfig:
    doc = _parse(data)
    messages: list[str] = []
    others = [p for p in CONFIG_PATHS if p != rel and _read_quietly(tree.root, p)]
    messages += [f"{p} is not read: {rel} comes first." for p in others]
    digest = hashlib.sha256(data).hexdigest()
    if doc is None:  # an empty file
        return RepoConfig(path=rel, digest=digest, messages=tuple(messages))
    if not isinstance(doc, dict):
        raise Rejected("must be a mapping of settings (ignore, kind, deployables, not_applicable, waivers)")
    doc, dropped = _validated(doc, messages)
    sample = _sample(tree)
    ignore = tuple(
        p
        for i, p in enumerate(doc.get("ignore", ()))
        if ("ignore", i) not in dropped and _usable(p, f"ignore: entry {i + 1}", sample, messages)
    )
    kind, deployables = _layout(doc, tree, messages)
    waivers, clamped = _waivers(doc, dropped, known_checks, today, sample, messages)
    return RepoConfig(
        path=rel,
        digest=digest,
        messages=tuple(m[:400] for m in messages),
        ignore=ignore,
        kind=kind,
        deployables=deployables,
        not_applicable=_not_applicable(doc, dropped, messages),
        waivers=waivers,
        clamped=clamped,
    )


def _read(root: str, rel: str) -> bytes | None:
    """The file's bytes; None when there is no such file. Links are never followed, at any level."""
    *folders, name = rel.split("/")
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for folder in folders:
            try:
                inner = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError:
                return None  # no such folder, or a link to one: no configuration there
            os.close(fd)
            fd = inner
        try:
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError:
            return None
        if stat.S_ISLNK(st.st_mode):
            raise Rejected("is a symbolic link and was not followed")
        if not stat.S_ISREG(st.st_mode):
            raise Rejected("is not a regular file")
        if st.st_size > MAX_BYTES:
            raise Rejected(f"is {_size(st.st_size)}; the limit is {MAX_BYTES // 1024} KiB")
        return _read_capped(fd, name)
    finally:
        os.close(fd)


def _read_capped(dir_fd: int, name: str) -> bytes:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError as exc:
        raise Rejected(f"could not be opened ({exc.strerror})") from None
    try:
        chunks, total = [], 0
        while total <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > MAX_BYTES:  # it grew after it was measured
        raise Rejected(f"is larger than {MAX_BYTES // 1024} KiB")
    return b"".join(chunks)


def _read_quietly(root: str, rel: str) -> bool:
    try:
        return _read(root, rel) is not None
    except Rejected:
        return True


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KiB"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader (libyaml's parser when present) that leaves dates as text, for the schema
    to check, and refuses a key given twice (a second `waivers:` would silently replace the first)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"found the key {_show(key)} twice", key_node.start_mark
                )
            if isinstance(key, Hashable):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse(data: bytes) -> Any:
    if b"\0" in data:
        raise Rejected("is not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Rejected("is not UTF-8 text") from None
    try:
        _check_shape(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}" if mark else ""
        raise Rejected(f"is not valid YAML: {exc.problem or exc.context}{where}") from None
    except yaml.YAMLError:
        raise Rejected("is not valid YAML") from None


def _check_shape(text: str) -> None:
    """Depth, size with aliases expanded, and documents, from the parser's events (nothing is built)."""
    sizes: dict[str, int] = {}  # anchor → values it stands for
    opened: list[tuple[str | None, int]] = []  # open collections: (anchor, values before it)
    values = documents = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise Rejected("holds more than one YAML document")
        elif isinstance(event, yaml.CollectionStartEvent):
            opened.append((event.anchor, values))
            values += 1
            if len(opened) > MAX_DEPTH:
                raise Rejected(f"nests more than {MAX_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, before = opened.pop()
            if anchor:
                sizes[anchor] = values - before
        elif isinstance(event, yaml.ScalarEvent):
            values += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            if any(anchor == event.anchor for anchor, _ in opened):
                raise Rejected("holds a YAML alias that refers to itself")
            values += sizes.get(event.anchor, 1)
        if values > MAX_VALUES:
            raise Rejected(f"expands to more than {MAX_VALUES:,} values (YAML anchors and aliases?)")


def _validated(doc: dict, messages: list[str]) -> tuple[dict, set[tuple[str, int]]]:
    """The document without unknown or invalid keys, and the (list, index) entries to leave out."""
    validator = jsonschema.Draft202012Validator(schema())
    known = schema()["properties"]
    drop_keys: set = {k for k in doc if k not in known}
    drop_items: set[tuple[str, int]] = set()
    for error in sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(error.absolute_path)
        if not path:
            extra = sorted(map(_show, drop_keys))
            messages.append(f"unknown key{'s' if len(extra) > 1 else ''} {', '.join(extra)}: ignored.")
        elif path[0] in _LISTS and len(path) > 1:
            drop_items.add((path[0], path[1]))
            messages.append(f"{_where(path)}: {_explain(error)}; that entry is left out.")
        else:
            drop_keys.add(path[0])
            messages.append(f"{_where(path)}: {_explain(error)}; `{path[0]}` is left out.")
    return {k: v for k, v in doc.items() if k not in drop_keys}, drop_items


def _explain(error: jsonschema.ValidationError) -> str:
    if error.validator == "anyOf":
        return "a waiver needs either `fingerprint`, or `check` and `paths`"
    if error.validator in ("pattern", "oneOf") and "description" in error.schema:
        return f"{_show(error.instance)} is not valid: expected {error.schema['description']}"
    if error.validator == "additionalProperties":
        extra = sorted(_show(k) for k in error.instance if k not in error.schema.get("properties", {}))
        return f"unknown key{'s' if len(extra) > 1 else ''} {', '.join(extra)}"
    return error.message if len(error.message) <= 200 else error.message[:200] + "…"


def _where(path: list) -> str:
    out = ""
    for part in path:
        out += f" entry {part + 1}" if isinstance(part, int) else f"{':' if out else ''}{' ' if out else ''}{part}"
    return out.strip()


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def _text(value: str) -> str:
    """A reason as shown and stored: control characters (a YAML "\\0" escape) become U+FFFD."""
    return _CONTROL.sub("\ufffd", value.strip())


def _sample(tree: Tree) -> list[str]:
    files = [f.path for f in tree.files if f.path not in CONFIG_PATHS]
    step = max(1, len(files) // SAMPLE_FILES)
    return files[::step][:SAMPLE_FILES]


def spec_of(patterns: tuple[str, ...] | list[str], backend: str | None = "simple") -> pathspec.PathSpec:
    """Python's re by default: compiling a Hyperscan database (pathspec's own default when installed)
    for each of a file's 2,400 patterns took 2.5 s. `backend=None` (the best one) for one spec of many
    patterns tried on every file of the tree."""
    return pathspec.PathSpec.from_lines("gitwildmatch", patterns, backend=backend)


def _usable(pattern: str, where: str, sample: list[str], messages: list[str]) -> bool:
    try:
        spec = spec_of([pattern])
    except Exception:  # pathspec raises its own errors (and ValueError) on a malformed pattern
        messages.append(f"{where}: {_show(pattern)} is not a valid pattern; left out.")
        return False
    if all(spec.match_file(p) for p in _PROBES):
        messages.append(f"{where}: {_show(pattern)} matches every path; left out.")
        return False
    if sample and all(spec.match_file(p) for p in sample):
        messages.append(f"{where}: {_show(pattern)} matches every file of the repository; left out.")
        return False
    return True


def _layout(doc: dict, tree: Tree, messages: list[str]) -> tuple[Kind | None, tuple[tuple[str, Kind | None], ...]]:
    kind = Kind(doc["kind"]) if "kind" in doc else None
    folders: list[tuple[str, Kind | None]] = []
    for item in doc.get("deployables", ()):
        path = posixpath.normpath(item["path"]).strip("/") or "."
        if path != "." and path not in tree.dirs:
            messages.append(f"deployables: {_show(item['path'])} is not a folder of the repository; left out.")
        elif path in [p for p, _ in folders]:
            messages.append(f"deployables: {_show(item['path'])} is listed twice; the first one counts.")
        else:
            folders.append((path, Kind(item["kind"]) if "kind" in item else None))
    if doc.get("deployables") and len(folders) < 2:
        messages.append("deployables: fewer than two usable folders; the detected layout is kept.")
        folders = []
    if folders and kind not in (None, Kind.MONOREPO):
        messages.append(f"kind: {kind.value} does not go with deployables (each deployable has its own kind); ignored.")
    elif kind is Kind.MONOREPO and not folders:
        messages.append("kind: monorepo needs at least two deployables; the detected kind is kept.")
        kind = None
    return (Kind.MONOREPO if folders else kind), tuple(folders)


def _not_applicable(doc: dict, dropped: set, messages: list[str]) -> tuple[tuple[int, str], ...]:
    out: dict[int, str] = {}
    for i, item in enumerate(doc.get("not_applicable", ())):
        if ("not_applicable", i) in dropped:
            continue
        factor = item["factor"]
        number = factor if isinstance(factor, int) else FACTOR_BY_ID[factor].number
        if number in out:
            messages.append(f"not_applicable entry {i + 1}: factor {number} is declared twice; the first one counts.")
            continue
        out[number] = _text(item["reason"])
    return tuple(sorted(out.items()))


def _waivers(
    doc: dict, dropped: set, known_checks: set[str], today: date, sample: list[str], messages: list[str]
) -> tuple[tuple[Waiver, ...], tuple[tuple[str, date], ...]]:
    waivers, clamped = [], []
    limit = today + timedelta(days=MAX_WAIVER_DAYS)
    for i, item in enumerate(doc.get("waivers", ())):
        if ("waivers", i) in dropped:
            continue
        where = f"waivers entry {i + 1}"
        try:
            expires = date.fromisoformat(item["expires"])
        except ValueError:
            messages.append(f"{where}: expires {_show(item['expires'])} is not a date; that entry is left out.")
            continue
        check, fingerprint = item.get("check"), item.get("fingerprint")
        if check is not None and check not in known_checks:
            messages.append(f"{where}: there is no check {_show(check)}; that entry is left out.")
            continue
        paths = () if fingerprint else tuple(item.get("paths", ()))
        if not all(_usable(p, where, sample, messages) for p in paths):
            continue
        if expires > limit:
            messages.append(
                f"{where}: expires {expires} is more than a year ahead, so it applies until {limit}, "
                "a year from this scan; set a date within a year."
            )
            clamped.append((f"config#{i + 1}", expires))
            expires = limit
        elif expires <= today:
            messages.append(f"{where}: expired on {expires}; the findings it covered count again.")
        waivers.append(
            Waiver(
                f"config#{i + 1}",
                _text(item["reason"]),
                expires,
                check=None if fingerprint else check,
                paths=paths,
                fingerprint=fingerprint,
            )
        )
    return tuple(waivers), tuple(clamped)
