"""Ecosystems present in a context: their source files, manifests, lock files and declared dependencies."""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from dataclasses import dataclass, field

from ..context import Context
from ..tree import File


@dataclass(frozen=True)
class Ecosystem:
    name: str
    languages: tuple[str, ...]
    manifests: re.Pattern  # matched against file names
    locks: re.Pattern


ECOSYSTEMS = (
    Ecosystem(
        "python",
        ("python",),
        re.compile(r"^(requirements[\w.\-]*\.(txt|in)|pyproject\.toml|pipfile|setup\.py|setup\.cfg|environment\.ya?ml)$"),
        re.compile(r"^(poetry\.lock|uv\.lock|pipfile\.lock|pdm\.lock|requirements[\w.\-]*\.lock(\.txt)?|conda-lock\.ya?ml)$"),
    ),
    Ecosystem(
        "node",
        ("javascript",),
        # import maps (Symfony AssetMapper's importmap.php, importmap-rails' config/importmap.rb) pin
        # each browser package to one version: a manifest and a lock in one file
        re.compile(r"^(package\.json|importmap\.php|importmap\.rb)$"),
        re.compile(r"^(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|importmap\.php|importmap\.rb)$"),
    ),
    Ecosystem("go", ("go",), re.compile(r"^go\.mod$"), re.compile(r"^go\.sum$")),
    Ecosystem("ruby", ("ruby",), re.compile(r"^(gemfile|.+\.gemspec)$"), re.compile(r"^gemfile\.lock$")),
    Ecosystem(
        "java",
        ("java",),
        re.compile(r"^(pom\.xml|build\.gradle(\.kts)?|settings\.gradle(\.kts)?|build\.sbt)$"),
        re.compile(r"^(gradle\.lockfile|.+\.lockfile|maven-dependency-lock\.json|buildscript-gradle\.lockfile)$"),
    ),
    Ecosystem("php", ("php",), re.compile(r"^composer\.json$"), re.compile(r"^composer\.lock$")),
    Ecosystem("rust", ("rust",), re.compile(r"^cargo\.toml$"), re.compile(r"^cargo\.lock$")),
    Ecosystem(
        "dotnet",
        ("dotnet",),
        re.compile(r"^(.+\.(csproj|fsproj|vbproj)|directory\.packages\.props|packages\.config)$"),
        re.compile(r"^packages\.lock\.json$"),
    ),
)

_REQ_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._\-]*)(\[[^\]]*\])?\s*(.*)$")
_GEM = re.compile(r"""^\s*gem\s+['"]([^'"]+)['"]""", re.M)
_GO_REQ = re.compile(r"^\s*(?:require\s+)?([a-z0-9.\-]+\.[a-z]{2,}/[^\s]+)\s+v[0-9]", re.M)
_XML_ARTIFACT = re.compile(r"<artifactId>\s*([^<\s]+)\s*</artifactId>")
_GRADLE_DEP = re.compile(r"""['"]([\w.\-]+):([\w.\-]+)(?::[^'"]*)?['"]""")
_CSPROJ = re.compile(r"""<PackageReference\s+Include\s*=\s*["']([^"']+)""", re.I)
_SETUP_REQ = re.compile(r"""['"]([A-Za-z0-9][A-Za-z0-9._\-]*)\s*(?:[<>=!~;\[][^'"]*)?['"]""")


@dataclass
class EcosystemFacts:
    name: str
    sources: list[File] = field(default_factory=list)  # application source files (not tests/docs/vendor)
    manifests: list[File] = field(default_factory=list)
    locks: list[File] = field(default_factory=list)
    dependencies: set[str] = field(default_factory=set)  # lowercase names
    unpinned: list[tuple[File, int, str]] = field(default_factory=list)  # (manifest, line, requirement)
    entry_points: list[str] = field(default_factory=list)  # console scripts / bins
    library_metadata: bool = False  # packaging metadata for publishing (name + version, setup.py …)


def ecosystems(ctx: Context) -> dict[str, EcosystemFacts]:
    """Every ecosystem with source files or a manifest in the context."""
    out: dict[str, EcosystemFacts] = {}
    for eco in ECOSYSTEMS:
        facts = EcosystemFacts(eco.name)
        facts.sources = [f for f in ctx.source(*eco.languages) if f.role is None]
        for f in ctx.files:
            if f.role in ("vendor", "example", "doc"):
                continue
            name = f.name.lower()
            if eco.manifests.match(name):
                facts.manifests.append(f)
                _parse_manifest(eco.name, f, facts)
                if eco.name == "python" and name.startswith("requirements"):
                    _requirement_includes(ctx, f, facts)
            elif eco.locks.match(name):
                facts.locks.append(f)
        if facts.sources or facts.manifests:
            out[eco.name] = facts
    return out


def all_dependencies(ctx: Context) -> set[str]:
    return {d for e in ctx.fact(ecosystems).values() for d in e.dependencies}


def _parse_manifest(eco: str, f: File, facts: EcosystemFacts) -> None:
    name = f.name.lower()
    try:
        if eco == "python":
            _python(name, f, facts)
        elif eco == "node":
            _node(f, facts)
        elif eco == "go":
            facts.dependencies.update(m.group(1).lower() for m in _GO_REQ.finditer(f.text))
        elif eco == "ruby":
            facts.dependencies.update(m.group(1).lower() for m in _GEM.finditer(f.text))
            facts.library_metadata |= name.endswith(".gemspec")
        elif eco == "java":
            facts.dependencies.update(m.group(1).lower() for m in _XML_ARTIFACT.finditer(f.text))
            facts.dependencies.update(m.group(2).lower() for m in _GRADLE_DEP.finditer(f.text))
        elif eco == "php":
            data = json.loads(f.text)
            facts.dependencies.update(k.lower() for k in (data.get("require") or {}))
            facts.library_metadata |= data.get("type") == "library"
        elif eco == "rust":
            _cargo(f, facts)
        elif eco == "dotnet":
            facts.dependencies.update(m.group(1).lower() for m in _CSPROJ.finditer(f.text))
            if "Microsoft.NET.Sdk.Web" in f.text:
                facts.dependencies.add("microsoft.aspnetcore")
    except (ValueError, TypeError, AttributeError, tomllib.TOMLDecodeError):
        pass  # a malformed manifest still counts as a manifest; its dependencies are unknown


_INCLUDE = re.compile(r"^\s*(?:-r|--requirement)[\s=]+(\S+)", re.M)
MAX_INCLUDES = 20


def _requirement_includes(ctx: Context, f: File, facts: EcosystemFacts) -> None:
    """`-r requirements/production.txt`: the included files are manifests too (within the tree)."""
    seen, queue = {f.path}, [f]
    while queue and len(seen) <= MAX_INCLUDES:
        current = queue.pop()
        for m in _INCLUDE.finditer(current.text):
            target = posixpath.normpath(posixpath.join(current.dir, m.group(1)))
            included = ctx.tree.get(target)
            if included is None or included.path in seen:
                continue  # outside the tree, missing, or already read
            seen.add(included.path)
            if included not in facts.manifests:
                facts.manifests.append(included)
                _python("requirements.txt", included, facts)
            queue.append(included)


def _python(name: str, f: File, facts: EcosystemFacts) -> None:
    if name.startswith("requirements"):
        for i, line in enumerate(f.lines, 1):
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith(("#", "-", "git+", "http")):
                continue
            m = _REQ_LINE.match(line)
            if m:
                facts.dependencies.add(m.group(1).lower().replace("_", "-"))
                if "==" not in m.group(3) and "@" not in m.group(3):
                    facts.unpinned.append((f, i, line))
    elif name == "pyproject.toml":
        data = tomllib.loads(f.text)
        project = data.get("project") or {}
        poetry = (data.get("tool") or {}).get("poetry") or {}
        deps = list(project.get("dependencies") or [])
        for extra in (project.get("optional-dependencies") or {}).values():
            deps.extend(extra)
        for d in deps:
            m = _REQ_LINE.match(d)
            if m:
                facts.dependencies.add(m.group(1).lower().replace("_", "-"))
        facts.dependencies.update(k.lower() for k in (poetry.get("dependencies") or {}) if k != "python")
        facts.entry_points.extend((project.get("scripts") or {}).keys())
        facts.entry_points.extend((poetry.get("scripts") or {}).keys())
        facts.library_metadata |= bool((project.get("name") or poetry.get("name")) and "build-system" in data)
    elif name == "pipfile":
        data = tomllib.loads(f.text)
        for section in ("packages", "dev-packages"):
            facts.dependencies.update(k.lower() for k in (data.get(section) or {}))
    elif name in ("setup.py", "setup.cfg"):
        facts.library_metadata = True
        block = f.text.split("install_requires", 1)[1][:4000] if "install_requires" in f.text else ""
        facts.dependencies.update(m.group(1).lower() for m in _SETUP_REQ.finditer(block.split("]", 1)[0]))
        if "console_scripts" in f.text or "entry_points" in f.text:
            facts.entry_points.append("console_scripts")


_IMPORTMAP_PHP = re.compile(r"""['"]([@\w./\-]+)['"]\s*=>\s*\[\s*['"]version['"]\s*=>""")
_IMPORTMAP_RB = re.compile(r"""^\s*pin\s+['"]([@\w./\-]+)['"]""", re.M)


def _node(f: File, facts: EcosystemFacts) -> None:
    if f.name.lower() in ("importmap.php", "importmap.rb"):
        pattern = _IMPORTMAP_PHP if f.name.lower().endswith(".php") else _IMPORTMAP_RB
        facts.dependencies.update(m.group(1).lower() for m in pattern.finditer(f.text))
        return
    data = json.loads(f.text)
    if not isinstance(data, dict):
        return
    for section in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        deps = data.get(section)
        if isinstance(deps, dict):
            facts.dependencies.update(k.lower() for k in deps)
    binaries = data.get("bin")
    if isinstance(binaries, dict):
        facts.entry_points.extend(binaries)
    elif isinstance(binaries, str):
        facts.entry_points.append(data.get("name") or "bin")
    if not data.get("private") and (data.get("main") or data.get("exports") or data.get("module")):
        facts.library_metadata = True


def _cargo(f: File, facts: EcosystemFacts) -> None:
    data = tomllib.loads(f.text)
    for section in ("dependencies", "dev-dependencies", "build-dependencies"):
        facts.dependencies.update(k.lower() for k in (data.get(section) or {}))
    for b in data.get("bin") or []:
        facts.entry_points.append(b.get("name", "bin"))
    if "lib" in data:
        facts.library_metadata = True
