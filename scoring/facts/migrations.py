"""Database migrations: the commands that apply them and the tools a codebase keeps them with."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..context import Context
from ..tree import File
from .manifests import all_dependencies

# A command that applies schema migrations (anchored on each tool's own name).
MIGRATE_COMMAND = re.compile(
    r"\b(?:manage\.py|django-admin)\s+migrate\b|\balembic\s+upgrade\b|\bflask\s+db\s+upgrade\b|"
    r"\b(?:rails|rake)\s+db:(?:migrate|prepare|setup)\b|\bartisan\s+migrate\b|\bprisma\s+(?:migrate\s+deploy|db\s+push)\b|"
    r"\bknex\s+migrate:latest\b|\bsequelize(?:-cli)?\s+db:migrate\b|\btypeorm\b[^\n;&]{0,120}\bmigration:run\b|"
    r"\b(?:npm|yarn|pnpm)\s+(?:run\s+)?(?:migrate|db:migrate|migration:run)\b|\bgoose\b[^\n;&]{0,200}\sup\b|"
    r"\bmigrate\s[^\n;&]{0,200}-path\b[^\n;&]{0,200}\sup\b|\bdiesel\s+migration\s+run\b|\bsqlx\s+migrate\s+run\b|"
    r"\bdotnet\s+ef\s+database\s+update\b|\bflyway\b[^\n;&]{0,200}\bmigrate\b|\bliquibase\b[^\n;&]{0,200}\bupdate\b|"
    r"\bmix\s+ecto\.migrate\b|\bbin/(?:migrate|release-tasks)\b",
    re.I,
)

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
        for name, pattern in _PATH_TOOLS:
            if name not in out and pattern.search(ctx.rel(f.path)):
                out[name] = MigrationTool(name, f)
    for dep in sorted(all_dependencies(ctx) & _DEP_TOOLS.keys()):
        out.setdefault(_DEP_TOOLS[dep], MigrationTool(_DEP_TOOLS[dep], None))
    return list(out.values())
