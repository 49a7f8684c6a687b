"""VI. Processes — execute the app as one or more stateless processes; keep state in backing services."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import Context, Hit, Raw, found
from ..facts.compose import services
from ..facts.configfiles import config_files
from ..facts.databases import deployed_server_database, in_static_defaults, in_test_environment, sqlite_fallbacks
from ..facts.envfiles import env_files
from ..facts.literal import keyed
from ..facts.manifests import all_dependencies
from ..facts.migrations import flat_settings, settings_files
from ..facts.yamlfiles import line_of, load_all
from ..model import Severity
from ..registry import check
from ..tree import File

FACTOR = 6

# Session stores that live in one process's memory or on one machine's disk.
_SESSION_STORE = {
    "python": re.compile(
        r"\bSESSION_ENGINE\s*=\s*['\"]django\.contrib\.sessions\.backends\.file['\"]|"
        r"['\"]?(?P<key>SESSION_TYPE)['\"]?\s*\]?\s*[=:]\s*['\"]filesystem['\"]|"
        r"\bSESSION_CACHELIB\s*=\s*FileSystemCache\("
    ),
    "javascript": re.compile(r"\bnew\s+(?:session\.)?MemoryStore\s*\(|\bsession\.MemoryStore\b"),
    "go": re.compile(r"\bsessions\.NewFilesystemStore\s*\(|\bmemstore\.New(?:Mem)?Store\s*\("),
    "ruby": re.compile(r"\bRack::Session::Pool\b"),
    "php": re.compile(r"['\"](?P<key>driver)['\"]\s*=>\s*['\"]file['\"]|\bsession_save_path\s*\("),  # driver: session.php only
    "rust": re.compile(r"\bMemoryStore::(?:new|default)\s*\("),
    # Spring Session kept in the JVM: a Caffeine cache or a map (`new MapSessionRepository(new ConcurrentHashMap<>())`)
    "java": re.compile(r"@EnableCaffeineHttpSession\b|\bnew\s+(?:Reactive)?MapSessionRepository\s*(?:<[^>\n]*>)?\s*\(|"
                       r"\b(?:Reactive)?MapSessionRepository\s*\(\s*(?:ConcurrentHashMap|HashMap|mutableMapOf)"),
}
_LARAVEL_FILE_SESSIONS = re.compile(r"['\"]driver['\"]\s*=>\s*env\(\s*['\"]SESSION_DRIVER['\"]\s*,\s*['\"]file['\"]")
_SHARED_SESSION_DRIVER = re.compile(r"^[ \t]*SESSION_DRIVER[ \t]*=[ \t]*['\"]?(?:database|redis|memcached|dynamodb|cookie)\b", re.M)
_SPRING_SESSION_STORES = {"spring-session-data-redis", "spring-session-jdbc", "spring-session-hazelcast",
                          "spring-session-data-mongodb", "spring-session-data-geode"}
_JAVA_SESSION_WRITE = re.compile(r"\b\w*[sS]ession\.setAttribute\s*\(")
_PHP_SESSION_START = re.compile(r"\bsession_start\s*\(")
_PHP_SHARED_HANDLER = re.compile(
    r"\bsession_set_save_handler\s*\(|session\.save_handler['\"]?\s*[,=]\s*['\"]?(?:redis|rediscluster|memcached?)\b|"
    r"\bRedisSessionHandler\b|\bMemcachedSessionHandler\b|\bPdoSessionHandler\b"
)
_PHP_INI_FILES = re.compile(r"\bsession\.save_handler\s*=\s*files\b")
_DJANGO_CACHE_SESSIONS = re.compile(r"\bSESSION_ENGINE\s*=\s*['\"]django\.contrib\.sessions\.backends\.cache['\"]")
_LOCMEM = re.compile(r"LocMemCache")
_SHARED_CACHE = re.compile(r"RedisCache|Memcache|django_redis|env\.cache\(|CACHE_URL|DatabaseCache")
_EXPRESS_SESSION_IMPORT = re.compile(
    r"\b(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*['\"]express-session['\"]|\bimport\s+(\w+)\s+from\s+['\"]express-session['\"]"
)
_STORE_OPTION = re.compile(r"\bstore\s*:")
# alexedwards/scs: `scs.New()` keeps sessions in memory unless `.Store = redisstore.New(pool)` or similar
_SCS_NEW = re.compile(r"\bscs\.New(?:Session)?\(\)")
_SCS_STORE = re.compile(r"\.Store\s*=")
_DOTNET_MEMORY_SESSION = re.compile(r"\bAddDistributedMemoryCache\s*\(")
_DOTNET_SESSION = re.compile(r"\bAddSession\s*\(")

_STICKY = re.compile(
    r"^[ \t]*ip_hash\s*;|^[ \t]*sticky\s+(?:cookie|route|learn)\b|^[ \t]*hash\s+\$remote_addr\b|"
    r"\bsessionAffinity['\"]?\s*:\s*['\"]?ClientIP\b|/affinity['\"]?\s*[:=]\s*['\"]?cookie\b|"
    r"\bloadbalancer\.sticky\b|\bstickiness\s*\{[^}]{0,300}?\benabled\s*=\s*true|"
    r"\bstickiness\.enabled['\"]?\s*[,:=]\s*['\"]?(?:value['\"]?\s*[:=]\s*['\"]?)?true|"
    r"^[ \t]*balance\s+source\b|^[ \t]*cookie\s+\w+\s+insert\b|^[ \t]*appsession\b",
    re.M | re.I,
)

_DURABLE = r"(?:/(?:var/(?:data|lib|www|opt|uploads?)|srv|data|mnt|opt|home)/|(?:\./)?(?:public/|static/)?(?:uploads?|media|user[_-]?files|attachments)/)"
_UPLOAD_DIR = r"(?:\./)?(?:public/|static/|wwwroot/)?(?:uploads?|media|user[_-]?files|attachments)"
_LOCAL_DISK = {
    "python": re.compile(
        r"\bopen\(\s*[rfb]*['\"]" + _DURABLE + r"[^'\"\n]*['\"]\s*,\s*[rfb]*['\"][rb+]*[wax]|"
        r"\.save\(\s*os\.path\.join\(\s*(?:current_)?app\.config\[\s*['\"]UPLOAD_FOLDER|"
        r"\bDEFAULT_FILE_STORAGE\s*=\s*['\"]django\.core\.files\.storage\.FileSystemStorage['\"]|"
        r"['\"](?P<key>default)['\"]\s*:\s*\{\s*['\"]BACKEND['\"]\s*:\s*['\"]django\.core\.files\.storage\.FileSystemStorage['\"]"
    ),
    "javascript": re.compile(
        r"\bmulter\(\s*\{\s*dest\s*:|\bmulter\.diskStorage\s*\(|\buploadDir\s*:\s*['\"`]|"
        r"\bfs\.(?:writeFile|createWriteStream|appendFile)(?:Sync)?\(\s*['\"`]" + _DURABLE + r"|"
        r"\bfs\.(?:writeFile|createWriteStream)(?:Sync)?\(\s*path\.(?:join|resolve)\([^)\n]{0,80}?['\"`]" + _UPLOAD_DIR + r"['\"`/]|"
        r"\.mv\(\s*['\"`]" + _UPLOAD_DIR + r"/"
    ),
    "go": re.compile(
        r"\bos\.(?:Create|WriteFile|OpenFile)\(\s*\"" + _DURABLE + r"|\.SaveUploadedFile\s*\(|"
        r"\b(?:os\.(?:Create|WriteFile|OpenFile)|ioutil\.WriteFile)\(\s*(?:filepath|path)\.Join\(\s*\"" + _UPLOAD_DIR + r"/?\""
    ),
    "ruby": re.compile(
        r"\bFile\.(?:open|write)\(\s*['\"]" + _DURABLE + r"|^[ \t]*storage\s+:file\b|"
        r"\bconfig\.active_storage\.service\s*=\s*:local\b|\bShrine::Storage::FileSystem\.new\(\s*['\"]public['\"]|"
        r"\bTus::Storage::Filesystem\.new\(|\bstore:\s*Shrine::Storage::FileSystem\.new\(|"
        r"\bconfig\.active_storage\.service\s*=\s*[^\n]{0,40}?ENV(?:\.fetch\(\s*['\"](?P<var>\w+)['\"]\s*(?:,\s*|\)\s*\{\s*)|"
        r"\[['\"](?P<var2>\w+)['\"]\]\s*\|\|\s*)['\"]?:?local\b",
        re.M,
    ),
    "php": re.compile(
        r"\bmove_uploaded_file\s*\(|\bfile_put_contents\(\s*['\"]" + _DURABLE + r"|"
        r"\bStorage::disk\(\s*['\"](?:local|public)['\"]\s*\)\s*->\s*(?:put|putFile|putFileAs|store)\b"
    ),
    "java": re.compile(
        r"\.transferTo\(\s*new\s+File\(|\bnew\s+FileOutputStream\(\s*\"" + _DURABLE + r"|"
        r"\bFiles\.write\(\s*Paths\.get\(\s*\"" + _DURABLE
    ),
    "dotnet": re.compile(
        r"\bnew\s+FileStream\(\s*Path\.Combine\(\s*[\w.]*(?:WebRootPath|ContentRootPath)|"
        r"\bFile\.WriteAll(?:Text|Bytes)(?:Async)?\(\s*@?\"" + _DURABLE
    ),
    "rust": re.compile(
        r"\b(?:File::create|fs::write)\(\s*\"" + _DURABLE + r"|"
        r"\b(?:File::create|fs::write)\(\s*&?format!\(\s*\"" + _UPLOAD_DIR + r"/"
    ),
}
# A handler that receives an upload and writes it under a local folder chosen one line earlier:
# `var path = Path.Combine(_env.WebRootPath, "uploads", name); using var s = new FileStream(path, …)`.
_UPLOAD_RECEIVED = {
    "dotnet": (re.compile(r"\bIFormFile\b"), re.compile(
        r"\bPath\.Combine\(\s*(?:[\w.]*(?:WebRootPath|ContentRootPath)|(?:Directory\.GetCurrentDirectory\(\)\s*,\s*)?\"wwwroot\")")),
    "java": (re.compile(r"\bMultipartFile\b"), re.compile(
        r"\bFiles\.copy\(\s*\w+\.getInputStream\(\)|\.transferTo\(\s*(?!new\s+File\()\w+")),
}
_UPLOAD_WRITE = re.compile(r"\bnew\s+FileStream\(|\bFile\.(?:Create|OpenWrite)\(|\bFiles\.(?:copy|write)\(|\.transferTo\(")
# A file write whose destination is the app's upload folder, held in a variable or setting:
# `ImageDataURI.outputFile(data, Database.uploadDir + filename)`, `os.WriteFile(filepath.Join(cfg.UploadDir, n), …)`.
_UPLOAD_DIR_NAME = r"\b[\w.$]*(?:[uU]pload(?:s|ed)?_?(?:[dD]ir(?:ectory)?|[fF]older|[pP]ath|[rR]oot)|UPLOADS?_(?:DIR|FOLDER|PATH|ROOT)|MEDIA_ROOT|[mM]edia_?[rR]oot)\b"
# the folder's name alone, starting at a literal (what the grep is planned from)
_UPLOAD_DIR_NAMED = re.compile(r"(?:[uU]pload(?:s|ed)?_?(?:[dD]ir(?:ectory)?|[fF]older|[pP]ath|[rR]oot)|UPLOADS?_(?:DIR|FOLDER|PATH|ROOT)|"
                               r"MEDIA_ROOT|[mM]edia_?[rR]oot)\b")
_UPLOAD_DIR_WRITE = re.compile(
    r"(?:\bfs\.(?:promises\.)?(?:writeFile|createWriteStream|appendFile|copyFile|rename)(?:Sync)?|\b\w+\.(?:outputFile|outputFileSync)|"
    r"\bfse?\.(?:move|copy)(?:Sync)?|\bos\.(?:Create|WriteFile|OpenFile)|\bioutil\.WriteFile|\bFile\.(?:WriteAll\w*|Create|OpenWrite)|"
    r"\bnew\s+File(?:Stream|OutputStream)|\bFiles\.(?:copy|write)|\bfile_put_contents|\bmove_uploaded_file|\bFile::create|"
    r"\bfs::write|\bshutil\.(?:copy\w*|move)|\bFile\.(?:open|write|binwrite))\s*\([^)\n]{0,120}?" + _UPLOAD_DIR_NAME)
# An OS-backed filesystem abstraction as the app's storage: afero's OsFs (Go), Flysystem's local adapter
# (PHP), object_store's LocalFileSystem (Rust); with Go's afero, the writes through it are shown too.
_LOCAL_FS_ABSTRACTION = re.compile(
    r"\bafero\.NewOsFs\(\)|\bnew\s+(?:\\?League\\Flysystem\\Local\\)?LocalFilesystemAdapter\s*\(|"
    r"\bLocalFileSystem::new(?:_with_prefix)?\s*\(")
_CLOUD_STORE = re.compile(r"(?i)AmazonS3|\bAws\w*Adapter|GoogleCloudStorage|MicrosoftAzure|AzureBlob")
_AFERO_WRITE = re.compile(r"\.OpenFile\([^)\n]*O_CREATE|\bafero\.WriteFile\(|\b\w+\.fs\.Create\(")
_TEST_FOLDER = re.compile(r"(?i)(?:^|/)\w*test\w*/")  # internal/testutil/, src/testing/
# A storage service class (`class LocalStorageService : IStorageService`) writing under the web root
_STORAGE_SERVICE = re.compile(r"\bclass\s+\w*(?:Storage|Upload|Media|Files?)\w*(?:Service|Provider|Store|Manager)\b")
_VICH_LOCAL = re.compile(r"^[ \t]*upload_destination:[ \t]*['\"]?%kernel\.project_dir%", re.M)
_VICH_REMOTE = re.compile(r"\bstorage:[ \t]*['\"]?(?:flysystem|gaufrette)\b")
_OBJECT_STORE = re.compile(r"(?i)\b(?:s3|blob|bucket|gcs|storageclient|putobject|minio)")
# Framework storage defaults: Laravel's default disk is local unless FILESYSTEM_DISK says otherwise.
_LARAVEL_DISK = re.compile(
    r"['\"]default['\"]\s*=>\s*(?:env\(\s*['\"](?P<var>FILESYSTEM_(?:DISK|DRIVER))['\"]\s*,\s*)?['\"](?:local|public)['\"]")
_CLOUD_DISK = re.compile(r"^[ \t]*FILESYSTEM_(?:DISK|DRIVER)[ \t]*=[ \t]*['\"]?(?:s3|gcs|azure|r2|spaces|ftp|sftp)\b", re.M | re.I)
_NON_PRODUCTION_ENV = re.compile(r"(?:^|/)config/environments/(?:development|test)\.rb$")
_DJANGO_UPLOAD_FIELD = re.compile(r"\b(?:models\.)?(?:FileField|ImageField)\s*\(")
_MEDIA_ROOT = re.compile(r"^MEDIA_ROOT\s*=", re.M)
_OTHER_STORAGE = re.compile(r"\bDEFAULT_FILE_STORAGE\b|\bSTORAGES\s*=")

# A storage provider for uploads chosen by default: a key naming it, then `filesystem`/`local`.
_STORAGE_KEY = (r"(?i)\b(?:(?:upload|file|media|attachment|asset)s?[._-]?(?:provider|driver|backend|adapter|storage|disk|store|type)|"
                r"storage[._-]?(?:provider|driver|backend|adapter|type))\b['\"]?")
_LOCAL_VALUE = r"['\"]+(?:filesystem|file_system|local|disk|localfs)['\"]"
_STORAGE_DEFAULT = re.compile(_STORAGE_KEY + r"[^\n]{0,80}?" + _LOCAL_VALUE)
# the default on the continuation line: `UPLOAD_PROVIDER = os.getenv(…) \` then `    or "filesystem"`
_STORAGE_DEFAULT_NEXT = re.compile(r"(?i)^[ \t]*(?:or|\|\||\?\?)[ \t]*" + _LOCAL_VALUE, re.M)
_STORAGE_KEY_CONTINUED = re.compile(_STORAGE_KEY + r"[^\n]{0,80}?\\[ \t]*$")
_JSON_STORAGE = re.compile(
    r"\"(?:Storage|FileStorage|Uploads?|Media|Files|Attachments|BlobStorage)\"\s*:\s*\{\s*"
    r"\"(?:Type|Provider|Driver)\"\s*:\s*\"(?:FileSystem|Local|Disk)\"")
_STORAGE_CONFIG_EXTS = {".sql", ".yml", ".yaml", ".json", ".toml", ".ini", ".cfg", ".properties"}
_UPLOAD_FOLDER_DEFAULT = re.compile(
    r"(?i)\b(?:attachments?|uploads?|user_?files)[_-]?(?:folder|dir|directory|path)\b[^\n]{0,120}?"
    r"['\"](?:\./)?(?:data/|public/|static/|storage/)?(?:attachments?|uploads?|user_?files)/?['\"]"
)
_LOCAL_PROVIDER_PATH = re.compile(
    r"(?i)(?:^|/)(?:media|uploads?|storage|attachments?|files?|blobs?)/(?:[\w-]+/){0,2}(?:filesystem|localfs|local|disk)(?:/|[._])")
_FILE_WRITE = re.compile(
    r"\bos\.(?:OpenFile|Create|WriteFile)\(|\bioutil\.WriteFile\(|\bfs\.(?:writeFile|createWriteStream)(?:Sync)?\(|"
    r"\bFile::create\(|\bfs::write\(|\bFile\.(?:WriteAll\w*|Create|OpenWrite)\(|\bnew\s+FileStream\(|"
    r"\bnew\s+FileOutputStream\(|\bFiles\.(?:copy|write)\(|\bfile_put_contents\(|\bopen\([^)\n]*['\"][wa]b?\+?['\"]"
)
# The local storage type as the fallback or default: `fallback := builtinStorage(StorageType_STORAGE_TYPE_LOCAL)`
_LOCAL_STORAGE_FALLBACK = re.compile(
    r"(?i)\b(?:fallback|default)\w*[ \t]*(?::=|=|:)[^\n=]{0,60}?\b[\w.:]*(?:storage|upload|attachment)[\w.:]*local\b(?!\w)")
_LOCAL_STORAGE_BRANCH = re.compile(
    r"(?i)(?:==|\bcase)[ \t]*[\w.:]*(?:storage|upload|attachment)[\w.:]*local\b(?!\w)[^\n]*(?:\{|:|=>)[ \t]*$", re.M)
_BRANCH_WINDOW = 45
_NEXT_BRANCH = re.compile(r"[ \t]*\}?[ \t]*(?:else|elif)\b")
_ACTIVE_STORAGE_CHOICE = re.compile(r"\bconfig\.active_storage\.service[ \t]*=[ \t]*$", re.M)
_LOCAL_SERVICE = re.compile(r"^:(?:disk|local)\b|^['\"](?:disk|local)['\"]")
_LARAVEL_UPLOAD_DISK = re.compile(
    r"['\"](?P<disk>uploads?|attachments?|media|documents?|files)['\"][ \t]*=>[ \t]*\[\s*"
    r"(?P<driver>['\"]driver['\"][ \t]*=>[ \t]*['\"]local['\"])")
_PY_WRITE_VAR = re.compile(r"\b(?:gzip\.|io\.)?open\([ \t]*(?P<var>\w+)[ \t]*,[ \t]*['\"][wa]b?\+?['\"]")

_SQLITE = {
    "python": re.compile(
        r"['\"](?P<key>ENGINE)['\"]\s*:\s*['\"]django\.db\.backends\.sqlite3['\"]|"
        r"\bcreate_engine\(\s*[rf]?['\"]sqlite:///(?!:memory:)|"
        r"['\"]?(?P<key2>SQLALCHEMY_DATABASE_URI)['\"]?\s*\]?\s*=\s*[rf]?['\"]sqlite:///(?!:memory:)|"
        r"\bsqlite3\.connect\(\s*[rf]?['\"](?!:memory:|/tmp/)[^'\"\n]+['\"]"
    ),
    "javascript": re.compile(
        r"\bdialect\s*:\s*['\"]sqlite['\"]|\bclient\s*:\s*['\"](?:sqlite3|better-sqlite3)['\"]|"
        r"\btype\s*:\s*['\"](?:sqlite|better-sqlite3)['\"]|"
        r"\bnew\s+(?:sqlite3\.)?Database\(\s*['\"`](?!:memory:)[^'\"`\n]+\.(?:db|sqlite3?)['\"`]"
    ),
    "go": re.compile(r"\b(?:sql|sqlx|gorm)\.Open\(\s*\"sqlite3?\"\s*,\s*\"(?!:memory:|file::memory)|\bsqlite\.Open\(\s*\"(?!:memory:|file::memory)"),
    "php": re.compile(r"['\"](?P<key>default)['\"]\s*=>\s*['\"]sqlite['\"]|\bnew\s+PDO\(\s*['\"]sqlite:(?!:memory:)"),
    "java": re.compile(r"\bDriverManager\.getConnection\(\s*\"jdbc:sqlite:(?!:memory:)"),
    "rust": re.compile(r"\bSqlitePool::connect\(\s*\"(?!sqlite::memory:)|\bConnection::open\(\s*\""),
    "dotnet": re.compile(r"\bUseSqlite\s*\(|\bAddSqlite\s*<|"
                         # SqliteConnectionStringBuilder { DataSource = …Path.Combine(dataPath, "app.db") }
                         r"^[ \t]*DataSource\s*=[^\n]{0,160}?\"[\w\-]+\.(?:db|sqlite3?)\"", re.M),
}
# Spring's datasource URL: an SQLite file, or H2/HSQLDB inside the JVM (in memory or a local file)
_SQLITE_CONFIG = re.compile(
    r"^[^#!\n]*?\bjdbc:(?:sqlite:(?!:memory:)|h2:(?:mem|file|~|\.)|hsqldb:(?:mem|file):)|^\s*provider\s*=\s*\"sqlite\"", re.M)
_SQLITE_CONFIG_EXTS = {".properties", ".yml", ".yaml", ".prisma"}
_ENV_DATABASE = re.compile(r"DATABASE_URL|\benv\.db\(|dj_database_url|\bdb_url\(|backends\.postgresql|backends\.mysql")
_ENV_ON_LINE = re.compile(r"process\.env|os\.environ|getenv|Getenv|env\(|ENV\[")
_OTHER_EF_PROVIDER = re.compile(r"\b(?:Use(?:Npgsql|SqlServer|MySql|MySQL|Oracle)\s*\(|Add(?:Npgsql|SqlServer|MySql|Oracle)\s*<)")

_DEFAULT_MESSAGE = ("The app's default database is an SQLite file on local disk; a setting can change it, "
                    "but nothing in the deployment does.")
_DEV_SETTINGS = re.compile(r"(?:^|[._-])(?:dev|development|local|test|tests|testing|ci)(?:[._-]|$)", re.I)
_SQLITE_ENV_DEFAULT = re.compile(
    r"(?i)\b\w*(?:DB|DATABASE)_?(?:CLIENT|DIALECT|TYPE|DRIVER|CONNECTION|ENGINE|ADAPTER|KIND)\b['\"]?"
    r"[^\n]{0,60}?(?:\|\||\?\?|,|\bor\b|\bdefault\b[ \t]*:?|"
    r":[ \t]*[\w.\[\]| ]{1,40}?=(?!=))"  # a typed settings field's default: `DB_ENGINE: str = "sqlite"`
    r"[ \t]*\(?[ \t]*['\"](?:better-)?sqlite3?['\"]|"
    # a configuration library's default or a flag's: viper.SetDefault("driver", "sqlite"), String("driver", "sqlite", …)
    r"\b(?:SetDefault|String|StringP|StringVar)\([ \t]*(?:&[\w.]+,[ \t]*)?\"(?:db[._-]?|database[._-]?)?driver\""
    r"[ \t]*,[ \t]*(?:\"\w\"[ \t]*,[ \t]*)?\"sqlite3?\"",
)
# The place of the SQLite file, in the branch taken when the driver is SQLite: `if p.Driver == "sqlite" && p.DSN == "" {`
_SQLITE_BRANCH = re.compile(r"(?i)(?:[!=]==?|\beq)[ \t]*['\"]sqlite3?['\"]|\bcase[ \t]+['\"]sqlite3?['\"][ \t]*:")
_DB_FILE_NAME = re.compile(r"['\"`][^'\"`\n]*\.(?:db|sqlite3?)['\"`]")
_PHP_SQLITE_TYPE = re.compile(r"['\"]type['\"][ \t]*=>[ \t]*['\"]sqlite3?['\"]")
_RUST_SQLITE_DEFAULT = re.compile(r"\bformat!\([ \t]*\"sqlite://|\"sqlite://(?!:memory:)[^\"\s]+\"")
_RUST_DEFAULT_CONTEXT = re.compile(r"(?i)(?:database|db)_?(?:url|uri|path)\w*\s*[:=,]|\bunwrap_or|\bdefault")
_APPSETTINGS = re.compile(r"^appsettings(?:\.Production)?\.json$", re.I)
_DOTNET_SQLITE_SETTINGS = re.compile(
    r"\"(?:Type|Provider|DbType|DatabaseType|DatabaseProvider)\"\s*:\s*\"Sqlite\"|"
    r"\"Data Source=(?!:memory:)[^\";]+\.(?:db|sqlite3?)\b", re.I)
_ENV_FILE_SQLITE = re.compile(
    r"^[ \t]*(?:DB_(?:CONNECTION|CLIENT|TYPE|DRIVER)|DATABASE_TYPE)[ \t]*=[ \t]*['\"]?(?:better-)?sqlite3?\b|"
    r"^[ \t]*DATABASE_URL[ \t]*=[ \t]*['\"]?sqlite:(?!/*:memory:)", re.M)
_SERVER_DB_IMAGE = re.compile(r"^[ \t]*image:[ \t]*['\"]?[\w./-]*(?:postgres|mysql|mariadb|mssql)", re.M | re.I)
_DB_KEY = re.compile(r"(?i)(?:^|_)(?:DB|DATABASE)(?:_|$)")
_SQLITE_VALUE = re.compile(r"(?i)^(?:sqlite:(?!/*:memory:)|(?:better-)?sqlite3?$)|\.(?:sqlite3?|db)$")
_PROFILE = re.compile(r"^(?:application|bootstrap)[-_]", re.I)
_PLACEHOLDER = re.compile(r"^\$\{[\w.\-]+:(.*)\}$")
_SQLITE_QUEUE = re.compile(r"['\"]huey\.SqliteHuey['\"]|\bSqliteHuey\s*\(")

_SHARED_STATE_DEPS = {
    "django-storages", "django-redis", "boto3", "google-cloud-storage", "azure-storage-blob", "connect-redis",
    "connect-pg-simple", "connect-mongo", "multer-s3", "@aws-sdk/client-s3", "aws-sdk", "@google-cloud/storage",
    "redis-session-store", "activerecord-session_store", "aws-sdk-s3", "spring-session-data-redis",
    "spring-session-jdbc", "league/flysystem-aws-s3-v3", "microsoft.extensions.caching.stackexchangeredis",
    "tower-sessions-redis-store", "github.com/aws/aws-sdk-go-v2/service/s3", "cloud.google.com/go/storage",
}
_SHARED_STATE_CODE = re.compile(
    r"\bSESSION_ENGINE\s*=\s*['\"]django\.contrib\.sessions\.backends\.(?:db|cache|cached_db|signed_cookies)['\"]|"
    r"\bS3Boto3Storage\b|\bstorages\.backends\.|\bnew\s+RedisStore\s*\(|\bRedisStore\s*\(|"
    r"\bSESSION_TYPE\s*=\s*['\"](?:redis|sqlalchemy|mongodb|memcached)['\"]|\bsession_store\s+:(?:redis_store|active_record_store|cache_store)"
)


@check(
    "processes.local-session-store",
    factor=FACTOR,
    title="Sessions are kept in process memory or on local disk",
    remediation="Keep sessions in a backing service (database, Redis, Memcached) or in signed cookies.",
)
def local_session_store(ctx: Context) -> Iterator[Raw]:
    """Sessions stored in one process's memory or on one machine's disk.

    When sessions live in a process (express-session's default MemoryStore, Django locmem-cache
    sessions) or in local files (Django file sessions, Flask-Session `filesystem`, PHP file
    sessions), a second process or a restart logs every user out or loses their data. Store
    sessions in the database, Redis or Memcached, or use signed cookies.
    """
    message = "Sessions are stored in one process or on local disk, so they do not survive a restart or a second process."
    for language, pattern in _SESSION_STORE.items():
        for hit in ctx.grep(pattern, ctx.source(language), where=("code", "string")):
            if keyed(ctx, hit) and not _env_default(hit) and not _other_laravel_driver(hit):
                yield hit.found(Severity.HIGH, message)
    for hit in ctx.grep(_PHP_INI_FILES, [f for f in ctx.files if f.ext == ".ini"], where="any"):
        yield hit.found(Severity.HIGH, message)
    yield from _laravel_default_sessions(ctx)
    yield from _container_sessions(ctx)
    yield from _django_locmem_sessions(ctx)
    yield from _express_memory_sessions(ctx)
    for hit in ctx.grep(_SCS_NEW, [f for f in ctx.source("go") if f.role is None], where="code", limit=1):
        if not _SCS_STORE.search(hit.file.text):
            yield hit.found(Severity.MEDIUM, "scs keeps sessions in its default in-memory store (no Store is set).")
    for f in ctx.source("dotnet"):
        hit = ctx.first(_DOTNET_MEMORY_SESSION, [f], where="code")
        if hit and ctx.first(_DOTNET_SESSION, [f], where="code"):
            yield hit.found(Severity.HIGH, "Sessions are kept in the in-process distributed memory cache.")


def _env_default(hit: Hit) -> bool:
    """`env('SESSION_DRIVER', 'file')`: a local default inside an environment read."""
    return "env(" in hit.text and "SESSION_DRIVER" in hit.text


def _laravel_default_sessions(ctx: Context) -> Iterator[Raw]:
    """`'driver' => env('SESSION_DRIVER', 'file')` with no shared driver in .env.example: file sessions by default."""
    if any(_SHARED_SESSION_DRIVER.search(e.file.text) for e in ctx.fact(env_files) if e.is_example):
        return
    for hit in ctx.grep(_LARAVEL_FILE_SESSIONS, ctx.named("session.php"), where=("code", "string")):
        yield hit.found(Severity.MEDIUM, "Sessions are kept in local files unless SESSION_DRIVER is set.")


def _container_sessions(ctx: Context) -> Iterator[Raw]:
    """Sessions the runtime keeps by default: the servlet container's memory (Java `HttpSession`
    with no Spring Session store) and PHP's file sessions (`session_start()` with no shared handler)."""
    java = [f for f in ctx.source("java") if f.role is None and "HttpSession" in f.text]
    if java and not all_dependencies(ctx) & _SPRING_SESSION_STORES:
        hit = ctx.first(_JAVA_SESSION_WRITE, java, where="code")
        if hit:
            yield hit.found(Severity.MEDIUM, "HttpSession attributes live in the servlet container's memory (no Spring Session store).")
    php = [f for f in ctx.source("php") if f.role is None]
    hit = ctx.first(_PHP_SESSION_START, php, where="code")
    if hit and not ctx.first(_PHP_SHARED_HANDLER, php + ctx.named("php.ini", "Dockerfile") +
                             [f for f in ctx.files if f.ext == ".ini"], where="any"):
        yield hit.found(Severity.MEDIUM, "PHP keeps these sessions in local files (no shared session.save_handler).")


def _other_laravel_driver(hit: Hit) -> bool:
    """`'driver' => 'file'` outside config/session.php configures something else (a cache store, a disk)."""
    return hit.match.groupdict().get("key") == "driver" and hit.file.name != "session.php"


def _django_locmem_sessions(ctx: Context) -> Iterator[Raw]:
    python = ctx.source("python")
    hit = ctx.first(_DJANGO_CACHE_SESSIONS, python, where="code")
    if hit and ctx.first(_LOCMEM, python) and not ctx.first(_SHARED_CACHE, python):
        yield hit.found(Severity.HIGH, "Sessions are kept in Django's local-memory cache, private to each process.")


def _express_memory_sessions(ctx: Context) -> Iterator[Raw]:
    for hit in ctx.grep(_EXPRESS_SESSION_IMPORT, ctx.source("javascript"), where="code"):
        name = hit.match.group(1) or hit.match.group(2)
        call = re.compile(r"\b" + re.escape(name) + r"\(\s*\{")
        for use in ctx.grep(call, [hit.file], where="code"):
            window = hit.file.text[use.match.end() : use.match.end() + 1500]
            if not _STORE_OPTION.search(window.split("})", 1)[0]):
                yield use.found(Severity.HIGH, "express-session has no store, so it uses the in-process MemoryStore.")


@check(
    "processes.sticky-sessions",
    factor=FACTOR,
    title="The load balancer pins users to one process (sticky sessions)",
    remediation="Remove session affinity and keep per-user state in a backing service, so any process can serve any request.",
)
def sticky_sessions(ctx: Context) -> Iterator[Raw]:
    """Sticky sessions: nginx ip_hash/sticky, Kubernetes sessionAffinity: ClientIP, cookie affinity.

    Pinning a client to one process means that process holds state the others lack; when it is
    restarted or scaled away the user's state is gone. Twelve-factor processes share nothing.
    """
    for hit in ctx.grep(_STICKY, ctx.fact(config_files), where="any"):
        yield hit.found(Severity.HIGH, "Requests are pinned to one process (sticky sessions).")


@check(
    "processes.local-disk-storage",
    factor=FACTOR,
    title="Uploads or durable data are written to local disk",
    remediation="Store uploads and durable files in an object store (S3, GCS, Azure Blob) or a database; keep local disk for scratch files.",
)
def local_disk_storage(ctx: Context) -> Iterator[Raw]:
    """Uploads or durable data written to the process's local disk.

    A container's filesystem is ephemeral and private to one instance: files written by one process
    (multer `dest`, Django's FileSystemStorage, `open('/var/data/…', 'w')`, move_uploaded_file) are
    invisible to the others and lost on restart. Temporary scratch files are fine. Defaults count:
    an upload/storage provider defaulting to `filesystem`/`local` (in code, SQL seed data,
    appsettings.json), an attachments folder defaulting to a relative path, the local provider's
    writer when such a default selects it, and a handler saving an upload under a settings folder.
    So do a local storage type as the fallback (`fallback := builtinStorage(StorageTypeLocal)`) with
    the write in its branch, Active Storage whose conditional ends in `else :disk`, and a Laravel
    disk named for uploads on the `local` driver.
    """
    for language, pattern in _LOCAL_DISK.items():
        for hit in ctx.grep(pattern, ctx.source(language), where=("code", "string")):
            if not keyed(ctx, hit) or _NON_PRODUCTION_ENV.search(hit.path):
                continue  # inside a string (prose, a fixture) unless it is the whole key; dev/test-only settings
            if "Shrine" in hit.match.group(0) and _OBJECT_STORE.search(hit.file.text):
                continue  # local cache storage next to an S3 store
            groups = hit.match.groupdict()
            if groups.get("key"):
                yield hit.found(Severity.MEDIUM, "Django's default file storage is the local filesystem.")
            elif groups.get("var") or groups.get("var2"):
                var = groups.get("var") or groups.get("var2")
                yield hit.found(Severity.MEDIUM, f"Active Storage keeps uploads on the local disk unless {var} is set.")
            else:
                yield hit.found(Severity.MEDIUM, "Files are written to the local disk of one process.")
    yield from _received_uploads(ctx)
    yield from _upload_dir_writes(ctx)
    for hit in ctx.grep(_VICH_LOCAL, [f for f in ctx.fact(config_files) if "vich" in f.name], where="any"):
        if not _VICH_REMOTE.search(hit.file.text):
            yield hit.found(Severity.MEDIUM, "VichUploader stores uploads under the app's own folder on local disk.")
    yield from _laravel_default_disk(ctx)
    yield from _laravel_upload_disks(ctx)
    yield from _active_storage_fallback(ctx)
    yield from _django_media_uploads(ctx)
    yield from _storage_defaults(ctx)


def _storage_defaults(ctx: Context) -> Iterator[Raw]:
    """Uploads kept on local disk by a default: an upload/storage provider set to `filesystem` or
    `local` (`UPLOAD_PROVIDER … or "filesystem"`, `('upload.provider', '"filesystem"')`,
    appsettings.json `"Storage": {"Type": "FileSystem"}`), an attachments/uploads folder defaulting
    to a relative path (`attachments_folder … "attachments"`), the local provider's writer when
    such a default selects it, and a handler saving an upload under a folder from settings."""
    files = [f for f in ctx.files if f.role is None and not _dev_only(f) and "migration" not in f.path.lower()
             and (f.language or f.ext in _STORAGE_CONFIG_EXTS or _APPSETTINGS.match(f.name))]
    chosen = False
    hits = [*ctx.grep(_STORAGE_DEFAULT, [f for f in files if f.language], where=("code", "string")),
            *ctx.grep(_STORAGE_DEFAULT, [f for f in files if not f.language], where="any"),
            *ctx.grep(_JSON_STORAGE, [f for f in files if f.ext == ".json"], where="any")]
    for hit in ctx.grep(_STORAGE_DEFAULT_NEXT, [f for f in files if f.language], where="code"):
        previous = hit.file.lines[hit.line - 2] if hit.line >= 2 else ""
        if _STORAGE_KEY_CONTINUED.search(previous):
            yield found(Severity.MEDIUM, "Uploaded files are kept on the local disk by default (a local storage provider).",
                        hit.path, hit.line - 1, previous.strip())
            chosen = True
    for hit in hits:
        if hit.where in ("comment", "doc") or hit.text.lstrip().startswith(("#", "//", "--", ";")) or _prose(ctx, hit):
            continue
        if "==" in hit.match.group(0) or "!=" in hit.match.group(0):
            continue  # a branch on the provider's name, not its default
        chosen = True
        yield hit.found(Severity.MEDIUM, "Uploaded files are kept on the local disk by default (a local storage provider).")
    source = [f for f in files if f.language]
    for hit in ctx.grep(_UPLOAD_FOLDER_DEFAULT, source, where=("code", "string")):
        if not _prose(ctx, hit):
            yield hit.found(Severity.MEDIUM, "Uploaded files default to a folder on the local disk.")
    for hit in ctx.grep(_LOCAL_STORAGE_FALLBACK, source, where="code", limit=1):
        chosen = True
        yield hit.found(Severity.MEDIUM, "Uploaded files are kept on the local disk by default (the local storage type is the fallback).")
    if chosen:
        yield from _local_branch_writes(ctx, source)
        for f in source:
            if _LOCAL_PROVIDER_PATH.search(f.path):
                hit = ctx.first(_FILE_WRITE, [f], where="code")
                if hit:
                    yield hit.found(Severity.MEDIUM, "The default storage provider writes uploaded files to the local disk.")
    python = [f for f in source if f.language == "python" and "upload" in f.text]
    for hit in ctx.grep(_PY_WRITE_VAR, python, where="code"):
        var = re.escape(hit.match.group("var"))
        before = "\n".join(hit.file.lines[max(0, hit.line - 6) : hit.line])
        if re.search(var + r"\s*=\s*os\.path\.join\(\s*(?:django\.conf\.)?settings\.\w*(?:FOLDER|DIR|ROOT|PATH)\b", before):
            upload = "\n".join(hit.file.lines[max(0, hit.line - 30) : hit.line])
            if "upload" in upload.lower():
                yield hit.found(Severity.MEDIUM, "An uploaded file is written to a folder on the local disk.")


def _local_branch_writes(ctx: Context, source: list[File]) -> Iterator[Raw]:
    """The file write in the branch taken for the local storage type (`if storage.Type ==
    STORAGE_TYPE_LOCAL { … os.WriteFile(osPath, blob, 0644) }`), when local storage is the default."""
    for hit in ctx.grep(_LOCAL_STORAGE_BRANCH, source, where="code", limit=2):
        f = hit.file
        for line in range(hit.line + 1, min(hit.line + _BRANCH_WINDOW, len(f.lines)) + 1):
            text = f.line_text(line)
            if _FILE_WRITE.search(text):
                yield found(Severity.MEDIUM, "The default (local) storage writes uploaded files to the local disk.",
                            f.path, line, text.strip())
                break
            if _LOCAL_STORAGE_BRANCH.search(text) or _NEXT_BRANCH.match(text):
                break  # the next branch


def _active_storage_fallback(ctx: Context) -> Iterator[Raw]:
    """`config.active_storage.service =` chosen by a conditional whose last branch is the local disk
    (`if ENV['S3_ATTACHMENTS_BUCKET'].present? … else :disk end`) in production settings."""
    for hit in ctx.grep(_ACTIVE_STORAGE_CHOICE, [f for f in ctx.source("ruby") if f.role is None], where="code"):
        f = hit.file
        if _NON_PRODUCTION_ENV.search(hit.path):
            continue
        for line in range(hit.line + 1, min(hit.line + 20, len(f.lines)) + 1):
            text = f.line_text(line).strip()
            if text == "end":
                break
            if text == "else":
                value = f.line_text(line + 1).strip() if line + 1 <= len(f.lines) else ""
                if _LOCAL_SERVICE.match(value):
                    yield found(Severity.MEDIUM, "Active Storage keeps uploads on the local disk unless a cloud "
                                "storage variable is set.", f.path, line + 1, value)
                break


def _laravel_upload_disks(ctx: Context) -> Iterator[Raw]:
    """A Laravel disk named for uploads (`'upload' => ['driver' => 'local', …]`): the app stores its
    uploads there whatever the default disk is."""
    for f in ctx.named("filesystems.php"):
        if f.role is not None:
            continue
        for m in _LARAVEL_UPLOAD_DISK.finditer(f.text):
            line = f.line_of(m.start("driver"))
            yield found(Severity.MEDIUM, f"The '{m.group('disk')}' disk keeps uploaded files on the local disk.",
                        f.path, line, f.line_text(line).strip())


def _received_uploads(ctx: Context) -> Iterator[Raw]:
    """A handler that receives an upload and writes it under a local folder; or a storage service
    class (`LocalStorageService : IStorageService`) whose writes go under the web root, shown at the
    write (`new FileStream(filePath, FileMode.Create)`)."""
    for language, (upload, local_path) in _UPLOAD_RECEIVED.items():
        for f in ctx.source(language):
            if f.role is not None or not _UPLOAD_WRITE.search(f.text):
                continue
            received = upload.search(f.text)
            if not received and not _STORAGE_SERVICE.search(f.text):
                continue
            hit = ctx.first(local_path, [f], where="code")
            if hit is None or _OBJECT_STORE.search(f.text):
                continue
            if received:
                yield hit.found(Severity.MEDIUM, "Uploaded files are written to a folder on the local disk of one process.")
                continue
            write = ctx.first(_UPLOAD_WRITE, [f], where="code")
            if write and write.line > hit.line:
                yield write.found(Severity.MEDIUM, "The storage service writes files to a folder under the app's own root "
                                  "on the local disk of one process.")


def _upload_dir_writes(ctx: Context) -> Iterator[Raw]:
    """Writes into the app's upload folder held in a variable (`Database.uploadDir + filename`), and
    an OS-backed filesystem abstraction used as the app's storage (afero.NewOsFs, Flysystem's local
    adapter, object_store's LocalFileSystem), with afero's writes through it."""
    app = [f for f in ctx.source() if f.role is None and not _dev_only(f) and not _TEST_FOLDER.search(f.path)]
    # found at the folder's name (a literal to start from), then the write call read on that line
    for hit in ctx.grep(_UPLOAD_DIR_NAMED, app, where="code", limit=4):
        if _UPLOAD_DIR_WRITE.search(hit.text):
            yield hit.found(Severity.MEDIUM, "Files are written to the app's upload folder on the local disk of one process.")
            break
    local_fs = False
    for hit in ctx.grep(_LOCAL_FS_ABSTRACTION, app, where="code", limit=1):
        if _OBJECT_STORE.search(hit.file.text) or _CLOUD_STORE.search(hit.file.text):
            continue  # a local adapter beside a cloud one: chosen by configuration
        local_fs = local_fs or "afero" in hit.match.group(0)
        yield hit.found(Severity.MEDIUM, "The app's storage is the local filesystem (an OS-backed filesystem abstraction).")
    if local_fs:
        stores = [f for f in app if f.language == "go" and "afero.Fs" in f.text and re.search(r"(?i)stor", f.path)]
        for hit in ctx.grep(_AFERO_WRITE, stores, where="code", limit=1):
            yield hit.found(Severity.MEDIUM, "Durable files are written through the OS-backed filesystem to the local disk.")


def _laravel_default_disk(ctx: Context) -> Iterator[Raw]:
    cloud = any(_CLOUD_DISK.search(e.file.text) for e in ctx.fact(env_files) if e.is_example)
    for f in ctx.named("filesystems.php"):
        hit = ctx.first(_LARAVEL_DISK, [f], where=("code", "string"))
        if hit is None or cloud:
            continue
        var = hit.match.group("var")
        tail = f" unless {var} is set" if var else ""
        yield hit.found(Severity.MEDIUM, f"Laravel's default filesystem disk is the local disk{tail}: uploads stay on one instance.")


def _django_media_uploads(ctx: Context) -> Iterator[Raw]:
    """Django models with file fields saved to MEDIA_ROOT because no other storage is configured."""
    python = [f for f in ctx.source("python") if f.role is None]
    media = ctx.first(_MEDIA_ROOT, python, where="code")
    if not media or ctx.first(_OTHER_STORAGE, python, where="code") or "django-storages" in all_dependencies(ctx):
        return
    field = ctx.first(_DJANGO_UPLOAD_FIELD, [f for f in python if f.name == "models.py"], where="code")
    if field:
        yield field.found(Severity.MEDIUM, "Uploaded files are saved under MEDIA_ROOT on local disk (no other storage is configured).")


@check(
    "processes.sqlite-database",
    factor=FACTOR,
    title="An SQLite file is the app's database",
    remediation="Use a database server (PostgreSQL, MySQL) addressed by DATABASE_URL; an SQLite file lives on one instance's disk.",
)
def sqlite_database(ctx: Context) -> Iterator[Raw]:
    """An SQLite file as the app's production database.

    An SQLite database is a file on one machine: a second process on another host cannot see it, a
    container restart can lose it, and concurrent writers lock each other out. SQLite as the
    *default* of a setting (`env('DB_CONNECTION', 'sqlite')`, `'type' => 'sqlite'`, appsettings.json
    on Sqlite, a Rust config default `sqlite://data/db.sqlite3`) is medium, and not reported when the
    deployment's own manifest runs a database server (then it is a development default, judged by
    dev/prod parity). A production env file or the main compose file naming an SQLite file, and a
    job queue in an SQLite file (huey's SqliteHuey), are medium too; so are a typed settings field's
    default (`DB_ENGINE: str = "sqlite"`), a configuration library's default driver
    (`viper.SetDefault("driver", "sqlite")`) with the file its SQLite branch places, SQLite in the
    `else` of a switch on a database server's setting, and database.yml's `production:` block falling
    back to SQLite under an ERB condition. A helper's static defaults (`Store.defaultsKnex = {…}`,
    used only when the caller passes no connection) are not the app's database.
    """
    message = "The app's database is an SQLite file on local disk."
    overridden = ctx.fact(deployed_server_database) is not None
    for language, pattern in _SQLITE.items():
        for hit in ctx.grep(pattern, ctx.source(language), where=("code", "string")):
            if not (keyed(ctx, hit) or keyed(ctx, hit, "key2")) or _ENV_ON_LINE.search(hit.text):
                continue
            if in_static_defaults(hit.file, hit.line):
                continue  # a helper's fallback connection, used only when the app passes none
            if language == "python" and hit.match.groupdict().get("key") and _ENV_DATABASE.search(hit.file.text):
                # SQLite beside an environment-chosen database: the default, unless the deployment runs a server
                if not _dev_only(hit.file) and not overridden:
                    yield hit.found(Severity.MEDIUM, _DEFAULT_MESSAGE)
                continue
            if language == "dotnet" and _OTHER_EF_PROVIDER.search(hit.file.text):
                continue
            yield hit.found(Severity.HIGH, message)
    configs = [f for f in ctx.files if f.ext in _SQLITE_CONFIG_EXTS and f.role not in ("doc", "vendor")
               and "test" not in f.name.lower()]
    for hit in ctx.grep(_SQLITE_CONFIG, configs, where="any"):
        if "${" in hit.text:
            continue  # ${DATABASE_URL:jdbc:h2:mem:…}: only a default for the environment's choice
        embedded = "h2:" in hit.text or "hsqldb:" in hit.text
        yield hit.found(Severity.HIGH, "The app's database runs inside the app (H2/HSQLDB): each process has its "
                        "own, lost on restart." if embedded else message)
    yield from _rails_sqlite(ctx)
    yield from _sqlite_defaults(ctx, overridden)
    yield from _sqlite_in_production_settings(ctx)
    if not overridden:
        yield from _sqlite_url_defaults(ctx)
        yield from _sqlite_framework_settings(ctx)


def _dev_only(f) -> bool:
    """Settings for development or tests only (settings/local.py, appsettings.Development.json)."""
    return bool(_DEV_SETTINGS.search(f.name)) or in_test_environment(f.path)


def _sqlite_defaults(ctx: Context, overridden: bool) -> Iterator[Raw]:
    """SQLite as the default a variable or a setting can change: `env('DB_CONNECTION', 'sqlite')`,
    `'type' => 'sqlite'` in a PHP config default, `format!("sqlite://{}", …)` as a Rust config
    default, appsettings.json on `Sqlite`. Medium, and not reported when the deployment's own
    manifest (main compose file, Kubernetes, Helm) runs a database server: then it is a
    development default, which dev/prod parity judges."""
    if overridden:
        return
    app = [f for f in ctx.source() if f.role is None and not _dev_only(f)]
    chosen = False
    for hit in ctx.grep(_SQLITE_ENV_DEFAULT, app, where=("code", "string"), limit=1):
        if "==" not in hit.match.group(0) and "!=" not in hit.match.group(0):  # a branch on the engine's name
            chosen = True
            yield hit.found(Severity.MEDIUM, _DEFAULT_MESSAGE)
    if chosen:
        yield from _sqlite_file_placed(ctx, app)
    for f, line in ctx.fact(sqlite_fallbacks):
        yield found(Severity.MEDIUM, "Unless a database server is configured the app's database is an SQLite "
                    "file on local disk.", f.path, line, f.line_text(line).strip())
    php = [f for f in app if f.language == "php" and "config" in f.path.lower()]
    for hit in ctx.grep(_PHP_SQLITE_TYPE, php, where=("code", "string")):
        yield hit.found(Severity.MEDIUM, _DEFAULT_MESSAGE)
    rust = [f for f in app if f.language == "rust"]
    for hit in ctx.grep(_RUST_SQLITE_DEFAULT, rust, where=("code", "string")):
        if _RUST_DEFAULT_CONTEXT.search(hit.text) and not _SQLITE["rust"].search(hit.text):
            yield hit.found(Severity.MEDIUM, _DEFAULT_MESSAGE)
    for f in ctx.files:
        if f.role is None and _APPSETTINGS.match(f.name):
            hit = ctx.first(_DOTNET_SQLITE_SETTINGS, [f], where="any")
            if hit:
                yield hit.found(Severity.MEDIUM, _DEFAULT_MESSAGE)


def _sqlite_file_placed(ctx: Context, app: list) -> Iterator[Raw]:
    """Where the default SQLite file is put on disk: a file name `….db` set in the branch taken when
    the driver is SQLite (`if p.Driver == "sqlite" && p.DSN == "" { … "memos_%s.db" … }`)."""
    for hit in ctx.grep(_SQLITE_BRANCH, app, where=("code", "string"), limit=2):
        if "!=" in hit.match.group(0):
            continue
        f = hit.file
        for line in range(hit.line, min(hit.line + 8, len(f.lines)) + 1):
            if _DB_FILE_NAME.search(f.line_text(line)):
                yield found(Severity.MEDIUM, "By default the app keeps its database in an SQLite file on local disk "
                            "(the file placed when the driver is SQLite).", f.path, line, f.line_text(line).strip())
                break


def _prose(ctx: Context, hit: Hit) -> bool:
    """A match inside a string of source code that does not start the string: a docstring or message
    mentioning the setting, not the setting (`'upload.provider'` starts its literal)."""
    if not hit.file.language or hit.where != "string":
        return False
    span = ctx.mask(hit.file).span_at(hit.match.start())
    return span is None or span[0] != hit.match.start() - 1


def _sqlite_in_production_settings(ctx: Context) -> Iterator[Raw]:
    """SQLite chosen by what production runs: a production env file (`.env.production`:
    DB_CONNECTION=sqlite), the environment of the main compose file (`DB_FILENAME: data.sqlite`),
    or a job queue kept in an SQLite file (huey's SqliteHuey) that web and workers share on disk."""
    for f in ctx.files:
        if f.role is None and f.name.startswith(".env") and "prod" in f.name.lower():
            hit = ctx.first(_ENV_FILE_SQLITE, [f], where="any")
            if hit:
                yield hit.found(Severity.MEDIUM, "The production env file makes an SQLite file the app's database.")
    for svc in ctx.fact(services):
        f = svc.file
        if f.role is not None or _dev_only(f) or in_test_environment(f.path) or _SERVER_DB_IMAGE.search(f.text):
            continue
        for key, value in svc.environment.items():
            if _DB_KEY.search(key) and _SQLITE_VALUE.search(value.strip()):
                yield found(Severity.MEDIUM, f"The compose deployment keeps the app's database in an SQLite file ({key}).",
                            f.path, line_of(f, key), f"{key}: {value}")
                break
    python = [f for f in ctx.source("python") if f.role is None and not _dev_only(f)]
    for hit in ctx.grep(_SQLITE_QUEUE, python, where=("code", "string")):
        yield hit.found(Severity.MEDIUM, "The job queue is an SQLite file on local disk, shared by web and worker "
                        "only through one machine's filesystem.")


# A database URL set to an SQLite file in code, as the value the app uses when none is configured:
# `c.Database.URL = fmt.Sprintf("sqlite:///%s", …"shiori.db")`, `DATABASE_URL: str = "sqlite:///./app.db"`.
_SQLITE_URL_DEFAULT = re.compile(
    r"(?i)\b\w*(?:database|db)[_.]?(?:url|uri|dsn|connection_?string|conn_?str)\b['\"]?[ \t]*"
    r"(?::=|=(?!=)|:(?:[ \t]*[\w.\[\]|]+[ \t]*=(?!=))?)[ \t]*"
    r"(?:fmt\.Sprintf\([ \t]*|format!\([ \t]*|String\.format\([ \t]*|sprintf\([ \t]*|[fr](?=['\"]))?['\"`]sqlite3?:(?!/*:memory:)")
_SQLITE_URL = re.compile(r"(?:sqlite|SQLITE|Sqlite)3?:(?!/*:memory:)")
# Doctrine DBAL's connection on SQLite in a PHP config array: `'driver' => 'pdo_sqlite', 'path' => 'data/database.sqlite'`
_DOCTRINE_SQLITE = re.compile(r"['\"]driver['\"][ \t]*=>[ \t]*['\"](?:pdo_)?sqlite3?['\"]")
_DOCTRINE_PATH = re.compile(r"['\"]path['\"][ \t]*=>[ \t]*['\"](?!:memory:)[^'\"\n]+['\"]")
_IN_MEMORY = re.compile(r"['\"]memory['\"][ \t]*=>[ \t]*true|:memory:")
# A settings key that names the database's file or URL (`komga.database.file`, `app.datasource.url`)
_DB_SEGMENT = re.compile(r"(?i)^(?:[\w-]*[-_])?(?:database|datasource|db)$")
_DB_LEAF = {"file", "path", "url", "uri", "location", "dsn", "filename", "name"}
_SQLITE_FILE_VALUE = re.compile(r"(?i)^(?:jdbc:)?sqlite3?:(?!/*:memory:)|[^:]\.(?:sqlite3?|db)$")


def _sqlite_url_defaults(ctx: Context) -> Iterator[Raw]:
    """A database URL set to an SQLite file in code (`c.Database.URL = fmt.Sprintf("sqlite:///%s", …)`
    under `if c.Database.URL == ""`, a typed settings field's default `DATABASE_URL: str = "sqlite:///…"`),
    and Doctrine's connection on `pdo_sqlite` with a file path in a PHP config array (the arm taken
    when DB_DRIVER is unset). Medium: the default when nothing configures a server."""
    app = [f for f in ctx.source() if f.role is None and not _dev_only(f)]
    # found at the `sqlite:` literal, then the assignment read on that line
    for hit in ctx.grep(_SQLITE_URL, app, where="string", limit=1):
        m = _SQLITE_URL_DEFAULT.search(hit.text)
        start = hit.file.scan_view.line_starts[hit.line - 1] + m.start() if m else 0
        if m is None or ctx.mask(hit.file).span_at(start) is not None:
            continue  # no database setting assigned here, or one named inside a message or a docstring
        language = hit.file.language
        if language in _SQLITE and _SQLITE[language].search(hit.text):
            continue  # reported as the app's database above
        yield hit.found(Severity.MEDIUM, _DEFAULT_MESSAGE)
    php = [f for f in app if f.language == "php" and "config" in f.path.lower()]
    for hit in ctx.grep(_DOCTRINE_SQLITE, php, where=("code", "string"), limit=1):
        f = hit.file
        window = [(line, f.line_text(line)) for line in range(max(1, hit.line - 3), min(hit.line + 4, len(f.lines)) + 1)]
        if any(_IN_MEMORY.search(text) for _, text in window):
            continue
        line = next((n for n, text in window if _DOCTRINE_PATH.search(text)), None)
        if line is not None:
            yield found(Severity.MEDIUM, "The app's database connection is an SQLite file on local disk (Doctrine "
                        "pdo_sqlite), used unless a database server is configured.", f.path, line, f.line_text(line).strip())


def _sqlite_framework_settings(ctx: Context) -> Iterator[Raw]:
    """The app's main settings (application.yml, application.properties) naming an SQLite file as the
    database (`komga.database.file: ${komga.config-dir}/database.sqlite`): the production database
    unless the environment overrides the setting. A `jdbc:sqlite:` URL written out is reported above."""
    for f in ctx.fact(settings_files):
        if _PROFILE.search(f.name) or in_test_environment(f.path) or "/test/" in f.path:
            continue
        for key, value, line in flat_settings(f):
            segments = key.split(".")
            raw = value.strip().strip("'\"")
            m = _PLACEHOLDER.match(raw)
            raw = m.group(1) if m else raw
            if (len(segments) < 2 or segments[-1].lower() not in _DB_LEAF or not _DB_SEGMENT.match(segments[-2])
                    or not _SQLITE_FILE_VALUE.search(raw) or (raw.startswith("jdbc:") and "${" not in value)):
                continue
            line = line or _line_naming(f, segments[-1], raw.rsplit("/", 1)[-1])
            yield found(Severity.MEDIUM, f"The app's settings keep its database in an SQLite file on local disk ({key}).",
                        f.path, line, f.line_text(line).strip() if line else f"{key}: {value}")


def _line_naming(f: File, key: str, tail: str) -> int | None:
    """The line of `key:` or `key=` that holds `tail` (a value the YAML reader changed: `\\${…}` unescaped)."""
    for n, text in enumerate(f.lines, 1):
        if tail in text and re.match(rf"[ \t]*['\"]?{re.escape(key)}['\"]?[ \t]*[:=]", text.split(".")[-1] if "=" in text else text):
            return n
    return None


_PRODUCTION_KEY = re.compile(r"^production:[ \t]*$", re.M)
_TOP_KEY = re.compile(r"^\w[\w-]*:", re.M)
_SQLITE_ADAPTER = re.compile(r"^[ \t]+adapter:[ \t]*['\"]?sqlite3?\b", re.M)


def _rails_sqlite(ctx: Context) -> Iterator[Raw]:
    for f in ctx.named("database.yml"):
        if "<%" in f.text:
            yield from _rails_templated_sqlite(f)
            continue
        for doc in load_all(f):
            production = doc.get("production") if isinstance(doc, dict) else None
            if not isinstance(production, dict):
                continue
            # one database, or Rails' multi-database form: production: {primary: {adapter: …}, queue: {…}}
            databases = [production] if "adapter" in production else [
                v for v in production.values() if isinstance(v, dict)]
            if any("sqlite" in str(db.get("adapter", "")) for db in databases):
                yield found(Severity.HIGH, "The production database in database.yml is SQLite.", f.path,
                            line_of(f, "production:"), "production: adapter: sqlite3")


def _rails_templated_sqlite(f) -> Iterator[Raw]:
    """database.yml with ERB: the `production:` block read as text. An SQLite adapter in it is the
    production database; under an ERB condition (`<% elsif ENV['DATABASE_URL'].to_s.empty? %>`) it
    is the default when the variable is unset (medium)."""
    m = _PRODUCTION_KEY.search(f.text)
    if m is None:
        return
    end = _TOP_KEY.search(f.text, m.end())
    block = f.text[m.end() : end.start() if end else len(f.text)]
    adapter = _SQLITE_ADAPTER.search(block)
    if adapter is None:
        return
    line = f.line_of(m.end() + adapter.start() + len(adapter.group(0)) - len(adapter.group(0).lstrip()))
    if "<%" in block[: adapter.start()]:
        yield found(Severity.MEDIUM, "Unless a database variable is set, the production database in database.yml is SQLite.",
                    f.path, line, f.line_text(line).strip())
    else:
        yield found(Severity.HIGH, "The production database in database.yml is SQLite.", f.path, line, f.line_text(line).strip())


@check(
    "processes.shared-state-evidence",
    factor=FACTOR,
    title="Sessions and files live in backing services",
    remediation="Keep sessions, caches and files in backing services (database, Redis, S3/GCS).",
)
def shared_state_evidence(ctx: Context) -> Iterator[Raw]:
    """Positive evidence: sessions, caches and files kept in backing services (DB/Redis sessions, S3/GCS storage)."""
    hit = ctx.first(_SHARED_STATE_CODE, [f for f in ctx.source() if f.role is None], where="code")
    if hit:
        yield hit.found(Severity.INFO, "Sessions or files are kept in a backing service.")
    deps = sorted(all_dependencies(ctx) & _SHARED_STATE_DEPS)
    if deps:
        yield found(Severity.INFO, f"Shared-state clients are declared dependencies: {', '.join(deps[:4])}.")
