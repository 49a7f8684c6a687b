"""`.env*` files: committed environment files and documented examples."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..context import Context
from ..tree import File

_ENV = re.compile(r"^\.env(\.[\w.\-]+)?$|^[\w\-]+\.env$", re.I)
_EXAMPLE = re.compile(r"(example|sample|template|dist|defaults?|tmpl|tpl|schema|test|ci)", re.I)
_ASSIGN = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
# Frameworks whose documentation says to commit `.env` and `.env.<mode>` with non-secret defaults
# (secrets go to `.env*.local` or the environment): Symfony, Next.js, Vite, Create React App, Nuxt.
_CONVENTIONAL = re.compile(r"^\.env(?:\.(?:dev|development|prod|production|test))?$")
_NODE_FRAMEWORKS = re.compile(r'"(next|vite|react-scripts|nuxt)"\s*:')
_SYMFONY = re.compile(r'"symfony/(?:framework-bundle|dotenv)"\s*:')


@dataclass(frozen=True)
class EnvFile:
    file: File
    is_example: bool
    convention: str | None = None  # the framework that has this file committed by design

    def variables(self) -> list[tuple[int, str, str]]:
        out = []
        for i, line in enumerate(self.file.lines, 1):
            m = _ASSIGN.match(line)
            if m:
                out.append((i, m.group(1), m.group(2).strip().strip("'\"")))
        return out


def env_files(ctx: Context) -> list[EnvFile]:
    out = []
    for f in ctx.files:
        if _ENV.match(f.name) and f.role != "vendor":
            suffix = f.name.lower().removeprefix(".env")
            example = bool(_EXAMPLE.search(suffix)) or f.role in ("example", "doc")
            out.append(EnvFile(f, example, _convention(ctx, f)))
    return out


def _convention(ctx: Context, f: File) -> str | None:
    if not _CONVENTIONAL.match(f.name):
        return None
    folder = f"{f.dir}/" if f.dir else ""
    package, composer = ctx.tree.get(folder + "package.json"), ctx.tree.get(folder + "composer.json")
    if package is not None:
        m = _NODE_FRAMEWORKS.search(package.text)
        if m:
            return {"next": "Next.js", "vite": "Vite", "react-scripts": "Create React App", "nuxt": "Nuxt"}[m.group(1)]
    if composer is not None and _SYMFONY.search(composer.text):
        return "Symfony"
    return None
