"""Reads of the environment, per language and framework: the positive evidence of factor III.

`env_reads(ctx)` returns one info finding per language (and per framework convention: Spring
`${VAR}` placeholders, Rails `<%= ENV[…] %>` in YAML, Symfony `%env(VAR)%`) whose app code reads its
settings from the environment. Tests and docs do not count: evidence must come from the app itself.
"""

from __future__ import annotations

import re

from ..context import Context, Raw
from ..model import Severity
from ..tree import File
from .manifests import ecosystems

# Frameworks that bind environment variables to their settings without a line of the app's code:
# a service on them reads its configuration from the environment by default.
_FRAMEWORK_BINDING = (
    (
        "java",
        re.compile(r"^spring-boot"),
        "Spring Boot binds environment variables to its properties (SPRING_DATASOURCE_URL …).",
    ),
    ("java", re.compile(r"^micronaut-"), "Micronaut binds environment variables to its properties."),
    ("java", re.compile(r"^quarkus-"), "Quarkus binds environment variables to its properties."),
    (
        "ruby",
        re.compile(r"^(?:rails|railties)$"),
        "Rails takes DATABASE_URL, SECRET_KEY_BASE and RAILS_ENV from the environment.",
    ),
    ("rust", re.compile(r"^rocket$"), "Rocket merges ROCKET_* environment variables into its configuration."),
)

_ERB_ENV = re.compile(r"<%=?\s*ENV\s*(?:\[|\.fetch\b)")  # config/database.yml: url: <%= ENV["DATABASE_URL"] %>
ENV_READS = {
    "python": re.compile(
        r"\bos\.(?:environ|getenv)\b|\benviron\.Env\(|\benv\.(?:str|bool|int|float|list|dict|json|url|db|db_url|cache|"
        r"cache_url|email_url|search_url|path)\(|\bBaseSettings\b|\bfrom\s+decouple\s+import\b|\bdecouple\.config\(|"
        r"\bload_dotenv\(|\benv\(\s*['\"][A-Z][A-Z0-9_]*['\"]|\bconfig\(\s*['\"][A-Z][A-Z0-9_]*['\"]"
    ),
    "javascript": re.compile(
        r"\bprocess\.env\b|\bimport\.meta\.env\b|\brequire\(\s*['\"]dotenv(?:/config)?['\"]\s*\)|\bfrom\s+['\"]dotenv|"
        r"\bimport\s+['\"]dotenv/config['\"]|\bDeno\.env\.get\(|\bBun\.env\b|\bConfigModule\.forRoot\("
    ),
    "go": re.compile(
        r"\bos\.(?:Getenv|LookupEnv|Environ)\(|\bviper\.(?:AutomaticEnv|BindEnv)\(|\benvconfig\.Process\(|\benv\.Parse\(|\bgodotenv\.Load\("
    ),
    "ruby": re.compile(r"\bENV\s*(?:\[|\.fetch\b)|\bRails\.application\.credentials\b|\bDotenv\.load\b"),
    "java": re.compile(
        r"\bSystem\.getenv\(|@Value\(\s*\"\$\{|\benv(?:ironment)?\.getProperty\(|@ConfigurationProperties\b|\bSystem\.getProperty\("
    ),
    "php": re.compile(
        # $_SERVER also holds the request (REQUEST_URI, HTTP_*, REMOTE_ADDR …): those keys are not the environment
        r"\bgetenv\(|\$_ENV\s*\[|\$_SERVER\s*\[\s*['\"](?!(?:REQUEST_|HTTP_|REMOTE_|SERVER_|SCRIPT_|QUERY_STRING|"
        r"PHP_SELF|PHP_AUTH_|PATH_INFO|ORIG_PATH_INFO|DOCUMENT_ROOT|CONTENT_|HTTPS\b|GATEWAY_INTERFACE|AUTH_TYPE|REDIRECT_|argv|argc))"
        r"[A-Z][A-Z0-9_]*['\"]|\benv\(\s*['\"][A-Z][A-Z0-9_]*['\"]|\bDotenv\\"
    ),
    "rust": re.compile(
        r"\bstd::env::var|\benv::var(?:_os)?\(|\bdotenvy?::|\benvy::from_env|\bconfig::Environment\b|\benv!\("
    ),
    "dotnet": re.compile(
        r"\bEnvironment\.GetEnvironmentVariable\(|\bAddEnvironmentVariables\(|\bConfiguration\[\s*\"|\bGetConnectionString\(|"
        r"\bGetValue<|\bWebApplication\.CreateBuilder\(|\bHost\.CreateDefaultBuilder\("
    ),
    "shell": re.compile(r"\benvsubst\b"),
}
_SPRING_PLACEHOLDER = re.compile(r"\$\{[A-Z][A-Z0-9_]*(?::[^}\n]{0,200})?\}")
# Symfony's container parameters from the environment: '%env(APP_SECRET)%', '%env(int:PORT)%'
_SYMFONY_ENV = re.compile(r"%env\((?:[a-z_]+:)*[A-Z][A-Z0-9_]*\)%")
_SYMFONY_CONFIG = re.compile(r"(?:^|/)config/(?:packages/(?:[\w\-]+/)?)?[\w\-]+\.(?:ya?ml|xml|php)$")
_SPRING_CONFIG = re.compile(r"(?:^|/)(?:application|bootstrap)[\w\-]*\.(?:properties|ya?ml)$")
CONFIG_NAMES = re.compile(
    r"(?i)(?:^|/)(?:settings\.py|config\.py|settings/[\w\-]+\.py|(?:application|bootstrap)[\w\-]*\.(?:properties|ya?ml)|"
    r"appsettings[\w.\-]*\.json|config/database\.ya?ml|config/(?:app|database)\.php|config/[\w\-]+\.(?:json|ya?ml|toml|js|ts|ini)|"
    r"conf/(?:app|application|config|settings)\.(?:ini|json|ya?ml|toml))$"
)
CONFIG_KEYS = re.compile(
    r"^\s*(?:DEBUG|SECRET_KEY|DATABASES|DATABASE_URL|SQLALCHEMY_DATABASE_URI|ALLOWED_HOSTS)\s*=", re.M
)
# Configuration written into code: a database opened with a literal DSN or path.
LITERAL_DSN = {
    "go": re.compile(
        r"\b(?:sql|sqlx|gorm)\.Open\(\s*(?:\w+\.Open\(\s*|\"\w+\"\s*,\s*)?\"[^\"\n]{3,}\"|"
        r"\bpgx(?:pool)?\.(?:Connect|New)\(\s*\w+\s*,\s*\"[^\"\n]{3,}\""
    ),
    "python": re.compile(
        r"\b(?:create_engine|create_async_engine|psycopg2?\.connect|pymysql\.connect|sqlite3\.connect)\(\s*[rbf]?['\"][^'\"\n]{3,}['\"]"
    ),
    "javascript": re.compile(r"\bnew\s+Sequelize\(\s*['\"`][^'\"`\n]{3,}|\bmongoose\.connect\(\s*['\"`][^'\"`\n]{3,}"),
    "ruby": re.compile(r"\b(?:PG\.connect|Sequel\.connect|Mysql2::Client\.new)\(\s*['\"][^'\"\n]{3,}"),
    "java": re.compile(r"\bDriverManager\.getConnection\(\s*\"jdbc:"),
    "php": re.compile(r"\bnew\s+PDO\(\s*['\"]\w+:"),
}


def app_source(ctx: Context, language: str) -> list[File]:
    return [f for f in ctx.source(language) if f.role is None]


def env_reads(ctx: Context) -> list[Raw]:
    out = []
    for language, pattern in ENV_READS.items():
        hit = ctx.first(pattern, app_source(ctx, language), where="code")
        if hit:
            out.append(hit.found(Severity.INFO, f"Settings are read from the environment ({language})."))
    spring = [f for f in ctx.files if _SPRING_CONFIG.search(f.path) and f.role is None]
    hit = ctx.first(_SPRING_PLACEHOLDER, spring, where="any")
    if hit:
        out.append(
            hit.found(Severity.INFO, "Spring configuration takes values from the environment (${VAR} placeholders).")
        )
    erb = [f for f in ctx.files if f.ext in (".yml", ".yaml", ".erb") and f.role is None]
    hit = ctx.first(_ERB_ENV, erb, where="any")
    if hit:
        out.append(hit.found(Severity.INFO, "Rails configuration takes values from the environment (<%= ENV[…] %>)."))
    symfony = [f for f in ctx.files if _SYMFONY_CONFIG.search(ctx.rel(f.path)) and f.role is None]
    hit = ctx.first(_SYMFONY_ENV, symfony, where="any")
    if hit:
        out.append(hit.found(Severity.INFO, "Symfony configuration takes values from the environment (%env(VAR)%)."))
    return out


def framework_binding(ctx: Context) -> list[Raw]:
    """Evidence for the verdict only: an app on these frameworks that also writes every value into its
    config files still "reads nothing from the environment" in the sense of config.no-env-reads."""
    out = []
    found = ctx.fact(ecosystems)
    for eco, dependency, message in _FRAMEWORK_BINDING:
        facts = found.get(eco)
        if facts and facts.manifests and any(dependency.match(d) for d in facts.dependencies):
            out.append(Raw(Severity.INFO, facts.manifests[0].path, None, message))
    return out
