"""One hop of a call graph: the function a line of code sits in, and whether start-up code calls it.

A schema change is often one call away from the server's start-up code (`Program.cs` calls
`CatalogContextSeed.SeedAsync`, which calls `Database.Migrate()`; `main.py`'s lifespan calls
`init_db()`, which calls `create_all`). The enclosing function is read with tree-sitter (parsed only
for files where a pattern already matched); the start-up file is then searched for a call of that
function that names its module or class, in code, outside import lines and outside one-off commands.
"""

from __future__ import annotations

import bisect
import itertools
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import tree_sitter_c_sharp
import tree_sitter_go
import tree_sitter_java
import tree_sitter_javascript
import tree_sitter_php
import tree_sitter_python
import tree_sitter_ruby
import tree_sitter_rust
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser

from ..context import Context
from ..tree import File

MAX_PARSE_BYTES = 400_000  # larger files are not parsed: the nearest definition above is taken instead
MAX_REFERENCES = 50  # occurrences of a name looked at in one caller (hostile input can repeat it at will)
_GRAMMARS: dict[str, Callable[[], object]] = {
    ".py": tree_sitter_python.language,
    ".js": tree_sitter_javascript.language,
    ".mjs": tree_sitter_javascript.language,
    ".cjs": tree_sitter_javascript.language,
    ".jsx": tree_sitter_javascript.language,
    ".ts": tree_sitter_typescript.language_typescript,
    ".mts": tree_sitter_typescript.language_typescript,
    ".cts": tree_sitter_typescript.language_typescript,
    ".tsx": tree_sitter_typescript.language_tsx,
    ".go": tree_sitter_go.language,
    ".rb": tree_sitter_ruby.language,
    ".java": tree_sitter_java.language,
    ".php": tree_sitter_php.language_php,
    ".rs": tree_sitter_rust.language,
    ".cs": tree_sitter_c_sharp.language,
}
_FUNCTIONS = {
    "function_definition",
    "function_declaration",
    "generator_function_declaration",
    "method_definition",
    "method_declaration",
    "constructor_declaration",
    "local_function_statement",
    "function_item",
    "method",
    "singleton_method",
    "arrow_function",
    "function_expression",
    "function",
    "lambda_expression",
}
_CLASSES = {
    "class_definition",
    "class_declaration",
    "class",
    "module",
    "record_declaration",
    "impl_item",
    "struct_declaration",
    "object_declaration",
}
# Where an anonymous function gets its name: `const initDb = async () => …`, `{ boot: () => … }`.
_NAMING_PARENTS = {
    "variable_declarator": "name",
    "pair": "key",
    "assignment_expression": "left",
    "public_field_definition": "name",
    "field_definition": "property",
}
# Decorators and annotations that make a function a one-off command, not start-up code.
ONE_OFF_DECORATOR = re.compile(
    r"\.command\b|\bcommand\(|\bcli\.|\bclick\.|\bmanager\.|\btask\b|\bShellMethod\b|\bCommand\b"
)
# Decorators and annotations that run a function when the server starts.
BOOT_DECORATOR = re.compile(
    r"on_event\(\s*['\"]startup|before_(?:first_)?request|before_serving|\bPostConstruct\b|ApplicationReadyEvent|"
    r"ContextRefreshedEvent|\bStartup\b|StartupEvent|\bon_startup\b"
)
_FRAMEWORK_FALLBACK = re.compile(  # Kotlin, Groovy, Scala, F#: no grammar here, the nearest definition above
    r"^[ \t]*(?:(?:public|private|protected|internal|override|suspend|static|async|open|inline|pub)\s+)*"
    r"(?:fun|def|function|fn|func|sub|let)\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)",
    re.M,
)


@dataclass(frozen=True)
class Enclosing:
    function: str | None  # None at module level
    owner: str | None  # the outermost class, module or impl
    decorators: str  # decorator and annotation text of the enclosing functions, joined


@cache
def _parser(ext: str) -> Parser | None:
    grammar = _GRAMMARS.get(ext)
    return Parser(Language(grammar())) if grammar else None


_parsed: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _syntax_tree(f: File) -> tuple[Node, bytes] | None:
    """The file's syntax tree (parsed once while the file lives), None without a grammar or past the size cap."""
    if f not in _parsed:
        parser = _parser(f.ext)
        data = f.text.encode("utf-8", "surrogatepass")
        _parsed[f] = None if parser is None or len(data) > MAX_PARSE_BYTES else (parser.parse(data).root_node, data)
    return _parsed[f]


def enclosing(f: File, offset: int) -> Enclosing:
    """The named function (and class) around a character offset of a file."""
    parsed = _syntax_tree(f)
    if parsed is None:
        return _enclosing_by_pattern(f, offset)
    root, data = parsed
    at = len(f.text[:offset].encode("utf-8", "surrogatepass"))
    node: Node | None = root.descendant_for_byte_range(at, at)
    function = owner = None
    decorators: list[str] = []
    while node is not None:
        if node.type in _FUNCTIONS:
            name = _name_of(node)
            decorators.append(_decorations(node, data))
            if function is None and name:
                function = name
        elif node.type in _CLASSES:
            owner = _text(node.child_by_field_name("name") or node.child_by_field_name("type"), data) or owner
        node = node.parent
    return Enclosing(function, owner, " ".join(d for d in decorators if d))


def _name_of(node: Node) -> str | None:
    name = node.child_by_field_name("name")
    if name is None and node.parent is not None and node.parent.type in _NAMING_PARENTS:
        name = node.parent.child_by_field_name(_NAMING_PARENTS[node.parent.type])
        if name is not None and name.type == "member_expression":  # module.exports.init = () => …
            name = name.child_by_field_name("property")
    return name.text.decode("utf-8", "replace") if name is not None and name.text else None


def _decorations(node: Node, data: bytes) -> str:
    """Python decorators, and Java/C#/PHP attributes written on the function."""
    parts = []
    if node.parent is not None and node.parent.type == "decorated_definition":
        parts += [_text(c, data) for c in node.parent.children if c.type == "decorator"]
    for child in node.children:
        if child.type in ("modifiers", "attribute_list", "attribute_group"):
            parts.append(_text(child, data))
    return " ".join(parts)


def _text(node: Node | None, data: bytes) -> str:
    return data[node.start_byte : node.end_byte].decode("utf-8", "replace") if node is not None else ""


_definitions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _enclosing_by_pattern(f: File, offset: int) -> Enclosing:
    """The nearest definition above (files with no grammar here, or past the parse cap), with the
    decorator and annotation lines written right above it."""
    found = _definitions.get(f)
    if found is None:
        found = _definitions[f] = [(m.start(), m.group(1)) for m in _FRAMEWORK_FALLBACK.finditer(f.text)]
    i = bisect.bisect_right(found, (offset, "\uffff")) - 1
    if i < 0:
        return Enclosing(None, None, "")
    start, name = found[i]
    above = f.text[max(0, start - 2000) : start]
    decorators = []
    for line in reversed(above.splitlines()):
        if not line.strip().startswith("@"):
            break
        decorators.append(line.strip())
    return Enclosing(name, None, " ".join(decorators))


_IMPORT_LINE = re.compile(r"^\s*(?:from|import|export|using|use|require|require_relative|load)\b|\brequire\s*\(")
_MODULE_STEMS = {"index", "__init__", "mod", "main", "lib"}


def owner_tokens(f: File, found: Enclosing) -> set[str]:
    """Names a caller in another file uses to reach this file's code: its module, package or class."""
    stem = f.name.split(".", 1)[0]
    folder = f.dir.rsplit("/", 1)[-1] if f.dir else ""
    tokens = {stem} if stem not in _MODULE_STEMS else set()
    if folder and (stem in _MODULE_STEMS or f.language == "go"):
        tokens.add(folder)  # require('./db') for db/index.js; db.Init() for package db
    if found.owner:
        tokens.add(found.owner)
    return {t for t in tokens if len(t) >= 2}


@dataclass(frozen=True)
class Call:
    file: File
    line: int


def call_from(ctx: Context, callers: list[File], target: File, found: Enclosing) -> Call | None:
    """A call of the function around `found` from one of `callers` (start-up files).

    The caller must name the function in code, outside an import line and outside a one-off
    command, and name the target's module or class (anywhere: an import counts), unless both are
    Go files of one package (a package's functions are called by their bare name).
    """
    tokens = owner_tokens(target, found)
    if found.function is None:
        return _imported_by(ctx, callers, target, tokens)
    name = re.compile(rf"(?<![\w$]){re.escape(found.function)}(?![\w$])")
    for caller in callers:
        if caller is target or found.function not in caller.text:
            continue
        same_package = caller.language == "go" and caller.dir == target.dir
        if not same_package and not any(re.search(rf"\b{re.escape(t)}\b", caller.text) for t in tokens):
            continue
        for m in itertools.islice(name.finditer(caller.text), MAX_REFERENCES):
            line = caller.line_of(m.start())
            if _IMPORT_LINE.search(caller.line_text(line)) or ctx.mask(caller).kind_at(m.start()) != "code":
                continue
            around = enclosing(caller, m.start())
            if around.function == found.function and caller.dir == target.dir:
                continue  # its own definition in a sibling file
            if ONE_OFF_DECORATOR.search(around.decorators):
                continue
            return Call(caller, line)
    return None


def _imported_by(ctx: Context, callers: list[File], target: File, tokens: set[str]) -> Call | None:
    """Module-level code runs when a start-up file imports (requires) its module."""
    for caller in callers:
        if caller is target:
            continue
        for token in tokens:
            for m in itertools.islice(re.finditer(rf"\b{re.escape(token)}\b", caller.text), MAX_REFERENCES):
                line = caller.line_of(m.start())
                if _IMPORT_LINE.search(caller.line_text(line)):
                    return Call(caller, line)
    return None
