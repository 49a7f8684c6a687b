"""What goes into an image and what is laid over it at run time.

* `env_copied_into_image`: a Dockerfile that copies its whole build context (`COPY . .`) where a
  `.env` is (committed) or is expected to be (the app reads one: `.env.example`, a dotenv library,
  `.env` in .gitignore) and no .dockerignore keeps it out.
* `source_mounts`: compose services of the app that bind-mount the source folder over the image in
  files used for production (a prod-named compose file, or the base file a prod overlay extends).
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass

import pathspec

from ..context import Context
from ..tree import File
from .compose import compose_files
from .dockerfile import Dockerfile
from .manifests import all_dependencies
from .yamlfiles import load_all

_ENV_TEMPLATES = (
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    ".env.defaults",
    "env.example",
    ".env.local.example",
)
# Libraries that load a .env file from the working directory into the environment.
DOTENV_LIBRARIES = {
    "python-dotenv",
    "django-environ",
    "environs",
    "python-decouple",
    "dotenv",
    "dotenv-flow",
    "@nestjs/config",
    "github.com/joho/godotenv",
    "dotenv-rails",
    "vlucas/phpdotenv",
    "symfony/dotenv",
    "laravel/framework",
    "dotenvy",
    "dotenv_codegen",
    "dotnetenv",
    "io.github.cdimascio:dotenv-java",
    "dotenv-java",
    "dotenv-kotlin",
}


@dataclass(frozen=True)
class EnvCopy:
    line: int
    instruction: str
    committed: bool  # a .env is committed in the build context (else the app expects one there)
    why: str


def copy_sources(value: str) -> list[str]:
    """The source paths of a COPY/ADD (none for `--from=` copies between stages)."""
    if value.lstrip().startswith("["):
        try:
            parts = [str(p) for p in json.loads(value)]
        except ValueError:
            return []
    else:
        parts = value.split()
    if any(p.startswith("--from") for p in parts):
        return []
    args = [p for p in parts if not p.startswith("--")]
    return args[:-1]


def env_copied_into_image(ctx: Context, df: Dockerfile) -> EnvCopy | None:
    """The `COPY . .` that puts a .env into the image, when nothing keeps it out."""
    contexts = _build_contexts(ctx, df)
    ignores = contexts
    if df.file.dir and ctx.tree.get(_join(df.file.dir, ".env")) is None:
        ignores = [*contexts, ""]  # docker/app.dockerfile is built with the root as context (`-f docker/… .`)
    if any(_ignored(ctx, folder, df) for folder in ignores):
        return None
    committed = next((c for c in contexts if ctx.tree.get(_join(c, ".env")) is not None), None)
    if committed is not None:
        instructions = df.all("COPY", "ADD")
        why = "the committed .env"
    else:
        why = _expects_env(ctx, contexts)
        if not why:
            return None
        instructions = df.final("COPY", "ADD")
    for ins in instructions:
        if any(s in (".", "./") for s in copy_sources(ins.value)):
            return EnvCopy(ins.line, ins.instruction, committed is not None, why)
    return None


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _build_contexts(ctx: Context, df: Dockerfile) -> list[str]:
    """Folders that may be the build context: the Dockerfile's own, compose `build.context`s naming it, the root."""
    out = [df.file.dir]
    for f in ctx.fact(compose_files):
        for doc in load_all(f):
            services = doc.get("services") if isinstance(doc, dict) else None
            for spec in services.values() if isinstance(services, dict) else []:
                build = spec.get("build") if isinstance(spec, dict) else None
                if isinstance(build, dict) and isinstance(build.get("context"), str):
                    folder = posixpath.normpath(posixpath.join(f.dir, build["context"]))
                    dockerfile = posixpath.normpath(posixpath.join(folder, str(build.get("dockerfile", "Dockerfile"))))
                    if dockerfile == df.file.path:
                        out.append("" if folder == "." else folder)
    return list(dict.fromkeys(out))


def _ignored(ctx: Context, folder: str, df: Dockerfile) -> bool:
    for name in (f"{df.file.name}.dockerignore", ".dockerignore"):
        ignore = ctx.tree.get(_join(folder, name)) or ctx.tree.get(_join(df.file.dir, name))
        if ignore is not None:
            return pathspec.PathSpec.from_lines("gitwildmatch", ignore.lines).match_file(".env")
    return False


def _expects_env(ctx: Context, contexts: list[str]) -> str:
    for folder in contexts:
        for name in _ENV_TEMPLATES:
            if ctx.tree.get(_join(folder, name)) is not None:
                return f"{_join(folder, name)} documents a .env kept in that folder"
    libraries = sorted(all_dependencies(ctx) & DOTENV_LIBRARIES)
    if libraries:
        return f"the app loads a .env with {libraries[0]}"
    return ""


# --------------------------------------------------------------------------------------------
# Source bind-mounted over the image

_PROD_NAME = re.compile(r"(?i)(?:^|[.\-_])(?:prod|production|live|deploy)(?:[.\-_]|$)")


@dataclass(frozen=True)
class SourceMount:
    file: File
    line: int | None
    service: str
    mount: str
    why: str  # "a production compose file" or "extended by docker-compose.prod.yml"


def source_mounts(ctx: Context) -> list[SourceMount]:
    files = [f for f in ctx.fact(compose_files) if f.role is None]
    specs = {f.path: _services(f) for f in files}
    out = []
    for f in files:
        if _PROD_NAME.search(f.name):
            why = "a production compose file"
        else:
            overlay = next(
                (
                    o
                    for o in files
                    if o.dir == f.dir
                    and o is not f
                    and _PROD_NAME.search(o.name)
                    and _extends(specs[o.path], specs[f.path])
                ),
                None,
            )
            if overlay is None:
                continue
            why = f"a compose file that {overlay.name} extends for production"
        for name, spec in specs[f.path].items():
            if "build" not in spec:
                continue  # not the app's own image
            for mount in _bind_sources(ctx, f, spec.get("volumes")):
                out.append(SourceMount(f, _line_of_mount(f, mount), name, mount, why))
    return out


def _services(f: File) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for doc in load_all(f):
        services = doc.get("services") if isinstance(doc, dict) else None
        if isinstance(services, dict):
            out.update({str(k): v for k, v in services.items() if isinstance(v, dict)})
    return out


def _extends(overlay: dict[str, dict], base: dict[str, dict]) -> bool:
    """An overlay sets options on the base's services without defining them (no image, no build)."""
    shared = [name for name in overlay if name in base]
    return bool(shared) and all("image" not in overlay[n] and "build" not in overlay[n] for n in shared)


def _bind_sources(ctx: Context, f: File, volumes) -> list[str]:
    out = []
    for volume in volumes if isinstance(volumes, list) else []:
        if isinstance(volume, dict):
            if volume.get("type") != "bind" or not isinstance(volume.get("source"), str):
                continue
            source, text = volume["source"], f"{volume['source']}:{volume.get('target', '')}"
        elif isinstance(volume, str) and ":" in volume:
            source, text = volume.split(":", 1)[0], volume
        else:
            continue
        if _is_source_folder(ctx, f, source):
            out.append(text)
    return out


def _is_source_folder(ctx: Context, f: File, source: str) -> bool:
    """`.`, `..` or a folder of the repository holding source code (not a config file, data or socket)."""
    if not source.startswith("."):
        return False  # a named volume or an absolute host path
    folder = posixpath.normpath(posixpath.join(f.dir, source))
    if folder in (".", "") or source.rstrip("/") in (".", ".."):
        return True
    prefix = folder.rstrip("/") + "/"
    return any(x.path.startswith(prefix) and x.language not in (None, "shell") and x.role is None for x in ctx.files)


def _line_of_mount(f: File, mount: str) -> int | None:
    source = mount.split(":", 1)[0]
    m = re.search(rf"^[ \t]*(?:-[ \t]*['\"]?|source:[ \t]*['\"]?){re.escape(source)}(?:['\"]|:|[ \t]*$)", f.text, re.M)
    return f.line_of(m.start()) if m else None
