"""docker-compose / compose.yaml services."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..context import Context
from ..tree import File
from .yamlfiles import load_all

# compose files, and Docker Swarm stack files (the same format)
_NAME = re.compile(r"^(?:(docker-)?compose|docker-stack)([.\-][\w.\-]+)?\.ya?ml$", re.I)


@dataclass(frozen=True)
class Service:
    name: str
    file: File
    image: str | None
    build: bool
    command: str
    environment: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)


def compose_files(ctx: Context) -> list[File]:
    return [f for f in ctx.files if _NAME.match(f.name) and f.role not in ("vendor",)]


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _env(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        out = {}
        for item in value:
            k, _, v = str(item).partition("=")
            out[k] = v
        return out
    return {}


def services(ctx: Context) -> list[Service]:
    out = []
    for f in ctx.fact(compose_files):
        for doc in load_all(f):
            svcs = doc.get("services") if isinstance(doc, dict) else None
            if not isinstance(svcs, dict):
                continue
            for name, spec in svcs.items():
                if not isinstance(spec, dict):
                    continue
                image = spec.get("image")
                out.append(
                    Service(
                        str(name),
                        f,
                        str(image) if image else None,
                        "build" in spec,
                        _as_text(spec.get("command")) or _as_text(spec.get("entrypoint")),
                        _env(spec.get("environment")),
                        spec,
                    )
                )
    return out
