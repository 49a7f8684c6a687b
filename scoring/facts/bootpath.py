"""Schema changes in the server's start-up code, followed one call across files.

A schema call (`db.create_all()`, `Database.Migrate()`, `AutoMigrate`, `sequelize.sync()` …, see
`migrations.SCHEMA_CALLS`) is on the boot path when it is in a start-up file (the module a start
command runs, an app factory, `Program.cs`, `main.go`, a Spring `@PostConstruct` …), or in a function
a start-up file calls (`main.py`'s lifespan calls `init_db()` in db.py), or in a module a start-up
file imports (module-level `Base.metadata.create_all(engine)` in models.py).

Code outside any deployable of a monorepo (src/Infrastructure used by src/Web and src/PublicApi)
is searched too, and reported only when a start-up file of this deployable reaches it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..context import Context
from ..tree import File
from .callgraph import BOOT_DECORATOR, MAX_REFERENCES, ONE_OFF_DECORATOR, call_from, enclosing, owner_tokens
from .migrations import KNOWN_RUNNER, MIGRATE_COMMAND, OWN_ROUTINE, SCHEMA_CALLS
from .startpath import started_files

# One-off code: scripts, migrations, management commands, seeds, CLIs, tasks (not the boot path).
_ONE_OFF_DIR = re.compile(
    r"(^|/)(?:migrat\w*|scripts?|bin|management|commands|console|cli|cmd/(?:migrate|seed|\w*admin\w*)|tasks|seeds?|seeders|tools)/",
    re.I,
)
_ONE_OFF_NAME = re.compile(r"(^|/)(?:seed|init_db|initdb|create_db|setup_db|manage|migrate)\w*\.\w+$", re.I)
_MODULE_STEMS = {"index", "main", "mod", "lib", "__init__", "app", "server", "start", "run", "setup"}
_GO_MAIN = re.compile(r"^package\s+main\b", re.M)

# Start-up files by name, per language (relative to the deployable).
_BOOT_NAMES = {
    "python": re.compile(r"(^|/)(?:app|main|server|wsgi|asgi|application|apps|__init__|run|serve)\.py$"),
    "javascript": re.compile(r"(^|/)(?:src/)?(?:server|app|index|main|bootstrap|start)\.(?:[cm]?[jt]s)$"),
    "go": re.compile(r"(^|/)main\.go$"),
    "ruby": re.compile(
        r"(^|/)(?:config\.ru|config/(?:application|environment|boot|puma)\.rb|config/initializers/[^/]+\.rb|app\.rb)$"
    ),
    "java": re.compile(r"(?!)"),
    "php": re.compile(
        r"(^|/)(?:app/Providers/[^/]+\.php|bootstrap/app\.php|public/index\.php|index\.php|src/Kernel\.php)$"
    ),
    "rust": re.compile(r"(^|/)src/main\.rs$"),
    "dotnet": re.compile(r"(^|/)(?:Program|Startup)\.cs$"),
}
# Start-up files by what they hold (searched only in files of that language).
_BOOT_CODE = {
    "python": re.compile(
        r"\bFlask\(__name__|\bFastAPI\(|\bdef\s+create_app\(|@app\.(?:before_first_request|on_event)\b|\blifespan\b|"
        r"\bdef\s+ready\(self\)"
    ),
    "javascript": re.compile(
        r"\bNestFactory\.create\b|\.listen\(\s*(?:\w|process\.env)|\bcreateServer\(|\bexpress\(\)"
    ),
    "go": re.compile(r"^func\s+(?:main|init)\(\)", re.M),
    "ruby": re.compile(r"\bRails\.application\.configure\b|<\s*Sinatra::Base\b"),
    "java": re.compile(
        r"@SpringBootApplication\b|\bpublic\s+static\s+void\s+main\s*\(|@PostConstruct\b|\bimplements\s+[\w\s,]*\b(?:CommandLineRunner|ApplicationRunner)\b|"
        r"\bApplicationReadyEvent\b|\bContextRefreshedEvent\b|@Startup\b|\bStartupEvent\b|\bServletContextListener\b|\bfun\s+main\s*\(|"
        r"\bApplication\.module\b|\bembeddedServer\("
    ),
    "php": re.compile(r"\bfunction\s+boot\s*\(|\$app\s*=\s*new\s+\\?Illuminate\\Foundation\\Application\b"),
    "rust": re.compile(
        r"#\[(?:tokio|actix_web|actix_rt|async_std|rocket|shuttle_runtime)::main\]|#\[launch\]|^fn\s+main\(\)", re.M
    ),
    "dotnet": re.compile(
        r"\bWebApplication\.Create(?:Slim)?Builder\b|\bHost\.Create(?:Default|Application)Builder\b|"
        r":\s*(?:BackgroundService|IHostedService)\b|\bstatic\s+(?:async\s+\w+(?:<\w+>)?|void|int)\s+Main\s*\("
    ),
}


@dataclass(frozen=True)
class BootSchemaChange:
    file: File
    line: int
    snippet: str
    via: str  # "" when the call is in start-up code itself; else how start-up code reaches it (no line
    # number: messages are part of a finding's fingerprint, which must survive edits elsewhere in the file)


def one_off(ctx: Context, f: File) -> bool:
    """Code run as a one-off, not on the server's boot path. In Go a program is a `package main`: a
    migrate.go in the server's own packages (its init() runs at every start) is on the boot path."""
    rel = ctx.rel(f.path)
    if _ONE_OFF_DIR.search(rel):
        return True
    return bool(_ONE_OFF_NAME.search(rel)) and (f.language != "go" or bool(_GO_MAIN.search(f.text)))


def outside_deployables(ctx: Context) -> list[File]:
    """Source files of a monorepo that belong to no deployable (shared projects), for a deployable's context."""
    owned = getattr(ctx, "_exclude", ())  # every deployable's folder; empty outside a monorepo
    if not owned or ctx.scope in ("", "."):
        return []
    mine = {f.path for f in ctx.files}
    return [
        f
        for f in ctx.tree.files
        if f.language and f.role is None and f.path not in mine and not f.path.startswith(owned)
    ]


def boot_files(ctx: Context) -> list[File]:
    """The deployable's start-up files: by name, by what they hold, and the modules start commands run."""
    out = {f.path: f for f in ctx.fact(started_files)}
    for language, names in _BOOT_NAMES.items():
        files = [f for f in ctx.source(language) if f.role is None and not _ONE_OFF_DIR.search(ctx.rel(f.path))]
        out.update((f.path, f) for f in files if names.search(ctx.rel(f.path)))
        rest = [f for f in files if f.path not in out]
        for hit in ctx.grep(_BOOT_CODE[language], rest, where="code", limit=1):
            out[hit.file.path] = hit.file
    return list(out.values())


def boot_schema_changes(ctx: Context) -> list[BootSchemaChange]:
    """Schema calls on the server's boot path, each with how start-up code reaches it."""
    if ctx.shared_code:
        return []  # no boot path of its own: each deployable follows its calls into this code
    shared = outside_deployables(ctx)
    out: list[BootSchemaChange] = []
    boot: list[File] | None = None
    followed, spawn_checked = 0, set()  # searches of the whole codebase for callers: bounded per context
    for language, pattern in SCHEMA_CALLS.items():
        files = [f for f in ctx.source(language) if f.role is None] + [f for f in shared if f.language == language]
        for hit in ctx.grep(pattern, files, where="code", limit=3):
            if hit.file.ext == ".rake":
                continue  # a Rake task: only `rake` loads it, never the server
            tests = _RUST_TESTS.search(hit.file.text) if hit.file.ext == ".rs" else None
            if tests is not None and _offset(hit) > tests.start():
                continue  # the file's tests module
            if hit.match.group(0).startswith("upgrade(") and "flask_migrate" not in hit.file.text:
                continue  # a bare upgrade() is Flask-Migrate's only where the module imports it
            around = enclosing(hit.file, _offset(hit))
            if ONE_OFF_DECORATOR.search(around.decorators) or _branch_returns(hit.file, hit.line):
                continue
            if boot is None:
                boot = ctx.fact(boot_files)
            in_context = hit.file not in shared
            matched = hit.match.group(0)  # the app's own routine: reported in start-up code or what it reaches
            own_routine = bool(OWN_ROUTINE.search(matched)) and not KNOWN_RUNNER.search(matched)
            direct = in_context and (
                hit.file in boot  # start-up code itself: an entry module, Program.cs, a Rails initializer
                or (
                    not own_routine
                    and not one_off(ctx, hit.file)
                    and (language != "python" or bool(BOOT_DECORATOR.search(around.decorators)))
                )
            )
            if direct:
                line = hit.line + matched.count("\n")  # a chain over several lines: where it migrates
                out.append(BootSchemaChange(hit.file, line, hit.file.line_text(line).strip() if line != hit.line else hit.text, ""))
                if hit.file not in boot and followed < MAX_FOLLOWED:
                    followed += 1
                    out += _library_callers(ctx, hit, around, language)
                continue
            if language == "go" and _GO_MAIN.search(hit.file.text) and one_off(ctx, hit.file):
                continue  # another program (cmd/migrate): it cannot be imported by the server
            if _then_serves(hit, around):
                out.append(BootSchemaChange(hit.file, hit.line, hit.text, f"{around.function} then starts the server"))
                continue
            same_language = [f for f in boot if f.language == language]
            call = call_from(ctx, same_language, hit.file, around)
            if call is not None:
                what = f"{around.owner}.{around.function}" if around.owner and around.function else around.function
                how = f"calls {what}" if what else f"imports {hit.file.name}"
                out.append(BootSchemaChange(hit.file, hit.line, hit.text, f"{ctx.rel(call.file.path)} {how}"))
                continue
            spawned = None
            if in_context and followed < MAX_FOLLOWED and hit.file.path not in spawn_checked:
                followed += 1
                spawn_checked.add(hit.file.path)
                spawned = _spawned_from_boot(ctx, hit.file, language, same_language)
            if spawned:
                out.append(BootSchemaChange(hit.file, hit.line, hit.text, spawned))
    out += _commands_in_boot_code(ctx)
    unique = {(c.file.path, c.line): c for c in reversed(out)}  # the first of each place, in order
    return [c for c in out if unique[(c.file.path, c.line)] is c]


MAX_CALLERS = 3
MAX_FOLLOWED = 24  # schema calls whose callers (or spawners) are searched for, per context
MAX_CALLER_DEPTH = 3
_RUST_TESTS = re.compile(r"^#\[cfg\(test\)\]\s*(?:#\[[^\]\n]*\]\s*)*(?:pub(?:\([\w:]+\))?\s+)?mod\b", re.M)  # the tests module of a file


def _library_callers(ctx: Context, hit, around, language: str) -> list[BootSchemaChange]:
    """Where server code calls the library function that migrates (`DbPool::from_config` calling
    `run_migrations`, a pool builder calling `schema_setup::run`): the call decides that migrations
    run at start, so it is reported there too, start-up code included (`await Database.patch(port)`
    in server.js's initDatabase: the line an operator reads to see that the server migrates). Calls are followed up through the migrating file (up to
    MAX_CALLER_DEPTH) to the first calls from another file, else to the outermost calls in it. Calls
    in one-off code, in tests and a function's own definition are not callers; a call in another
    file names the function's module or class."""
    level = [(hit.file, around)]
    reported: list[tuple[File, object, int, str]] = []
    for _ in range(MAX_CALLER_DEPTH):
        calls = [(*c, found.function) for f, found in level for c in _callers_of(ctx, f, found, language)][:MAX_CALLERS]
        if not calls:
            break
        outside = [c for c in calls if c[0] is not hit.file]
        reported = outside or calls
        if outside:
            break
        level = [(f, found) for f, found, _line, _callee in calls]
    out = []
    for f, found, line, callee in reported:
        what = f"{found.owner}.{found.function}" if found.owner else found.function
        how = f"{what} calls {callee}" + (f", which reaches {around.function}" if callee != around.function else ", which migrates")
        out.append(BootSchemaChange(f, line, f.line_text(line).strip(), how))
    return out


def _callers_of(ctx: Context, target: File, around, language: str) -> list[tuple[File, object, int]]:
    if not around.function or len(around.function) < 3:
        return []
    name = re.compile(rf"(?<![\w$]){re.escape(around.function)}\s*(?:::<[^>\n]*>)?\s*\(")
    tokens = owner_tokens(target, around)
    out = []
    for f in ctx.source(language):
        if f.role is not None or around.function not in f.text or one_off(ctx, f):
            continue
        tests = _RUST_TESTS.search(f.text) if f.ext == ".rs" else None
        for m in itertools.islice(name.finditer(f.text), MAX_REFERENCES):
            if tests is not None and m.start() > tests.start():
                break
            line = f.line_of(m.start())
            if f is not target and not any(re.search(rf"\b{re.escape(t)}\b", f.line_text(line)) for t in tokens):
                continue
            caller = enclosing(f, m.start())
            if caller.function in (None, around.function) or "test" in caller.function.lower():
                continue  # the definition itself, module-level code, a test helper
            if ONE_OFF_DECORATOR.search(caller.decorators):
                continue
            out.append((f, caller, line))
            if len(out) >= MAX_CALLERS:
                return out
    return out


# The server started by the same function, after the schema change: `database.Migrate(db)` … `startDaemon(store)`.
_SERVER_START = re.compile(
    r"\b(?:ListenAndServe(?:TLS)?|[sS]tart(?:Daemon|Server|HTTPServer|HttpServer|WebServer)|[rR]un(?:Server|Daemon|WebServer))\s*\(|"
    r"\b(?:host|app|server|srv|httpServer|webServer)\.(?:Run(?:Async)?|Serve|ListenAndServe|listen|serve_forever|run)\s*\(|"
    r"\bHttpServer::new\b|\buvicorn\.run\s*\("
)
_SERVES_WITHIN = 4000  # characters after the schema call


def _then_serves(hit, around) -> bool:
    """The function that changes the schema goes on to start the server: it is the boot path, wherever it lives."""
    if not around.function:
        return False
    start = _offset(hit)
    for m in itertools.islice(_SERVER_START.finditer(hit.file.text, start, start + _SERVES_WITHIN), MAX_REFERENCES):
        if enclosing(hit.file, m.start()).function == around.function:
            return True
    return False


_LEAVES = re.compile(r"^(?:return;?$|exit\b|os\.Exit\(|sys\.exit\(|process\.exit\(|std::process::exit\(|die\b)")


# The condition of a command-line branch: a flag, an argument, a subcommand.
_CLI_CONDITION = re.compile(r"(?i)^(?:\}\s*)?(?:if|elif|else\s+if|when|case)\b.*(?:\bflag|\bargs?\b|argv|\bcmd\b|command|subcommand|--?[\w\-]*migrat|\bmigrate\b)")


def _branch_returns(f: File, line: int) -> bool:
    """The schema call is in a command-line branch that returns once it is done (`if flagMigrate {
    database.Migrate(db); return }`, `if (args.Contains("--migrate")) { …; return; }`): a one-off, not
    the way to the server. The branch's condition names a flag, an argument or a command (an early
    return for SQLite in an upgrade function the server calls is not one), and only a bare return or
    an exit counts (`return engine` ends an init function)."""
    if not _CLI_CONDITION.match(_condition_above(f, line)):
        return False
    indent = _indent(f.line_text(line))
    for i in range(line + 1, min(line + 40, len(f.lines) + 1)):
        text = f.line_text(i)
        if not text.strip():
            continue
        level = _indent(text)
        if level < indent:
            return False
        if level == indent and _LEAVES.match(text.strip()):
            return True
    return False


def _condition_above(f: File, line: int) -> str:
    """The header of the block a line is in: the nearest line above indented less (a lone `{` skipped)."""
    indent = _indent(f.line_text(line))
    for i in range(line - 1, max(0, line - 20), -1):
        text = f.line_text(i)
        if text.strip() and text.strip() != "{" and _indent(text) < indent:
            return text.strip()
    return ""


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


# A process started from code: fork("…/scripts/checkMigrations.js"), spawn, Popen, exec.Command …
_SPAWN = re.compile(
    r"\b(?:fork|spawn(?:Sync)?|exec(?:File)?(?:Sync)?|Popen|check_call|Process\.Start|Command::new|exec\.Command(?:Context)?)\s*\("
)


def _spawned_from_boot(ctx: Context, target: File, language: str, boot: list[File]) -> str | None:
    """A one-off script that start-up code runs as a child process (`checkPendingMigrations()` forking
    scripts/checkMigrations.js at every start): how start-up code reaches it, else None."""
    stem = target.name.split(".", 1)[0]
    if len(stem) < 5 or stem in _MODULE_STEMS:
        return None
    word = re.compile(rf"\b{re.escape(stem)}\b")
    for f in ctx.source(language):
        if f.role is not None or f is target or stem not in f.text or one_off(ctx, f):
            continue
        for m in itertools.islice(word.finditer(f.text), MAX_REFERENCES):
            line = f.line_of(m.start())
            window = "\n".join(f.line_text(i) for i in range(max(1, line - 3), line + 1))
            if not _SPAWN.search(window):
                continue
            around = enclosing(f, m.start())
            if f in boot:
                return f"{ctx.rel(f.path)} runs {target.name}"
            call = call_from(ctx, boot, f, around) if around.function else None
            if call is not None:
                return f"{ctx.rel(call.file.path)} calls {around.function}, which runs {target.name}"
    return None


def _offset(hit) -> int:
    """The hit's offset in the file's full text (grep's offsets are in the line-capped view)."""
    return hit.file.line_starts[hit.line - 1] + (hit.match.start() - hit.file.scan_view.line_starts[hit.line - 1])


# A migration command run from start-up code: `execSync("npx prisma migrate deploy")`, os.system(…).
_EXEC_MIGRATION = re.compile(
    r"\b(?:exec(?:Sync|a)?|spawn(?:Sync)?|system|popen|Popen|run|check_call|check_output|call|shell_exec|passthru)\s*\("
    r"[^\n]{0,120}?\b(?:prisma|manage\.py|alembic|artisan|db:migrate|db:prepare|migrate:latest|migration:run|flyway|goose|"
    r"sequelize|typeorm|knex|dbmate|diesel|sqlx|liquibase)\b"
)


def _commands_in_boot_code(ctx: Context) -> list[BootSchemaChange]:
    out = []
    files = [f for f in ctx.source("python", "javascript", "ruby", "php", "go") if f.role is None]
    for hit in ctx.grep(_EXEC_MIGRATION, files, where=("code", "string")):
        if MIGRATE_COMMAND.search(hit.text) and hit.file in ctx.fact(boot_files):
            out.append(BootSchemaChange(hit.file, hit.line, hit.text, ""))
    return out
