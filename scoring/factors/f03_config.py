"""III. Config — store config in the environment: nothing that varies between deploys lives in the code."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import Context, Raw, found
from ..facts import env_reads as reads
from ..facts.ci import is_ci_file
from ..facts.config_bundles import (
    CARRIES_HOSTS,
    DATABASE_YML,
    DEV_ENVS,
    NAMED_ENV_BUNDLE,
    PER_ENV_BUNDLE,
    PROD_ENVS,
    RAILS_ENVIRONMENT,
    YML_DB_KEY,
    YML_TOP,
    database_yml_section,
    development_section,
)
from ..facts.credential_urls import LOCAL_HOST, credential_strings, has_credential_url
from ..facts.env_reads import CONFIG_KEYS, CONFIG_NAMES, LITERAL_DSN, app_source
from ..facts.envfiles import env_files
from ..facts.secret_values import is_password_name
from ..facts.secrets import Secret, committed_secrets, in_test_module, is_placeholder, mask_line, not_deployed, zone
from ..model import Kind, Severity
from ..registry import check
from ..tree import File

FACTOR = 3

# ENV and ARG in a Dockerfile: the value ships inside every image built from it
_IMAGE_ENV = re.compile(r"(?i)^\s*(?:ENV|ARG)\s")
# compose and CI files that deploy rather than start a development stack
_DEPLOY_FILE = re.compile(r"(?i)prod|production|live|release|deploy|stack|swarm|staging")
# CI jobs named for shipping (deploy.yml, release.yml) may hold a deploy's credentials
_DEPLOY_CI = re.compile(r"(?i)deploy|release|publish|prod")
_COMPOSE_NAME = re.compile(r"(?i)^(?:docker-)?compose(?:[._\-][\w\-]+)*\.ya?ml$")
_LOOPBACK = re.compile(r"(?i)^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|::1|\[::1\])$")

_EXAMPLE_NAME = re.compile(r"(?i)example|sample|template|dist|tmpl|tpl")

_DEBUG_TRUE = {
    "python": re.compile(r"^DEBUG\s*=\s*True\b", re.M),
    "php": re.compile(r"['\"]debug['\"]\s*=>\s*true\b"),
    "ruby": re.compile(r"\bconfig\.consider_all_requests_local\s*=\s*true\b"),
}
_FLASK_DEBUG = re.compile(r"\bapp\.config\[\s*['\"]DEBUG['\"]\s*\]\s*=\s*True\b|\bapp\.debug\s*=\s*True\b")
_DEBUG_CONFIG = re.compile(r"^\s*debug\s*[=:]\s*true\b|\"DetailedErrors\"\s*:\s*true\b", re.M | re.I)
_DEV_FILE = re.compile(r"(?i)(?:^|[/_.\-])(?:dev|development|local|test|testing|tests|ci)(?:[_.\-][\w\-]*)?\.\w+$")
_SETTINGS_FILE = re.compile(
    r"(?:^|/)(?:settings|config|configuration)(?:\.py|/[\w\-]+\.py)$|(?:^|/)config/app\.php$|(?:^|/)config/environments/production\.rb$"
)
_DEBUG_CONFIG_FILE = re.compile(
    r"(?i)(?:^|/)(?:application(?:-(?:"
    + PROD_ENVS
    + r"))?\.(?:properties|ya?ml)|appsettings(?:\.(?:"
    + PROD_ENVS
    + r"))?\.json)$"
)

_SECRET_REMEDIATION = (
    "Revoke and rotate this credential now (it is in the history), remove it from the repository, and read it "
    "from the environment or a secret manager at run time."
)


@check(
    "config.committed-secret",
    factor=FACTOR,
    title="A secret is committed to the repository",
    remediation=_SECRET_REMEDIATION,
    repository_wide=True,
)
def committed_secret(ctx: Context) -> Iterator[Raw]:
    """Private keys, cloud access keys, API tokens, passwords, SECRET_KEY and JWT secrets in the tree.

    A credential in the repository is readable by everyone who can clone it, forever: it stays in
    the history after it is deleted. Real-format credentials (private keys, AWS access keys,
    GitHub/GitLab/Slack/Stripe/SendGrid/PyPI/npm tokens …) are reported wherever they are, tests
    and docs included. Values assigned to secret-sounding names (passwords, Django SECRET_KEY, JWT
    secrets, constants named as keys) count in code and committed configuration, and so do the
    literal fallbacks of environment reads (`process.env.JWT_SECRET || '…'`, `${SECRET:-…}`),
    literal data in Kubernetes Secret manifests and committed framework key stores (Rails
    master.key, ASP.NET Data Protection keys, Java keystores). Documented examples, placeholders
    ("changeme", "<password>", ${VAR}, {{ var }}) and values read from the environment do not.

    Values in files no deploy reads are shown as low: test-only env files (.env.test), CI jobs,
    compose files and folders of test stacks (.ci/, compose.cypress.yaml, test-environments/, files
    headed "only intended for testing"), API-client request collections (.bru, Postman), contributed
    samples (contrib/) and generated references of defaults (defaults.hjson); so are private keys in
    test fixtures (keys generated to sign test data), values in a Rust `#[cfg(test)]` module, values
    under the `development:` / `test:` section of a per-environment file (Rails' secrets.yml,
    Sequelize's config.json, Symfony's `when@dev:`), and a weak password set beside `localhost` in a
    task runner or script. Other real-format tokens keep their severity. Template bindings
    (`:value="form.password"`), the fixed prefix of a generated value (`"whsec_" + random`), password
    generators' alphabets, GraphQL types, identifiers spelled after their own name
    (`IsApiKey = "Jellyfin-IsApiKey"`) and error reporters' notifier keys (Bugsnag) are not secrets.

    Severity: critical for a real-format credential or a key store, and for a secret assigned in
    application code or configuration; high for one in CI files, scripts, Dockerfiles and
    production compose files, and for a literal fallback of a secret; low for a weak word used as
    the password of a throwaway database in a development compose file or CI service, or as the
    fallback of a database password; medium for a generated secret shipped in an example file
    (whoever copies it runs with it). Fix: rotate the credential, remove it, and read it from the
    environment or a secret manager.
    """
    for secret in ctx.fact(committed_secrets):
        severity = _secret_severity(secret, _compose_dirs(ctx))
        example = secret.file.role == "example" and secret.strong and not secret.real_format
        yield found(
            Severity.MEDIUM if example else severity,
            _secret_message(secret),
            secret.file.path,
            secret.line or None,  # a binary key store: the whole file
            secret.snippet,
            secrets=secret.values,
            anywhere=secret.real_format or example,
        )


def _secret_message(secret: Secret) -> str:
    if secret.origin == "fallback":
        return (
            f"{secret.name or 'An environment variable'} falls back to a {secret.kind} committed in {secret.file.name}."
        )
    return f"A {secret.kind} is committed in {secret.file.name}."


def _compose_dirs(ctx: Context) -> set[str]:
    return {f.dir for f in ctx.files if _COMPOSE_NAME.match(f.name)}


def _secret_severity(secret: Secret, compose_dirs: set[str] = frozenset()) -> Severity:
    setting = not_deployed(secret.file) or ("test" if secret.line and in_test_module(secret.file, secret.line) else None)
    if secret.real_format:
        keypair = secret.kind == "private key" and (setting or secret.file.role == "test")
        return Severity.LOW if keypair else Severity.CRITICAL  # a key generated to sign test data or a CI run's
    if setting and not (is_ci_file(secret.file) and _DEPLOY_CI.search(secret.file.name)):
        return Severity.LOW  # a value for a test run, a CI job, a sample or a reference page
    if secret.file.role is None and secret.line and development_section(secret.file, secret.line):
        return Severity.LOW  # the development: or test: section of a per-environment file (Rails' secrets.yml)
    if secret.origin == "store":  # a key file made for production, or a key store of unknown use
        return Severity.CRITICAL if secret.strong else Severity.MEDIUM
    if secret.kind == "JSON Web Token":
        return Severity.HIGH
    if secret.origin == "connection" and LOCAL_HOST.match(secret.name):
        return Severity.LOW  # the connection-string check's rule: a password for a local service
    if secret.origin == "manifest":
        return Severity.HIGH if secret.strong else Severity.MEDIUM  # applied as is: the value is deployed
    if secret.origin == "fallback":
        # a weak database password as a default is a development default; any signing key is the key
        return Severity.LOW if is_password_name(secret.name) and not secret.strong else Severity.HIGH
    where = zone(secret.file)
    if where == "app" and secret.file.language is None and secret.file.dir and secret.file.dir in compose_dirs:
        where = "infra"  # a config file the compose file beside it mounts into its containers
    if where in ("infra", "ci") and not secret.strong and not _DEPLOY_FILE.search(secret.file.name):
        if not _IMAGE_ENV.match(secret.file.line_text(secret.line)):
            return Severity.LOW  # the password of a throwaway database the file starts, a one-step build value
    if where == "script" and not secret.strong and _developer_script(secret.file) and _beside_local_host(secret):
        return Severity.LOW  # a task runner's or script's password for a database on this machine
    if secret.kind == "hard-coded password" and not secret.strong and _development_only(secret):
        return Severity.LOW  # settings of a development or test database
    return Severity.CRITICAL if where == "app" else Severity.HIGH


_LOCAL_SERVICE = re.compile(r"(?i)\b(?:localhost|127\.0\.0\.1)\b")
_NEAR_LINES = 8


_TASK_RUNNERS = {"makefile", "justfile", "taskfile.yml", "taskfile.yaml", "rakefile"}


def _developer_script(f: File) -> bool:
    """A shell script or task runner (not a config file kept in deploy/, not a file named for deploying)."""
    return (f.language == "shell" or f.name.lower() in _TASK_RUNNERS) and not _DEPLOY_FILE.search(f.path)


def _beside_local_host(secret: Secret) -> bool:
    """A password set beside the host it opens, and that host is this machine (`POSTGRES_SERVER: localhost`
    in a Taskfile's env, `PGPASSWORD=… psql -h 127.0.0.1`): a developer's local database."""
    f, line = secret.file, secret.line
    if not line:
        return False
    return any(_LOCAL_SERVICE.search(f.line_text(n)) for n in range(max(1, line - _NEAR_LINES), min(len(f.line_starts), line + _NEAR_LINES) + 1))


def _development_only(secret: Secret) -> bool:
    """A settings file, or a section of database.yml, that only development and tests use."""
    f = secret.file
    if _DEV_FILE.search(f.path):
        return True
    if not DATABASE_YML.search(f.path):
        return False
    return database_yml_section(f, secret.line) in DEV_ENVS - {"default", "defaults"}


@check(
    "config.connection-string-credentials",
    factor=FACTOR,
    title="A connection string with credentials is committed",
    remediation="Take the whole URL from the environment (DATABASE_URL, REDIS_URL …) and rotate the password it held.",
    repository_wide=True,
)
def connection_string_credentials(ctx: Context) -> Iterator[Raw]:
    """Connection strings that carry a password: postgres://user:pass@host/db, redis://:pass@host, amqp://…

    A URL with a password in code or committed configuration is a committed secret that also pins the
    app to one deploy's database or broker. Placeholder credentials in examples (user:password@host,
    ${DB_PASSWORD}) are not reported; a password for a service on this machine or a compose service
    name is reported as low. Fix: read the whole URL from the environment.
    """
    for c in ctx.fact(credential_strings):
        local = c.local
        severity = Severity.LOW if local else (Severity.CRITICAL if zone(c.file) == "app" else Severity.HIGH)
        where = "a local service" if local else c.host
        message = f"A {c.scheme} connection string with a password for {where} is committed."
        yield found(severity, message, c.file.path, c.line, mask_line(c.text, [c.password]), secrets=(c.password,))


@check(
    "config.committed-env-file",
    factor=FACTOR,
    title="An environment file (.env) is committed",
    remediation="Remove the file from git (git rm --cached), add it to .gitignore, commit a .env.example with empty values instead, and rotate any secret it held.",
    repository_wide=True,
)
def committed_env_file(ctx: Context) -> Iterator[Raw]:
    """A committed `.env`, `.env.production`, `.env.local` … (anything but an example, sample or template).

    An environment file is where a deploy's real values live; committed, it turns config back into
    code and usually leaks the secrets in it. Commit a `.env.example` documenting the variables with
    empty or placeholder values instead. High when the file holds secrets, medium otherwise; low for
    the `.env` and `.env.<mode>` files that Symfony, Next.js, Vite, Create React App and Nuxt tell
    projects to commit with non-secret defaults (secrets belong in `.env*.local` or the environment).
    """
    secrets = {id(s.file) for s in ctx.fact(committed_secrets)}
    for env in ctx.fact(env_files):
        f = env.file
        if env.is_example or _EXAMPLE_NAME.search(f.name):
            continue
        risky = id(f) in secrets or has_credential_url(f)
        if env.convention and not risky:
            message = f"{f.name} is committed with defaults, as {env.convention} expects; keep secrets out of it."
            yield found(Severity.LOW, message, f.path, 1)
            continue
        severity = Severity.HIGH if risky else Severity.MEDIUM
        detail = " with secrets in it" if risky else ""
        yield found(severity, f"The environment file {f.name} is committed{detail}.", f.path, 1)


@check(
    "config.per-environment-config",
    factor=FACTOR,
    title="Per-environment configuration bundles are checked in",
    remediation="Keep one configuration that reads every deploy-specific value from the environment; delete the per-environment files.",
)
def per_environment_config(ctx: Context) -> Iterator[Raw]:
    """Configuration files per deploy: config/production.py, settings/prod.py, application-prod.yml …

    Named groups of settings per environment (production, staging) do not scale to more deploys and
    put deploy-specific values in the code. Also reported: Rails config/environments/*.rb files that
    carry hosts or credentials and database.yml files with literal hosts or passwords for a deployed
    environment. Medium; high when the bundle holds credentials.
    """
    secrets = {id(s.file) for s in ctx.fact(committed_secrets)}
    for f in ctx.files:
        rel = ctx.rel(f.path)
        if DATABASE_YML.search(rel):
            yield from _database_yml(f)
        elif PER_ENV_BUNDLE.search(rel):
            carries = CARRIES_HOSTS.search(f.text) if RAILS_ENVIRONMENT.search(rel) else True
            if not carries:
                continue
            risky = id(f) in secrets or has_credential_url(f)
            severity = Severity.HIGH if risky else Severity.MEDIUM
            detail = ", with credentials in it" if risky else ""
            yield found(severity, f"{f.name} is a per-environment configuration bundle{detail}.", f.path, 1)
        elif NAMED_ENV_BUNDLE.search(rel):
            yield from _named_environment(ctx, f)


def _named_environment(ctx: Context, f: File) -> Iterator[Raw]:
    env = next(g for g in NAMED_ENV_BUNDLE.search(ctx.rel(f.path)).groups() if g).lower()
    if env in DEV_ENVS or env.startswith(("dev", "test", "local")) or _EXAMPLE_NAME.search(env):
        return
    held = [
        (s.line, s.snippet, s.values)
        for s in ctx.fact(committed_secrets)
        if s.file is f and s.origin in ("assigned", "connection", "format")
    ]
    held += _connection_passwords(f)
    if held:
        line, snippet, values = min(held, key=lambda h: h[0])
        message = f"{f.name} is a configuration bundle for the {env} environment with credentials in it."
        yield found(Severity.MEDIUM, message, f.path, line, snippet, secrets=values)


# Password=…; beside Host=/Server= in an ADO.NET/Npgsql connection string: in a bundle for a named environment
# even the service's default password (`Password=postgres`) is a credential that environment is given in the code
_BUNDLE_PASSWORD = re.compile(r"(?i)(?:^|[;\s'\"])(?:password|pwd)\s*=\s*(?P<pw>[^;'\"\s$%{<][^;'\"\s]*)")
_BUNDLE_HOST = re.compile(r"(?i)(?:^|[;\s'\"])(?:host|server|data source|address)\s*=|jdbc:\w+://")


def _connection_passwords(f: File) -> list[tuple[int, str, tuple[str, ...]]]:
    out = []
    for i, text in enumerate(f.lines, 1):
        m = _BUNDLE_PASSWORD.search(text)
        if m and _BUNDLE_HOST.search(text):
            out.append((i, mask_line(text, [m.group("pw")]), (m.group("pw"),)))
    return out


def _database_yml(f: File) -> Iterator[Raw]:
    env = None
    for i, line in enumerate(f.lines, 1):
        top = YML_TOP.match(line)
        if top:
            env = top.group(1).lower()
            continue
        m = YML_DB_KEY.match(line)
        if not m or env is None or env in DEV_ENVS:
            continue
        key, value = m.group(1), m.group(3)
        if value.startswith(("<%", "${", "{{")) or is_placeholder(value) or key == "host" and _LOOPBACK.match(value):
            continue
        if key == "password":
            yield found(
                Severity.HIGH,
                f"database.yml holds a literal password for {env}.",
                f.path,
                i,
                mask_line(line, [value]),
                secrets=(value,),
            )
        else:
            yield found(Severity.MEDIUM, f"database.yml holds a literal host for {env}.", f.path, i, line)


@check(
    "config.no-env-reads",
    factor=FACTOR,
    title="The app has configuration but reads nothing from the environment",
    remediation="Read every value that varies between deploys (database URL, secret key, debug flag, hosts) from environment variables.",
)
def no_env_reads(ctx: Context) -> Iterator[Raw]:
    """A service with configuration (settings, database, secret key) that never reads the environment.

    If nothing is read from the environment, every deploy-specific value is in the code, so a new
    deploy needs a code change. High.
    """
    if ctx.kind is not Kind.SERVICE or ctx.fact(reads.env_reads):
        return
    config = _configuration(ctx)
    if config:
        yield found(Severity.HIGH, "The app has configuration but reads nothing from the environment.", config.path, 1)
        return
    in_code = _configuration_in_code(ctx)
    if in_code:
        yield in_code


def _configuration_in_code(ctx: Context) -> Raw | None:
    """A literal database DSN or a committed credential in the app's own code: configuration that
    belongs in the environment, in a service with no settings file to point at."""
    message = "The app reads nothing from the environment: {} is written into the code."
    for language, pattern in LITERAL_DSN.items():
        hit = ctx.first(pattern, app_source(ctx, language), where="code")
        if hit:
            return hit.found(Severity.HIGH, message.format("the database's address"))
    for secret in ctx.fact(committed_secrets):
        if secret.file.role is None and secret.file.language and zone(secret.file) == "app":
            return found(
                Severity.HIGH,
                message.format(f"a {secret.kind}"),
                secret.file.path,
                secret.line,
                secret.snippet,
                secrets=secret.values,
            )
    return None


def _configuration(ctx: Context) -> File | None:
    for f in ctx.files:
        if f.role is None and CONFIG_NAMES.search(ctx.rel(f.path)):
            return f
    hit = ctx.first(CONFIG_KEYS, app_source(ctx, "python"), where="code")
    return hit.file if hit else None


@check(
    "config.debug-in-production",
    factor=FACTOR,
    title="Debug mode is hard-coded on in production settings",
    remediation="Read the debug flag from the environment with a safe default: DEBUG = env.bool('DEBUG', default=False).",
)
def debug_in_production(ctx: Context) -> Iterator[Raw]:
    """`DEBUG = True` (or its equivalent) hard-coded in the settings a deploy runs with.

    Debug pages leak settings, source and secrets to anyone who triggers an error. A debug flag is
    config: read it from the environment and default it to off. Development-only settings files
    (dev, local, test) are not reported. Medium.
    """
    message = "Debug mode is hard-coded on in settings used by deploys."
    for language, pattern in _DEBUG_TRUE.items():
        files = [f for f in app_source(ctx, language) if _SETTINGS_FILE.search(f.path) and not _DEV_FILE.search(f.path)]
        where = ("code", "string") if language == "php" else "code"  # 'debug' => true starts in a string
        for hit in ctx.grep(pattern, files, where=where):
            if language == "python" and _debug_overridden(ctx, hit.file, files):
                continue
            yield hit.found(Severity.MEDIUM, message)
    flask = [f for f in app_source(ctx, "python") if not _DEV_FILE.search(f.path)]
    for hit in ctx.grep(_FLASK_DEBUG, flask, where="code"):
        yield hit.found(Severity.MEDIUM, message)
    configs = [f for f in ctx.files if f.role is None and _DEBUG_CONFIG_FILE.search(f.path)]
    for hit in ctx.grep(_DEBUG_CONFIG, configs, where="any"):
        yield hit.found(Severity.MEDIUM, message)


_REDEFINES_DEBUG = re.compile(r"^DEBUG\s*(?::\s*bool\s*)?=\s*(?!True\b)\S", re.M)


def _debug_overridden(ctx: Context, f: File, settings: list[File]) -> bool:
    """Django's split settings: base.py says DEBUG = True and production.py, which imports it
    (`from .base import *`), sets DEBUG again (False, or from the environment)."""
    stem = f.name.rsplit(".", 1)[0]
    star = re.compile(rf"^from\s+(?:\.|[\w.]*\.)?{re.escape(stem)}\s+import\s+\*", re.M)
    return any(
        other is not f and other.dir == f.dir and star.search(other.text) and _REDEFINES_DEBUG.search(other.text)
        for other in settings
    )


@check(
    "config.env-reads",
    factor=FACTOR,
    title="Settings are read from the environment",
    remediation="Read deploy-specific settings from environment variables.",
)
def env_reads(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: the app reads its settings from the environment.

    os.environ / django-environ / pydantic-settings / python-decouple, process.env / dotenv,
    os.Getenv / viper / envconfig, ENV[], System.getenv / Spring ${VAR} placeholders, getenv() /
    $_ENV / Laravel env(), std::env::var, Environment.GetEnvironmentVariable; and frameworks that
    bind environment variables to their settings by themselves (Spring Boot, Micronaut, Quarkus,
    Rails, Rocket, ASP.NET Core's default host builder).
    """
    yield from ctx.fact(reads.env_reads)
    yield from ctx.fact(reads.framework_binding)


@check(
    "config.env-example",
    factor=FACTOR,
    title="The environment variables are documented in a committed example file",
    remediation="Commit a .env.example listing every variable the app reads, with empty or placeholder values.",
)
def env_example(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: a committed .env.example / .env.sample documents the variables the app reads."""
    for env in ctx.fact(env_files):
        if env.is_example and _EXAMPLE_NAME.search(env.file.name) and env.variables():
            count = len(env.variables())
            yield found(
                Severity.INFO,
                f"{env.file.name} documents {count} environment variable{'s' if count != 1 else ''}.",
                env.file.path,
                1,
                anywhere=True,
            )
            return


# A config file written by the app: an installer or settings page persisting deploy settings to disk.
_CONFIG_TARGET = r"[^;\n]{0,160}?(?:config\.(?:php|json|ya?ml|toml|ini|py)|settings\.(?:php|py|json)|appsettings[\w.]*\.json|" \
    r"application\.(?:properties|ya?ml)|['\"/]\.env\b)"
_WRITES_CONFIG = {
    "php": re.compile(r"\bfile_put_contents\s*\(" + _CONFIG_TARGET),
    "python": re.compile(r"\bopen\s*\(" + r"[^;\n]{0,160}?(?:config\.(?:json|ya?ml|toml|ini)|settings\.json|['\"/]\.env)['\"]\s*,\s*['\"][wa]"),
    "javascript": re.compile(r"\bwriteFile(?:Sync)?\s*\(" + _CONFIG_TARGET),
    "go": re.compile(r"\b(?:os|ioutil)\.WriteFile\s*\(" + _CONFIG_TARGET),
    "ruby": re.compile(r"\bFile\.write\s*\(?" + _CONFIG_TARGET),
    "java": re.compile(r"\bFiles\.write(?:String)?\s*\(" + _CONFIG_TARGET),
    "dotnet": re.compile(r"\bFile\.WriteAllText(?:Async)?\s*\(" + _CONFIG_TARGET),
    "rust": re.compile(r"\bfs::write\s*\(" + _CONFIG_TARGET),
}


@check(
    "config.written-at-runtime",
    factor=FACTOR,
    title="The app writes its configuration to a file at run time",
    remediation="Take the settings from the environment at start; keep installers and settings pages from persisting deploy config to disk.",
)
def written_at_runtime(ctx: Context) -> Iterator[Raw]:
    """An installer, setup wizard or settings page that writes the deploy's settings (database
    credentials, keys) into a config file on the server: `file_put_contents(DATA_PATH . '/config.php', …)`,
    a wizard rewriting `.env`, a settings page saving `config.json`.

    The config then lives on one machine's disk: a new instance or a rebuilt container starts without
    it, and it differs between instances. Medium.
    """
    message = "The app writes its configuration to a file at run time instead of reading it from the environment."
    for language, pattern in _WRITES_CONFIG.items():
        files = [f for f in app_source(ctx, language) if zone(f) == "app"]
        for hit in ctx.grep(pattern, files, where="code", limit=2):
            yield hit.found(Severity.MEDIUM, message)
