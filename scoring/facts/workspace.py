"""The local libraries each deployable of a monorepo uses: folders of the same repository that its
manifests reference by relative path or by a workspace package name, followed transitively.

A monorepo's shared code (eShopOnWeb's src/ApplicationCore and src/Infrastructure, a pnpm workspace's
packages/db, a Cargo workspace's crates/core) runs inside the deployables that reference it, so its
findings belong to them: a migration called from src/Web/Program.cs into src/Infrastructure, a
secret in src/ApplicationCore used to sign src/PublicApi's tokens. Only manifests are read, with
the literal checks below; nothing is resolved outside the tree.
"""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from collections.abc import Iterable

from ..tree import File, Tree

# Manifests that can reference a sibling folder, and the way they do it.
_MANIFEST = re.compile(
    r"^(package\.json|pyproject\.toml|requirements[\w.\-]*\.(?:txt|in)|pipfile|cargo\.toml|go\.mod|go\.work|composer\.json|"
    r"gemfile|.+\.gemspec|setup\.py|setup\.cfg|pom\.xml|build\.gradle(?:\.kts)?|settings\.gradle(?:\.kts)?|.+\.(?:csproj|fsproj|vbproj))$",
    re.I,
)
# A relative path as a manifest writes it: ..\ApplicationCore\ApplicationCore.csproj, file:../lib,
# path = "../core", replace example.com/x => ../x, -e ../shared, path: '../gem'.
_REL_PATH = re.compile(r"""(?:^|[\s"'=:(>])((?:\.\.?[\\/])+[\w.\-@]+(?:[\\/][\w.\-@]+)*)""", re.M)
_GRADLE_PROJECT = re.compile(r"""\bproject\s*\(\s*(?:path\s*[:=]\s*)?['"](:[\w.\-:]+)['"]""")
_POM_ARTIFACT = re.compile(r"<artifactId>\s*([\w.\-]+)\s*</artifactId>")
_POM_PARENT = re.compile(r"<parent>.*?</parent>", re.S)
_GO_MODULE = re.compile(r"^module\s+(\S+)", re.M)
_GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?(\S+)\s+v\d", re.M)
MAX_MANIFESTS = 2000  # a pathological tree must not make the classification slow


def used_folders(tree: Tree, deployables: list[str]) -> dict[str, tuple[str, ...]]:
    """For each deployable folder, the library folders it uses (transitively), outside every deployable."""
    manifests = [f for f in tree.files if _MANIFEST.match(f.name) and f.role is None][:MAX_MANIFESTS]
    by_dir: dict[str, list[File]] = {}
    for f in manifests:
        by_dir.setdefault(f.dir, []).append(f)
    names = _local_names(manifests)
    roots = [d.rstrip("/") + "/" for d in deployables if d != "."]

    def outside(folder: str) -> bool:
        return folder != "" and not (folder + "/").startswith(tuple(roots)) and folder in by_dir

    def direct(folder: str) -> set[str]:
        out: set[str] = set()
        for f in _manifests_of(by_dir, folder):
            out |= _references(f, names, by_dir)
        return {d for d in out if outside(d)}

    result = {}
    for deployable in deployables:
        if deployable == ".":
            result[deployable] = ()  # the root deployable already holds everything outside the others
            continue
        seen: set[str] = set()
        queue = sorted(direct(deployable))
        while queue:
            folder = queue.pop()
            if folder in seen:
                continue
            seen.add(folder)
            queue.extend(sorted(direct(folder) - seen))
        result[deployable] = tuple(sorted(seen))
    return result


def _manifests_of(by_dir: dict[str, list[File]], folder: str) -> Iterable[File]:
    """The folder's own manifests (and those one level down: a .NET project in src/Web/Web/)."""
    yield from by_dir.get(folder, [])
    prefix = folder + "/"
    for d, files in by_dir.items():
        if d.startswith(prefix) and "/" not in d[len(prefix) :]:
            yield from files


def _references(f: File, names: dict[str, str], by_dir: dict[str, list[File]]) -> set[str]:
    out: set[str] = set()
    text = f.text[:200_000]
    for m in _REL_PATH.finditer(text):
        target = posixpath.normpath(posixpath.join(f.dir, m.group(1).replace("\\", "/")))
        if target.startswith("..") or target == ".":
            continue
        # a referenced project file (..\Core\Core.csproj) stands for its folder
        out.add(posixpath.dirname(target) if _MANIFEST.match(posixpath.basename(target)) else target)
    for m in _GRADLE_PROJECT.finditer(text):
        out.add(m.group(1).strip(":").replace(":", "/"))
    for dep in _dependency_names(f):
        if dep in names and names[dep] != f.dir:
            out.add(names[dep])
    return {d for d in out if d in by_dir}


def _dependency_names(f: File) -> set[str]:
    """Names a manifest depends on that a workspace package could carry (lower-cased)."""
    name = f.name.lower()
    try:
        if name == "package.json":
            data = json.loads(f.text)
            if not isinstance(data, dict):
                return set()
            return {
                k.lower()
                for s in ("dependencies", "devDependencies", "peerDependencies")
                if isinstance(data.get(s), dict)
                for k in data[s]
            }
        if name in ("pyproject.toml", "cargo.toml"):
            data = tomllib.loads(f.text)
            tool = data.get("tool") or {}
            deps = set((data.get("dependencies") or {}) if name == "cargo.toml" else ())
            deps |= set((tool.get("uv") or {}).get("sources") or {})
            deps |= set((tool.get("poetry") or {}).get("dependencies") or {})
            for d in (data.get("project") or {}).get("dependencies") or []:
                deps.add(re.split(r"[\s\[<>=!~;@]", d, maxsplit=1)[0])
            return {d.lower().replace("_", "-") for d in deps}
        if name == "composer.json":
            data = json.loads(f.text)
            return {k.lower() for k in (data.get("require") or {})} if isinstance(data, dict) else set()
        if name == "pom.xml":
            return {m.group(1).lower() for m in _POM_ARTIFACT.finditer(_POM_PARENT.sub("", f.text))}
        if name == "go.mod":
            return {m.group(1).lower() for m in _GO_REQUIRE.finditer(f.text)}
    except (ValueError, TypeError, AttributeError, tomllib.TOMLDecodeError):
        pass
    return set()


def _local_names(manifests: list[File]) -> dict[str, str]:
    """Package name -> folder for every manifest of the tree that names its package."""
    out: dict[str, str] = {}
    for f in manifests:
        name = f.name.lower()
        try:
            if name in ("package.json", "composer.json"):
                data = json.loads(f.text)
                own = data.get("name") if isinstance(data, dict) else None
            elif name in ("pyproject.toml", "cargo.toml"):
                data = tomllib.loads(f.text)
                own = (data.get("project") or data.get("package") or {}).get("name") or (
                    (data.get("tool") or {}).get("poetry") or {}
                ).get("name")
            elif name == "pom.xml":
                m = _POM_ARTIFACT.search(_POM_PARENT.sub("", f.text, count=1))
                own = m.group(1) if m else None
            elif name == "go.mod":
                m = _GO_MODULE.search(f.text)
                own = m.group(1) if m else None
            else:
                own = None
        except (ValueError, TypeError, AttributeError, tomllib.TOMLDecodeError):
            own = None
        if isinstance(own, str) and own and f.dir:
            out.setdefault(own.lower().replace("_", "-") if name != "go.mod" else own.lower(), f.dir)
    return out
