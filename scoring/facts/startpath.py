"""What runs when the app starts, followed past its launch command.

`launches` reads the commands deploy files name. A start is often longer than that command: it runs
an npm script (`CMD ["npm", "run", "start:prod"]` → `"start:prod": "prisma migrate deploy && node
dist/main"`), a platform runs the package's `start` script by default, a process supervisor or a
container init system runs its own steps before the app. `start_commands` is the launches plus those,
each a `Launch` whose `source` says where it came from. `documented_launches` are deploy commands a
README gives as *the* way to run the app in production. `started_files` are the source files a start
command runs (`gunicorn app.main:app` → app/main.py).
"""

from __future__ import annotations

import json
import re

from ..context import Context
from ..tree import File
from .kind import WEB_FRAMEWORKS
from .launch import INIT, RUN, Launch, launches
from .manifests import all_dependencies

MAX_SCRIPT_DEPTH = 4  # npm scripts calling npm scripts
_RUNS_SCRIPT = re.compile(r"\b(npm|pnpm|yarn|bun)(?:[ \t]+--?[\w\-=]+)*[ \t]+(?:run(?:-script)?[ \t]+)?([\w:.\-]+)")
_RUNS_ALL = re.compile(r"\b(?:npm-run-all2?|run-s|run-p)((?:[ \t]+(?:--?[\w\-]+|[\w:.\-*]+))+)")
_NOT_SCRIPTS = {
    "install",
    "i",
    "ci",
    "add",
    "remove",
    "rm",
    "exec",
    "dlx",
    "x",
    "init",
    "create",
    "publish",
    "pack",
    "link",
    "audit",
    "outdated",
    "update",
    "upgrade",
    "why",
    "info",
    "config",
    "cache",
    "global",
    "workspace",
    "workspaces",
    "set",
    "version",
    "login",
    "logout",
    "help",
    "prune",
    "rebuild",
    "dedupe",
    "run",
    "run-script",
}
_NPM_BARE = {"start", "test", "stop", "restart"}  # `npm start`; any other script needs `npm run`
_SUPERVISOR_PROGRAM = re.compile(r"^\[program:([^\]\n]{1,100})\]", re.M)
_SUPERVISOR_COMMAND = re.compile(r"^command[ \t]*=[ \t]*([^\n]{1,4000})", re.M)
# Container init systems: scripts they run at every container start (INIT) or keep running (RUN).
# /docker-entrypoint-initdb.d/ is not one: a database image runs it once, on an empty data folder.
_INIT_STEPS = (
    (re.compile(r"(^|/)etc/cont-init\.d/[^/]+$"), INIT),
    (re.compile(r"(^|/)etc/my_init\.d/[^/]+$"), INIT),
    (re.compile(r"(^|/)(?:docker-)?entrypoint\.d/[^/]+\.(?:sh|envsh)$"), INIT),
    (re.compile(r"(^|/)etc/s6-overlay/s6-rc\.d/[^/]+/up$"), INIT),
    (re.compile(r"(^|/)etc/s6-overlay/s6-rc\.d/[^/]+/run$"), RUN),
    (re.compile(r"(^|/)etc/services\.d/[^/]+/run$"), RUN),
)


_INIT_FOLDER = re.compile(r"(?:cont-init|my_init|entrypoint|s6-rc|services)\.d/")


def start_commands(ctx: Context) -> list[Launch]:
    """Every launch, the npm scripts they run, supervisor programs and container init steps."""
    base = ctx.fact(launches)
    out = list(base)
    scripts = ctx.fact(package_scripts)
    seen: set[tuple[str, str]] = set()
    for launch in base:
        out += _npm_hops(launch, scripts, seen, 0)
    if scripts and not any(launch.stage == RUN for launch in base) and all_dependencies(ctx) & WEB_FRAMEWORKS:
        pkg, body = scripts.get("start", (None, None))
        if pkg is not None and pkg.role is None:  # a platform (Heroku, Render, Railway) runs `npm start`
            default = Launch("package.json", "start", body, pkg, script_line(pkg, "start"), RUN)
            out += [default, *_npm_hops(default, scripts, seen, 1, also_pre="start")]
    for f in ctx.files:
        if f.role is not None:
            continue
        if f.ext in (".conf", ".ini", "") and "[program:" in f.text:
            out += _supervisor(f)
        elif _INIT_FOLDER.search(f.path):
            out += _init_step(ctx, f)
    return out


def package_scripts(ctx: Context) -> dict[str, tuple[File, str]]:
    """npm scripts by name, from the context's shallowest package.json files first."""
    out: dict[str, tuple[File, str]] = {}
    for f in sorted(ctx.named("package.json"), key=lambda f: f.path.count("/")):
        if f.role is not None:
            continue
        try:
            scripts = json.loads(f.text).get("scripts") or {}
        except (ValueError, AttributeError):
            continue
        if isinstance(scripts, dict):
            for name, body in scripts.items():
                if isinstance(body, str) and name not in out:
                    out[name] = (f, body)
    return out


def _npm_hops(launch: Launch, scripts: dict, seen: set, depth: int, also_pre: str | None = None) -> list[Launch]:
    """The npm scripts a command runs (with their `pre` scripts), recursively, as launches of the same stage."""
    if depth >= MAX_SCRIPT_DEPTH:
        return []
    names = [also_pre and f"pre{also_pre}"]
    for m in _RUNS_SCRIPT.finditer(launch.command):
        tool, name = m.group(1), m.group(2)
        bare = "run" not in m.group(0).split()[1:]
        if name in _NOT_SCRIPTS or (tool == "npm" and bare and name not in _NPM_BARE):
            continue
        names += [f"pre{name}", name]
    for m in _RUNS_ALL.finditer(launch.command):  # npm-run-all a b c, run-s a b, run-p a b
        names += [w for w in m.group(1).split() if not w.startswith("-") and "*" not in w]
    out = []
    for name in names:
        if not name or name not in scripts or (launch.stage, name) in seen:
            continue
        seen.add((launch.stage, name))
        pkg, body = scripts[name]
        hop = Launch("package.json", name, body, pkg, script_line(pkg, name), launch.stage, via=launch)
        out += [hop, *_npm_hops(hop, scripts, seen, depth + 1)]
    return out


def script_line(pkg: File, name: str) -> int | None:
    start = pkg.text.find('"scripts"')
    i = pkg.text.find(f'"{name}"', max(start, 0))
    return pkg.line_of(i) if i >= 0 else None


def _supervisor(f: File) -> list[Launch]:
    """supervisord `[program:x]` sections: each `command=` runs when the container (or host) starts."""
    out = []
    programs = list(_SUPERVISOR_PROGRAM.finditer(f.text[:500_000]))
    for i, program in enumerate(programs[:200]):
        end = programs[i + 1].start() if i + 1 < len(programs) else len(f.text)
        command = _SUPERVISOR_COMMAND.search(f.text, program.end(), end)
        if command:
            out.append(
                Launch("supervisor", program.group(1), command.group(1).strip(), f, f.line_of(command.start()), RUN)
            )
    return out


def _init_step(ctx: Context, f: File) -> list[Launch]:
    rel = ctx.rel(f.path)
    for pattern, stage in _INIT_STEPS:
        if pattern.search(rel):
            lines = [(i, line.strip()) for i, line in enumerate(f.text.splitlines()[:200], 1)]
            steps = [(i, line) for i, line in lines if line and not line.startswith("#")]
            text = " ; ".join(line for _, line in steps)[:4000]
            return [Launch("container-init", rel, text, f, steps[0][0], stage)] if steps else []
    return []


def init_step_files(ctx: Context) -> list[tuple[File, Launch]]:
    """Scripts a container init system runs (s6-overlay, cont-init.d, docker-entrypoint.d …), with their launch."""
    return [(launch.file, launch) for launch in ctx.fact(start_commands) if launch.source == "container-init"]


# --------------------------------------------------------------------------------------------
# Deploy commands given in the documentation

_DOC_NAME = re.compile(
    r"^(?:readme|deploy|deployment|install|installation|production|hosting|self-?hosting)[\w.\-]*\.(?:md|markdown|rst|txt)$",
    re.I,
)
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+)$")
_DEPLOY_HEADING = re.compile(
    r"(?i)\bdeploy|\bproduction\b|\bprod\b|\bremote server|\bon (?:a|the|your) server|\bhosting\b|\bself-?host"
)
_DEV_HEADING = re.compile(r"(?i)\b(?:develop|development|local|locally|contribut|test|testing|debug)")
# A chain whose last command starts the server (a development server is not a deploy).
DOC_CHAIN = re.compile(
    r"(?:&&|;)[ \t]*(?:exec[ \t]+)?(?P<server>node[ \t]+(?!-e\b)[\w./\-]+|(?:npm|yarn|pnpm)[ \t]+(?:run[ \t]+)?start(?::prod)?\b|"
    r"pm2(?:-runtime)?[ \t]+start\b|gunicorn\b|uvicorn\b|hypercorn\b|daphne\b|(?:bundle[ \t]+exec[ \t]+)?(?:rails[ \t]+s(?:erver)?|puma)\b|"
    r"java[ \t]+-jar\b|dotnet[ \t]+[\w./\-]+\.dll\b|php[ \t]+artisan[ \t]+octane:start\b|fastapi[ \t]+run\b|"
    r"\./target/release/[\w\-]+|\./bin/[\w\-]+[ \t]+serve)"
)


def documented_launches(ctx: Context) -> list[Launch]:
    """Commands a README or deploy guide gives, under a deploy/production heading, as the way to run
    the app: a chain (`… && node dist/main.js`) whose last step starts the server."""
    docs = [f for f in ctx.files if _DOC_NAME.match(f.name) and f.path.count("/") <= ctx.scope.count("/") + 2]
    out = []
    for hit in ctx.grep(DOC_CHAIN, docs, where="any"):
        heading = _heading_above(hit.file, hit.line)
        if _DEPLOY_HEADING.search(heading) and not _DEV_HEADING.search(heading):
            command = hit.text.strip().strip("`$ ").strip()
            out.append(Launch("docs", heading.strip()[:80], command, hit.file, hit.line, RUN))
    return out


def _heading_above(f: File, line: int) -> str:
    """The Markdown heading a line is under (`# …` lines inside fenced code blocks are comments)."""
    heading, fenced = "", False
    for text in f.lines[: line - 1]:
        stripped = text.lstrip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced:
            m = _HEADING.match(text)
            if m:
                heading = m.group(1)
    return heading


# --------------------------------------------------------------------------------------------
# Source files a start command runs

_PY_APP_REF = re.compile(
    r"\b(?:gunicorn|uvicorn|hypercorn|daphne|granian|waitress-serve)\b[^\n;&|]*?[ \t=]([A-Za-z_][\w.]*):[A-Za-z_]"
)
_PY_SCRIPT = re.compile(r"\bpython[\d.]*[ \t]+(?:-[A-Za-z]+[ \t]+)*?(?:-m[ \t]+([A-Za-z_][\w.]*)|([\w./\-]+\.py)\b)")
_UWSGI_MODULE = re.compile(
    r"^[ \t]*(?:module|wsgi-file|mount)[ \t]*=[ \t]*(?:[^\s=]+=)?([\w./\-]+?)(?:\.py)?(?::\w+)?[ \t]*$", re.M
)
_NODE_SCRIPT = re.compile(
    r"\b(?:node|nodemon|ts-node|tsx|bun|pm2-runtime|pm2[ \t]+start)[ \t]+(?:--?[\w\-=.]+[ \t]+)*(?!run\b)([\w./\-]+)"
)
_BUILD_DIRS = re.compile(r"^(?:\./)?(?:dist|build|out|lib|\.next)/")
_NODE_EXTS = (".ts", ".js", ".mjs", ".cjs", ".mts", ".tsx")


def started_files(ctx: Context) -> list[File]:
    """Python and Node source files that start commands run: WSGI/ASGI modules, scripts, node entry files."""
    wanted: set[str] = set()
    commands = [launch.command for launch in ctx.fact(start_commands)]
    for f in ctx.files:
        if f.role is None and f.ext == ".ini" and "[uwsgi]" in f.text:
            wanted.update(m.group(1).replace(".", "/") + ".py" for m in _UWSGI_MODULE.finditer(f.text))
    for command in commands:
        for m in _PY_APP_REF.finditer(command):
            wanted.update({m.group(1).replace(".", "/") + ".py", m.group(1).replace(".", "/") + "/__init__.py"})
        for m in _PY_SCRIPT.finditer(command):
            wanted.add(m.group(1).replace(".", "/") + ".py" if m.group(1) else m.group(2).lstrip("./"))
        for m in _NODE_SCRIPT.finditer(command):
            target = _BUILD_DIRS.sub("", m.group(1).lstrip("./")).rstrip("/")
            stem = target.rsplit(".", 1)[0] if target.endswith((".js", ".ts", ".mjs", ".cjs")) else target
            wanted.update(stem + ext for ext in _NODE_EXTS)
            wanted.update(f"{stem}/index{ext}" for ext in _NODE_EXTS)
    if not wanted:
        return []
    return [
        f
        for f in ctx.files
        if f.role is None
        and f.language in ("python", "javascript")
        and any(ctx.rel(f.path) == w or ctx.rel(f.path).endswith("/" + w) for w in wanted)
    ]
