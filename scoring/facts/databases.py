"""Which database a deployable runs in production, and what its default (development) profile runs
instead: the facts dev/prod parity compares.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..context import Context
from ..tree import File
from .manifests import all_dependencies, ecosystems
from .service_images import deploy_compose, service_images
from .yamlfiles import load_all

_SERVER_DATABASES = {"PostgreSQL", "MySQL", "MariaDB", "SQL Server"}
_DATABASE_DEPS = {
    "PostgreSQL": {
        "psycopg",
        "psycopg2",
        "psycopg2-binary",
        "psycopg-binary",
        "asyncpg",
        "pg",
        "pg-promise",
        "postgres",
        "github.com/lib/pq",
        "github.com/jackc/pgx/v5",
        "github.com/jackc/pgx/v4",
        "postgresql",
        "r2dbc-postgresql",
        "npgsql",
        "npgsql.entityframeworkcore.postgresql",
        "tokio-postgres",
        "ext-pgsql",
        "ext-pdo_pgsql",
    },
    "MySQL": {
        "mysqlclient",
        "pymysql",
        "mysql-connector-python",
        "aiomysql",
        "mysql2",
        "mysql",
        "github.com/go-sql-driver/mysql",
        "mysql-connector-java",
        "mysql-connector-j",
        "mariadb-java-client",
        "pomelo.entityframeworkcore.mysql",
        "mysql.data",
        "mysqlconnector",
        "mysql_async",
        "ext-mysqli",
        "ext-pdo_mysql",
    },
    "SQL Server": {"microsoft.entityframeworkcore.sqlserver", "mssql-jdbc", "mssql", "tedious", "mssql-django"},
}
_DATABASE_CONFIG = re.compile(
    r"\b(?P<pg>postgres(?:ql)?://|jdbc:postgresql:|backends\.postgresql|adapter:\s*postgres(?:ql|is)\b|UseNpgsql\s*\()|"
    r"\b(?P<my>mysql2?://|jdbc:(?:mysql|mariadb):|backends\.mysql|adapter:\s*mysql2?\b|UseMySql\s*\()|"
    r"\b(?P<ms>jdbc:sqlserver:|backends\.mssql|UseSqlServer\s*\()",
    re.I,
)


def production_database(ctx: Context) -> tuple[str, str] | None:
    """(database, where) when the app runs on a database server (PostgreSQL, MySQL …), else None."""
    deps = ctx.fact(all_dependencies)
    for name, names in _DATABASE_DEPS.items():
        hit = [d for d in sorted(deps & names) if _declared_outside_tests(ctx, d)]
        if hit:
            return name, f"the {hit[0]} dependency"
    for img in ctx.fact(service_images):
        if img.service in _SERVER_DATABASES and img.source not in ("ci", "tests") and not in_test_environment(img.file.path):
            return img.service, f"{img.file.path}"
    files = [f for f in ctx.files if f.role is None and not in_test_environment(f.path)]
    for hit in ctx.grep(_DATABASE_CONFIG, files, where=("code", "string")):
        if hit.text.lstrip().startswith(("#", "//", ";", "--")):
            continue  # a commented-out alternative in .env or a config file (no lexer knows those)
        name = "PostgreSQL" if hit.match.group("pg") else "MySQL" if hit.match.group("my") else "SQL Server"
        return name, hit.path
    return None


def _declared_outside_tests(ctx: Context, dep: str) -> bool:
    """The dependency is named by a manifest outside a test environment (playwright/package.json's
    `pg` drives the end-to-end suite, not the app)."""
    word = re.compile(r"(?<![\w.-])" + re.escape(dep) + r"(?![\w.-])", re.I)
    where = [in_test_environment(f.path) for eco in ctx.fact(ecosystems).values() for f in eco.manifests
             if word.search(f.text)]
    return not where or not all(where)


# Spring Boot: with no datasource URL in the default profile's application.properties/.yml, an
# embedded database on the runtime classpath is what the app runs on.
_SPRING_DEFAULT_CONFIG = re.compile(r"(?:^|/)src/main/resources/application\.(?:properties|ya?ml)$")
_PROPERTIES_URL = re.compile(r"^[ \t]*spring\.(?:datasource|r2dbc)\.(?:url|jdbc-url)[ \t]*[=:]", re.M)
_EMBEDDED_ARTIFACT = re.compile(
    r"<artifactId>\s*(?P<maven>h2|hsqldb|derby)\s*</artifactId>|"
    r"^[ \t]*(?P<conf>\w+)[ \t(]*['\"](?:com\.h2database:h2|org\.hsqldb:hsqldb|org\.apache\.derby:derby)\b",
    re.M,
)
_ENGINE_WORD = re.compile(r"^[^#\n]*\b(h2|hsqldb|derby)\b", re.I | re.M)
_BUILD_FILES = ("pom.xml", "build.gradle", "build.gradle.kts")


def spring_default_database(ctx: Context) -> tuple[File, int] | None:
    """(application.properties/.yml, line) when a Spring Boot app's default profile names no
    datasource URL while H2, HSQLDB or Derby is on its runtime classpath: it runs embedded."""
    builds = [f for f in ctx.named(*_BUILD_FILES) if f.role is None and "spring-boot" in f.text]
    if not any(_runtime_embedded(f) for f in builds):
        return None
    for f in ctx.files:
        if f.role is None and _SPRING_DEFAULT_CONFIG.search(f.path) and not _names_datasource(f):
            m = _ENGINE_WORD.search(f.text)
            return f, f.line_of(m.start(1)) if m else 1
    return None


def _runtime_embedded(f: File) -> bool:
    for m in _EMBEDDED_ARTIFACT.finditer(f.text):
        if m.group("maven"):
            start = f.text.rfind("<dependency>", 0, m.start())
            end = f.text.find("</dependency>", m.end())
            block = f.text[start if start >= 0 else m.start() : end if end >= 0 else m.end()]
            if not re.search(r"<scope>\s*test\s*</scope>", block):
                return True
        elif not m.group("conf").lower().startswith("test"):
            return True
    return False


def _names_datasource(f: File) -> bool:
    if f.ext == ".properties":
        return bool(_PROPERTIES_URL.search(f.text))
    for doc in load_all(f):
        spring = doc.get("spring") if isinstance(doc, dict) else None
        for key in ("datasource", "r2dbc"):
            section = spring.get(key) if isinstance(spring, dict) else None
            if isinstance(section, dict) and (section.get("url") or section.get("jdbc-url")):
                return True
        if isinstance(doc, dict) and any(str(k).startswith("spring.datasource.url") for k in doc):
            return True
    return False


# A folder that holds a test environment rather than a deployment: playwright/, e2e/,
# scripts/test-environments/, integration-tests/ (the role parts of tree.py name most, not these).
_TEST_DIR = re.compile(r"^(?:playwright|e2e|cypress|integration|testing)$|(?:^|[-_.])tests?(?:[-_.]|$)", re.I)
_MAIN_COMPOSE = re.compile(r"^(?:docker-)?compose(?:[.\-_](?:prod|production|deploy|release|stack|swarm))?\.ya?ml$", re.I)


def in_test_environment(path: str) -> bool:
    """A file inside a folder that sets up a test environment (playwright/, scripts/test-environments/)."""
    folder = path.rpartition("/")[0]
    return bool(folder) and _test_folder(folder)


@lru_cache(maxsize=4096)
def _test_folder(folder: str) -> bool:
    return any(_TEST_DIR.search(part) for part in folder.split("/"))


def deployed_server_database(ctx: Context) -> str | None:
    """The database server the deployment runs (PostgreSQL, MySQL …) when a deployment manifest says
    so: the main or production compose file, Kubernetes, Helm or Terraform (not an optional add-on
    such as docker-compose-db.yml, nor a test environment)."""
    images = [img for img in ctx.fact(service_images) if img.service in _SERVER_DATABASES]
    kinds: dict[str, set[str]] = {}
    for img in images:
        kinds.setdefault(img.file.path, set()).add(img.service)
    for img in images:
        if in_test_environment(img.file.path):
            continue
        if img.source == "compose" and (declared_development(img.file) or len(kinds[img.file.path]) > 1):
            continue  # a developer's compose file: it says so, or it runs every database the app supports
        if img.file.role is None and (img.source in ("k8s", "helm", "terraform") or img.source == "compose"
                                      and _MAIN_COMPOSE.match(img.file.name)) or deploy_compose(img.file):
            return img.service
    return None


# A file's own header saying it is for development: `# Docker compose for development purposes only.`
_DEVELOPMENT_HEADER = re.compile(
    r"(?i)^[ \t]*#[^\n]*(?:\bdevelopment\s+(?:purposes?\s+|use\s+|environment\s+)?only\b|\bonly\s+for\s+(?:local\s+)?development\b|"
    r"\bnot\s+(?:meant\s+|intended\s+|suitable\s+)?for\s+production\b|\bfor\s+local\s+development\b)", re.M)


def declared_development(f: File) -> bool:
    """The file's opening comment says it is for development only (its first 600 characters)."""
    return bool(_DEVELOPMENT_HEADER.search(f.text[:600]))


def tested_server_database(ctx: Context) -> str | None:
    """A database server that a test environment runs (CI services, Testcontainers, a compose file
    under playwright/ or scripts/test-environments/)."""
    for img in ctx.fact(service_images):
        if img.service in _SERVER_DATABASES and (img.source in ("ci", "tests") or in_test_environment(img.file.path)):
            return img.service
    return None


def tested_server_databases(ctx: Context) -> set[str]:
    """Every database server that a test environment runs (CI services, Testcontainers, a test compose)."""
    return {img.service for img in ctx.fact(service_images) if img.service in _SERVER_DATABASES
            and (img.source in ("ci", "tests") or in_test_environment(img.file.path))}


# SQLite as the fallback of a switch on a database server: `if settings.postgresql.enabled { … } else { …Sqlite… }`
_SERVER_DB_SWITCH = re.compile(
    r"(?i)^[ \t]*(?:\}[ \t]*)?(?:if|else[ \t]+if|elif|elsif)\b[^\n]*?\b\w*(?:postgres(?:ql)?|mysql|mariadb)\w*"
    r"(?:\.|_|\[['\"])(?:enabled?|url|uri|host|dsn)\b", re.M)
_ELSE = re.compile(r"^[ \t]*(?:\}[ \t]*)?else\b[ \t]*(?:\{|:)?[ \t]*$")
_SQLITE_WORD = re.compile(r"(?i)sqlite")
_DEV_NAME = re.compile(r"(?:^|[._-])(?:dev|development|local|test|tests|testing|ci)(?:[._-]|$)", re.I)


def sqlite_fallbacks(ctx: Context) -> list[tuple[File, int]]:
    """(file, line) of SQLite in the `else` branch of a switch on a database server's setting (`if
    settings.postgresql.enabled { Postgres… } else { Sqlite… }`) in app code: unless the server is
    configured, the app's database, in production as in development, is an SQLite file."""
    app = [f for f in ctx.source() if f.role is None and not _DEV_NAME.search(f.name) and not in_test_environment(f.path)]
    out = []
    for hit in ctx.grep(_SERVER_DB_SWITCH, app, where="code", limit=2):
        f = hit.file
        for line in range(hit.line + 1, min(hit.line + 12, len(f.lines)) + 1):
            if not _ELSE.match(f.line_text(line)):
                continue
            body = next((i for i in range(line + 1, min(line + 4, len(f.lines)) + 1) if f.line_text(i).strip()), None)
            if body is not None and _SQLITE_WORD.search(f.line_text(body)):
                out.append((f, body))
            break
    return out


# A constructor's static option defaults: `KnexStore.defaultsKnex = {` (used only when no connection is passed)
_STATIC_DEFAULTS = re.compile(r"^[ \t]*\w+(?:\.\w+)*\.(?:default|defaults)\w*[ \t]*=[ \t]*\{[ \t]*$", re.I)


def in_static_defaults(f: File, line: int) -> bool:
    """The line is inside an object assigned to a constructor's `defaults…` property (`KnexStore.defaultsKnex
    = { client: 'sqlite3', … }`): a helper's fallback when its caller passes no connection of its own, not the
    app's database setting."""
    for i in range(line - 1, max(0, line - 8), -1):
        text = f.line_text(i)
        if _STATIC_DEFAULTS.match(text):
            return True
        if text.startswith("}") or not text.strip():
            return False
    return False
