"""XII. Admin processes — run admin and management tasks as one-off processes from the same codebase."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from ..context import Context, Raw, found
from ..facts.k8s import helm_templates
from ..facts.launch import INIT, JOB, RELEASE, RUN, launches
from ..facts.migrations import MIGRATE_COMMAND, migration_tools
from ..facts.shell import start_scripts
from ..model import Severity
from ..registry import check
from ..tree import File

FACTOR = 12

_ADMIN_PATHS = (
    ("Django management commands", re.compile(r"(^|/)management/commands/(?!__init__)\w+\.py$")),
    ("rake tasks", re.compile(r"(^|/)lib/tasks/[^/]+\.rake$")),
    ("Artisan commands", re.compile(r"(^|/)app/Console/Commands/[^/]+\.php$")),
    ("Rust binaries", re.compile(r"(^|/)src/bin/[^/]+\.rs$")),
    ("scripts", re.compile(r"(^|/)(?:bin|scripts?)/[\w.\-]+$")),
)
_ADMIN_NPM_SCRIPT = re.compile(r"migrat|seed|db:|admin|task|job|backfill|cleanup|import|export", re.I)
_ARGV_PUNCTUATION = re.compile(r"[\"',\[\]]+")
_HELM_HOOK = re.compile(r"helm\.sh/hook['\"]?\s*:\s*['\"]?[\w\-,]*(?:pre|post)-(?:install|upgrade)")

# Schema changes in the server's boot path (code).
_BOOT_MIGRATION = {
    "python": re.compile(r"\bdb\.create_all\(\s*\)|\.metadata\.create_all\(|\bcall_command\(\s*['\"]migrate['\"]|\bcommand\.upgrade\(\s*\w+\s*,\s*['\"]head['\"]"),
    "javascript": re.compile(
        r"\bsequelize\.sync\s*\(|\.migrate\.latest\s*\(|\b(?:dataSource|AppDataSource|connection)\.runMigrations\s*\(|"
        r"\bsynchronize\s*:\s*true\b|\bmigrationsRun\s*:\s*true\b|\bumzug\.up\s*\("
    ),
    "go": re.compile(r"\.AutoMigrate\s*\(|\bgoose\.Up\s*\(|\bm\.Up\s*\(\s*\)"),
    "ruby": re.compile(r"\bActiveRecord::MigrationContext\.new\b[^\n]{0,200}\.migrate\b|\bActiveRecord::Tasks::DatabaseTasks\.migrate\b"),
    "java": re.compile(r"\bflyway\.migrate\s*\(\s*\)|\bFlyway\.configure\(\)[\s\S]{0,400}?\.migrate\(\s*\)"),
    "php": re.compile(r"\bArtisan::call\(\s*['\"]migrate\b"),
    "rust": re.compile(r"\bsqlx::migrate!\s*\([^)\n]{0,200}\)\s*\.run\s*\(|\brun_pending_migrations\s*\("),
    "dotnet": re.compile(r"\.Database\.(?:Migrate|EnsureCreated)(?:Async)?\s*\("),
}
_DDL_AUTO = re.compile(r"\bspring\.jpa\.hibernate\.ddl-auto\s*[=:]\s*(?:update|create|create-drop)\b|^\s*ddl-auto\s*:\s*(?:update|create|create-drop)\b", re.M)
# One-off code: scripts, migrations, management commands, seeds, CLIs, tasks (not the boot path).
_ONE_OFF_DIR = re.compile(
    r"(^|/)(?:migrat\w*|scripts?|bin|management|commands|console|cli|cmd/(?:migrate|seed|\w*admin\w*)|tasks|seeds?|seeders|tools)/",
    re.I,
)
_ONE_OFF_NAME = re.compile(r"(^|/)(?:seed|init_db|initdb|create_db|setup_db|manage|migrate)\w*\.\w+$", re.I)
_GO_MAIN = re.compile(r"^package\s+main\b", re.M)


def _one_off(ctx: Context, f: File) -> bool:
    """Code run as a one-off, not on the server's boot path. In Go a program is a `package main`: a
    migrate.go in the server's own packages (its init() runs at every start) is on the boot path."""
    rel = ctx.rel(f.path)
    if _ONE_OFF_DIR.search(rel):
        return True
    return bool(_ONE_OFF_NAME.search(rel)) and (f.language != "go" or bool(_GO_MAIN.search(f.text)))
_PY_APP_FILE = re.compile(r"\bFlask\(__name__|\bFastAPI\(|\bdef\s+create_app\(|@app\.(?:before_first_request|on_event)\b|\blifespan\b")
_PY_ENTRY_NAMES = {"app.py", "main.py", "server.py", "wsgi.py", "asgi.py", "__init__.py", "application.py", "apps.py"}

_MANUAL_STEP = re.compile(
    r"\bssh\s+[^\n`]{0,200}?\b(?:psql|mysql|mongo(?:sh)?|redis-cli|manage\.py|rails\s+(?:c|console|runner|db:\w+)|rake|artisan|sqlplus|sqlcmd)\b",
)
_SCRIPT_REF = re.compile(r"[\w./\-]+\.(?:sql|sh|py|rb|js|php)\b")
_DOC_EXTS = {".md", ".rst", ".txt", ".adoc", ".org"}


@check(
    "admin-processes.migrations-tool",
    factor=FACTOR,
    title="Schema migrations are kept with the code",
    remediation="Keep schema changes as migrations in the repository (Django migrations, Alembic, Rails, Flyway, Prisma …).",
)
def migrations_tool(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: a migrations tool (Django, Alembic, Rails, Flyway/Liquibase, knex, Prisma, TypeORM, golang-migrate, sqlx, Diesel, EF Core)."""
    tools = ctx.fact(migration_tools)
    if tools:
        names = ", ".join(t.name for t in tools[:3])
        shown = next((t.file for t in tools if t.file), None)
        yield found(Severity.INFO, f"Schema migrations are kept in the codebase: {names}.", shown.path if shown else None)


@check(
    "admin-processes.admin-tasks",
    factor=FACTOR,
    title="Admin tasks ship with the code",
    remediation="Keep one-off admin tasks as commands in the repository (manage.py commands, rake tasks, bin/ scripts, npm scripts).",
)
def admin_tasks(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: admin tasks in the same codebase (manage.py commands, rake tasks, Artisan commands, bin/ scripts, npm scripts)."""
    for label, pattern in _ADMIN_PATHS:
        files = [f for f in ctx.files if f.role is None and pattern.search(ctx.rel(f.path))]
        if files:
            yield found(Severity.INFO, f"Admin tasks ship with the code as {label} ({len(files)}).", files[0].path)
            return
    for f in ctx.named("package.json"):
        names = _npm_admin_scripts(f.text) if f.role is None else []
        if names:
            yield found(Severity.INFO, f"Admin tasks ship with the code as npm scripts: {', '.join(names[:4])}.", f.path)
            return


def _npm_admin_scripts(text: str) -> list[str]:
    try:
        scripts = json.loads(text).get("scripts") or {}
    except (ValueError, AttributeError):
        return []
    return [k for k in scripts if isinstance(k, str) and _ADMIN_NPM_SCRIPT.search(k)] if isinstance(scripts, dict) else []


@check(
    "admin-processes.release-phase",
    factor=FACTOR,
    title="Migrations run as a release phase, Job or hook",
    remediation="Run migrations once per deploy: a Procfile `release:` process, a Kubernetes Job or Helm pre-upgrade hook, a one-off compose service.",
)
def release_phase(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: migrations run once per release (Procfile release:, a Kubernetes Job or Helm hook, a one-off service)."""
    for launch in ctx.fact(launches):
        if launch.stage in (RELEASE, JOB) and MIGRATE_COMMAND.search(launch.command):
            yield found(Severity.INFO, f"Migrations run once per release ({launch.source} {launch.name}).",
                        launch.file.path, launch.line, launch.snippet)
            return
    for f in ctx.fact(helm_templates):
        argv_as_words = _ARGV_PUNCTUATION.sub(" ", f.text)  # ["manage.py", "migrate"] → manage.py migrate
        if f.role is None and _HELM_HOOK.search(f.text) and MIGRATE_COMMAND.search(argv_as_words):
            hit = ctx.first(_HELM_HOOK, [f], where="any")
            yield hit.found(Severity.INFO, "Migrations run in a Helm pre-install/pre-upgrade hook.")
            return


@check(
    "admin-processes.migrate-on-start",
    factor=FACTOR,
    title="Migrations run when the server starts",
    remediation="Run migrations as a one-off release step (Procfile `release:`, a Kubernetes Job/Helm hook), never in the web process's start command or boot code.",
)
def migrate_on_start(ctx: Context) -> Iterator[Raw]:
    """Migrations run on web start-up: in the start command, an entrypoint script or the server's boot code.

    Every instance then migrates on every start: instances race each other, a failed migration
    crash-loops the web, and a rollback of the code cannot be told apart from the schema. Admin
    processes run once, as one-off processes against a release (`release:` in the Procfile, a Job).
    Compose files (mostly used in development) and Kubernetes initContainers are reported as medium.
    """
    message = "Migrations run every time the server starts instead of once per release."
    for launch in ctx.fact(launches):
        if launch.stage in (RUN, INIT) and MIGRATE_COMMAND.search(launch.command):
            # compose is mostly a development tool; an initContainer at least runs before the pod serves
            lesser = launch.source == "compose" or (launch.source == "k8s" and launch.stage == INIT)
            yield found(Severity.MEDIUM if lesser else Severity.HIGH, message, launch.file.path, launch.line, launch.snippet)
    for script in ctx.fact(start_scripts):
        by = script.referenced_by
        if by is not None and by.stage not in (RUN, INIT):
            continue
        severity = Severity.MEDIUM if by is not None and by.source == "compose" else Severity.HIGH
        for command in script.commands:
            if MIGRATE_COMMAND.search(command.text):
                yield found(severity, f"The start script migrates the database: {message}", script.file.path, command.line, command.text)
    yield from _boot_path_migrations(ctx)


def _boot_path_migrations(ctx: Context) -> Iterator[Raw]:
    message = "The server changes the database schema in its boot path."
    for language, pattern in _BOOT_MIGRATION.items():
        files = [f for f in ctx.source(language) if f.role is None and not _one_off(ctx, f)]
        for hit in ctx.grep(pattern, files, where="code", limit=3):
            # Python: only in an entry module or the module that builds the app (not in any helper)
            if language == "python" and hit.file.name not in _PY_ENTRY_NAMES and not _PY_APP_FILE.search(hit.file.text):
                continue
            yield hit.found(Severity.HIGH, message)
    configs = [f for f in ctx.files if f.name.startswith("application") and f.ext in (".properties", ".yml", ".yaml")]
    for hit in ctx.grep(_DDL_AUTO, [f for f in configs if "test" not in f.name.lower()], where="any"):
        yield hit.found(Severity.HIGH, "Hibernate changes the schema at boot (ddl-auto); use migrations run as a release step.")


@check(
    "admin-processes.manual-server-steps",
    factor=FACTOR,
    title="Admin steps are manual commands on a server",
    remediation="Turn the step into a script or management command in the repository and run it as a one-off process (heroku run, kubectl run/Job).",
)
def manual_server_steps(ctx: Context) -> Iterator[Raw]:
    """Admin steps documented as manual commands on a server (`ssh prod … psql -f fix.sql`) with no script in the repository.

    An admin step typed by hand on a server is not reviewed, versioned or repeatable, and it runs
    against whatever code is there. Steps whose script is in the repository are not reported.
    """
    names = {f.name for f in ctx.files}
    docs = [f for f in ctx.files if f.ext in _DOC_EXTS or f.name.lower().startswith(("readme", "runbook"))]
    for hit in ctx.grep(_MANUAL_STEP, docs, where="any"):
        refs = [r.rsplit("/", 1)[-1] for r in _SCRIPT_REF.findall(hit.text)]
        if refs and all(r in names for r in refs):
            continue
        yield hit.found(Severity.MEDIUM, "An admin step is documented as a manual command run on a server.", anywhere=True)
