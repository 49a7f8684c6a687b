"""IV. Backing services — treat backing services as attached resources, located by config alone."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import replace

from ..context import Context, Hit, Raw, found
from ..facts import env_reads as reads
from ..facts.branches import branch_text
from ..facts.compose import compose_files
from ..facts.envfiles import env_files
from ..facts.k8s import manifests
from ..facts.manifests import all_dependencies
from ..facts.secrets import is_translation_catalog, mask_line
from ..facts.shell import start_scripts
from ..model import Severity
from ..registry import check

FACTOR = 4

# A backing service's URL with its host: postgres://…@db.internal:5432, jdbc:mysql://10.0.1.42/app …
_SERVICE_URL = re.compile(
    r"(?<![\w+.\-])(?P<scheme>(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|"
    r"memcached?|kafka|nats|mssql|sqlserver|cassandra|couchdb|neo4j(?:\+s)?|bolt|smtps?|ldaps?))(?:\+\w+)?://"
    r"(?:[^\s/@'\"`]{0,128}@)?(?P<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.\-]{1,253})",
    re.I,
)
# Client constructors given a literal host: the host is in group `host`.
_CLIENT_HOST = {
    "python": re.compile(
        r"\b(?:psycopg2?\.connect|pymysql\.connect|mysql\.connector\.connect|MySQLdb\.connect|asyncpg\.(?:connect|create_pool)|"
        r"(?:redis\.)?(?:Strict)?Redis|MongoClient|(?:pika\.)?ConnectionParameters|smtplib\.SMTP(?:_SSL)?|Elasticsearch|"
        r"Kafka(?:Producer|Consumer)|(?:memcache|pymemcache\.client\.base)\.Client)\s*\("
        r"(?:[^()]{0,200}?\bhost\s*=\s*|\s*)[rbf]?['\"](?:host=)?(?P<host>[^'\"\s,:;/)]+)"
    ),
    "javascript": re.compile(
        r"\b(?:createClient|createConnection|createPool|createTransport|new\s+(?:Redis|IORedis|Pool|Client|Sequelize|Kafka))\s*\("
        r"[^;]{0,300}?\b(?:host|brokers)\s*:\s*\[?\s*['\"`](?P<host>[^'\"`\s:,]+)"
    ),
    "go": re.compile(
        r"\b(?:redis\.New(?:Cluster|Universal)?Client|sql\.Open|pgx\.Connect|pgxpool\.(?:New|Connect)|gorm\.Open|mongo\.Connect|"
        r"smtp\.(?:Dial|SendMail)|memcache\.New)\s*\([^;]{0,300}?(?:\bAddrs?:\s*(?:\[\]string\{)?\"|\bhost=|smtp\.\w+\(\s*\"|memcache\.New\(\s*\")"
        r"(?P<host>[^\"\s:,;]+)"
    ),
    "ruby": re.compile(
        r"\b(?:Redis\.new|PG\.connect|PG::Connection\.new|Mysql2::Client\.new|Mongo::Client\.new|Dalli::Client\.new|Bunny\.new)"
        r"\s*\(?[^\n]{0,200}?(?:\bhost:\s*|:host\s*=>\s*|\[\s*|Dalli::Client\.new\(\s*)['\"](?P<host>[^'\"\s:,]+)"
    ),
    "java": re.compile(
        r"(?:\bnew\s+(?:Jedis(?:Pool)?|MongoClient|HostAndPort|RedisStandaloneConfiguration|CachingConnectionFactory)|\.setHost(?:Name)?)"
        r"\s*\(\s*(?:[\w.]+\s*,\s*)?\"(?P<host>[^\"\s:,]+)"
    ),
    "php": re.compile(
        r"(?:\bnew\s+(?:PDO|mysqli)|\bmysqli_connect|\bpg_connect|->p?connect)\s*\(\s*['\"](?:[a-z]+:)?(?:host=)?(?P<host>[^'\";,\s:]+)|"
        r"['\"](?P<key>host)['\"]\s*=>\s*['\"](?P<host2>[^'\"\s]+)['\"]"
    ),
    "dotnet": re.compile(r"\bConnectionMultiplexer\.Connect(?:Async)?\(\s*\"(?P<host>[^\"\s:,]+)"),
}
# ADO.NET / PDO-style connection strings: Server=db.internal;Database=app
_ADO_HOST = re.compile(
    r"(?i)\b(?:Server|Host|Data Source)\s*=\s*(?:tcp:)?(?P<host>[^;'\"\s,]+)[^'\"\n]{0,200}?;\s*(?:Database|Initial Catalog|Port|User ID|Uid|Username)\s*="
)
_SPRING_HOST = re.compile(
    r"^\s*(?:spring\.[\w.\-]*\.)?(?:host|hosts|addresses|bootstrap-servers)\s*[=:]\s*(?!\$\{)['\"]?(?P<host>[A-Za-z0-9_.\-]+)",
    re.M,
)
_APP_CONFIG = re.compile(
    r"(?i)(?:^|/)(?:(?:application|bootstrap)[\w\-]*\.(?:properties|ya?ml)|appsettings[\w.\-]*\.json|"
    r"config/(?!environments/)[\w\-/]+\.(?:json|ya?ml|toml))$"
)
_ENV_CONFIG_FILE = re.compile(r"(?:^|/)(?:(?:application|bootstrap)[\w\-]*\.(?:properties|ya?ml)|config/[\w\-]+\.yml)$")
_SPRING_SERVICE_PROPERTY = re.compile(
    r"^[ \t]*(?:spring\.(?:datasource|r2dbc|data\.redis|redis|rabbitmq|kafka|data\.mongodb|elasticsearch)\.[\w.\-]+[ \t]*[=:]|"
    r"(?:datasource|r2dbc|rabbitmq|kafka):[ \t]*$)",
    re.M,
)
_SPRING_ROOT = re.compile(r"^spring(?::[ \t]*$|\.)", re.M)
_SPRING_CONFIG = re.compile(r"(?:^|/)(?:application|bootstrap)[\w\-]*\.(?:properties|ya?ml)$")
_DEV_FILE = re.compile(
    r"(?i)(?:^|[/_.\-])(?:dev|development|local|docker|docker_compose|compose|test|testing|ci)(?:[_.\-][\w\-]*)?\.\w+$"
)
_URL_PASSWORD = re.compile(r"://[^\s:/@'\"`]{0,64}:([^\s/@'\"`]{1,128})@")
# Loopback, and SQL Server's developer-machine forms: (localdb)\\mssqllocaldb, (local), "."
_LOOPBACK = re.compile(
    r"(?i)^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|::1|\[::1\]|host\.docker\.internal)$|^\(local(?:db)?\)|^\.(?:$|\\)"
)
_PLACEHOLDER_HOST = re.compile(
    r"(?i)example\.(?:com|org|net)$|^(?:host|hostname|server|your[\w\-]*|my[\w\-]*host|%s|x+)$|[{}$<%]"
)
_ENV_ON_LINE = re.compile(
    r"\bos\.environ|\bgetenv\b|\bGetenv\(|\bLookupEnv\(|\bprocess\.env\b|\benv\(|\benv\.\w+\(|\bENV\s*[\[.]|\bSystem\.getenv\(|"
    r"\benv::var|\bGetEnvironmentVariable\(|\bconfig\(|\$\{[A-Z][A-Z0-9_]*:|\bsettings\.|\?\?|\|\|"
)

_SERVICE_VAR = re.compile(
    r"\b(?:[A-Z][A-Z0-9]{0,20}_)?(?:DATABASE|DATASOURCE|DB|POSTGRES(?:QL)?|PG|MYSQL|MARIADB|MONGO(?:DB)?|REDIS|CACHE|CELERY_BROKER|"
    r"CELERY_RESULT_BACKEND|BROKER|AMQP|RABBITMQ|KAFKA|NATS|EMAIL|SMTP|MAIL|ELASTICSEARCH|OPENSEARCH|SEARCH|MEMCACHED?|"
    r"S3|STORAGE|BUCKET|QUEUE|SQS|BLOB)_(?:URL|URI|DSN|HOST|BUCKET|BUCKET_NAME|ADDR|ADDRESS|BROKERS|SERVERS|"
    r"CONNECTION_STRING|ENDPOINT)\b|\benv\.(?:db|db_url|cache|cache_url|email_url|search_url)\(|\bdj_database_url\.|"
    r"\bGetConnectionString\("
)
# The name of a service variable as a whole string literal: the key of an option table that the environment fills
_SERVICE_KEY = re.compile(
    r"['\"`](?:[A-Z][A-Z0-9]{0,20}_)?(?:DATABASE|DB|POSTGRES|MYSQL|MONGO(?:DB)?|REDIS|BROKER|AMQP|RABBITMQ|KAFKA|SMTP|"
    r"ELASTICSEARCH)_(?:URL|URI|DSN|HOST|BROKERS|CONNECTION_STRING)['\"`]"
)
# Kubernetes clients located by the platform: rest.InClusterConfig(), config.load_incluster_config(), loadFromCluster()
_CLUSTER_API = re.compile(
    r"rest\.InClusterConfig\(|\bload_incluster_config\(|\bloadFromCluster\(|\bloadFromDefault\(|"
    r"\bInClusterConfig\(\)|\bConfig::infer\(|\bConfig\.fromCluster\(|\bClientBuilder\.cluster\("
)
# EF Core given a connection string from a bound options object: options.UseSqlite(dbOptions.Value.ConnectionString)
_BOUND_CONNECTION = re.compile(r"\bUse(?:Sqlite|Npgsql|SqlServer|MySql|MySQL|Oracle)\(\s*[\w.]+\.ConnectionString\b")
_ENV_READ_MARK = re.compile(
    r"\bos\.environ|\bgetenv\b|\bGetenv\(|\bLookupEnv\(|\bprocess\.env\b|\benv\b|\bENV\b|\bSystem\.getenv\(|\benv::var|"
    r"\bGetEnvironmentVariable\(|\bconfig\(|\$\{|\bGetConnectionString\(|\bdj_database_url\.|\bsettings\b"
)

_ENV_CONDITION = re.compile(
    r"\b(?:if|elif|elsif|unless|when|switch|match)\b[^\n]{0,80}?(?:NODE_ENV|APP_ENV|RAILS_ENV|RACK_ENV|FLASK_ENV|DJANGO_ENV|"
    r"GO_ENV|ASPNETCORE_ENVIRONMENT|APP_ENVIRONMENT|ENVIRONMENT|\bENV[ \t]*[!=]=|\bSTAGE\b|Rails\.env\b|"
    r"IsDevelopment\(\)|IsProduction\(\)|IsStaging\(\)|settings\.DEBUG\b|\bapp\.debug\b|\bDEBUG\b)"
)
# Framework APIs that name the environment, in their own pattern: their literals are rare, so most
# files are skipped by the prefilter without a search.
_ENV_API_CONDITION = re.compile(
    r"\b(?:if|elif|elsif|unless|when|switch|match)\b[^\n]{0,80}?(?:IsEnvironment\(|EnvironmentName[ \t]*[!=]=|"
    r"RUST_ENV|\bENV\[['\"]\w+['\"]\][ \t]*[!=]=|environ(?:\.get\(|\[)['\"]ENV['\"]|getActiveProfiles\(\)|acceptsProfiles\(|"
    r"matchesProfiles\(|app\(\)->(?:environment\(|isProduction\(|isLocal\()|App::(?:environment\(|isProduction\(|isLocal\()|"
    r"->app->environment\(|\bapp\.get\(['\"]env['\"]\)|\b(?:config|settings|cfg|conf)\.env[ \t]*[!=]==?)"
)
# `NODE_ENV === 'production' ? a : b`, the `?` often on the next line (so not in _ENV_CONDITION, whose
# matches stay within a line and are searched only on the lines that name an environment); Ruby's
# `Rails.env.production? ? :amazon : :local`; C#'s `env.IsDevelopment() ? … : …`
_ENV_TERNARY = re.compile(
    r"\b(?:NODE_ENV|APP_ENV|ENVIRONMENT)\s*[!=]==?\s*['\"`]\w+['\"`]\s*\?|\bRails\.env\.\w+\?\s*\?|"
    r"\bIs(?:Development|Production|Staging)\(\)\s*\?"
)
# Spring beans chosen by profile name: `@Profile("dev") @Bean DataSource embedded() …`
_PROFILE_BEAN = re.compile(r"@Profile\(\s*(?:value\s*=\s*)?\{?\s*\"!?(?:dev|development|local|test|prod|production|staging|docker)\"")
_BACKING_KIND = re.compile(
    r"\b(?:S3Boto3Storage|S3Storage|FileSystemStorage|boto3|S3Client|AmazonS3\w*|BlobServiceClient|GoogleCloudStorage|"
    r"LocMemCache|RedisCache|django_redis|MemoryStore|RedisStore|MemcachedStore|sqlite3?|SQLite|UseSqlite|"
    r"UseInMemoryDatabase|UseNpgsql|UseSqlServer|UseMySql|MemoryCache|AddDistributedMemoryCache|AddStackExchangeRedisCache|"
    r"AddDistributedSqlServerCache|ioredis|createClient|task_always_eager|CELERY_TASK_ALWAYS_EAGER|locmem\.EmailBackend|"
    r"console\.EmailBackend|memory_store|redis_cache_store|file_store|active_storage\.service|queue_adapter|diskStorage|"
    r"multerS3|LocalStorage|InMemory\w+|new\s+Map\(\)|EmbeddedDatabaseBuilder|DataSourceBuilder|\w+ConnectionFactory|"
    r"ConcurrentMapCacheManager|RedisCacheManager|MongoMemoryServer|miniredis|SqlitePool|PgPool|sqlite\.Open|"
    r"postgres\.Open|mysql\.Open|redis\.NewClient)|(?<![\w:]):(?:amazon|google|azure|local)\b|"
    r"\bdisk\(\s*['\"](?:s3|local|public|gcs)['\"]"
)
_WINDOW_LINES = 6
# a comparison with an environment's name: nodeEnv === NodeEnvEnum.Test, APP_ENV == "development"
_ENV_NAME_COMPARE = re.compile(
    r"(?i:\b(?:node_?env|app_?env|go_?env|rails_?env|environment|env_?name))\s*[!=]==?\s*"
    r"(?:['\"`](?i:dev|development|test|testing|local|prod|production|staging)['\"`]|\w+\.(?:Test|Development|Dev|Local|Production|Prod|Staging)\b)"
)
# a literal service address host:port, alone in its string: "kafka:29092", 'redis:6379'
_HOST_PORT_LITERAL = re.compile(r"['\"`]((?P<host>[a-z][\w\-]*(?:\.[\w\-]+)*):\d{2,5})['\"`]")
_HOST_WINDOW = 4
_IF_FLAG = re.compile(r"^[ \t]*(?:if|elif)\s+(?:not\s+)?([A-Z_][A-Z0-9_]*)\s*:", re.M)
# IS_HEROKU_APP = "DYNO" in os.environ: a flag computed from the environment, then `if IS_HEROKU_APP:`
_ENV_FLAG = re.compile(
    r"^(?P<name>[A-Z_][A-Z0-9_]*)[ \t]*=[ \t]*[^\n]*?(?:['\"]\w+['\"][ \t]+(?:not[ \t]+)?in[ \t]+os\.environ\b|"
    r"os\.(?:environ\.get|getenv)\([^)\n]*\)[ \t]*(?:==|!=|in\b))",
    re.M,
)

# const isProduction = process.env.NODE_ENV === 'production'; isProd := os.Getenv("APP_ENV") == "prod"
_BRACE_ENV_FLAG = re.compile(
    r"(?P<name>\b(?i:is_?|in_?)?(?i:prod(?:uction)?|dev(?:elopment)?|local|staging)\w{0,20}|__(?:DEV|PROD)__)[ \t]*(?::=|=)(?!=)"
    r"[^;\n]{0,120}?(?:NODE_ENV|APP_ENV|GO_ENV|RUST_ENV|ASPNETCORE_ENVIRONMENT|APP_ENVIRONMENT|IsDevelopment\(\)|"
    r"IsProduction\(\)|app\(\)->environment\(|App::environment\()"
)
_FLAG_LANGUAGES = ("javascript", "go", "php", "java", "dotnet", "rust")


@check(
    "backing-services.attached-resources",
    factor=FACTOR,
    title="Backing services are located by URLs or handles from config",
    remediation="Address each database, cache, queue, mail server and object store by a URL or handle read from the environment.",
)
def attached_resources(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: backing services are addressed by URLs or handles taken from config.

    DATABASE_URL, REDIS_URL, CELERY_BROKER_URL, EMAIL_URL, S3_BUCKET … read from the environment in
    code, or declared in a committed .env.example, compose file or Kubernetes manifest; helpers such
    as django-environ's env.db() and .NET's GetConnectionString() count too.
    """
    seen: set[str] = set()
    code = [f for f in ctx.source() if f.role is None and f.language != "shell"]
    declared = [e.file for e in ctx.fact(env_files) if e.is_example] + ctx.fact(compose_files)
    declared += [m.file for m in ctx.fact(manifests)]
    declared += [f for f in ctx.files if f.ext == ".prisma" and f.role is None]  # url = env("DATABASE_URL")
    # framework config files that read the environment: Spring's ${POSTGRES_URL:…}, Rails' <%= ENV["REDIS_URL"] %>
    env_config = [f for f in ctx.files if f.role is None and _ENV_CONFIG_FILE.search(ctx.rel(f.path))]
    for hit in ctx.grep(_SERVICE_VAR, code + env_config, where=("code", "string")):
        if _ENV_READ_MARK.search(hit.text):
            yield from _evidence(hit, seen)
    yield from _framework_binding(ctx)
    if not seen and ctx.fact(reads.env_reads):  # an option table keyed by variable name: {"DATABASE_URL": {…}}
        for hit in ctx.grep(_SERVICE_KEY, code, where="string", limit=1):
            yield from _evidence(hit, seen)
    if not seen:
        yield from _settings_structs(ctx, code, seen)
    hit = ctx.first(_CLUSTER_API, code, where="code")
    if hit:
        yield hit.found(Severity.INFO, "The platform's API is located by the platform (in-cluster service account or KUBECONFIG).")
    hit = ctx.first(_BOUND_CONNECTION, ctx.source("dotnet"), where="code")
    if hit:
        yield hit.found(Severity.INFO, "The database connection string comes from bound configuration (environment included).")
    for hit in ctx.grep(_SERVICE_VAR, declared, where="any"):
        yield from _evidence(hit, seen, anywhere=True)
        if len(seen) >= 4:
            return


# A configuration layer the environment fills: config-rs/figment/envy/provcfg env sources, pydantic BaseSettings,
# viper's AutomaticEnv, envconfig/caarlos0 env, .NET's AddEnvironmentVariables, Spring's @ConfigurationProperties
_ENV_LAYER = re.compile(
    r"\bEnvironment::with_prefix\(|\bEnv::(?:prefixed|raw)\(|\badd_env\w*\(|\benvy::|\bBaseSettings\b|\bAutomaticEnv\(|"
    r"\bSetEnvPrefix\(|\benvconfig\.Process\(|\benv\.Parse\(|\bAddEnvironmentVariables\(|@ConfigurationProperties\b"
)
# a settings type named for a backing service: `pub struct Postgresql`, `class RedisSettings(BaseSettings)`,
# `type DatabaseConfig struct`, `public class SmtpOptions`
_SERVICE_SETTINGS = re.compile(
    r"\b(?:struct|class|type)\s+(?P<name>\w{0,20}?(?:Postgres(?:ql|QL)?|PostgreSQL|Mysql|MySql|MySQL|Redis|Database|Db|S3|Smtp|"
    r"SMTP|Mail|Amqp|Rabbit(?:mq|MQ)?|Kafka|Mongo(?:db|DB)?|Elastic(?:search)?|Storage|Broker)(?:Settings|Config|Configuration|"
    r"Options|Props|Properties|Conf)?)\b"
)
# a field holding the service's location, in the first lines of the type's body
_LOCATION_FIELD = re.compile(r"(?i)\b(?:pub\s+)?(?:address|addr|host|hostname|url|uri|dsn|endpoint|server|connection_?string)\b\s*[:=;{]|"
                             r"\b(?:string|String|str)\s+(?:address|host|url|uri|dsn|endpoint|server|connectionString)\b|"
                             r"\b(?:address|addr|host|url|uri|dsn|endpoint|server)\s+\*?string\b")  # Go: `Host string`
_SETTINGS_BODY = 1200
# a setting or flag named for a service's location, as a string: "dsn", "database-url", "redis.host"
_SERVICE_SETTING_KEY = re.compile(
    r"['\"`](?P<key>dsn|(?:database|db|redis|postgres(?:ql)?|mysql|mongo(?:db)?|amqp|broker|smtp|s3|cache)[-_.]"
    r"(?:url|uri|dsn|host|addr|address|endpoint|connection[-_]?string))['\"`]"
)


_GENERATED_NAME = re.compile(r"\.pb\.go$|_pb2\.pyi?$|\.g\.cs$|\.generated\.\w+$|(?:^|/)gen(?:erated)?/")
_GENERATED_HEAD = re.compile(r"Code generated .{0,80}DO NOT EDIT|<auto-generated|@generated")


def _generated(f) -> bool:
    """Generated code (protobuf messages, client stubs): its types mirror a schema, not the app's own settings."""
    return bool(_GENERATED_NAME.search(f.path) or _GENERATED_HEAD.search(f.text[:600]))


def _settings_structs(ctx: Context, code: list, seen: set[str]) -> Iterator[Raw]:
    """kellnr's `pub struct Postgresql { address: String, … }` loaded through `add_env_with_list_keys("KELLNR", …)`:
    a typed settings section for a backing service that the environment fills (KELLNR_POSTGRESQL__ADDRESS),
    so the service is located by config even though no variable name is spelled out in the code."""
    layers: dict[str | None, Hit | None] = {}  # per language: searched once a settings type is found
    for hit in ctx.grep(_SERVICE_SETTINGS, code, where="any", limit=4):  # no lexing: a declaration in a comment is rare
        view = hit.file.scan_view
        body = view.text[hit.match.end() : hit.match.end() + _SETTINGS_BODY]
        name = hit.match.group("name")
        if name in seen or not _LOCATION_FIELD.search(body) or _generated(hit.file):
            continue
        language = hit.file.language
        if language not in layers:
            layers[language] = ctx.first(_ENV_LAYER, [f for f in code if f.language == language], where="code")
        layer = layers[language]
        if layer is None:
            continue
        seen.add(name)
        yield hit.found(Severity.INFO, f"A backing service is located by settings the environment fills ({name}, through "
                        f"{layer.match.group(0).rstrip('(')} in {layer.file.name}).")
        if len(seen) >= 2:
            return
    if seen:
        return
    for hit in ctx.grep(_SERVICE_SETTING_KEY, code, where="string", limit=1):  # viper's `String("dsn", …)`, then MEMOS_DSN
        language = hit.file.language
        if language not in layers:
            layers[language] = ctx.first(_ENV_LAYER, [f for f in code if f.language == language], where="code")
        layer = layers[language]
        name = hit.match.group("key")
        if layer is not None and name not in seen and not _generated(hit.file):
            seen.add(name)
            yield hit.found(Severity.INFO, f"A backing service is located by settings the environment fills (the '{name}' "
                            f"setting, through {layer.match.group(0).rstrip('(')} in {layer.file.name}).")
            return


def _framework_binding(ctx: Context) -> Iterator[Raw]:
    """Frameworks that take service locations from the environment by convention: Spring Boot binds
    SPRING_DATASOURCE_URL (and every spring.* property) over application.properties; Rails merges
    DATABASE_URL over config/database.yml."""
    builds = ctx.named("pom.xml", "build.gradle", "build.gradle.kts")
    if any("spring-boot" in f.text for f in builds if f.role is None):
        spring = [f for f in ctx.files if f.role is None and _SPRING_CONFIG.search(f.path)]
        hit = ctx.first(_SPRING_SERVICE_PROPERTY, spring, where="any")
        if hit:
            yield hit.found(Severity.INFO, "Spring Boot binds this service's location from the environment "
                            "(SPRING_DATASOURCE_URL …) over the file's value.")
    database_yml = [f for f in ctx.named("database.yml") if f.role is None and f.path.endswith("config/database.yml")]
    if database_yml and "rails" in ctx.fact(all_dependencies):
        yield found(Severity.INFO, "Rails takes the database from DATABASE_URL over config/database.yml.", database_yml[0].path)


def _evidence(hit: Hit, seen: set[str], anywhere: bool = False) -> Iterator[Raw]:
    name = hit.match.group(0).rstrip("(.").strip("'\"`")
    if name in seen or len(seen) >= 4:
        return
    seen.add(name)
    yield hit.found(Severity.INFO, f"A backing service is located by config ({name}).", anywhere=anywhere)


@check(
    "backing-services.hardcoded-host",
    factor=FACTOR,
    title="A backing service's host is hard-coded",
    remediation="Read the service's URL from the environment (DATABASE_URL, REDIS_URL …); a local default inside that read is fine.",
)
def hardcoded_host(ctx: Context) -> Iterator[Raw]:
    """Literal hosts, IP addresses or ports of databases, caches, queues and mail servers in code.

    `psycopg2.connect(host="10.0.1.42")`, `redis.Redis(host="cache.internal")`,
    `mongoose.connect("mongodb://db.prod:27017/app")`, a JDBC URL in application.properties: swapping
    the database for another (a managed one, a replica, a test instance) then needs a code change.
    High for a host name or address, medium for a bare service name (`redis`, `db`). A local
    default inside an environment read (`os.getenv("REDIS_URL", "redis://localhost:6379")`) is fine;
    a remote host as such a default, or a host in development-only settings, is reported as low.
    Loopback addresses are not reported.
    """
    source = [f for f in ctx.source() if f.language != "shell" and not is_translation_catalog(f)]
    for hit in ctx.grep(_SERVICE_URL, source, where=("code", "string")):
        if _SHOWN_ASSIGNMENT.search(hit.text, 0, _line_offset(hit)):
            continue  # 'REDIS_CON=redis://archivist-redis:6379': the setting shown to a user, not a connection
        yield from _host_finding(hit, hit.match.group("host"), f"a URL ({hit.match.group('scheme')})")
    for language, pattern in _CLIENT_HOST.items():
        files = [f for f in ctx.source(language) if not is_translation_catalog(f)]  # 'host' => 'Hôte' in a lang file
        for hit in ctx.grep(pattern, files, where=("code", "string")):
            host = hit.match.group("host") or hit.match.groupdict().get("host2")
            yield from _host_finding(hit, host, "a client")
    ado = ctx.source("dotnet", "php") + [f for f in ctx.files if _APP_CONFIG.search(f.path)]
    for hit in ctx.grep(_ADO_HOST, ado, where=("code", "string")):
        yield from _host_finding(hit, hit.match.group("host"), "a connection string")
    yield from _config_hosts(ctx)
    yield from _start_script_hosts(ctx)


# a database client run by the start script with a literal host: `psql -h simpldb --username postgres`,
# `mysql -h db.internal`, `redis-cli -h cache`, `pg_isready -h db`, `sqlcmd -S sql01`, `mongosh --host mongo`
_CLI_HOST = re.compile(
    r"(?<![\w\-])(?:psql|pg_isready|pg_dump|pg_restore|createdb|dropdb|mysql|mysqladmin|mysqldump|mariadb|"
    r"mariadb-admin|redis-cli|mongo|mongosh|mongodump|mongorestore|sqlcmd|cqlsh|clickhouse-client)\b"
    r"[^;&|\n]{0,200}?(?:\s-h\s*|\s--host[= ]\s*|\s-S\s+|\shost=)['\"]?(?P<host>[A-Za-z][\w.\-]*)"
)


def _start_script_hosts(ctx: Context) -> Iterator[Raw]:
    """The start script of a deploy talking to its database at a host written in the script, not read from config."""
    for script in ctx.fact(start_scripts):
        if script.development:
            continue
        for command in script.commands:
            m = _CLI_HOST.search(command.text)
            if not m:
                continue
            host = m.group("host")
            if _LOOPBACK.match(host) or _PLACEHOLDER_HOST.search(host):
                continue
            severity = Severity.MEDIUM if "." not in host else Severity.HIGH
            yield found(severity, f"The start script reaches the database at the literal host {host}.",
                        script.file.path, command.line, command.text[:200])
            break


_SHOWN_ASSIGNMENT = re.compile(r"\b[A-Z][A-Z0-9_]*=$")


def _line_offset(hit: Hit) -> int:
    """Where the match starts in the hit's line."""
    start = hit.match.start() - hit.file.scan_view.line_starts[hit.line - 1]
    return max(0, min(start, len(hit.text)))


def _config_hosts(ctx: Context) -> Iterator[Raw]:
    configs = [f for f in ctx.files if _APP_CONFIG.search(ctx.rel(f.path))]
    for hit in ctx.grep(_SERVICE_URL, configs, where="any"):
        yield from _host_finding(hit, hit.match.group("host"), f"a URL ({hit.match.group('scheme')})")
    spring = [f for f in ctx.files if _SPRING_CONFIG.search(f.path) or _spring_shaped(f)]
    spring = [f for f in spring if f in configs or _spring_shaped(f)]
    boot = _spring_boot(ctx)
    for hit in ctx.grep(_SPRING_HOST, spring, where="any"):
        for raw in _host_finding(hit, hit.match.group("host"), "the configuration"):
            if boot and raw.severity is Severity.HIGH:  # SPRING_MAIL_HOST … overrides it: a default, not the only way
                raw = replace(raw, severity=Severity.MEDIUM, message=raw.message[:-1] + ", which the environment can override.")
            yield raw


def _spring_boot(ctx: Context) -> bool:
    return any("spring-boot" in f.text for f in ctx.named("pom.xml", "build.gradle", "build.gradle.kts") if f.role is None)


def _spring_shaped(f) -> bool:
    """A Spring Cloud Config server's shared files (shared/account-service.yml): Spring properties under resources/."""
    return f.ext in (".yml", ".yaml", ".properties") and "/resources/" in f.path and _SPRING_ROOT.search(f.text) is not None


def _host_finding(hit: Hit, host: str | None, via: str) -> Iterator[Raw]:
    if not host or _LOOPBACK.match(host) or _PLACEHOLDER_HOST.search(host) or host.isdigit():
        return
    passwords = tuple(_URL_PASSWORD.findall(hit.text))
    snippet = mask_line(hit.text, passwords)
    if _ENV_ON_LINE.search(hit.text):
        message, severity = f"A remote host ({host}) is the default of an environment read.", Severity.LOW
    elif hit.file.role is None and _DEV_FILE.search(hit.path):
        message, severity = f"The development host {host} is hard-coded in {via}.", Severity.LOW
    elif "." not in host and ":" not in host:  # a compose service name (db, redis): local wiring in code
        message, severity = f"The service name {host} is hard-coded in {via}.", Severity.MEDIUM
    else:
        message, severity = f"The backing service host {host} is hard-coded in {via}.", Severity.HIGH
    yield found(severity, message, hit.path, hit.line, snippet, secrets=passwords)


def _env_flag_conditions(ctx: Context) -> Iterator[Hit]:
    """`if FLAG:` where FLAG was computed from the environment in the same Python file."""
    names: dict[str, set[str]] = {}
    for hit in ctx.grep(_ENV_FLAG, ctx.source("python"), where="code"):
        names.setdefault(hit.path, set()).add(hit.match.group("name"))
    for f in ctx.source("python"):
        if f.path in names:
            yield from (hit for hit in ctx.grep(_IF_FLAG, [f], where="code") if hit.match.group(1) in names[f.path])


def _brace_flag_conditions(ctx: Context) -> Iterator[Hit]:
    """`if (isProduction)` / `if isProd {` where the flag was computed from the environment's name."""
    for hit in ctx.grep(_BRACE_ENV_FLAG, ctx.source(*_FLAG_LANGUAGES), where="code", limit=5):
        name = hit.match.group("name").lstrip("$")
        condition = re.compile(r"\bif[ \t]*\(?[ \t]*!?[ \t]*(?:this\.|self\.|\$)?" + re.escape(name) + r"\b")
        yield from ctx.grep(condition, [hit.file], where="code", limit=5)


@check(
    "backing-services.env-branching",
    factor=FACTOR,
    title="Code picks a different backing service per environment name",
    remediation="Choose the service by configuration (a URL or backend setting from the environment), not by the environment's name.",
)
def env_branching(ctx: Context) -> Iterator[Raw]:
    """Code that branches on the environment's name to pick a different kind of backing service.

    `if ENV == "production": S3 else local disk`, `NODE_ENV !== 'production' ? new MemoryStore() : …`:
    each environment then runs a different service, so what works in one is untested in the other,
    and attaching another resource needs a code change. Medium.
    """
    code = [f for f in ctx.source() if f.language != "shell"]
    seen = set()
    conditions = itertools.chain(
        ctx.grep(_ENV_CONDITION, code, where="code"), ctx.grep(_ENV_API_CONDITION, code, where="code"),
        _env_flag_conditions(ctx), _brace_flag_conditions(ctx),
    )
    for hit in conditions:
        if (hit.path, hit.line) not in seen:
            seen.add((hit.path, hit.line))
            yield from _picks_service(ctx, hit, branch_text(ctx, hit))
    yield from _host_by_environment(ctx, code)
    windows = itertools.chain(ctx.grep(_ENV_TERNARY, code, where="code"),
                              ctx.grep(_PROFILE_BEAN, ctx.source("java"), where="code"))
    for hit in windows:
        if (hit.path, hit.line) not in seen:
            seen.add((hit.path, hit.line))
            view = hit.file.scan_view
            end = hit.line - 1 + _WINDOW_LINES
            stop = view.line_starts[end] if end < len(view.line_starts) else len(view.text)
            yield from _picks_service(ctx, hit, view.text[view.line_starts[hit.line - 1] : stop])


def _host_by_environment(ctx: Context, code: list) -> Iterator[Raw]:
    """`config().nodeEnv === NodeEnv.Development ? "kafka:29092" : config().kafkaBrokers`: the environment's
    name picks a literal service address over the configured one."""
    for hit in ctx.grep(_ENV_NAME_COMPARE, code, where="code", limit=20):
        view = hit.file.scan_view
        for offset in range(_HOST_WINDOW):
            n = hit.line + offset
            if n > len(view.line_starts):
                break
            text = hit.file.line_text(n)
            m = _HOST_PORT_LITERAL.search(text)
            if m and not _LOOPBACK.match(m.group("host")) and not _PLACEHOLDER_HOST.search(m.group("host")):
                message = f"The code picks the service address {m.group(1)} by the environment's name instead of its configuration."
                yield found(Severity.MEDIUM, message, hit.path, n, text)
                break


def _picks_service(ctx: Context, hit: Hit, text: str) -> Iterator[Raw]:
    start = hit.file.scan_view.line_starts[hit.line - 1]
    for m in _BACKING_KIND.finditer(text):
        if ctx.mask(hit.file).kind_at(start + m.start()) in ("code", "string"):
            yield hit.found(Severity.MEDIUM, f"The code picks a backing service ({m.group(0)}) by the environment's name.")
            return
