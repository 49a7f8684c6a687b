"""What a container runs: its launch commands (Dockerfile, compose, Kubernetes) and the npm/yarn
scripts they name (`CMD ["npm", "start"]` runs package.json's `start`), one hop."""

from __future__ import annotations

import json
import re

from ..context import Context
from ..tree import File
from .launch import launches


def container_commands(ctx: Context) -> list[tuple[File, int | None, str]]:
    """Commands a container runs: its launch commands and the npm/yarn scripts they name (one hop)."""
    out = []
    scripts = npm_scripts(ctx)
    for launch in ctx.fact(launches):
        if launch.source in ("dockerfile", "compose", "k8s"):
            out.append((launch.file, launch.line, launch.snippet))
            m = _NPM_RUN.search(launch.command)
            if m and m.group(1) in scripts:
                out.append(scripts[m.group(1)])
    return out


_NPM_RUN = re.compile(r"\b(?:npm|yarn|pnpm|bun)\s+(?:run\s+)?(start|[\w:\-]+)\b")


def npm_scripts(ctx: Context) -> dict[str, tuple[File, int | None, str]]:
    out: dict[str, tuple[File, int | None, str]] = {}
    for f in ctx.named("package.json"):
        if f.role is not None or "/" in ctx.rel(f.path):
            continue
        try:
            scripts = json.loads(f.text).get("scripts") or {}
        except (ValueError, AttributeError):
            continue
        for name, command in scripts.items() if isinstance(scripts, dict) else ():
            if isinstance(command, str):
                line = next((i for i, t in enumerate(f.lines, 1) if f'"{name}"' in t), None)
                out[name] = (f, line, f"{name}: {command}")
    return out
