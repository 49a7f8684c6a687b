"""Dockerfiles and Containerfiles, parsed with dockerfile-parse (never built, never run)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from dockerfile_parse import DockerfileParser

from ..context import Context
from ..tree import File

_NAME = re.compile(r"^(dockerfile|containerfile)(?!\.(?:py|js|ts|go|rb|md|txt|json|sh|ya?ml|toml)$)([.\-_][\w\-]+)?$|^[\w.\-]+\.(dockerfile|containerfile)$", re.I)


@dataclass(frozen=True)
class Instruction:
    instruction: str  # upper case: FROM, RUN, CMD …
    value: str
    line: int  # 1-based start line
    stage: int  # index of the build stage (FROM) it belongs to


@dataclass(frozen=True)
class Dockerfile:
    file: File
    instructions: tuple[Instruction, ...]

    def all(self, *names: str) -> list[Instruction]:
        return [i for i in self.instructions if i.instruction in names]

    @property
    def final_stage(self) -> int:
        return max((i.stage for i in self.instructions), default=0)

    def final(self, *names: str) -> list[Instruction]:
        """Instructions of the last stage: what the shipped image runs."""
        last = self.final_stage
        return [i for i in self.instructions if i.instruction in names and i.stage == last]

    @property
    def cmd(self) -> Instruction | None:
        found = self.final("CMD")
        return found[-1] if found else None

    @property
    def entrypoint(self) -> Instruction | None:
        found = self.final("ENTRYPOINT")
        return found[-1] if found else None


def is_dockerfile(f: File) -> bool:
    return bool(_NAME.match(f.name))


def dockerfiles(ctx: Context) -> list[Dockerfile]:
    out = []
    for f in ctx.files:
        if not is_dockerfile(f) or f.role in ("vendor",):
            continue
        try:
            parser = DockerfileParser(fileobj=io.BytesIO(f.text.encode()), env_replace=False)
            structure = parser.structure
        except Exception:  # dockerfile-parse raises a variety of errors on garbage input
            continue
        stage, instructions = -1, []
        for item in structure:
            name = item["instruction"].upper()
            if name == "FROM":
                stage += 1
            if name in ("COMMENT",):
                continue
            instructions.append(Instruction(name, item["value"], item["startline"] + 1, max(stage, 0)))
        out.append(Dockerfile(f, tuple(instructions)))
    return out


def is_exec_form(value: str) -> bool:
    return value.lstrip().startswith("[")
