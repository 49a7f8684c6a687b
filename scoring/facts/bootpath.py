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

import re
from dataclasses import dataclass

from ..context import Context
from ..tree import File
from .callgraph import BOOT_DECORATOR, ONE_OFF_DECORATOR, call_from, enclosing
from .migrations import MIGRATE_COMMAND, SCHEMA_CALLS
from .startpath import started_files

# One-off code: scripts, migrations, management commands, seeds, CLIs, tasks (not the boot path).
_ONE_OFF_DIR = re.compile(
    r"(^|/)(?:migrat\w*|scripts?|bin|management|commands|console|cli|cmd/(?:migrate|seed|\w*admin\w*)|tasks|seeds?|seeders|tools)/",
    re.I,
)
_ONE_OFF_NAME = re.compile(r"(^|/)(?:seed|init_db|initdb|create_db|setup_db|manage|migrate)\w*\.\w+$", re.I)
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
    for language, pattern in SCHEMA_CALLS.items():
        files = [f for f in ctx.source(language) if f.role is None] + [f for f in shared if f.language == language]
        for hit in ctx.grep(pattern, files, where="code", limit=3):
            if hit.match.group(0).startswith("upgrade(") and "flask_migrate" not in hit.file.text:
                continue  # a bare upgrade() is Flask-Migrate's only where the module imports it
            around = enclosing(hit.file, _offset(hit))
            if ONE_OFF_DECORATOR.search(around.decorators):
                continue
            if boot is None:
                boot = ctx.fact(boot_files)
            in_context = hit.file not in shared
            direct = in_context and (
                hit.file in boot  # start-up code itself: an entry module, Program.cs, a Rails initializer
                or (
                    not one_off(ctx, hit.file)
                    and (language != "python" or bool(BOOT_DECORATOR.search(around.decorators)))
                )
            )
            if direct:
                out.append(BootSchemaChange(hit.file, hit.line, hit.text, ""))
                continue
            if language == "go" and _GO_MAIN.search(hit.file.text) and one_off(ctx, hit.file):
                continue  # another program (cmd/migrate): it cannot be imported by the server
            call = call_from(ctx, [f for f in boot if f.language == language], hit.file, around)
            if call is not None:
                what = f"{around.owner}.{around.function}" if around.owner and around.function else around.function
                how = f"calls {what}" if what else f"imports {hit.file.name}"
                out.append(BootSchemaChange(hit.file, hit.line, hit.text, f"{ctx.rel(call.file.path)} {how}"))
    out += _commands_in_boot_code(ctx)
    return out


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
