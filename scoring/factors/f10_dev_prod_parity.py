"""X. Dev/prod parity — keep development, staging and production as similar as possible."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ..context import Context, Raw, found
from ..facts.blocks import block_end
from ..facts.branches import branch_text
from ..facts.databases import (
    deployed_server_database,
    in_static_defaults,
    production_database,
    spring_default_database,
    sqlite_fallbacks,
    tested_server_database,
    tested_server_databases,
)
from ..facts.envfiles import env_files
from ..facts.images import container_images
from ..facts.literal import keyed
from ..facts.manifests import all_dependencies
from ..facts.service_images import (
    PRODUCTION_SOURCES,
    ServiceImage,
    deploy_compose,
    deployment_examples,
    parse_image,
    service_images,
    template_file,
)
from ..model import Severity
from ..registry import check
from ..tree import File

FACTOR = 10

_EMBEDDED_DB = {
    "python": re.compile(r"['\"](?P<key>django\.db\.backends\.sqlite3|sqlite(?:\+\w+)?://[^'\"\s]*)['\"]"),
    "javascript": re.compile(
        r"\bdialect\s*:\s*['\"]sqlite['\"]|\bclient\s*:\s*['\"](?:sqlite3|better-sqlite3)['\"]|"
        r"\btype\s*:\s*['\"](?:sqlite|better-sqlite3|sqljs)['\"]|['\"`]sqlite:[^'\"`\s]*['\"`]"
    ),
    "go": re.compile(r"\bsqlite\.Open\s*\(|\bsql\.Open\s*\(\s*\"sqlite3?\"|\"(?:github\.com/mattn/go-sqlite3|gorm\.io/driver/sqlite)\""),
    "java": re.compile(r"\"jdbc:(?:h2|hsqldb|sqlite|derby):|\borg\.h2\.Driver\b|\borg\.hsqldb\.jdbc"),
    "php": re.compile(r"['\"]DB_CONNECTION['\"]\s*,\s*['\"]sqlite['\"]|\bnew\s+PDO\(\s*['\"]sqlite:"),
    "dotnet": re.compile(r"\bUseSqlite\s*\(|\bAddSqlite\s*<|\bUseInMemoryDatabase\s*\("),
    "rust": re.compile(r"\"sqlite:[^\"\s]*\"|\bSqlitePool\b"),
}
_EMBEDDED_DB_CONFIG = re.compile(
    r"\bsqlite3?:/{2,3}|\bjdbc:(?:h2|hsqldb|sqlite|derby):|^[ \t]*adapter:[ \t]*sqlite3?\b|"
    r"\bDB_CONNECTION\b['\"]?\s*(?:=|\"?\s+value=\")\s*['\"]?sqlite\b|\bdb-kind[ \t]*[=:][ \t]*(?:h2|derby)\b|"
    r"<artifactId>\s*(?:h2|hsqldb)\s*</artifactId>|\"(?:dialect|type|client)\"\s*:\s*\"(?:sqlite3?|better-sqlite3)\"|['\"](?:com\.h2database:h2|org\.hsqldb:hsqldb)\b",
    re.M | re.I,
)
_CONFIG_EXTS = {".yml", ".yaml", ".properties", ".toml", ".ini", ".cfg", ".xml", ".json", ".env", ".gradle", ".kts"}

_SUBSTITUTE = {
    "python": re.compile(
        r"['\"](?P<key>django\.core\.cache\.backends\.(?:locmem\.LocMemCache|dummy\.DummyCache)|locmemcache://[^'\"]*|"
        r"memory://[^'\"]*)['\"]|(?i:\b(?:celery_)?(?:task_)?always_eager)\s*=\s*True\b|"
        r"\bCACHE_TYPE\b['\"]?\s*\]?\s*=\s*['\"](?:simple|SimpleCache|flask_caching\.backends\.SimpleCache)['\"]|"
        r"\bimport\s+fakeredis\b|\bfrom\s+fakeredis\b"
    ),
    "javascript": re.compile(r"(?:\brequire\s*\(\s*|\bfrom\s+)['\"](?:ioredis-mock|redis-mock|mongodb-memory-server|pg-mem)['\"]"),
    "go": re.compile(r"\bminiredis\.(?:Run|RunT|NewMiniRedis)\s*\("),
    "ruby": re.compile(r"\bconfig\.cache_store\s*=\s*:(?:memory_store|null_store)\b|\bconfig\.active_job\.queue_adapter\s*=\s*:(?:inline|async)\b"),
    "dotnet": re.compile(r"\bAddDistributedMemoryCache\s*\("),
}
_SUBSTITUTE_CONFIG = re.compile(r"^[ \t]*(?:QUEUE_CONNECTION=sync|CACHE_(?:DRIVER|STORE)=array|spring\.cache\.type\s*[=:]\s*simple)\b", re.M)
_CABLE_ADAPTER = re.compile(r"^(?P<env>[a-z_]+):[ \t]*\n(?:[ \t][^\n]*+\n|\n)*?[ \t]+adapter:[ \t]*(?P<adapter>\w+)", re.M)
# Substitutes that only matter when the real service is also in use.
_REAL_SERVICE_HINT = re.compile(r"redis|memcache|sidekiq|resque|good_job|StackExchangeRedis|rabbitmq|amqp", re.I)
_REAL_CACHE_SETTING = re.compile(r"django_redis\.cache\.RedisCache|backends\.redis\.RedisCache|PyMemcacheCache|\bredis://")
_ALWAYS_SUBSTITUTE = re.compile(r"eager|EAGER|memory://|fakeredis|-mock|memory-server|pg-mem|miniredis", re.I)

_DEBUG_IF = {
    # a Python condition is on one line: searched only on the lines that name DEBUG
    "python": re.compile(r"^[ \t]*(?:el)?if[ \t]+(?:not[ \t]+)?(?:settings\.|config\.|app\.config\[['\"])?(?:DEBUG|debug)\b(?:['\"]\])?[^\n]{0,80}:|"
                         r"^[ \t]*(?:el)?if[ \t]+(?:not[ \t]+)?(?:current_)?app\.debug\b[^\n]{0,80}:", re.M),
    "javascript": re.compile(r"\bif\s*\(\s*!?\s*(?:config\.debug|process\.env\.DEBUG|settings\.debug|app\.debug)\b"),
    "php": re.compile(r"\bif\s*\(\s*!?\s*(?:config\(\s*['\"]app\.debug['\"]\s*\)|env\(\s*['\"]APP_DEBUG['\"])"),
    "go": re.compile(r"\bif\s+!?(?:(?:cfg|conf|config|c)\.Debug\s*\{|gin\.IsDebugging\(\)|gin\.Mode\(\)\s*[!=]=)"),
    "rust": re.compile(r"\bif\s+!?cfg!\(\s*debug_assertions\s*\)"),
    "dotnet": re.compile(r"^[ \t]*#if\s+DEBUG\b", re.M),
    "ruby": re.compile(r"\bif\s+ENV\[['\"]DEBUG['\"]\]"),
}
# Builds named after an environment: `#if (DEBUG || STAGING)`, `#[cfg(feature = "staging")]`,
# `//go:build staging`: the staging or production binary is compiled to behave differently.
_ENV_BUILD = {
    "dotnet": re.compile(r"^[ \t]*#(?:el)?if\b[^\n]*\b(?:STAGING|PRODUCTION|DEVELOPMENT|PROD|QA|UAT)\b", re.M),
    "rust": re.compile(r"#!?\[cfg\([^\]\n]*\bfeature[ \t]*=[ \t]*\"(?:staging|production|prod|development|dev|qa|uat)\"", re.M),
    "go": re.compile(r"^//go:build\b[^\n]*\b(?:staging|production|prod|development|dev|qa|uat)\b", re.M),
}
_SERVICE_CHOICE = re.compile(
    r"sqlite|locmem|LocMem|memory://|InMemory|MemoryCache|AddDistributedMemoryCache|UseSqlite|DummyCache|"
    r"FileSystemStorage|filebased|console\.EmailBackend|always_eager|ALWAYS_EAGER|memory_store|"
    r"\bDATABASES\b|\bCACHES\b|BROKER_URL|\bSESSION_ENGINE\b|\bSTORAGES\b|DEFAULT_FILE_STORAGE|\bEMAIL_BACKEND\b|"
    r"Redis|redis|S3|s3|boto3|mongodb|postgres|mysql|smtp|Sqlite|PgPool|MySqlPool"
)
_BLOCK_LINES = 12
_DEV_COMPOSE = re.compile(r"(?:^|[/._-])(?:dev|development|local|override|test|tests|ci)(?:[/._-])", re.I)


@check(
    "dev-prod-parity.same-services",
    factor=FACTOR,
    title="Development runs the same backing services as production",
    remediation="Run the production backing services (same kind, same major version) in docker-compose or a devcontainer.",
)
def same_services(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: compose, CI or the test suite (Testcontainers) runs the backing services at pinned versions."""
    by_source: dict[str, list[ServiceImage]] = defaultdict(list)
    for img in ctx.fact(service_images):
        if img.major and img.source in ("compose", "ci", "tests") and (img.file.role is None or img.source == "tests"):
            by_source[img.source].append(img)
    for source, images in by_source.items():
        names = ", ".join(sorted({f"{i.service} {i.major}" for i in images}))
        where = {"compose": "docker-compose", "ci": "CI", "tests": "The test suite (Testcontainers)"}[source]
        yield found(Severity.INFO, f"{where} runs the backing services at pinned versions: {names}.",
                    images[0].file.path, images[0].line, images[0].image, anywhere=source == "tests")


@check(
    "dev-prod-parity.embedded-database",
    factor=FACTOR,
    title="Development or tests use SQLite/H2 while production uses a database server",
    remediation="Run the production database (PostgreSQL, MySQL …) in development and tests too, e.g. from docker-compose or CI services.",
)
def embedded_database(ctx: Context) -> Iterator[Raw]:
    """SQLite, H2 or HSQLDB in development settings or tests while production runs PostgreSQL or MySQL.

    An embedded database differs from the server in types, constraints, locking, migrations and
    SQL dialect: code that passes on SQLite or H2 fails on PostgreSQL in production. Adapters make
    it tempting; twelve-factor developers resist the urge. Reported in test paths too, since tests
    on another database are exactly the gap.
    """
    prod = production_database(ctx)
    if prod is None or _sqlite_by_default_and_tested(ctx):
        return
    database, where = prod
    message = f"An embedded database (SQLite/H2) is used here while production uses {database} ({where})."
    # CI also runs the production database (its services, Testcontainers): the gap is narrowed, not closed
    severity = Severity.MEDIUM if database in ctx.fact(tested_server_databases) else Severity.HIGH
    if severity is Severity.MEDIUM:
        message = message[:-1] + f"; CI also tests on {database}, which narrows the gap."
    in_memory = f"EF Core's in-memory provider stands in for {database} ({where}): no SQL, constraints or transactions."
    files = [f for f in ctx.files if f.role in (None, "test") or _is_env_example(ctx, f)]
    for language, pattern in _EMBEDDED_DB.items():
        for hit in ctx.grep(pattern, [f for f in files if f.language == language], where=("code", "string")):
            if in_static_defaults(hit.file, hit.line):
                continue  # a helper's fallback connection, used only when the app passes none
            if language != "python" or keyed(ctx, hit):
                text = in_memory if "InMemory" in hit.match.group(0) else message
                yield hit.found(Severity.HIGH if "InMemory" in hit.match.group(0) else severity, text, anywhere=True)
    config = [f for f in files if f.language is None and (f.ext in _CONFIG_EXTS or f.name.startswith(".env"))]
    for hit in ctx.grep(_EMBEDDED_DB_CONFIG, config, where="any"):
        if not hit.text.lstrip().startswith("#") and not _production_section(hit.file, hit.line):
            yield hit.found(severity, message, anywhere=True)
    spring = ctx.fact(spring_default_database)
    if spring:
        f, line = spring
        yield found(Severity.HIGH, f"Spring Boot's default profile names no datasource, so it runs on the embedded "
                    f"database on its classpath while production uses {database} ({where}).", f.path, line,
                    f.lines[line - 1] if line <= len(f.lines) else "")


def _sqlite_by_default_and_tested(ctx: Context) -> bool:
    """An app that supports several databases, SQLite by default (the server is known only from a
    driver dependency or a connection branch; no deployment manifest runs one), whose test
    environments run the servers too (a Playwright compose, scripts/test-environments/), or whose
    code falls back to SQLite unless a server is configured (`if settings.postgresql.enabled { … }
    else { Sqlite… }`): development runs what the default deployment runs. Processes judges the
    SQLite default."""
    if ctx.fact(deployed_server_database) is not None:
        return False
    return ctx.fact(tested_server_database) is not None or bool(ctx.fact(sqlite_fallbacks))


_TOP_KEY = re.compile(r"^([\w-]+):")


def _production_section(f: File, line: int) -> bool:
    """The line is in the `production:` section of a per-environment file (Rails' database.yml):
    the production database itself, which processes judges, not a development substitute."""
    if f.name != "database.yml":
        return False
    for i in range(line, 0, -1):
        m = _TOP_KEY.match(f.line_text(i))
        if m:
            return m.group(1) == "production"
    return False


def _is_env_example(ctx: Context, f: File) -> bool:
    return f.role == "example" and any(e.file is f for e in ctx.fact(env_files))


@check(
    "dev-prod-parity.in-process-substitute",
    factor=FACTOR,
    title="Development swaps a backing service for an in-process substitute",
    remediation="Use the real service in development (Redis, the broker) from docker-compose instead of in-memory stand-ins.",
)
def in_process_substitute(ctx: Context) -> Iterator[Raw]:
    """In-process stand-ins for real services: locmem cache vs Redis, Celery `task_always_eager`, memory:// brokers.

    An eager Celery or an in-memory cache hides serialization, concurrency and network failures
    that production will meet. Test code may use such stand-ins; app settings should not.
    """
    real = _uses_real_service(ctx)
    for language, pattern in _SUBSTITUTE.items():
        files = [f for f in ctx.source(language) if f.role is None]
        for hit in ctx.grep(pattern, files, where=("code", "string")):
            if language == "python" and hit.where == "string" and not keyed(ctx, hit):
                continue
            if real or _ALWAYS_SUBSTITUTE.search(hit.match.group(0)):
                yield hit.found(Severity.MEDIUM, f"An in-process substitute for a backing service: {hit.match.group(0).strip()}.")
    config = [f for f in ctx.files if f.role is None or _is_env_example(ctx, f)]
    config = [f for f in config if f.language is None]
    if real:
        for hit in ctx.grep(_SUBSTITUTE_CONFIG, config, where="any"):
            # .env.example documents the development defaults: what it sets is what developers run
            yield hit.found(Severity.MEDIUM, f"An in-process substitute for a backing service: {hit.match.group(0).strip()}.",
                            anywhere=hit.file.role == "example")
    yield from _cable_adapters(ctx)


def _cable_adapters(ctx: Context) -> Iterator[Raw]:
    """config/cable.yml: Action Cable on the in-process `async` adapter in development, a server in production."""
    for f in ctx.named("cable.yml"):
        if f.role is not None:
            continue
        adapters = {m.group("env"): m for m in _CABLE_ADAPTER.finditer(f.text)}
        dev, prod = adapters.get("development"), adapters.get("production")
        if dev and prod and dev.group("adapter") == "async" and prod.group("adapter") != "async":
            yield found(Severity.MEDIUM, f"Action Cable runs on the in-process async adapter in development but on "
                        f"{prod.group('adapter')} in production.", f.path, f.line_of(dev.start("adapter")), f"adapter: {dev.group('adapter')}")


def _uses_real_service(ctx: Context) -> bool:
    if any(_REAL_SERVICE_HINT.search(d) for d in ctx.fact(all_dependencies)):
        return True
    if ctx.first(_REAL_CACHE_SETTING, [f for f in ctx.source("python") if f.role is None], where=("code", "string")):
        return True  # production settings name a Redis/Memcached cache (templated projects list no dependencies)
    return any(i.service in ("Redis", "Memcached", "RabbitMQ", "Valkey") for i in ctx.fact(service_images))


@check(
    "dev-prod-parity.service-version-drift",
    factor=FACTOR,
    title="Backing-service versions differ between environments",
    remediation="Use the same major version of each backing service in compose, CI and production manifests.",
)
def service_version_drift(ctx: Context) -> Iterator[Raw]:
    """A backing service at different major versions in compose, CI, Kubernetes/Helm or Terraform.

    Tests on PostgreSQL 13 do not prove the app works on PostgreSQL 16 in production. Keep the
    versions aligned (one major version everywhere) and upgrade them together. Every file at
    another version than the reference (production manifests first, development composes last) is
    reported; one side pinned while the other floats is reported too (CI on postgres:11 while
    everything else runs latest: low; CI on latest while the deployment pins: medium).
    """
    by_service: dict[str, list[ServiceImage]] = defaultdict(list)
    floating: dict[str, list[ServiceImage]] = defaultdict(list)
    examples = ctx.fact(deployment_examples)
    for img in ctx.fact(service_images):
        if img.major:
            by_service[img.service].append(img)
        elif img.floating:
            floating[img.service].append(img)
    for service, images in by_service.items():
        if len({i.major for i in images}) < 2:
            yield from _pinned_only_in_ci(service, images, floating[service])
            continue
        images.sort(key=_reference_order)
        ref = images[0]
        reported: set[str] = set()
        for img in images[1:]:
            if img.major != ref.major and img.file.path not in reported:
                reported.add(img.file.path)
                yield found(Severity.MEDIUM, f"{service} {img.major} in {img.file.path}, but {ref.major} in {ref.file.path}.",
                            img.file.path, img.line, img.image, anywhere=img.source == "tests" or template_file(img.file)
                            or img.file.path in examples)


def _pinned_only_in_ci(service: str, pinned: list[ServiceImage], floating: list[ServiceImage]) -> Iterator[Raw]:
    """One side pins and the other floats. CI tests one version (postgres:11) while every environment
    people run floats (postgres:latest): low, the tested and the running version drift apart with
    each release. CI floats (mysql:latest) while the deployment pins mysql:8.0: medium, the tests
    run another major version than production as soon as one is released."""
    others = [i for i in floating if i.source not in ("ci", "tests")]
    deployed = [i for i in pinned if i.source not in ("ci", "tests")]
    if others and not deployed:
        for img in pinned:
            yield found(Severity.LOW, f"{service} {img.major} in {img.file.path}, but the floating {others[0].image} in "
                        f"{others[0].file.path}.", img.file.path, img.line, img.image, anywhere=True)
    elif deployed and len({i.major for i in deployed}) == 1:
        # the reverse: CI tests whatever `latest` is today while the deployment pins a version
        for img in [i for i in floating if i.source == "ci"][:1]:
            yield found(Severity.MEDIUM, f"CI runs the floating {img.image}, but {deployed[0].file.path} pins {service} "
                        f"{deployed[0].major}.", img.file.path, img.line, img.image, anywhere=True)


def _reference_order(img: ServiceImage) -> tuple[int, str]:
    if img.source in PRODUCTION_SOURCES:
        rank = PRODUCTION_SOURCES.index(img.source)
    elif img.source == "compose" and (deploy_compose(img.file)):
        rank = len(PRODUCTION_SOURCES)
    elif img.source == "compose" and not _DEV_COMPOSE.search(img.file.path):
        rank = len(PRODUCTION_SOURCES) + 1
    else:  # a development compose (dev/docker-compose.yml, compose.override.yml), CI, tests
        rank = len(PRODUCTION_SOURCES) + (2 if img.source == "compose" else 3)
    return rank, img.file.path


@check(
    "dev-prod-parity.floating-service-image",
    factor=FACTOR,
    title="A service image has no version tag",
    remediation="Pin every service image to a version (postgres:16, redis:7, axllent/mailpit:v1.21), never `latest` or no tag.",
)
def floating_service_image(ctx: Context) -> Iterator[Raw]:
    """`postgres:latest`, `redis` or `adminer` with no tag in compose, CI services, Kubernetes or Testcontainers.

    The image's version then changes under you: each developer, CI run and server may run a
    different one, and none need match production. The app's own image floating is factor V's
    finding (`build-release-run.floating-app-image`).
    """
    seen: set[tuple[str, str]] = set()
    for img in ctx.fact(container_images):
        if img.kind != "own" and img.floating and (img.file.path, img.image) not in seen:
            seen.add((img.file.path, img.image))
            what = f"The {_service_name(img.image)} image" if img.kind == "service" else "The image"
            yield found(Severity.LOW, f"{what} {img.image} has no version tag.", img.file.path, img.line, img.image,
                        anywhere=template_file(img.file))
    for svc in ctx.fact(service_images):
        if svc.source in ("helm", "tests") and svc.floating and (svc.file.path, svc.image) not in seen:
            seen.add((svc.file.path, svc.image))
            yield found(Severity.LOW, f"The {svc.service} image {svc.image} has no version tag.", svc.file.path, svc.line,
                        svc.image)


def _service_name(ref: str) -> str:
    service, _ = parse_image(ref)
    return service or "service"


@check(
    "dev-prod-parity.debug-picks-service",
    factor=FACTOR,
    title="The debug flag picks a different backing service",
    remediation="Let config (a URL per service) choose backing services; keep the debug flag to diagnostics only.",
)
def debug_picks_service(ctx: Context) -> Iterator[Raw]:
    """`if settings.DEBUG:` (or `app.debug`, `#if DEBUG`) choosing a different database, cache, broker or storage.

    Tying the choice of service to the debug flag means development never exercises the
    production service. Branching on the environment's name is reported by factor IV; a build
    named after an environment (`#if (DEBUG || STAGING)`, `#[cfg(feature = "staging")]`,
    `//go:build staging`) is reported here whatever it changes: that binary is not production's.
    """
    for language, pattern in _DEBUG_IF.items():
        files = [f for f in ctx.source(language) if f.role is None]
        for hit in ctx.grep(pattern, files, where="code"):
            # `#if DEBUG … #else … #endif` has no braces: a fixed window; other branches are read whole
            body = _block(hit.file, hit.line, False) if language == "dotnet" else branch_text(ctx, hit)
            m = _SERVICE_CHOICE.search(body)
            if m:
                yield hit.found(Severity.MEDIUM, f"The debug flag chooses a different backing service ({m.group(0)}).")
    for language, pattern in _ENV_BUILD.items():
        files = [f for f in ctx.source(language) if f.role is None]
        for hit in ctx.grep(pattern, files, where="any" if language != "rust" else "code"):
            yield hit.found(Severity.MEDIUM, "A build named after an environment compiles different behaviour "
                            f"into that environment's binary ({hit.text.strip()[:60]}).")


def _block(f: File, line: int, indented: bool) -> str:
    """The lines a branch governs: the indented block (Python) or the next few lines."""
    return "\n".join(f.lines[line : block_end(f, line, indented=indented, limit=_BLOCK_LINES)])[:4000]
