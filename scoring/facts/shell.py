"""Shell scripts that start the app: entrypoints named by a launch command or by convention.

A script is read as logical commands (backslash continuations joined, comment lines dropped), which
is all the process-model checks need: does it `exec` the server, trap TERM, daemonize, migrate,
sleep in a loop.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from ..context import Context
from ..tree import File
from .launch import Launch, is_development
from .startpath import start_commands

MAX_COMMAND_CHARS = 8000
MAX_CONTINUATIONS = 200
_START_NAME = re.compile(
    r"^(?:docker[-_])?entrypoint(?:[-_.][\w.\-]*)?$|^start(?:[-_.][\w.\-]*)?$|^(?:boot|launch|serve|run[-_](?:web|server|app|prod))(?:\.\w+)?$",
    re.I,
)
_SHEBANG = re.compile(r"^#!\s*/\S*(?:/env\s+)?(?:ba|da|z|k|a)?sh\b")
_EXEC = re.compile(  # `VAR=value exec node server.js` execs too
    r"(?:^|[;&|]\s*|\bthen\s+|\bdo\s+|\belse\s+)(?:[A-Za-z_]\w*=(?:\"[^\"]*\"|'[^']*'|\S*)\s+)*exec\s+(?!\d*[<>])"
)
_TRAP_TERM = re.compile(r"\btrap\s[^\n]{0,200}\b(?:SIG)?(?:TERM|15)\b")
# The script a command runs: `./scripts/migrate.sh`, `bash /app/prestart.sh`, `. ./env.sh`, `exec /start`.
_RUNS_SCRIPT = re.compile(r"^(?:(?:sudo|exec|bash|sh|dash|zsh|source|\.)[ \t]+(?:-\w+[ \t]+)*)*[\"']?([\w./\-${}]+)")
_SH_C = re.compile(r"(?:^|\s)(?:/usr)?(?:/bin/)?(?:ba|da|a)?sh\s+(?:-\w*\s+)*-\w*c\w*\s+(.+)$", re.S)


@dataclass(frozen=True)
class Command:
    line: int
    text: str


@dataclass(frozen=True)
class Script:
    file: File
    commands: tuple[Command, ...]
    referenced_by: Launch | None  # the launch command that runs it, None when found by its name
    called_from: Command | None = None  # the line of another start script that runs this one

    @property
    def development(self) -> bool:
        """A script of a developer's setup: in a development folder, or started by a development-only file."""
        by = self.referenced_by
        return is_development(self.file) or (by is not None and by.development)

    @property
    def execs(self) -> bool:
        """The script hands its process over to the server (`exec …`) or forwards TERM itself."""
        return any(_EXEC.search(c.text) or _TRAP_TERM.search(c.text) for c in self.commands)


def is_shell_script(f: File) -> bool:
    return f.language == "shell" or (not f.ext and bool(_SHEBANG.match(f.text[:200])))


def commands_of(text: str, first_line: int = 1) -> tuple[Command, ...]:
    """Logical commands of a shell text: continuation lines joined, comments and blank lines dropped.

    A logical command is cut at MAX_COMMAND_CHARS or MAX_CONTINUATIONS lines (hostile input).
    """
    out: list[Command] = []
    buffer: list[str] = []
    size, start = 0, first_line
    for i, raw in enumerate(text.splitlines(), first_line):
        line = raw.strip()[:4000]
        if not buffer:
            start = i
            if not line or line.startswith("#"):
                continue
        if line.endswith("\\") and size < MAX_COMMAND_CHARS and len(buffer) < MAX_CONTINUATIONS:
            buffer.append(line[:-1])
            size += len(line)
            continue
        buffer.append(line)
        out.append(Command(start, " ".join(buffer).strip()))
        buffer, size = [], 0
    if buffer:
        out.append(Command(start, " ".join(buffer).strip()))
    return tuple(out)


def sh_c_script(command: str) -> str | None:
    """The script of `sh -c '…'` (or bash -c), unquoted; None when the command is not one."""
    m = _SH_C.search(command[:8000])
    if not m:
        return None
    rest = m.group(1).strip()
    try:
        parts = shlex.split(rest)
    except ValueError:
        return rest
    return parts[0] if len(parts) == 1 else rest


def start_scripts(ctx: Context) -> list[Script]:
    """Scripts a start command runs (matched by file name), scripts a container init system runs,
    entrypoint/start scripts by name, and the scripts those scripts run (one hop)."""
    candidates = [f for f in ctx.files if f.role is None and is_shell_script(f)]
    by_name: dict[str, list[File]] = {}
    for f in candidates:
        by_name.setdefault(f.name, []).append(f)
    out: dict[str, Script] = {}
    for launch in ctx.fact(start_commands):
        if launch.source == "container-init":
            out.setdefault(launch.file.path, Script(launch.file, commands_of(launch.file.text), launch))
            continue
        for token in launch.command.replace('"', " ").replace("'", " ").split()[:6]:
            name = token.rstrip(";&").rsplit("/", 1)[-1]
            for f in by_name.get(name, []):
                if launch.development and not is_development(f):
                    continue  # compose/local's ENTRYPOINT /entrypoint names local's script, not production's
                out.setdefault(f.path, Script(f, commands_of(f.text), launch))
    for f in candidates:
        if f.path not in out and _START_NAME.match(f.name) and not f.path.startswith((".ci/", ".github/")):
            out[f.path] = Script(f, commands_of(f.text), None)
    for script in list(out.values()):
        for command in script.commands:
            m = _RUNS_SCRIPT.match(command.text)
            name = m.group(1).rsplit("/", 1)[-1] if m else ""
            for f in by_name.get(name, []):
                if f.path not in out:
                    out[f.path] = Script(f, commands_of(f.text), script.referenced_by, command)
    return list(out.values())
