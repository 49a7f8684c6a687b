"""YAML documents, loaded safely and with bounded traversal (anchors can make graphs huge)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from ..tree import File

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

MAX_NODES = 200_000
_TEMPLATE_LINE = re.compile(r"^[^\"'\n]*\{\{", re.M)  # a `{{` outside any quoted value on its line


def load_all(f: File) -> list[Any]:
    """Every document of a YAML file; [] when it is not valid YAML (Helm templates, garbage)."""
    text = f.text.replace("${{", "")  # GitHub Actions expressions sit inside valid YAML scalars
    if "{{" in text and "}}" in text and _TEMPLATE_LINE.search(text):
        return []  # a template (Helm, Jinja): not YAML until rendered, which we never do
    # (a values.yaml whose only `{{ … }}` are inside quoted values, left for `tpl`, is YAML)
    try:
        return [d for d in yaml.load_all(f.text, Loader=_Loader) if d is not None]
    except (yaml.YAMLError, ValueError, RecursionError):
        return []


def load_all_text(text: str) -> list[Any]:
    """Every document of YAML text that is not a file's own (a file's text rewritten first); [] when invalid."""
    try:
        return [d for d in yaml.load_all(text, Loader=_Loader) if d is not None]
    except (yaml.YAMLError, ValueError, RecursionError):
        return []


def walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(key path, value) for every node, visiting each shared (anchored) object once."""
    seen: set[int] = set()
    stack = [(path, node)]
    count = 0
    while stack:
        p, n = stack.pop()
        count += 1
        if count > MAX_NODES:
            return
        yield p, n
        if isinstance(n, (dict, list)):
            if id(n) in seen:
                continue
            seen.add(id(n))
            items = n.items() if isinstance(n, dict) else enumerate(n)
            stack.extend((p + (k,), v) for k, v in items)


def line_of(f: File, needle: str, start: int = 0) -> int | None:
    """1-based line of the first occurrence of `needle` in the file, for evidence."""
    if not needle:
        return None
    i = f.text.find(needle, start)
    return f.line_of(i) if i >= 0 else None
