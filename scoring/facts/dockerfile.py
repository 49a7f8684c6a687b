"""Dockerfiles and Containerfiles, parsed with dockerfile-parse (never built, never run)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from dockerfile_parse import DockerfileParser

from ..context import Context
from ..tree import File

_NAME = re.compile(r"^(dockerfile|containerfile)(?!\.(?:py|js|ts|go|rb|md|txt|json|sh|ya?ml|toml)$)([.\-_][\w\-]+)?$|^[\w.\-]+\.(dockerfile|containerfile)$", re.I)

_FROM_IMAGE = re.compile(r"^(?:--\S+\s+)*(\S+)")
_FROM_ALIAS = re.compile(r"\s[Aa][Ss]\s+(\S+)\s*$")


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
        return self._run_setting("CMD")

    @property
    def entrypoint(self) -> Instruction | None:
        return self._run_setting("ENTRYPOINT")

    def _run_setting(self, name: str) -> Instruction | None:
        """The final stage's CMD or ENTRYPOINT, else the one it inherits from the stage it is built
        `FROM` (`FROM app AS app-plus` runs app's CMD). An ENTRYPOINT set in a stage resets the CMD
        it inherits, as Docker does."""
        stage, seen = self.final_stage, set()
        while stage is not None and stage not in seen:
            seen.add(stage)
            found = [i for i in self.instructions if i.instruction == name and i.stage == stage]
            if found:
                return found[-1]
            if name == "CMD" and any(i.instruction == "ENTRYPOINT" and i.stage == stage for i in self.instructions):
                return None
            stage = self._parent_stage(stage)
        return None

    def _parent_stage(self, stage: int) -> int | None:
        froms = [i for i in self.instructions if i.instruction == "FROM"]
        if stage >= len(froms):
            return None
        base = _FROM_IMAGE.match(froms[stage].value)
        for earlier in range(stage - 1, -1, -1):
            alias = _FROM_ALIAS.search(froms[earlier].value)
            if base and alias and alias.group(1).lower() == base.group(1).lower():
                return earlier
        return None


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
