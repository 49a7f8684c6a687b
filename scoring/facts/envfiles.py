"""`.env*` files: committed environment files and documented examples."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..context import Context
from ..tree import File

_ENV = re.compile(r"^\.env(\.[\w.\-]+)?$|^[\w\-]+\.env$", re.I)
_EXAMPLE = re.compile(r"(example|sample|template|dist|defaults?|tmpl|tpl|schema|test|ci)", re.I)
_ASSIGN = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")


@dataclass(frozen=True)
class EnvFile:
    file: File
    is_example: bool

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
            out.append(EnvFile(f, bool(_EXAMPLE.search(suffix)) or f.role in ("example", "doc")))
    return out
