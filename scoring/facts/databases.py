"""Which database a deployable runs in production, and what its default (development) profile runs
instead: the facts dev/prod parity compares.
"""

from __future__ import annotations

import re

from ..context import Context
from ..tree import File
from .manifests import all_dependencies
from .service_images import service_images
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
        hit = sorted(deps & names)
        if hit:
            return name, f"the {hit[0]} dependency"
    for img in ctx.fact(service_images):
        if img.service in _SERVER_DATABASES and img.source not in ("ci", "tests"):
            return img.service, f"{img.file.path}"
    files = [f for f in ctx.files if f.role is None]
    for hit in ctx.grep(_DATABASE_CONFIG, files, where=("code", "string")):
        if hit.text.lstrip().startswith(("#", "//", ";", "--")):
            continue  # a commented-out alternative in .env or a config file (no lexer knows those)
        name = "PostgreSQL" if hit.match.group("pg") else "MySQL" if hit.match.group("my") else "SQL Server"
        return name, hit.path
    return None


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
