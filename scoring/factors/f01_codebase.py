"""I. Codebase — one codebase tracked in revision control, many deploys."""

from __future__ import annotations

import difflib
import hashlib
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator

from ..context import Context, Raw, found
from ..facts.ci import ci_files
from ..facts.gitinfo import git_info
from ..facts.gitrefs import branch_heads
from ..facts.kind import classify
from ..model import Kind, Severity
from ..registry import check
from ..tree import File

FACTOR = 1

ENVIRONMENTS = {"prod", "production", "staging", "stage", "stg", "preprod", "pre-prod", "preproduction", "uat", "qa", "live"}
_ENV_DIRS = ENVIRONMENTS | {"dev", "development"}
_CODE_LANGUAGES = {"python", "javascript", "go", "ruby", "java", "php", "rust", "dotnet"}
# Per-environment settings modules are factor III's concern (config bundles), not copies of the app.
_CONFIG_NAME = re.compile(r"settings|config|conf\b|env|constants", re.I)
_MIN_COPY_LINES = 10
_SIMILAR = 0.8
_MAX_COMPARISONS = 300
_MAX_COMPARE_CHARS = 200_000

_RELATIVE_IMPORT = {
    "javascript": re.compile(
        r"(?:\bfrom[ \t]+|\brequire[ \t]*\([ \t]*|\bimport[ \t]*\([ \t]*|\bimport[ \t]+)['\"`](?P<spec>\.\.?/[^'\"`\n]{1,300})['\"`]"
    ),
    "ruby": re.compile(r"\brequire_relative\s*\(?\s*['\"](?P<spec>[^'\"\n]{1,300})['\"]"),
    "php": re.compile(r"\b(?:require|include)(?:_once)?\s*\(?\s*__DIR__\s*\.\s*['\"]/(?P<spec>\.\.[^'\"\n]{0,300})['\"]"),
}
_CSPROJ_LINKED_SOURCE = re.compile(r"<Compile\s+Include\s*=\s*\"(?P<spec>\.\.[\\/][^\"\n]{1,300})\"")
_SYS_PATH = re.compile(r"\bsys\.path\.(?:append|insert)\s*\((?P<args>[^\n]{0,300})")
_WORD_LITERAL = re.compile(r"['\"]([\w\-]+)['\"]")
_SHARED_FOLDERS = {"shared", "common", "commons", "lib", "libs", "util", "utils"}


@check(
    "codebase.revision-control",
    factor=FACTOR,
    title="The code is tracked in revision control",
    remediation="Track the app in one git repository; deploy every environment from it.",
    repository_wide=True,
)
def revision_control(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: a git repository, and in a monorepo one manifest and build per deployable.

    One codebase per app, tracked in revision control, is the root of the other factors: every
    deploy is a build of a commit of it.
    """
    if ctx.tree.has_git_dir:
        yield found(Severity.INFO, "The code is tracked in a git repository.")
    verdict = ctx.fact(classify)
    if verdict.kind is Kind.MONOREPO:
        names = ", ".join(d.path for d in verdict.deployables[:6])
        yield found(Severity.INFO, f"Each deployable has its own manifest and build: {names}.")


@check(
    "codebase.environment-branches",
    factor=FACTOR,
    title="Branches are named for environments",
    remediation="Deploy every environment from the same branch (tagged releases); keep per-environment differences in config.",
    repository_wide=True,
)
def environment_branches(ctx: Context) -> Iterator[Raw]:
    """Branches named for environments (`prod`, `production`, `staging` …) that diverge from the mainline.

    A branch per environment means each environment runs different code: fixes must be merged in
    several places and what was tested is not what runs. One codebase, many deploys: promote the
    same build (a tag or commit) through environments and let config tell them apart. A branch
    that points at the same commit as another branch (a deploy marker) is not reported.
    """
    names = git_info(ctx.tree.root).branches
    env_names = [n for n in names if n.rsplit("/", 1)[-1].lower() in ENVIRONMENTS]
    if not env_names or len(names) < 2:
        return
    heads = branch_heads(ctx.tree.root)
    others = {heads.get(n) for n in names if n not in env_names} - {None}
    ci_text = "\n".join(f.text for f in ctx.fact(ci_files))
    for name in env_names:
        if heads.get(name) and heads.get(name) in others:
            continue
        if ci_text and not re.search(r"(?<![\w/\-])" + re.escape(name) + r"(?![\w\-])", ci_text):
            # CI builds and deploys other branches only: a leftover branch, not how environments are fed
            yield found(Severity.LOW, f"The branch '{name}' is named for an environment, though no CI job builds it.",
                        snippet=name)
            continue
        yield found(Severity.MEDIUM, f"The branch '{name}' is named for an environment and diverges from the mainline.",
                    snippet=name)


@check(
    "codebase.copied-app-per-environment",
    factor=FACTOR,
    title="The app is copied once per environment",
    remediation="Keep one copy of the code; express environment differences as config (environment variables).",
    repository_wide=True,
)
def copied_app_per_environment(ctx: Context) -> Iterator[Raw]:
    """Near-identical copies of the same source files under per-environment folders.

    `deploy/prod/app.py` next to `deploy/staging/app.py` with almost the same code is several
    codebases in one repository: they drift apart, and a fix reaches one environment only.
    Settings modules are left to the config factor.
    """
    groups: dict[tuple[str, str], dict[str, File]] = defaultdict(dict)
    for f in ctx.files:
        if f.role is None and f.language in _CODE_LANGUAGES and not _CONFIG_NAME.search(f.name):
            parts = f.path.split("/")
            for i, part in enumerate(parts[:-1]):
                if part.lower() in _ENV_DIRS:
                    groups[("/".join(parts[:i]), "/".join(parts[i + 1 :]))][part] = f
                    break
    copies: dict[str, list[tuple[str, File, File]]] = defaultdict(list)
    budget = _MAX_COMPARISONS
    for (prefix, rest), by_env in sorted(groups.items()):
        envs = sorted(by_env)
        for other in envs[1:]:
            if budget <= 0:
                break
            budget -= 1
            a, b = by_env[envs[0]], by_env[other]
            if _near_identical(a, b):
                copies[prefix].append((rest, a, b))
    for pairs in copies.values():
        rest, a, b = pairs[0]
        more = f" ({len(pairs)} files in all)" if len(pairs) > 1 else ""
        yield found(Severity.HIGH, f"{a.path} and {b.path} are near-identical copies of the app per environment{more}.",
                    a.path, 1, a.line_text(1))


def _near_identical(a: File, b: File) -> bool:
    if len(a.lines) < _MIN_COPY_LINES or len(b.lines) < _MIN_COPY_LINES:
        return False
    if a.text == b.text:
        return True
    if max(len(a.text), len(b.text)) > _MAX_COMPARE_CHARS:
        return False
    matcher = difflib.SequenceMatcher(None, a.lines, b.lines, autojunk=False)
    return matcher.real_quick_ratio() >= _SIMILAR and matcher.quick_ratio() >= _SIMILAR and matcher.ratio() >= _SIMILAR


@check(
    "codebase.shared-code-by-path",
    factor=FACTOR,
    title="Code is shared with another app by relative path",
    remediation="Move shared code into a library with its own manifest and version, and declare it as a dependency.",
)
def shared_code_by_path(ctx: Context) -> Iterator[Raw]:
    """Imports that reach out of the app's folder into another app or outside the repository.

    In a monorepo each deployable is its own codebase; `require('../../shared/x')`,
    `require_relative '../../common/x'`, `sys.path.append('../shared')` or a `.csproj` linking
    source files from a sibling tie apps together without a declared, versioned dependency. Only
    paths that leave the deployable (or the repository) are reported.
    """
    scope = "" if ctx.scope in ("", ".") else ctx.scope.rstrip("/") + "/"
    if ctx.scope == "" and ctx.kind is not Kind.MONOREPO:
        own = [f for f in ctx.files if f.role is None]
    else:
        own = [f for f in ctx.files if f.role is None and f.path.startswith(scope)]
    for language, pattern in _RELATIVE_IMPORT.items():
        for hit in ctx.grep(pattern, [f for f in own if f.language == language], where="code"):
            target = posixpath.normpath(posixpath.join(hit.file.dir, hit.match.group("spec")))
            if _leaves(ctx, scope, target):
                yield hit.found(Severity.MEDIUM, f"{hit.path} imports {hit.match.group('spec')} from outside its app.")
    for hit in ctx.grep(_CSPROJ_LINKED_SOURCE, [f for f in own if f.ext in (".csproj", ".fsproj", ".vbproj")], where="any"):
        target = posixpath.normpath(posixpath.join(hit.file.dir, hit.match.group("spec").replace("\\", "/")))
        if _leaves(ctx, scope, target):
            yield hit.found(Severity.MEDIUM, f"{hit.path} compiles source files from outside its project.")
    yield from _sys_path_reaches(ctx, scope, [f for f in own if f.language == "python"])


def _leaves(ctx: Context, scope: str, target: str) -> bool:
    if target == ".." or target.startswith("../"):
        return True  # outside the repository
    if scope:
        return not target.startswith(scope)
    return any(target == d or target.startswith(d + "/") for d in ctx.fact(_other_deployables))


def _other_deployables(ctx: Context) -> list[str]:
    """In a monorepo's root deployable, the folders of the other deployables."""
    if ctx.scope != ".":
        return []
    return [d.path for d in classify(Context(ctx.tree)).deployables if d.path != "."]


def _sys_path_reaches(ctx: Context, scope: str, files: list[File]) -> Iterator[Raw]:
    if scope:
        outside = {d.rsplit("/", 1)[-1] for d in ctx.tree.dirs if not (d + "/").startswith(scope)}
    else:
        others = tuple(d + "/" for d in ctx.fact(_other_deployables))
        outside = {d.rsplit("/", 1)[-1] for d in ctx.tree.dirs if others and (d + "/").startswith(others)}
    for hit in ctx.grep(_SYS_PATH, files, where="code"):
        args = hit.match.group("args")
        if ".." in args and any(w in outside and w in _SHARED_FOLDERS for w in _WORD_LITERAL.findall(args)):
            yield hit.found(Severity.MEDIUM, f"{hit.path} puts a folder of another app on sys.path.")


@check(
    "codebase.copied-shared-folder",
    factor=FACTOR,
    title="A shared folder is copied into several apps",
    remediation="Publish the shared code as a library (or a workspace package) with its own manifest and depend on it.",
    repository_wide=True,
)
def copied_shared_folder(ctx: Context) -> Iterator[Raw]:
    """The same `shared/` or `common/` files copied into several deployables of a monorepo.

    Copies drift: a fix lands in one app and not the others. Shared code belongs in a library
    with its own manifest, declared as a dependency by each app.
    """
    deployables = [d.path for d in ctx.fact(classify).deployables if d.path != "."]
    if len(deployables) < 2:
        return
    groups: dict[tuple[str, str], dict[str, File]] = defaultdict(dict)
    for f in ctx.files:
        owner = next((d for d in deployables if f.path.startswith(d + "/")), None)
        if owner is None or f.role is not None or f.language not in _CODE_LANGUAGES:
            continue
        parts = f.path[len(owner) + 1 :].split("/")
        i = next((i for i, p in enumerate(parts[:-1]) if p.lower() in _SHARED_FOLDERS), None)
        if i is not None and sum(1 for line in f.lines if line.strip()) >= 5:
            digest = hashlib.sha256(f.text.encode()).hexdigest()
            groups[("/".join(parts[i:]), digest)][owner] = f
    pairs: dict[tuple[str, ...], list[File]] = defaultdict(list)
    for by_owner in groups.values():
        if len(by_owner) >= 2:
            pairs[tuple(sorted(by_owner))].append(next(iter(by_owner.values())))
    for owners, files in pairs.items():
        first = files[0]
        yield found(Severity.MEDIUM, f"{len(files)} shared file(s) are copied into {', '.join(owners)} instead of a declared library.",
                    first.path, 1, first.line_text(1))
