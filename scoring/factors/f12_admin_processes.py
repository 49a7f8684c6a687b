"""XII. Admin processes — run admin and management tasks as one-off processes from the same codebase."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator

from ..context import Context, Raw, found
from ..facts.bootpath import boot_schema_changes
from ..facts.k8s import helm_templates
from ..facts.launch import INIT, JOB, RELEASE, RUN, Launch, builds_service, launches
from ..facts.migrations import (
    MIGRATE_COMMAND,
    START_SCHEMA_COMMAND,
    migrate_switches,
    migration_tools,
    schema_settings,
    self_migration,
    spring_auto_migrators,
)
from ..facts.shell import start_scripts
from ..facts.startpath import documented_launches, start_commands
from ..model import Severity
from ..registry import check

FACTOR = 12

_ADMIN_PATHS = (
    ("Django management commands", re.compile(r"(^|/)management/commands/(?!__init__)\w+\.py$")),
    ("rake tasks", re.compile(r"(^|/)lib/tasks/[^/]+\.rake$")),
    ("Artisan commands", re.compile(r"(^|/)app/Console/Commands/[^/]+\.php$")),
    ("Rust binaries", re.compile(r"(^|/)src/bin/[^/]+\.rs$")),
    ("scripts", re.compile(r"(^|/)(?:bin|scripts?)/[\w.\-]+$")),
)
# A framework's command runner shipped with the app: every admin task runs through it as a one-off.
_COMMAND_RUNNERS = {"manage.py": "Django's manage.py", "artisan": "Laravel's artisan", "bin/console": "Symfony's bin/console",
                    "bin/rails": "bin/rails", "Rakefile": "Rake"}
_ADMIN_NPM_SCRIPT = re.compile(r"migrat|seed|db:|admin|task|job|backfill|cleanup|import|export", re.I)
_ARGV_PUNCTUATION = re.compile(r"[\"',\[\]]+")
_PROD_NAME = re.compile(r"(?i)prod|deploy|release|live")
_HELM_HOOK = re.compile(r"helm\.sh/hook['\"]?\s*:\s*['\"]?[\w\-,]*(?:pre|post)-(?:install|upgrade)")

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
    """Positive evidence: admin tasks in the same codebase (manage.py commands, rake tasks, Artisan commands, bin/ scripts, npm scripts), or the framework's command runner shipped at the app's root (manage.py, artisan, bin/console, bin/rails, a Rakefile)."""
    published = _published_executables(ctx)
    for label, pattern in _ADMIN_PATHS:
        files = [f for f in ctx.files if f.role is None and pattern.search(ctx.rel(f.path)) and f.path not in published]
        if files:
            yield found(Severity.INFO, f"Admin tasks ship with the code as {label} ({len(files)}).", files[0].path)
            return
    runners = [f for f in ctx.named("manage.py", "artisan", "console", "rails", "Rakefile") if ctx.rel(f.path) in _COMMAND_RUNNERS]
    if runners:
        f = runners[0]
        yield found(Severity.INFO, f"Admin tasks run as one-off processes through {_COMMAND_RUNNERS[ctx.rel(f.path)]}.", f.path)
        return
    for f in ctx.named("package.json"):
        names = _npm_admin_scripts(f.text) if f.role is None else []
        if names:
            yield found(Severity.INFO, f"Admin tasks ship with the code as npm scripts: {', '.join(names[:4])}.", f.path)
            return


def _published_executables(ctx: Context) -> set[str]:
    """Files a package.json publishes as its command-line tools (`"bin"`): the package's product, not admin tasks."""
    out = set()
    for f in ctx.named("package.json"):
        try:
            declared = json.loads(f.text).get("bin")
        except (ValueError, AttributeError):
            continue
        paths = [declared] if isinstance(declared, str) else list(declared.values()) if isinstance(declared, dict) else []
        out.update(posixpath.normpath(posixpath.join(f.dir, p)) for p in paths if isinstance(p, str))
    return out


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
    """Migrations or schema changes run on web start-up: in the start command, the npm scripts or
    entrypoint scripts it runs, a supervisor program or container init step, the server's boot code
    (followed one call across files), or a framework setting (Spring `spring.sql.init.mode=always`,
    Hibernate `ddl-auto=update`, TypeORM `synchronize`).

    Every instance then migrates on every start: instances race each other, a failed migration
    crash-loops the web, and a rollback of the code cannot be told apart from the schema. Admin
    processes run once, as one-off processes against a release (`release:` in the Procfile, a Job).
    Development compose files and Kubernetes initContainers are medium; Flyway or Liquibase run by
    Spring Boot's auto-configuration (versioned, locked, and switched off by `SPRING_FLYWAY_ENABLED=false`
    where a release step migrates) is medium. A deploy command a README gives under a deploy heading is
    low, and counted although it is in a document: it is the procedure operators follow, but it may not
    be the only way the app is deployed.
    """
    message = "Migrations run every time the server starts instead of once per release."
    for launch in ctx.fact(start_commands):
        if launch.source == "container-init" or launch.development:
            continue  # a script: read line by line with the start scripts below; a developer's setup
        m = MIGRATE_COMMAND.search(launch.command) if launch.stage in (RUN, INIT) else None
        if m and not _reported_by_parent(launch):
            yield found(_command_severity(launch), message, launch.file.path, _line_of(launch, m.group(0)), launch.snippet)
        elif not m and launch.stage in (RUN, INIT):
            step = self_migration(launch.command, _served_by(launch, ctx))
            if step:
                yield found(_command_severity(launch), f"The app's own migrate/upgrade command runs before it serves: {message}",
                            launch.file.path, _line_of(launch, step.split()[-1]), launch.snippet)
    for script in ctx.fact(start_scripts):
        by = script.referenced_by
        if (by is not None and by.stage not in (RUN, INIT)) or script.development:
            continue
        severity = _command_severity(by) if by is not None else Severity.HIGH
        for command in script.commands:
            if MIGRATE_COMMAND.search(command.text):
                yield found(severity, f"The start script migrates the database: {message}", script.file.path, command.line, command.text)
            elif START_SCHEMA_COMMAND.search(command.text):
                yield found(severity, "The start script sets up the database schema (an SQL file, the app's installer) "
                            "every time the server starts instead of once per release.", script.file.path, command.line,
                            command.text)
        steps = [c for c in script.commands if not MIGRATE_COMMAND.search(c.text)]
        for i, command in enumerate(steps):
            if self_migration(" ; ".join(c.text for c in steps[i:])) == command.text.replace('"', " ").replace("'", " ").strip():
                yield found(severity, f"The start script runs the app's own migrate/upgrade command before it serves: {message}",
                            script.file.path, command.line, command.text)
    for change in ctx.fact(boot_schema_changes):
        how = f" ({change.via})" if change.via else ""
        yield found(Severity.HIGH, f"The server changes the database schema in its boot path{how}.", change.file.path,
                    change.line, change.snippet)
    yield from _schema_settings(ctx)
    for switch in ctx.fact(migrate_switches):
        what = "defaults to on" if switch.default else "is turned on in the deployed configuration"
        yield found(Severity.MEDIUM, f"The switch that makes the server migrate at start-up {what}; migrate in a release step.",
                    switch.file.path, switch.line, switch.snippet)
    for launch in ctx.fact(documented_launches):
        if MIGRATE_COMMAND.search(launch.command):
            yield found(Severity.LOW, f"The documented deploy command migrates right before starting the server: {message}",
                        launch.file.path, launch.line, launch.command, anywhere=True)


def _served_by(launch: Launch, ctx: Context) -> str | None:
    """The command a systemd unit's ExecStartPre runs before: its ExecStart."""
    if launch.source != "systemd" or launch.stage != INIT:
        return None
    return next((other.command for other in ctx.fact(start_commands)
                 if other.file is launch.file and other.source == "systemd" and other.stage == RUN), None)


def _command_severity(launch: Launch) -> Severity:
    origin = launch.origin
    if origin.source == "compose" and not _PROD_NAME.search(origin.file.name) and builds_service(origin.file, origin.name):
        return Severity.MEDIUM  # compose that builds the app is mostly a development tool; one that pulls its image deploys it
    if origin.source == "k8s" and origin.stage == INIT:
        return Severity.MEDIUM  # an initContainer at least runs before the pod serves
    return Severity.HIGH


def _line_of(launch: Launch, text: str) -> int | None:
    """The line the command's words are written on: a command written over several lines (a compose
    argv list, a folded string) is reported where the migration is, not where the command starts."""
    if launch.line is None:
        return None
    start = launch.file.line_starts[launch.line - 1] if launch.line <= len(launch.file.line_starts) else 0
    i = launch.file.text.find(text, start, start + 4000)
    return launch.file.line_of(i) if i >= 0 else launch.line


def _reported_by_parent(launch: Launch) -> bool:
    """An npm script whose caller's command already names the migration (`npm run migrate`)."""
    return launch.via is not None and bool(MIGRATE_COMMAND.search(launch.via.command))


def _schema_settings(ctx: Context) -> Iterator[Raw]:
    for s in ctx.fact(schema_settings):
        severity = Severity.MEDIUM if s.overridable else Severity.HIGH
        tail = " (the default of an environment placeholder)" if s.overridable else ""
        yield found(severity, f"{s.what}{tail}; use migrations run as a release step.", s.file.path, s.line, s.snippet)
    for auto in ctx.fact(spring_auto_migrators):
        snippet = auto.file.line_text(auto.line).strip() if auto.file and auto.line else ""
        yield found(Severity.MEDIUM, f"Spring Boot runs {auto.tool} migrations at every start of the app (the library is on the "
                    "classpath and not disabled); disable it in the app and migrate in a release step.",
                    auto.file.path if auto.file else None, auto.line, snippet)


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
