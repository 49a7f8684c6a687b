"""Background work that runs inside the web process: threads started by app code, in-process
schedulers and timers, and the job runners that frameworks can start inside the server.

Each finder returns `(file, line, snippet, what)` for one ecosystem. What makes a file part of the
web process differs: Python modules of a web app that are not a worker, command or script (a thread
started in hc/lib/emails.py runs in the web process that calls it); JavaScript files that start the
server or that such a file imports (one hop); every file of a Go server's main package; Spring
beans of a web app that enables scheduling; Rails configuration for production.
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import Context
from ..tree import File
from .browser import is_browser_script
from .launch import RUN, launches
from .manifests import all_dependencies


@dataclass(frozen=True)
class Work:
    file: File
    line: int
    snippet: str
    what: str  # "a thread", "a scheduler" …


PYTHON_WEB = {
    "django", "flask", "fastapi", "starlette", "aiohttp", "tornado", "sanic", "bottle", "pyramid", "falcon",
    "quart", "litestar", "gunicorn", "uvicorn", "hypercorn", "waitress", "daphne", "granian",
}  # fmt: skip
# Modules that run in a process of their own: workers, commands, scripts, clocks launched separately.
_PY_NOT_WEB_PATH = re.compile(
    r"(^|/)(management/commands|scripts?|bin|tools|migrations|alembic)/|(^|/)(tasks|workers?|celery(app)?|consumers?|"
    r"cli|manage|__main__|wsgi_worker)\.py$"
)
_PY_MAIN_GUARD = re.compile(r"^if\s+__name__\s*==\s*['\"]__main__['\"]\s*:", re.M)
# Subclasses of Thread found by their class line; threads started found by `.start()` (any match:
# the parser decides what is code), then confirmed on the syntax tree.
_PY_THREAD_CLASS = re.compile(r"^[ \t]*class[ \t]+(\w+)[ \t]*\((?:threading\.)?(?:Thread|Timer)\)", re.M)
_PY_START = re.compile(r"\.start\(\)")
_PY_SCHEDULER = re.compile(
    r"\b(?:Background|AsyncIO|Gevent|Tornado|Twisted|Qt)Scheduler\s*\(|\bAPScheduler\s*\(|"
    r"\bmultiprocessing\.Process\(\s*target\s*=|@repeat_every\s*\(|\bschedule\.every\("  # fastapi-utils, schedule
)
_THREAD_NAMES = {"Thread", "Timer"}


def python_work(ctx: Context) -> list[Work]:
    """Threads started and schedulers built in the modules of a Python web app."""
    sources = [f for f in ctx.source("python") if f.role is None and not _PY_NOT_WEB_PATH.search(f.path)]
    web = bool(all_dependencies(ctx) & PYTHON_WEB)
    separate = _separately_launched(ctx)
    out: list[Work] = []
    subclasses = {h.match.group(1) for h in ctx.grep(_PY_THREAD_CLASS, ctx.source("python"), where="code")}
    calls = tuple(f"{name}(" for name in {"Thread", "Timer", *subclasses})
    for f in [h.file for h in _first_hits(ctx, _PY_START, sources, where="any")]:
        if any(c in f.text for c in calls) and _runs_in_web(f, web, separate):
            out += [w for w in _started_threads(f, subclasses) if not _only_called_by_workers(ctx, f, w.line)]
    for hit in _first_hits(ctx, _PY_SCHEDULER, sources, limit=3):
        if _runs_in_web(hit.file, web, separate):
            out.append(Work(hit.file, hit.line, hit.text, "an in-process scheduler"))
    for hit in _first_hits(ctx, _PY_POPEN, sources, limit=3):
        after = hit.file.text[hit.match.start() : hit.match.start() + 400]
        if _PY_OWN_COMMAND.search(after) and not _PY_WAITED.search(after) and _runs_in_web(hit.file, web, separate):
            if not _only_called_by_workers(ctx, hit.file, hit.line):
                out.append(Work(hit.file, hit.line, hit.text, "a background child process running the app's own command"))
    return out


# A child process started from web code that runs one of the app's own commands (manage.py, a script
# of the app under this interpreter) and is not waited for: a background job with no worker process type.
_PY_POPEN = re.compile(r"\bsubprocess\.Popen\s*\(|(?<![\w.])Popen\s*\(")
_PY_OWN_COMMAND = re.compile(r"\bmanage(?:\.py|_py)\b|\bsys\.executable\b|['\"](?:celery|rq|flask|django-admin)['\"]")
_PY_WAITED = re.compile(r"\.(?:wait|communicate)\s*\(|\bwith\s+(?:subprocess\.)?Popen\b")


def _first_hits(ctx: Context, pattern: re.Pattern, files: list[File], limit: int = 1, where: str = "code"):
    for f in files:
        yield from ctx.grep(pattern, [f], where=where, limit=limit)


def _separately_launched(ctx: Context) -> set[str]:
    """Module stems named by a non-web launch command (`clock: python clock.py`)."""
    out = set()
    for launch in ctx.fact(launches):
        if launch.stage == RUN and launch.name not in ("web", "CMD", "ENTRYPOINT"):
            out |= {t.rsplit("/", 1)[-1].removesuffix(".py") for t in re.split(r"[\s:]", launch.command) if t}
    return out


def python_web_modules(ctx: Context, files: list[File]) -> list[File]:
    """Those of `files` that are modules of a Python web app's process (not a worker, command or script)."""
    web = bool(all_dependencies(ctx) & PYTHON_WEB)
    separate = _separately_launched(ctx)
    return [f for f in files if f.role is None and not _PY_NOT_WEB_PATH.search(f.path) and _serves(f, web, separate)]


def _serves(f: File, web: bool, separate: set[str]) -> bool:
    """A module of the web process, a web app module that can also run itself (`uvicorn.run` under a main guard) included."""
    return f.name.removesuffix(".py") not in separate and (web or bool(_PY_WEB_FILE.search(f.text)))


def _runs_in_web(f: File, web: bool, separate: set[str]) -> bool:
    if f.name.removesuffix(".py") in separate or _PY_MAIN_GUARD.search(f.text):
        return False
    return web or bool(_PY_WEB_FILE.search(f.text))


_PY_WEB_FILE = re.compile(
    r"^[ \t]*@\w+(?:\.\w+)*\.(?:route|get|post|put|patch|delete|on_event)\(|^def\s+\w+\(\s*request\b|"
    r"\bFlask\(__name__|\bFastAPI\(|\bcreate_app\(|\bget_wsgi_application\(",
    re.M,
)


# A function is run by a worker process when it is a task or a worker signal handler, or when every
# call of it is in a worker module or in such a function (a heartbeat thread started by a helper that
# only a Celery task calls runs in the worker, though the web process imports the helper's module).
_WORKER_DECORATOR = re.compile(
    r"^(?:\w+\.)*(?:shared_task|task|periodic_task|db_task|db_periodic_task|actor|job|"
    r"(?:worker_process_init|worker_init|worker_ready|worker_shutdown|celeryd_init|worker_process_shutdown)\.connect)$"
)
_MAX_CALLERS = 24


def _only_called_by_workers(ctx: Context, f: File, line: int) -> bool:
    sources = [s for s in ctx.source("python") if s.role is None]
    return _worker_function(ctx, sources, f, _outer_function(f, line), set())


def _worker_function(ctx: Context, sources: list[File], file: File, func, visiting: set) -> bool:
    """Proven to run only in a worker; a cycle, a module-level call or too many callers prove nothing."""
    if func is None or (file.path, func.name) in visiting or len(visiting) >= _MAX_CALLERS:
        return False
    if any(_WORKER_DECORATOR.match(_dotted(d)) for d in func.decorator_list):
        return True
    visiting.add((file.path, func.name))
    call = re.compile(rf"(?<!\w){re.escape(func.name)}\(")
    hits = ctx.grep(call, [s for s in sources if func.name + "(" in s.text], where="code")
    callers = [(h.file, h.line) for h in hits if not h.text.lstrip().startswith(("def ", "async def "))]
    return bool(callers) and len(callers) <= _MAX_CALLERS and all(
        _PY_NOT_WEB_PATH.search(c.path) or _PY_MAIN_GUARD.search(c.text)
        or _worker_function(ctx, sources, c, _outer_function(c, n), visiting)
        for c, n in callers
    )


def _outer_function(f: File, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The module-level function or method whose body holds `line` (a closure's outer function)."""
    tree = _parse(f)
    if tree is None:
        return None
    bodies = [tree.body] + [n.body for n in tree.body if isinstance(n, ast.ClassDef)]
    for body in bodies:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno <= line <= node.end_lineno:
                return node
    return None


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _parse(f: File) -> ast.AST | None:
    try:
        return ast.parse(f.text)
    except (SyntaxError, ValueError, RecursionError):
        return None


def _name_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _started_threads(f: File, subclasses: set[str]) -> list[Work]:
    """`Thread(target=f).start()`, `t = EmailThread(msg); …; t.start()`, `threading.Timer(…).start()`."""
    tree = _parse(f)
    if tree is None:
        return []
    kinds = _THREAD_NAMES | subclasses

    def is_thread(node: ast.AST) -> bool:
        return isinstance(node, ast.Call) and _name_of(node.func) in kinds

    assigned: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and is_thread(node.value):
            assigned |= {_target(t) for t in node.targets} - {None}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "start":
            owner = node.func.value
            if is_thread(owner) or _target(owner) in assigned:
                out.append(Work(f, node.lineno, f.line_text(node.lineno), "a thread"))
    return out


def _target(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


# JavaScript: schedulers in the server file or in a module it imports.
JS_WORK = re.compile(
    r"\bsetInterval\s*\(|\bcron\.schedule\s*\(|\bnew\s+CronJob\s*\(|\bschedule\.scheduleJob\s*\(|@(?:Cron|Interval)\s*\(|"
    r"\bagenda\.(?:every|start)\s*\(|\bnew\s+Bree\s*\(|\bnew Worker\(\s*['\"`]|"
    # croner (`new Cron("*/5 * * * *", fn)`), cron v3's CronJob.from, toad-scheduler
    r"\bnew\s+Cron\s*\(|\bCronJob\.from\s*\(|\bnew\s+ToadScheduler\s*\(|"
    # a queue or workflow worker (Temporal Worker.create, a build*Worker helper) built where the server listens
    r"\b\w*[wW]orker\s*=\s*(?:await\s+)?(?:\w+\.)?(?:Worker\.create|(?:build|create|start)\w*Worker)\s*\("
)
_JS_SERVER = re.compile(r"\.listen\(|\bcreateServer\(|\bNestFactory\.create\s*[(<]")
_JS_IMPORT = re.compile(r"""(?:\brequire\(\s*|\bfrom\s+|^\s*import\s+)['"](\.{1,2}/[^'"\n]+)['"]""", re.M)
_JS_EXTS = ("", ".js", ".ts", ".mjs", ".cjs", "/index.js", "/index.ts")


def js_work(ctx: Context, hits_by_file: dict[str, list]) -> set[str]:
    """Files among `hits_by_file` that run in the web process: a server file, or one a server file imports."""
    sources = [f for f in ctx.source("javascript") if f.role is None]
    servers = [h.file for h in _first_hits(ctx, _JS_SERVER, sources)]
    inside = {f.path for f in servers}
    for f in servers:
        inside |= js_imports(f) & set(hits_by_file)
    # a module the server's own loader also imports (kernel.js requires servers.js and scheduler.js)
    rest = {p for p in hits_by_file if p not in inside}
    stems = {posixpath.basename(p).split(".", 1)[0] for p in rest}
    server_paths = {f.path for f in servers}
    for path in rest:  # a module that loads the server runs in its process
        if js_imports(hits_by_file[path][0].file) & server_paths:
            inside.add(path)
    for f in sources:
        if rest and any(f"/{stem}" in f.text for stem in stems):
            imported = js_imports(f)
            if imported & server_paths:
                inside |= imported & rest
    return inside & set(hits_by_file)


def js_imports(f: File) -> set[str]:
    """Candidate paths of the relative modules a JavaScript file imports or requires."""
    out = set()
    for m in _JS_IMPORT.finditer(f.text[:200_000]):
        base = posixpath.normpath(posixpath.join(f.dir, m.group(1)))
        out |= {base + ext for ext in _JS_EXTS}
    return out


# Go: a file of the server's package (a directory is one package) that builds a scheduler, or starts
# a goroutine that ticks. A ticker in a request handler (server-sent events) is the request's own loop.
_GO_SCHEDULER = re.compile(r"\bcron\.New\s*\(|\bgocron\.NewScheduler\s*\(")
_GO_TICKER = re.compile(r"\btime\.NewTicker\s*\(|\btime\.Tick\s*\(")
_GO_FOREVER = re.compile(r"^[ \t]*for\s*\{", re.M)  # an endless loop that sleeps between runs
_GO_STMT = re.compile(r"\bgo\s+(?:func\s*\(|([A-Za-z_]\w*)\s*\()")
_GO_SERVER = re.compile(
    r"\bListenAndServe(?:TLS)?\(|\.Run\(\s*(?:\"|addr|fmt\.)|\.Start\(\s*\"|\.Listen\(\s*\"|\.Serve\(|"
    r"\b(?:srv|server|e|echo|app|router)\.Start(?:TLS)?\(\s*[^)\s]"  # echo's e.Start(address)
)
_GO_MODULE = re.compile(r"^module\s+(\S+)", re.M)
_GO_IMPORT = re.compile(r"\"([\w.\-/]+)\"")


def go_work(ctx: Context) -> list[Work]:
    sources = [f for f in ctx.source("go") if f.role is None]
    server_dirs = {h.file.dir for h in _first_hits(ctx, _GO_SERVER, sources)}
    package = [f for f in sources if f.dir in server_dirs]
    # a scheduler built in a package the server's package imports (one or two hops) runs in the server process too
    hop1 = _go_imported_dirs(ctx, package) - server_dirs
    hop2 = _go_imported_dirs(ctx, [f for f in sources if f.dir in hop1]) - server_dirs  # main → app → jobs
    schedulers = package + [f for f in sources if f.dir in hop1 | hop2 and not f.name.endswith("_test.go")]
    out = [Work(h.file, h.line, h.text, "an in-process scheduler") for h in _first_hits(ctx, _GO_SCHEDULER, schedulers)]
    for f in package:
        for m in _GO_STMT.finditer(f.text) if "go " in f.text else ():
            body = _go_block(f.text, m.end()) if m.group(1) is None else _go_function(package, m.group(1))
            if body and (_GO_TICKER.search(body) or _GO_FOREVER.search(body) and "time.Sleep(" in body):
                line = f.line_of(m.start())
                what = "a goroutine on a ticker" if _GO_TICKER.search(body) else "a goroutine on an endless sleeping loop"
                out.append(Work(f, line, f.line_text(line), what))
    out += _go_handler_goroutines(ctx, sources)
    return out


# A goroutine a request handler starts and does not wait for (`go func() { download(…) }()` in a
# net/http, gin, echo, fiber or chi handler): the request's work goes on in the background of the web
# process, with no queue, retry or worker process type. A fan-out the handler waits for (wg.Wait(), a
# channel receive, errgroup) is the request's own concurrency.
_GO_HANDLER = re.compile(
    r"\bfunc\s*(?:\([^)]*\)\s*)?\w*\s*\([^)]*(?:http\.ResponseWriter|\*gin\.Context|echo\.Context|\*fiber\.Ctx)[^)]*\)"
)
_GO_GO_STMT = re.compile(r"(?m)^[ \t]*go\s+(?:func\s*\(|[A-Za-z_][\w.]*\s*\()")
_GO_WAITED = re.compile(r"\.Wait\s*\(|<-|\bselect\s*\{")
# A goroutine that signals, stops or restarts the process after the response (`ReloadApp`) is control, not a job.
_GO_CONTROL = re.compile(r"\bsyscall\.SIG\w+|\bos\.Exit\s*\(|\.Shutdown\s*\(|\bsignal\.Notify\s*\(")


def _go_handler_goroutines(ctx: Context, sources: list[File]) -> list[Work]:
    out = []
    for f in sources:
        if f.name.endswith("_test.go") or "go " not in f.text:
            continue
        for hit in ctx.grep(_GO_HANDLER, [f], where="code"):
            decl = _GO_HANDLER.search(f.text, f.line_starts[hit.line - 1])
            if decl is None:
                continue
            open_at = f.text.find("{", decl.end())
            body = _go_block(f.text, decl.end())
            for m in _GO_GO_STMT.finditer(body):
                inner = _go_block(body, m.end()) if "func" in m.group(0) else ""
                rest = body[m.end() + len(inner) :]
                if _GO_WAITED.search(rest) or _GO_CONTROL.search(inner):
                    continue
                line = f.line_of(open_at + m.start() + len(m.group(0)) - len(m.group(0).lstrip()))
                out.append(Work(f, line, f.line_text(line), "a goroutine a request handler starts and does not wait for"))
    return out


def _go_imported_dirs(ctx: Context, package: list[File]) -> set[str]:
    """Folders of this module's packages that the files of `package` import (one hop)."""
    mods = [(m.group(1), f.dir) for f in ctx.named("go.mod") if f.role is None for m in [_GO_MODULE.search(f.text)] if m]
    out = set()
    for f in package:
        block = re.search(r"^import\s*\(([^)]*)\)|^import\s+(\"[^\"\n]+\")", f.text[:50_000], re.M)
        for m in _GO_IMPORT.finditer(block.group(0) if block else ""):
            for module, base in mods:
                if m.group(1).startswith(module + "/"):
                    rest = m.group(1)[len(module) + 1 :]
                    out.add(f"{base}/{rest}" if base else rest)
    return out


def _go_block(text: str, start: int) -> str:
    """The brace-delimited body that starts after `start` (a func literal's, a function's)."""
    open_at = text.find("{", start)
    if open_at < 0:
        return ""
    depth = 0
    for i in range(open_at, min(len(text), open_at + 20_000)):
        c = text[i]
        depth += (c == "{") - (c == "}")
        if depth == 0:
            return text[open_at : i + 1]
    return text[open_at : open_at + 20_000]


def _go_function(package: list[File], name: str) -> str:
    decl = re.compile(r"^func\s+(?:\([^)]*\)\s*)?" + re.escape(name) + r"\s*\(", re.M)
    for f in package:
        m = decl.search(f.text)
        if m:
            return _go_block(f.text, m.end())
    return ""


# Rails: jobs or schedules run by threads of the Puma process.
_RAILS_ASYNC = re.compile(
    r"\bqueue_adapter\s*=\s*:async\b|\bgood_job\.execution_mode\s*=\s*:async\b|\bRufus::Scheduler\.(?:new|singleton)\b|"
    r"\bConcurrent::TimerTask\.new\b"
)
# Puma plugins that run a job queue (or its Redis) inside the web server: solid_queue, an embedded Sidekiq, good_job.
_PUMA_PLUGIN = re.compile(
    r"^[ \t]*plugin\s+[:'\"](?:solid_queue|sidekiq\w*|good_job|delayed_job|que|resque\w*|redis_server)\b(?![^\n]*\bif\b)", re.M
)
# A thread started by an initializer runs in every process that boots Rails, the web server's included.
_RUBY_THREAD = re.compile(r"\bThread\.new\b")
_RUBY_LOOP = re.compile(r"\b(?:loop\s+do|loop\s*\{|while\s+true\b)[\s\S]{0,1500}?\bsleep\b")
_RAILS_NOT_PROD = re.compile(r"config/environments/(?:development|test)\.rb$")


def ruby_work(ctx: Context) -> list[Work]:
    out = []
    files = [f for f in ctx.source("ruby") if f.role is None and (f.path.startswith("config/") or "/config/" in f.path)]
    for hit in _first_hits(ctx, _RAILS_ASYNC, [f for f in files if not _RAILS_NOT_PROD.search(f.path)], limit=3):
        out.append(Work(hit.file, hit.line, hit.text, "jobs on threads of the web server"))
    initializers = [f for f in files if "config/initializers/" in f.path and "Thread.new" in f.text]
    for hit in _first_hits(ctx, _RUBY_THREAD, initializers, limit=3):
        block = hit.file.text[hit.match.end() : hit.match.end() + 2000]
        if _RUBY_LOOP.search(block):
            out.append(Work(hit.file, hit.line, hit.text, "a looping thread started when the web server boots"))
    controllers = [f for f in ctx.source("ruby") if f.role is None and "app/controllers/" in f.path and "Thread.new" in f.text]
    for hit in _first_hits(ctx, _RUBY_THREAD, controllers, limit=3):
        out.append(Work(hit.file, hit.line, hit.text, "a thread a controller action starts"))
    pumas = [f for f in ctx.source("ruby") if f.name == "puma.rb" and f.role is None]
    for hit in _first_hits(ctx, _PUMA_PLUGIN, pumas):
        out.append(Work(hit.file, hit.line, hit.text, "the job queue inside Puma"))
    return out


# .NET: a controller action that starts work on the thread pool and does not await it (`Task.Run(…)`,
# `_ = Task.Run(…)`, `Task.Factory.StartNew(…)`, `ThreadPool.QueueUserWorkItem`): fire-and-forget
# work of the web process, with no queue or worker.
_DOTNET_FIRE = re.compile(
    r"(?<![\w.])(?:Task\.Run|Task\.Factory\.StartNew|ThreadPool\.QueueUserWorkItem)\s*\(|\bnew\s+Thread\s*\("
)
_DOTNET_CONTROLLER = re.compile(r":\s*(?:Controller|ControllerBase|ApiController)\b|\[ApiController\]")


def dotnet_work(ctx: Context) -> list[Work]:
    out = []
    files = [f for f in ctx.source("dotnet") if f.role is None and ("Task." in f.text or "Thread" in f.text)]
    for hit in _first_hits(ctx, _DOTNET_FIRE, files, limit=3):
        before = hit.file.text[hit.file.line_starts[hit.line - 1] : hit.file.line_starts[hit.line - 1] + 4000]
        before = before[: before.find(hit.match.group(0))] if hit.match.group(0) in before else ""
        if re.search(r"\b(?:await|return)\s+$", before) or re.search(r"\bvar\s+\w+\s*=\s*$|\bTask(?:<[^>]*>)?\s+\w+\s*=\s*$", before):
            continue  # awaited, returned, or kept to be awaited
        if ctx.first(_DOTNET_CONTROLLER, [hit.file], where="code") is not None:
            out.append(Work(hit.file, hit.line, hit.text, "work a controller action starts and does not wait for"))
    return out


# Laravel/Symfony: the scheduler or a queue worker run from a web request (a /cron URL pinged from outside).
_PHP_CONSOLE_IN_WEB = re.compile(
    r"\b(?:Artisan::call|\$this->artisan|Artisan::queue)\s*\(\s*['\"](?:schedule:run|schedule:work|queue:work|queue:listen)\b|"
    r"\bnew\s+ArrayInput\s*\(\s*\[\s*['\"]command['\"]\s*=>\s*['\"](?:messenger:consume|scheduler:run)"
)
_PHP_WEB_PATH = re.compile(r"(?:^|/)(?:app/Http|routes|src/Controller|Controllers?)/")


def php_work(ctx: Context) -> list[Work]:
    files = [f for f in ctx.source("php") if f.role is None]
    out = []
    for hit in _first_hits(ctx, _PHP_CONSOLE_IN_WEB, files, limit=3, where="code"):
        if _PHP_WEB_PATH.search(hit.file.path) or "extends Controller" in hit.file.text:
            out.append(Work(hit.file, hit.line, hit.text, "the scheduler or a queue worker run by a web request"))
    return out


# Java, PHP, Rust, .NET (and JavaScript's patterns): what runs work, and what makes a file part of the web.
_THREADS = {
    "javascript": JS_WORK,
    "java": re.compile(
        r"@Scheduled\s*\(|\bnew Thread\(|\.scheduleAtFixedRate\s*\(|\.scheduleWithFixedDelay\s*\(|"
        r"\bStdSchedulerFactory\s*\(|\bnew Timer\(\)|\bextends QuartzJobBean\b"
    ),
    "php": re.compile(r"\bTimer::(?:tick|after|add)\s*\(|->tick\s*\(\s*\d|->addPeriodicTimer\s*\("),
    "rust": re.compile(r"\bJobScheduler::new\s*\(|\bclokwerk::Scheduler|\btokio::time::interval\s*\("),
    "dotnet": re.compile(r"\bAddHangfireServer\s*\(|\bAddQuartzHostedService\s*\(|\bAddHostedService\s*<"),
}
# Files that run inside the web process: request handlers or the server's start-up.
_WEB_FILE = {
    "javascript": re.compile(r"\.listen\(|\bcreateServer\(|\b(?:app|router)\.(?:get|post|put|delete|use)\s*\("),
    "java": re.compile(r"@(?:Rest)?Controller\b|@SpringBootApplication|@EnableScheduling"),
    "php": re.compile(
        r"\bnew\s+(?:\\?Swoole\\Http\\Server|\\?OpenSwoole\\HTTP\\Server|HttpServer|Server)\s*\(|->on\(\s*['\"]request['\"]"
    ),
    "rust": re.compile(
        r"HttpServer::new|axum::serve|Router::new|rocket::(?:build|custom|ignite)\b|#\[(?:rocket::main|launch)\]|warp::serve|"
        r"\bServer::bind\(|\btide::new\(|\bpoem::Server\b|\bsalvo::Server\b"
    ),
    "dotnet": re.compile(
        r"WebApplication\.CreateBuilder|\bMapControllers\(|\bUseRouting\(|\bConfigureWebHostDefaults\("
    ),
}
# A Spring app runs @Scheduled methods of any bean once scheduling is enabled (and Quartz job beans
# with the Quartz starter), in the web process when it serves HTTP (spring-boot-starter-web/webflux).
_SPRING_SCHEDULING = re.compile(r"@EnableScheduling\b")
_SPRING_WEB = {"spring-boot-starter-web", "spring-boot-starter-webflux", "spring-boot-starter-webmvc"}
_SCHEDULER_LOCK = re.compile(r"@SchedulerLock\b|\bShedLock\b")
# NestJS: an @Cron/@Interval provider runs in whatever process builds its module; the web process when
# the app is started with NestFactory.create and no standalone context (a scheduler process) exists.
_NEST_DECORATOR = re.compile(r"@(?:Cron|Interval)\s*\(")
_NEST_WEB = re.compile(r"\bNestFactory\.create\s*[(<]")
_NEST_STANDALONE = re.compile(r"\bNestFactory\.createApplicationContext\s*\(")


def framework_work(ctx: Context) -> Iterator[Work]:
    """Schedulers, timers and job servers of Java, PHP, Rust and .NET in files that serve the web,
    and JavaScript schedulers in the server or a module it imports."""
    hits_by_file: dict[str, list] = {}
    for language, pattern in _THREADS.items():
        for f in ctx.source(language):
            hits = list(ctx.grep(pattern, [f], where="code", limit=3))  # rare: look for it first
            if hits and not (language == "javascript" and is_browser_script(ctx, f)):
                hits_by_file[f.path] = hits
    if not hits_by_file:
        return
    js_inside = js_work(ctx, hits_by_file)
    deps = all_dependencies(ctx)
    spring = bool(deps & _SPRING_WEB) and (
        "spring-boot-starter-quartz" in deps
        or ctx.first(_SPRING_SCHEDULING, ctx.source("java"), where="code") is not None
    )
    if spring:
        yield from _spring_scheduling_enabled(ctx, hits_by_file)
    for path, hits in hits_by_file.items():
        f, language = hits[0].file, hits[0].file.language
        if language == "java" and _SCHEDULER_LOCK.search(f.text):
            continue
        nest = language == "javascript" and all(_NEST_DECORATOR.search(h.text) for h in hits)
        if nest:
            inside = ctx.fact(nest_web)
        elif language == "javascript":
            inside = path in js_inside
        else:
            inside = ctx.first(_WEB_FILE[language], [f], where="code") is not None
            inside |= (
                language == "java"
                and spring
                and any(("@Scheduled" in h.text or "QuartzJobBean" in h.text) for h in hits)
            )
        if inside:
            for hit in hits:
                line = _spawned_at(f, hit.line) if language == "rust" else hit.line
                yield Work(f, line, f.line_text(line), "a scheduler or a thread")


_ENABLE_SCHEDULER_LOCK = re.compile(r"@EnableSchedulerLock\b")


def _spring_scheduling_enabled(ctx: Context, hits_by_file: dict[str, list]) -> Iterator[Work]:
    """`@EnableScheduling` on the application (or a configuration) class of a Spring web app whose beans
    have @Scheduled methods: the switch that runs every schedule in each web replica. Not with ShedLock."""
    java = [f for f in ctx.source("java") if f.role is None]
    unlocked = [hits for hits in hits_by_file.values() if not _SCHEDULER_LOCK.search(hits[0].file.text)]
    if not any("@Scheduled" in h.text for hits in unlocked for h in hits):
        return  # no schedule, or every one runs under ShedLock's lock
    if ctx.first(_ENABLE_SCHEDULER_LOCK, java, where="code") is not None:
        return
    for hit in ctx.grep(_SPRING_SCHEDULING, java, where="code", limit=1):
        yield Work(hit.file, hit.line, hit.text, "scheduling enabled in the web app")
        return


_RUST_SPAWN = re.compile(r"\bthread::(?:Builder::new\(\)|spawn\s*\()|\b(?:tokio|task|rt)::spawn\s*\(")


def _spawned_at(f: File, line: int) -> int:
    """The line of the thread or task a Rust scheduler is built in (a few lines above it), else its own line."""
    for n in range(line, max(0, line - 12), -1):
        if _RUST_SPAWN.search(f.line_text(n)):
            return n
    return line


def nest_web(ctx: Context) -> bool:
    """NestJS schedules run in the web process: it is started with NestFactory.create, and no
    standalone application context (a process of its own for the schedules) exists."""
    sources = ctx.source("javascript")
    return (
        ctx.first(_NEST_WEB, sources, where="code") is not None
        and ctx.first(_NEST_STANDALONE, sources, where="code") is None
    )


def iter_lines(works: list[Work]) -> Iterator[Work]:
    seen = set()
    for w in works:
        if (w.file.path, w.line) not in seen:
            seen.add((w.file.path, w.line))
            yield w
