"""Per-environment configuration bundles: files that hold one deploy's settings (config/production.py,
appsettings.Docker.json, application-prod.yml, Rails environment files, database.yml sections).
"""

from __future__ import annotations

import re

from ..tree import File

PROD_ENVS = r"prod|production|staging|stage|preprod|pre-prod|uat|qa|live"
PER_ENV_BUNDLE = re.compile(
    r"(?i)(?:^|/)(?:(?:config|configs|settings|conf|environments?)/(?:[\w\-]+[._\-])?(?:" + PROD_ENVS + r")"
    r"\.(?:py|js|cjs|mjs|ts|json|ya?ml|toml|rb|php|ini|cfg|conf|properties|exs?)|"
    r"settings[_.\-](?:" + PROD_ENVS + r")\.py|config\.(?:" + PROD_ENVS + r")\.(?:json|js|cjs|ts|ya?ml|toml)|"
    r"application-(?:" + PROD_ENVS + r")\.(?:ya?ml|properties)|appsettings\.(?:" + PROD_ENVS + r")\.json)$"
)
# Settings files of any other named environment (appsettings.Docker.json, application-docker.yml,
# config/qa.json): reported when they hold literal credentials, the values a deploy should bring.
NAMED_ENV_BUNDLE = re.compile(
    r"(?i)(?:^|/)(?:appsettings\.(?P<e1>[\w\-]+)\.json|(?:application|bootstrap)-(?P<e2>[\w\-]+)\.(?:ya?ml|properties)|"
    r"config/(?P<e3>docker|qa|uat|preprod|sandbox|demo|cloud|kubernetes|k8s|heroku|azure|aws|gcp|release)"
    r"\.(?:json|ya?ml|toml|js|cjs|ts))$"
)
# Rails config/environments/*.rb and Angular's src/environments/environment.prod.ts are build or
# framework settings per environment (`production: true`): reported only when they carry a host or
# a credential.
RAILS_ENVIRONMENT = re.compile(
    r"(?:^|/)config/environments/[\w\-]+\.rb$|(?:^|/)environments/environment\.[\w\-]+\.[jt]s$"
)
# A literal host, address or credential in a Ruby environment file (not ENV[…], not a Rails helper).
CARRIES_HOSTS = re.compile(
    r"(?i)\b\w*(?:host|address|url|server|endpoint|user_name|username|password|secret)\s*(?::|=>|=)\s*['\"]"
    r"(?![^'\"]*(?:#\{|localhost|127\.0\.0\.1|example\.))[^'\"\s]{3,}['\"]"
)
DATABASE_YML = re.compile(r"(?:^|/)config/database\.ya?ml$")
YML_TOP = re.compile(r"^([A-Za-z_][\w\-]*)\s*:")
YML_DB_KEY = re.compile(r"^\s+(host|password)\s*:\s*(['\"]?)([^\s'\"#]+)\2\s*(?:#.*)?$")
DEV_ENVS = {"development", "dev", "test", "testing", "default", "defaults", "local", "ci"}


def database_yml_section(f: File, line: int) -> str:
    """The top-level key (environment) a line of database.yml belongs to, lower-cased."""
    return next((m.group(1) for text in reversed(f.lines[:line]) if (m := YML_TOP.match(text))), "").lower()


# A key that opens a block: `development:` (YAML), `"test": {` (JSON, JS), `local = {` (HCL, Lua); a TOML table header
_BLOCK_KEY = re.compile(r"""^([ \t]*)['"]?(?:when@)?([A-Za-z_][\w\-]*)['"]?[ \t]*(?::|=>?)[ \t]*(?:[{(\[][ \t]*)?(?:(?:#|//).*)?$""")
_TABLE_HEADER = re.compile(r"""^[ \t]*\[+[ \t]*['"]?([A-Za-z_][\w\-]*)""")
_NON_PROD_SECTIONS = {"development", "dev", "test", "testing", "local", "ci", "e2e"}
_MAX_SECTION_WALK = 400


def development_section(f: File, line: int) -> str | None:
    """The development or test environment whose section a line sits in: `development:` / `test:` of Rails'
    secrets.yml and database.yml, Sequelize's config.json, a knexfile's `development: {`, phinx's
    `environments: testing:`, a TOML `[development]` table. Found by walking up to the keys that enclose
    the line (less indented) or the table header above it; None for any other line."""
    lines = f.lines
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = len(here) - len(here.lstrip(" \t"))
    for text in reversed(lines[max(0, line - 1 - _MAX_SECTION_WALK) : line - 1]):
        stripped = text.strip()
        if not stripped or stripped.startswith(("#", "//", "--")):
            continue
        header = _TABLE_HEADER.match(text) if stripped.startswith("[") and stripped.endswith("]") else None
        if header:
            name = header.group(1).lower()
            return name if name in _NON_PROD_SECTIONS else None
        depth = len(text) - len(text.lstrip(" \t"))
        if depth >= indent:
            continue
        m = _BLOCK_KEY.match(text)
        if m and m.group(2).lower() in _NON_PROD_SECTIONS:
            return m.group(2).lower()
        indent = depth
        if depth == 0:
            return None
    return None
