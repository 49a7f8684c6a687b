"""Procfile process types: `name: command`, one per line."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..context import Context
from ..tree import File

# `(\S.*)` then rstrip: a lazy `(.+?)\s*$` is quadratic on a line with long runs of spaces.
_LINE = re.compile(r"^([A-Za-z0-9_\-]+)[ \t]*:[ \t]*(\S.*)$")


@dataclass(frozen=True)
class ProcessType:
    name: str
    command: str
    file: File
    line: int


def procfiles(ctx: Context) -> list[File]:
    return [f for f in ctx.named("Procfile") if f.role is None]


def process_types(ctx: Context) -> list[ProcessType]:
    return [p for f in ctx.fact(procfiles) for p in _read(f)]


# Procfile.dev, Procfile.test … describe a developer's machine; Procfile.CF, Procfile.prod … a deploy.
_VARIANT = re.compile(r"^Procfile\.(?!(?:dev|development|local|test|tests|ci|debug|example|sample)\b)[\w\-]+$", re.I)


def variant_process_types(ctx: Context) -> list[ProcessType]:
    """Process types of the deploy variants of a Procfile (Procfile.CF for Cloud Foundry, Procfile.prod)."""
    return [p for f in ctx.files if f.role is None and _VARIANT.match(f.name) for p in _read(f)]


def _read(f: File) -> list[ProcessType]:
    out = []
    for i, line in enumerate(f.lines, 1):
        m = _LINE.match(line)
        if m and not line.lstrip().startswith("#"):
            out.append(ProcessType(m.group(1), m.group(2).rstrip(), f, i))
    return out
