"""Database migrations: the commands that apply them and the tools a codebase keeps them with."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..context import Context
from ..tree import File
from .ci import is_ci_file
from .launch import is_development
from .manifests import all_dependencies
from .yamlfiles import line_of, load_all, load_all_text, walk

# A command that applies schema migrations (anchored on each tool's own name).
MIGRATE_COMMAND = re.compile(
    r"\b(?:manage\.py|django-admin)\s+migrate\b|\balembic\s+upgrade\b|\bflask\s+db\s+upgrade\b|"
    r"\b(?:rails|rake)\s+db:(?:migrate|prepare|setup)\b|\bartisan\s+migrate\b|\bprisma\s+(?:migrate\s+deploy|db\s+push)\b|"
    r"\bknex\s+migrate:latest\b|\bsequelize(?:-cli)?\s+db:migrate\b|\btypeorm\b[^\n;&]{0,120}\bmigration:run\b|"
    r"\b(?:npm|yarn|pnpm)\s+(?:run\s+)?(?:migrate|db:migrate|migration:run)\b|\bgoose\b[^\n;&]{0,200}\sup\b|"
    r"\bmigrate\s[^\n;&]{0,200}-path\b[^\n;&]{0,200}\sup\b|\bdiesel\s+migration\s+run\b|\bsqlx\s+migrate\s+run\b|"
    r"\bdotnet\s+ef\s+database\s+update\b|\bflyway\b[^\n;&]{0,200}\bmigrate\b|\bliquibase\b[^\n;&]{0,200}\bupdate\b|"
    r"\bmix\s+ecto\.migrate\b|\bbin/(?:migrate|release-tasks)\b|"
    r"\bdoctrine:(?:migrations:migrate|schema:(?:update|create))\b|\bmikro-orm\s+(?:migration:up|schema:update)\b|"
    r"\bdrizzle-kit\s+(?:migrate|push)\b|\bnode-pg-migrate\s+up\b|\bdb-migrate\s+up\b|\baerich\s+upgrade\b|"
    r"\byoyo\s+apply\b|\bdbmate\b[^\n;&]{0,120}\s(?:up|migrate)\b|\batlas\s+(?:migrate|schema)\s+apply\b|"
    r"\bsql-migrate\s+up\b|\btern\s+migrate\b|\bsea-orm-cli\s+migrate\b|\befbundle\b|\bhanami\s+db\s+migrate\b|"
    r"\bphinx\s+migrate\b|\bdoctrine-migrations\s+migrate\b|\bmagento\s+setup:(?:upgrade|db-schema:upgrade)\b",
    re.I,
)

# The app's own program told to migrate: `./listmonk --upgrade --yes`, `miniflux -migrate`, `/app migrate`.
_SELF_MIGRATE_ARG = re.compile(r"^(?:--?(?:migrate|upgrade|install|auto-?migrate|db-?migrate|migrate-?db|init-?db)|migrate|upgrade|db:migrate)$", re.I)
# Programs that take such words for something else: package managers, shells, deploy and file tools.
_NOT_THE_APP = {
    "pip", "pip3", "apt", "apt-get", "apk", "yum", "dnf", "brew", "npm", "npx", "yarn", "pnpm", "gem", "bundle", "composer",
    "helm", "cargo", "go", "poetry", "uv", "conda", "snap", "nix", "git", "mkdir", "chown", "chmod", "echo", "cp", "mv", "rm",
    "ln", "sleep", "wait-for-it", "wait-for-it.sh", "dockerize", "kubectl", "docker", "terraform", "flyway", "liquibase",
}
_SHELLS = {"sh", "bash", "dash", "ash", "zsh"}
_INTERPRETERS = {"python", "python3", "node", "ruby", "php", "java", "dotnet", "deno", "bun"}
_SEGMENT = re.compile(r"\s*(?:&&|\|\||;)\s*")
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")


def _program(words: list[str]) -> tuple[str, list[str]] | None:
    """The program a command runs (an interpreter with its script) and its arguments."""
    while words and (words[0] in ("exec", "env", "sudo", "nohup") or _ASSIGNMENT.match(words[0])):
        words = words[1:]
    if len(words) >= 2 and words[0].rsplit("/", 1)[-1] in _SHELLS and words[1].startswith("-") and "c" in words[1]:
        words = words[2:]
    if not words:
        return None
    name = words[0].rsplit("/", 1)[-1]
    if name in _INTERPRETERS and len(words) > 1:
        return f"{name} {words[1].rsplit('/', 1)[-1]}", words[2:]
    return name, words[1:]


def self_migration(command: str, serves: str | None = None) -> str | None:
    """The step of a command chain that runs the app's own program with a migrate/upgrade argument
    before the same program is started as the server (`./app --upgrade --yes && ./app`), or, given
    `serves` (the server's own command: systemd ExecStart), a step that runs that program so."""
    segments = [s.strip() for s in _SEGMENT.split(command.replace('"', " ").replace("'", " ")[:4000]) if s.strip()]
    parsed = [_program(s.split()) for s in segments]
    server = _program(serves.replace('"', " ").split()) if serves else None
    for i, found in enumerate(parsed):
        if found is None or found[0] in _NOT_THE_APP or not any(_SELF_MIGRATE_ARG.match(a) for a in found[1]):
            continue
        later = [p for p in parsed[i + 1 :] if p is not None] + ([server] if server else [])
        if any(p[0] == found[0] and not any(_SELF_MIGRATE_ARG.match(a) for a in p[1]) for p in later):
            return segments[i]
    return None


# Calls that change the schema, per language: ORM schema sync and migration runners called from code.
SCHEMA_CALLS = {
    "python": re.compile(
        r"\bdb\.create_all\(\s*\)|\.metadata\.create_all\(|\bcall_command\(\s*['\"]migrate['\"]|"
        r"\bcommand\.upgrade\(\s*\w+\s*,\s*['\"]head['\"]|\bTortoise\.generate_schemas\(|\bgenerate_schemas\s*=\s*True\b|"
        r"\b\w+\.create_tables\(\s*\[|\bflask_migrate\.upgrade\(|(?<![\w.])upgrade\(\s*(?:directory\s*=[^)\n]{0,200})?\)|"
        # the app's own migration routine, awaited in start-up code: `await run_migrations(engine)`
        r"\bawait\s+(?:\w+\.)*(?:run|apply|execute)_(?:pending_)?migrations\s*\("
    ),
    "javascript": re.compile(
        r"\bsequelize\.sync\s*\(|\.migrate\.latest\s*\(|\.runMigrations\s*\(|"
        r"\bsynchronize\s*:\s*true\b|\bmigrationsRun\s*:\s*true\b|\bumzug\.up\s*\(|\.getMigrator\(\)\s*\.up\s*\(|"
        r"\.(?:getSchemaGenerator\(\)|schema)\.updateSchema\s*\(|\bmigrate\(\s*\w+\s*,\s*\{\s*migrationsFolder\b|"
        r"\bmigrat(?:ions|or)\.up\s*\(\s*\)|"
        # the app's own migration routine, awaited in start-up code: `await runMigrations()`, `await db.applyMigrations(pool)`
        r"\bawait\s+(?:\w+\.)*(?:run|apply|execute|perform)Migrations?\s*\("
    ),
    "go": re.compile(
        r"\.AutoMigrate\s*\(|\bgoose\.Up(?:Context)?\s*\(|\bm\.Up\s*\(\s*\)|\bmigrate\.Exec\s*\(|"
        r"\.Schema\.Create\s*\(\s*(?:ctx|context\.)|\.Sync2\s*\(|\.CreateAndMigrate\s*\(|"
        r"\b(?:database|db|store|storage|schema|migrations?)\.Migrate\s*\(\s*(?:ctx\s*,\s*)?\w*\s*\)|"
        # the app's own store, named after what it is: storeInstance.Migrate(ctx), appDB.Migrate(), migrator.Migrate(ctx)
        r"\b\w*?(?:[dD]atabase|DB|Db|[sS]tore|[sS]torage|[mM]igrat(?:or|ion|ions))\w*\.Migrate\s*\(\s*(?:ctx\s*,\s*)?\w*\s*\)"
    ),
    "ruby": re.compile(
        r"\bActiveRecord::MigrationContext\.new\b[^\n]{0,200}\.migrate\b|\bActiveRecord::Tasks::DatabaseTasks\.migrate\b|"
        r"\bActiveRecord::Migrator\.(?:migrate|up)\b|\.migration_context\.migrate\b|\bSequel::Migrator\.(?:run|apply)\b|"
        r"\bDataMapper\.auto_(?:upgrade|migrate)!|\bRake::Task\[\s*['\"]db:(?:migrate|prepare|setup)['\"]\s*\]\.invoke\b"
    ),
    "java": re.compile(
        # a Flyway chain over several lines, in Java or Kotlin: `Flyway.configure()…load().apply { migrate() }`
        r"\bflyway\.migrate\s*\(\s*\)|\bFlyway\s*\.configure\(\)[\s\S]{0,400}?(?:\.|\{\s*)migrate\(\s*\)|\bliquibase\.update\s*\(|"
        r"\bSchemaUtils\.(?:create|createMissingTablesAndColumns)\s*\("
    ),
    "php": re.compile(
        r"\bArtisan::call\(\s*['\"]migrate\b|->(?:updateSchema|createSchema)\(\s*\$|\b\w*Migrator::(?:execute|migrate|run|up)\s*\("
    ),
    "rust": re.compile(
        r"\bmigrate!\s*\([^)\n]{0,200}\)\s*\.run\s*\(|\brun_pending_migrations\s*\(|\bMigrator::up\s*\(|"
        r"\brunner\(\)\s*\.run(?:_async)?\s*\(|"
        # the app's own migration routine, awaited in start-up code: `run_migrations(&pool).await?`
        r"\b(?:run|apply)_migrations\s*\([^()\n]{0,80}\)\s*\.await\b"
    ),
    "dotnet": re.compile(
        r"\.Database\.(?:Migrate|EnsureCreated)(?:Async)?\s*\(|\.MigrateUp\s*\(|\.PerformUpgrade\s*\(|"
        r"(?<!base)\.RunMigrations(?:Async)?\s*\(|"  # an app's own runner: host.RunMigrationsAsync(), not an override's base call
        # the app's own migration routine, awaited: `await ApplyStartupMigrationAsync(…)`, `await migrationService.MigrateStepAsync(…)`
        r"\bawait\s+(?!base\.)(?:\w+\.)*(?:(?:Apply|Run|Perform|Execute)\w*Migrations?\w*|Migrate\w*)Async\s*\(|"
        r"(?<!base)\.(?:Apply|Perform|Execute)\w*Migrations?(?:Async)?\s*\("
    ),
}

# Schema set-up in a start script, before it starts the server: an SQL client applying a schema file
# or creating the database (`psql -d app -f /app/schema.sql`, `mysql app < init.sql`), or the app's
# own installer initialising the database (`php vendor/bin/shlink-installer init`).
START_SCHEMA_COMMAND = re.compile(
    r"\b(?:psql|mysql|mariadb|sqlcmd|sqlite3)\b[^\n|;&]{0,200}?(?:\s(?:-f|--file|-i|--input-file)[= ]?[ \t]*['\"]?[\w./${}\-]+\.sql\b|"
    r"<[ \t]*['\"]?[\w./${}\-]+\.sql\b|\s(?:-c|-e|-Q|--command|--execute)[= ][ \t]*['\"][ \t]*(?i:CREATE\s+(?:DATABASE|TABLE|SCHEMA))\b)|"
    r"\b\w+-installer\s+init\b"
)

# The app's own migration routine (`await runMigrations()`, `await ApplyStartupMigrationAsync(…)`,
# `run_migrations(&pool).await`): a name, not a library's runner, so it counts only in start-up code
# or code start-up reaches (a client-side store's `await this.performMigration()` elsewhere is not it).
OWN_ROUTINE = re.compile(r"^await\s|\.await$")
# a runner named by round 2 (reported wherever it is) that an `await …` match can start before
KNOWN_RUNNER = re.compile(r"\.runMigrations\s*\(|\.RunMigrations(?:Async)?\s*\(|\.Database\.(?:Migrate|EnsureCreated)(?:Async)?\s*\(")

_PATH_TOOLS = (
    ("Django migrations", re.compile(r"(^|/)migrations/0001_\w+\.py$")),
    ("Alembic", re.compile(r"(^|/)alembic\.ini$|(^|/)alembic/versions/[^/]+\.py$")),
    ("Rails migrations", re.compile(r"(^|/)db/migrate/\d+_\w+\.rb$")),
    ("Flyway", re.compile(r"(^|/)db/migration/V\d[\w.]*__\w+\.sql$|(^|/)flyway\.conf$")),
    ("Liquibase", re.compile(r"(^|/)(db\.)?changelog(-master)?\.(xml|ya?ml|json|sql)$", re.I)),
    ("Prisma migrations", re.compile(r"(^|/)prisma/migrations/[^/]+/migration\.sql$")),
    ("knex", re.compile(r"(^|/)knexfile\.[jt]s$")),
    ("Sequelize", re.compile(r"(^|/)\.sequelizerc$")),
    ("Laravel migrations", re.compile(r"(^|/)database/migrations/[^/]+\.php$")),
    ("Diesel", re.compile(r"(^|/)diesel\.toml$|(^|/)migrations/[^/]+/up\.sql$")),
    ("EF Core migrations", re.compile(r"(^|/)Migrations/\d{14}_\w+\.cs$")),
    ("SQL migrations", re.compile(r"(^|/)migrations/\d+_[\w\-]+\.(?:up\.)?sql$")),
    ("Aerich (Tortoise ORM)", re.compile(r"(^|/)migrations/models/\d+_\w+\.py$")),
)
_DEP_TOOLS = {
    "alembic": "Alembic", "flask-migrate": "Alembic (Flask-Migrate)", "flyway-core": "Flyway", "liquibase-core": "Liquibase",
    "knex": "knex", "prisma": "Prisma", "typeorm": "TypeORM", "sequelize-cli": "Sequelize", "umzug": "Umzug",
    "github.com/golang-migrate/migrate/v4": "golang-migrate", "github.com/pressly/goose/v3": "goose",
    "ariga.io/atlas": "Atlas", "sqlx": "sqlx", "diesel_migrations": "Diesel", "diesel": "Diesel",
    "microsoft.entityframeworkcore.design": "EF Core", "doctrine/doctrine-migrations-bundle": "Doctrine Migrations",
    "db-migrate": "db-migrate", "node-pg-migrate": "node-pg-migrate", "aerich": "Aerich (Tortoise ORM)",
    "yoyo-migrations": "yoyo", "django-migrations": "Django migrations",
}


@dataclass(frozen=True)
class MigrationTool:
    name: str
    file: File | None  # a migration file or config that shows it; None when known from a dependency


def migration_tools(ctx: Context) -> list[MigrationTool]:
    """Each migration tool the codebase uses, with one file that shows it."""
    out: dict[str, MigrationTool] = {}
    for f in ctx.files:
        if f.role is not None:
            continue
        rel = ctx.rel(f.path)
        for name, pattern in _PATH_TOOLS:
            if name not in out and pattern.search(rel):
                out[name] = MigrationTool(name, f)
    for dep in sorted(all_dependencies(ctx) & _DEP_TOOLS.keys()):
        out.setdefault(_DEP_TOOLS[dep], MigrationTool(_DEP_TOOLS[dep], None))
    return list(out.values())


# --------------------------------------------------------------------------------------------
# Framework settings that change the schema when the app starts

SYNC, VERSIONED = "sync", "versioned"  # schema generated or init SQL run / versioned migrations applied
_SETTINGS_FILE = re.compile(
    r"^(?:application|bootstrap)(?:[-_.][\w.\-]+)?\.(?:properties|ya?ml)$|^persistence\.xml$|^hibernate\.cfg\.xml$|"
    r"^ormconfig\.(?:json|ya?ml)$",
    re.I,
)
# Profiles for development and tests: a schema generated there is not the deployed app's.
_DEV_PROFILE = re.compile(r"[-_.](?:test|tests|it|dev|development|local|h2|hsql|embedded|unittest)(?=[-_.])", re.I)
_PROPERTY = re.compile(r"^[ \t]*([\w.\-\[\]]+)[ \t]*[=:][ \t]*(\S[^\n#]*?)[ \t]*$", re.M)
_XML_PROPERTY = re.compile(r"<property\s+name=\"([\w.\-]+)\"\s+value=\"([^\"]*)\"|<property\s+name=\"([\w.\-]+)\"\s*>\s*([^<\s]+)\s*<")
_PLACEHOLDER_DEFAULT = re.compile(r"^\$\{[\w.\-]+:([^}]*)\}$")
# (normalized key suffix, values that change the schema, what it is)
_SCHEMA_KEYS = (
    ("spring.sql.init.mode", {"always"}, SYNC, "Spring runs schema.sql/data.sql against the database at every start"),
    ("spring.datasource.initializationmode", {"always"}, SYNC, "Spring runs schema.sql/data.sql against the database at every start"),
    ("jpa.hibernate.ddlauto", {"update", "create", "create-drop"}, SYNC, "Hibernate changes the schema at boot (ddl-auto)"),
    ("jpa.generateddl", {"true"}, SYNC, "JPA generates the schema at boot (generate-ddl)"),
    ("hibernate.hbm2ddl.auto", {"update", "create", "create-drop"}, SYNC, "Hibernate changes the schema at boot (hbm2ddl.auto)"),
    ("hibernateorm.database.generation", {"update", "create", "drop-and-create"}, SYNC, "Quarkus/Hibernate generates the schema at boot"),
    ("hibernateorm.schemamanagement.strategy", {"update", "create", "drop-and-create"}, SYNC, "Quarkus/Hibernate generates the schema at boot"),
    ("datasource.dbcreate", {"update", "create", "create-drop"}, SYNC, "Grails/GORM changes the schema at boot (dbCreate)"),
    ("typeorm.synchronize", {"true"}, SYNC, "TypeORM synchronizes the schema with the entities at boot"),
    ("typeorm.migrationsrun", {"true"}, VERSIONED, "TypeORM runs migrations at boot (migrationsRun)"),
    ("flyway.migrateatstart", {"true"}, VERSIONED, "Flyway migrates at boot (migrate-at-start)"),
    ("liquibase.migrateatstart", {"true"}, VERSIONED, "Liquibase migrates at boot (migrate-at-start)"),
)


@dataclass(frozen=True)
class SchemaSetting:
    file: File
    line: int | None
    snippet: str
    kind: str  # SYNC or VERSIONED
    what: str
    overridable: bool  # the value is the default of a ${VAR:default} placeholder


def _normalized(key: str) -> str:
    return key.lower().replace("-", "").replace("_", "")


def settings_files(ctx: Context) -> list[File]:
    return [f for f in ctx.files if f.role is None and _SETTINGS_FILE.match(f.name) and not _DEV_PROFILE.search(f.name)]


def schema_settings(ctx: Context) -> list[SchemaSetting]:
    """Settings in the app's committed configuration that generate or migrate the schema at start-up."""
    out = []
    for f in ctx.fact(settings_files):
        prefix = "typeorm." if f.name.lower().startswith("ormconfig") else ""
        for key, value, line in _flat_settings(f):
            found = _schema_change(prefix + key, value)
            if found:
                kind, what, overridable = found
                out.append(SchemaSetting(f, line, f.line_text(line) if line else f"{key}={value}", kind, what, overridable))
    return out


def _schema_change(key: str, value: str) -> tuple[str, str, bool] | None:
    norm = _normalized(key)
    raw = value.strip().strip("'\"")
    m = _PLACEHOLDER_DEFAULT.match(raw)
    overridable = bool(m)
    if m:
        raw = m.group(1).strip()
    for suffix, values, kind, what in _SCHEMA_KEYS:
        if (norm == _normalized(suffix) or norm.endswith("." + _normalized(suffix))) and raw.lower() in values:
            return kind, what, overridable
    return None


def _flat_settings(f: File) -> list[tuple[str, str, int | None]]:
    """(dotted key, value, line) of a properties, YAML, JSON or XML settings file."""
    if f.ext == ".properties":
        return [(m.group(1), m.group(2), f.line_of(m.start())) for m in _PROPERTY.finditer(f.text)
                if not m.group(0).lstrip().startswith(("#", "!"))]
    if f.ext == ".xml":
        out = []
        for m in _XML_PROPERTY.finditer(f.text):
            out.append((m.group(1) or m.group(3), m.group(2) or m.group(4), f.line_of(m.start())))
        return out
    if f.ext == ".json":
        try:
            docs = [json.loads(f.text)]
        except ValueError:
            return []
    else:
        docs = load_all(f) or _unescaped_template(f)
    out = []
    for doc in docs:
        for path, value in walk(doc):
            keys = [p for p in path if isinstance(p, str)]
            if isinstance(value, (str, bool, int)) and keys and isinstance(path[-1], str):
                text = str(value).lower() if isinstance(value, bool) else str(value)
                out.append((".".join(keys), text, _leaf_line(f, keys[-1], text)))
    return out


def _unescaped_template(f: File) -> list:
    """A settings file that Gradle's processResources expands (`\\${komga.config-dir}` escapes a
    placeholder, which YAML rejects in a double-quoted scalar): read with the escapes removed."""
    return load_all_text(f.text.replace("\\$", "$")) if "\\$" in f.text else []


flat_settings = _flat_settings


def _leaf_line(f: File, key: str, value: str) -> int | None:
    m = re.search(rf"(?<![\w.\-])['\"]?{re.escape(key)}['\"]?[ \t]*:[ \t]*['\"]?{re.escape(value)}", f.text, re.I)
    return f.line_of(m.start()) if m else None


# Spring Boot applies Flyway or Liquibase migrations at start-up when the library is on the classpath.
_BOOT_MIGRATORS = {"flyway-core": "Flyway", "liquibase-core": "Liquibase"}
_PROFILE = re.compile(r"^(?:application|bootstrap)[-_]", re.I)
_SPRING_BOOT = {"spring-boot-starter", "spring-boot-starter-web", "spring-boot-starter-webflux",
                "spring-boot-starter-data-jpa", "spring-boot-starter-jdbc"}


@dataclass(frozen=True)
class AutoMigrator:
    tool: str
    file: File | None  # the build file that declares it
    line: int | None


def spring_auto_migrators(ctx: Context) -> list[AutoMigrator]:
    """Flyway/Liquibase that Spring Boot runs at start-up (unless `spring.<tool>.enabled=false`),
    shown at `spring.<tool>.enabled: true` when the app's settings switch it on explicitly, else at
    the build file's dependency."""
    deps = all_dependencies(ctx)
    if not deps & _SPRING_BOOT:
        return []
    disabled, enabled = set(), {}
    # the main settings (application.yml) before a profile's (application-benchmark.yml)
    for f in sorted(ctx.fact(settings_files), key=lambda f: _PROFILE.search(f.name) is not None):
        for key, value, line in _flat_settings(f):
            norm = _normalized(key)
            if norm in ("spring.flyway.enabled", "spring.liquibase.enabled"):
                if value.strip().lower() == "false":
                    disabled.add(norm.split(".")[1])
                elif value.strip().lower() == "true" and line:
                    enabled.setdefault(norm.split(".")[1], (f, line))  # switched on explicitly: shown there
    out = []
    for dep, tool in _BOOT_MIGRATORS.items():
        if dep in deps and tool.lower() not in disabled:
            if tool.lower() in enabled:
                out.append(AutoMigrator(tool, *enabled[tool.lower()]))
                continue
            build = next((f for f in ctx.files if f.role is None and f.name in ("pom.xml", "build.gradle", "build.gradle.kts")
                          and dep in f.text), None)
            out.append(AutoMigrator(tool, build, line_of(build, dep) if build else None))
    return out


# --------------------------------------------------------------------------------------------
# A switch, in the deployed configuration or as the option's default, that makes the server migrate at start

_SWITCH_NAME = (
    r"(?:[A-Za-z]\w*[_.])?(?:RUN|AUTO|APPLY|PERFORM|DB)[_.\-]?MIGRAT(?:E|ES|IONS?)(?:[_.\-]?(?:AT|ON)[_.\-]?(?:START|STARTUP|BOOT))?|"
    r"MIGRAT(?:E|IONS?)[_.\-]?(?:AT|ON)[_.\-]?(?:START|STARTUP|BOOT)"
)
_SWITCH_ON = r"['\"]?(?:1|true|yes|on)['\"]?(?![\w.])"
# KEY=1 in env and .conf files, `ENV KEY=1`, `Environment=KEY=1`, compose `- KEY=1` / `KEY: "true"`, JSON `"Key": true`.
_SWITCH_SETTING = re.compile(
    rf"(?im)^[ \t]*(?:-[ \t]*)?(?:export[ \t]+|ENV[ \t]+|Environment=['\"]?)?['\"]?({_SWITCH_NAME})['\"]?[ \t]*(?:=|:)[ \t]*{_SWITCH_ON}"
)
# An option's default in code: `public bool RunMigrationsAtStartup { get; set; } = true;`
_SWITCH_DEFAULT = re.compile(rf"(?i)\bbool\s+({_SWITCH_NAME})\s*\{{\s*get;\s*(?:set|init);\s*\}}\s*=\s*true\b")
_NEGATED = re.compile(r"(?i)skip|disable|prevent|without|dont|(?:^|[_.])no[_.]")  # SKIP_DB_MIGRATE=true turns it off
_CONFIG_EXTS = {".env", ".conf", ".cfg", ".ini", ".yml", ".yaml", ".json", ".toml", ".service", ".properties"}


@dataclass(frozen=True)
class MigrateSwitch:
    file: File
    line: int
    snippet: str
    default: bool  # the default of an option in code, not a deployed setting


def _switch_files(ctx: Context) -> list[File]:
    """Configuration a deployed server reads, not CI's or a developer's (a workflow, docker-compose.dev.yml)."""
    return [f for f in ctx.files if f.role is None and (f.ext in _CONFIG_EXTS or f.name.startswith(".env")
                                                         or "dockerfile" in f.name.lower())
            and not is_ci_file(f) and not is_development(f)]


def migrate_switches(ctx: Context) -> list[MigrateSwitch]:
    """Switches that make the server migrate when it starts, turned on (`RUN_MIGRATIONS=1` in the
    packaged config, `RunMigrationsAtStartup = true` as an option's default)."""
    hits = ctx.grep(_SWITCH_SETTING, ctx.fact(_switch_files), where="any")
    out = [MigrateSwitch(h.file, h.line, h.text.strip(), False) for h in hits if not _NEGATED.search(h.match.group(1))]
    code = [f for f in ctx.source("dotnet") if f.role is None]
    out += [MigrateSwitch(h.file, h.line, h.text.strip(), True) for h in ctx.grep(_SWITCH_DEFAULT, code, where="code")]
    return out
