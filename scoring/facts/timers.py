"""Recurring work hand-rolled inside the web process, in shapes that name no scheduler library:
a JavaScript timer that re-arms itself (`setTimeout` whose callback schedules it again), a .NET
`System.Threading.Timer` driving scheduled tasks in a web host, a Rust task spawned on an endless
loop that sleeps, in a crate the web binary links.

Each finder returns `background.Work` rows; a literal prefilter (`setTimeout(`, `new Timer(`,
`spawn(`) selects the few files that are parsed further.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from ..context import Context
from ..tree import File
from .background import Work, js_work, python_web_modules
from .browser import is_browser_script

# JavaScript: `setTimeout(this.invoke.bind(this), …)` in `enqueue`, and `invoke` calls `this.enqueue(…)` again
# (or a function that re-arms itself). A one-shot delay (a retry, a debounce) is not re-armed.
_JS_TIMEOUT = re.compile(r"\bsetTimeout\s*\(\s*(?:this\.(\w+)|(?:async\s*)?\(\s*\)\s*=>\s*(?:this\.)?(\w+)\s*\(|([A-Za-z_]\w*)\s*[,.])")
_JS_DEF = re.compile(
    r"^[ \t]*(?:static\s+)?(?:async\s+)?(?:function\s*\*?\s*)?(\w+)\s*\([^)\n]*\)\s*\{|"
    r"^[ \t]*(?:const|let|var)\s+(\w+)\s*=\s*(?:async\s+)?(?:function\b[^{]*|\([^)\n]*\)\s*=>\s*)\{",
    re.M,
)
_JS_KEYWORDS = {"if", "for", "while", "switch", "catch", "function", "return", "with"}


def js_rearmed_timers(ctx: Context) -> list[Work]:
    files = [f for f in ctx.source("javascript") if f.role is None and "setTimeout" in f.text]
    rows: dict[str, list[Work]] = {}
    for f in files:
        lines = _rearmed(f)
        if lines and not is_browser_script(ctx, f):
            rows[f.path] = [Work(f, n, f.line_text(n), "a timer that re-arms itself") for n in lines]
    if not rows:
        return []
    inside = js_work(ctx, rows)
    return [w for path in rows if path in inside for w in rows[path]]


def _rearmed(f: File) -> list[int]:
    text = f.text[:200_000]
    defs = [(m.start(), m.group(1) or m.group(2)) for m in _JS_DEF.finditer(text)]
    defs = [(start, name) for start, name in defs if name not in _JS_KEYWORDS]
    out = []
    for m in _JS_TIMEOUT.finditer(text):
        callback = m.group(1) or m.group(2) or m.group(3)
        owner = next((name for start, name in reversed(defs) if start < m.start()), None)
        if owner is None or callback in _JS_KEYWORDS:
            continue
        if callback == owner or _calls(_body(text, defs, callback), owner):
            out.append(f.line_of(m.start()))
    return out


def _body(text: str, defs: list[tuple[int, str]], name: str) -> str:
    start = next((s for s, n in defs if n == name), None)
    return "" if start is None else block(text, start)


def _calls(body: str, name: str) -> bool:
    return bool(body) and re.search(rf"(?<![\w]){re.escape(name)}\s*\(", body) is not None


def block(text: str, start: int, cap: int = 20_000) -> str:
    """The brace-delimited body that opens after `start` (strings and comments are not skipped)."""
    open_at = text.find("{", start)
    if open_at < 0:
        return ""
    depth = 0
    for i in range(open_at, min(len(text), open_at + cap)):
        depth += (text[i] == "{") - (text[i] == "}")
        if depth == 0:
            return text[open_at : i + 1]
    return text[open_at : open_at + cap]


# .NET: a System.Threading/System.Timers timer (or PeriodicTimer) in a scheduled-task, trigger or job
# class of a solution that hosts a web server: the schedule ticks in every web replica.
_DOTNET_TIMER = re.compile(r"\bnew\s+(?:System\.Threading\.|System\.Timers\.)?(?:Timer|PeriodicTimer)\s*\(")
_DOTNET_SCHEDULE_PATH = re.compile(r"(?:^|/)\w*(?:Schedul|Trigger|Cron|Recurring)\w*(?:/|\.cs$)|(?:^|/)(?:Background)?Jobs?/", re.I)
_DOTNET_WEB = re.compile(
    r"WebApplication\.Create(?:Slim)?Builder|\bConfigureWebHost(?:Defaults)?\(|\bUseKestrel\(|\bMapControllers\("
)


def dotnet_timers(ctx: Context) -> list[Work]:
    sources = [f for f in ctx.source("dotnet") if f.role is None]
    candidates = [f for f in sources if _DOTNET_SCHEDULE_PATH.search(f.path) and "Timer(" in f.text]
    hits = [h for f in candidates for h in ctx.grep(_DOTNET_TIMER, [f], where="code", limit=1)]
    if not hits or ctx.first(_DOTNET_WEB, sources, where="code") is None:
        return []
    return [Work(h.file, h.line, h.text, "a timer driving scheduled tasks") for h in hits]


# Rust: a task or thread spawned on an endless loop that sleeps or ticks, in a crate that serves the
# web or one the web crate depends on (a Cargo workspace's crates/<name>).
_RUST_SPAWN_CALL = re.compile(r"\b(?:tokio|task|thread|rt|async_std::task)::spawn(?:_blocking)?\s*\(")
_RUST_LOOP = re.compile(r"\bloop\s*\{|\bwhile\s+true\s*\{")
_RUST_WAIT = re.compile(r"\bsleep\s*\(|\binterval(?:_at)?\s*\(|\.tick\(\)")
_RUST_WEB = re.compile(
    r"HttpServer::new|axum::serve|\baxum::Server::bind|rocket::(?:build|custom|ignite)\b|#\[(?:rocket::main|launch)\]|"
    r"warp::serve|\btide::new\(|\bpoem::Server\b|\bsalvo::Server\b|\bhyper::Server::bind\("
)
_CARGO_NAME = re.compile(r"^\[package\][^\[]*?^name\s*=\s*['\"]([\w\-]+)['\"]", re.M | re.S)
_CARGO_DEP = re.compile(r"^([\w\-]+)(?:\.workspace)?\s*=", re.M)


def rust_spawned_loops(ctx: Context) -> list[Work]:
    sources = [f for f in ctx.source("rust") if f.role is None and "spawn" in f.text and "loop" in f.text]
    hits = []
    for f in sources:
        text = f.text[:200_000]
        for m in _RUST_SPAWN_CALL.finditer(text):
            body = block(text, m.end(), cap=6000)
            if body and text.find("{", m.end()) - m.end() < 80 and _RUST_LOOP.search(body) and _RUST_WAIT.search(body):
                hits.append(Work(f, f.line_of(m.start()), f.line_text(f.line_of(m.start())), "a task spawned on an endless loop"))
    if not hits:
        return []
    inside = _rust_web_crates(ctx)
    return [w for w in hits if _crate_of(ctx, w.file) in inside]


def _crate_of(ctx: Context, f: File) -> str | None:
    folder = f.dir
    while True:
        if any(c.dir == folder for c in ctx.named("Cargo.toml")):
            return folder
        if not folder:
            return None
        folder = posixpath.dirname(folder)


def _rust_web_crates(ctx: Context) -> set[str]:
    """Folders of the crates that serve the web, and of the crates they depend on (one hop)."""
    manifests = {c.dir: c for c in ctx.named("Cargo.toml") if c.role is None}
    web = {_crate_of(ctx, h.file) for h in _web_hits(ctx)} - {None}
    names = {}
    for folder, manifest in manifests.items():
        m = _CARGO_NAME.search(manifest.text)
        if m:
            names[m.group(1).replace("-", "_")] = folder
    inside = set(web)
    for folder in web:
        text = manifests[folder].text if folder in manifests else ""
        for section in re.split(r"^\[", text, flags=re.M):
            if section.startswith(("dependencies]", "target.")) and "dependencies]" in section[:80]:
                inside |= {names[d.replace("-", "_")] for d in _CARGO_DEP.findall(section) if d.replace("-", "_") in names}
    return inside


def _web_hits(ctx: Context) -> Iterator:
    for f in ctx.source("rust"):
        if f.role is None:
            yield from ctx.grep(_RUST_WEB, [f], where="code", limit=1)


# Where the web process starts a scheduler: `await SchedulerService.start()` in FastAPI's lifespan,
# `WIKI.scheduler.start()` in the module that also starts the HTTP servers, `start_scheduler()`.
_START_SCHEDULER = re.compile(
    r"(?<![\w.])(?:await\s+)?(?:[\w.]*\.)?(?:\w*[sS]cheduler\w*)\.start\s*\(\s*\)|(?<![\w.])(?<!def )(?<!function )(?:[\w.]*\.)?start_?[sS]cheduler\s*\(\s*\)"
)


def scheduler_starts(ctx: Context) -> list[Work]:
    """Calls that start a scheduler in a Python web app's modules or in a JavaScript file of the server."""
    out = []
    py = [f for f in ctx.source("python") if "cheduler" in f.text]
    for f in python_web_modules(ctx, py):
        out += [Work(h.file, h.line, h.text, "a scheduler started by the web app") for h in
                ctx.grep(_START_SCHEDULER, [f], where="code", limit=3)]
    rows: dict[str, list[Work]] = {}
    for f in ctx.source("javascript"):
        if f.role is None and "cheduler" in f.text:
            hits = list(ctx.grep(_START_SCHEDULER, [f], where="code", limit=3))
            if hits:
                rows[f.path] = [Work(h.file, h.line, h.text, "a scheduler started by the web server") for h in hits]
    if rows:
        inside = js_work(ctx, rows)
        out += [w for path in rows if path in inside for w in rows[path]]
    return out
