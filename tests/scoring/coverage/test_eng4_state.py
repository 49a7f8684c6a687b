"""Coverage cells of round 4 (helper eng4-state): state kept on one machine (an SQLite file as the
default database, uploads and durable files on local disk, sessions in the process) and schema
set-up run when the server starts.

docs/coverage/eng4-state.md lists the cells (ids `class14s-<row>-<ecosystem>-…`). A trigger must report
the check at the given path and severity; a look-alike must report no counted violation of that
check (above info, outside tests and docs). The trees are a few lines written here, shaped after
the reviewer-labelled misses of the fresh2 set (a database URL formatted to an SQLite file when
unset, Doctrine on pdo_sqlite, a Spring settings file naming the database file, an afero OsFs, a
logo written to the upload folder, a Tus filesystem store, a storage service under wwwroot, Spring
Session in Caffeine, a Kotlin Flyway chain in a bean, an installer or `psql -f` in the entrypoint).
"""

from __future__ import annotations

import pytest

from tests.scoring.conftest import findings
from tests.scoring.coverage.cells import assert_cell, assert_paired

SQLITE = "processes.sqlite-database"
DISK = "processes.local-disk-storage"
SESSIONS = "processes.local-session-store"
MIGRATE = "admin-processes.migrate-on-start"
SLOW = "disposability.slow-startup"

PY = {"requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.0\nsqlalchemy==2.0.0\n"}
DJANGO = {"requirements.txt": "django==5.0\ngunicorn==23.0.0\n"}
NODE = {"package.json": '{"name": "api", "dependencies": {"express": "4.19.0"}}\n'}
GO = {
    "go.mod": "module example.com/api\n\ngo 1.22\n",
    "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n',
}
RUBY = {"Gemfile": "source 'https://rubygems.org'\ngem 'rails', '7.1.0'\ngem 'puma'\n"}
SPRING = {"build.gradle.kts": 'dependencies {\n    implementation("org.springframework.boot:spring-boot-starter-web")\n}\n'}
JAVA = {"pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency>"
                   "</dependencies></project>\n"}
PHP = {"composer.json": '{"require": {"doctrine/orm": "^3.0", "slim/slim": "^4.0"}}\n',
       "public/index.php": "<?php\nrequire 'vendor/autoload.php';\n$app->run();\n"}
RUST = {"Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\nobject_store = "0.10"\n'}
DOTNET = {"Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n'}
POSTGRES_COMPOSE = {"docker-compose.yml": "services:\n  app:\n    image: vendor/app:1.0.0\n  db:\n    image: postgres:16.3\n"}


def cell(id, base, files, check, path=None, severity=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike."""
    return pytest.param({**base, **files}, check, path, severity, id=id)


GO_CONFIG = (
    'package config\n\nimport (\n\t"fmt"\n\t"path/filepath"\n)\n\nfunc (c *Config) SetDefaults() {\n'
    '\tif c.Database.URL == "" {\n'
    '\t\tc.Database.URL = fmt.Sprintf("sqlite:///%s", filepath.Join(c.DataDir, "app.db"))\n\t}\n}\n'
)
DOCTRINE = (
    "<?php\n\nreturn (static function (): array {\n    $driver = getenv('DB_DRIVER') ?: null;\n"
    "    $connection = match ($driver) {\n        null, 'sqlite' => [\n            'driver' => 'pdo_sqlite',\n"
    "            'path' => 'data/database.sqlite',\n        ],\n        default => ['driver' => 'pdo_pgsql'],\n    };\n"
    "    return ['connection' => $connection];\n})();\n"
)
DOCTRINE_MEMORY = DOCTRINE.replace("'path' => 'data/database.sqlite',", "'memory' => true,")

# Row a: an SQLite file as the app's default database, in shapes the engine did not read before.
CLASS14S_A = [
    # Python: a typed settings field whose default URL is an SQLite file
    cell("class14s-a-python-typed-url-default-trigger", PY,
         {"app/settings.py": 'class Settings(BaseSettings):\n    DATABASE_URL: str = "sqlite:///./data/app.db"\n'},
         SQLITE, "app/settings.py", "medium"),
    cell("class14s-a-python-typed-url-default-lookalike", PY,
         {"app/settings.py": 'class Settings(BaseSettings):\n    DATABASE_URL: str = "sqlite:///:memory:"\n'},
         SQLITE),
    # Node/TS: the database URL assigned an SQLite file in a template literal
    cell("class14s-a-node-template-url-trigger", NODE,
         {"src/config.js": "export function load(dir) {\n  const config = {};\n"
                           "  config.databaseUrl = `sqlite://${dir}/app.sqlite`;\n  return config;\n}\n"},
         SQLITE, "src/config.js", "medium"),
    cell("class14s-a-node-template-url-lookalike", NODE,
         {"src/config.js": "export function load(dir) {\n  const config = {};\n"
                           "  config.databaseUrl = `sqlite://${dir}/app.sqlite`;\n  return config;\n}\n", **POSTGRES_COMPOSE},
         SQLITE),
    # Go: the default URL formatted to an SQLite file in the data folder when the setting is empty
    cell("class14s-a-go-sprintf-url-default-trigger", GO, {"internal/config/config.go": GO_CONFIG},
         SQLITE, "internal/config/config.go", "medium"),
    cell("class14s-a-go-sprintf-url-default-lookalike", GO, {"internal/config/config_test.go": GO_CONFIG.replace(
        "package config", "package config_test")}, SQLITE),
    # Ruby: a Sequel database URL defaulting to an SQLite file
    cell("class14s-a-ruby-sequel-url-trigger", {"Gemfile": "source 'https://rubygems.org'\ngem 'sinatra'\ngem 'sequel'\n"},
         {"config/db.rb": "module Db\n  def self.url\n    database_url = 'sqlite://db/production.sqlite3'\n    database_url\n  end\nend\n"},
         SQLITE, "config/db.rb", "medium"),
    cell("class14s-a-ruby-sequel-url-lookalike", {"Gemfile": "source 'https://rubygems.org'\ngem 'sinatra'\ngem 'sequel'\n"},
         {"config/db.rb": "module Db\n  def self.url\n    # database_url = 'sqlite://db/production.sqlite3'\n"
                          "    ENV.fetch('DATABASE_URL')\n  end\nend\n"},
         SQLITE),
    # Java/Kotlin: the app's main settings name the database file (a Gradle-expanded `\${…}` placeholder)
    cell("class14s-a-java-settings-db-file-trigger", SPRING,
         {"src/main/resources/application.yml": 'app:\n  database:\n    file: \\${app.config-dir}/database.sqlite\n'
                                                '  config-dir: \\${user.home}/.app\nserver:\n  shutdown: "graceful\\${x}"\n'},
         SQLITE, "src/main/resources/application.yml", "medium"),
    cell("class14s-a-java-settings-db-file-lookalike", SPRING,
         {"src/main/resources/application-dev.yml": "app:\n  database:\n    file: ./dev/database.sqlite\n",
          "src/main/resources/application.yml": "app:\n  database:\n    url: ${DATABASE_URL}\n"},
         SQLITE),
    # PHP: Doctrine's connection on pdo_sqlite with a file path, the arm taken when DB_DRIVER is unset
    cell("class14s-a-php-doctrine-pdo-sqlite-trigger", PHP, {"config/autoload/entity-manager.global.php": DOCTRINE},
         SQLITE, "config/autoload/entity-manager.global.php", "medium"),
    cell("class14s-a-php-doctrine-pdo-sqlite-lookalike", PHP,
         {"config/autoload/entity-manager.global.php": DOCTRINE_MEMORY}, SQLITE),
]

AFERO_ROOT = (
    'package cmd\n\nimport "github.com/spf13/afero"\n\nfunc initApp(cfg Config) {\n'
    "\tdeps.SetStorage(storage.New(afero.NewBasePathFs(afero.NewOsFs(), cfg.DataDir)))\n}\n"
)
AFERO_STORAGE = (
    'package storage\n\nimport (\n\t"os"\n\n\t"github.com/spf13/afero"\n)\n\ntype Domain struct {\n\tfs afero.Fs\n}\n\n'
    "func (d *Domain) WriteData(dst string, data []byte) error {\n"
    "\tfile, err := d.fs.OpenFile(dst, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)\n\tif err != nil {\n\t\treturn err\n\t}\n"
    "\tdefer file.Close()\n\t_, err = file.Write(data)\n\treturn err\n}\n"
)
DOTNET_STORAGE = (
    "using System.IO;\nusing System.Threading.Tasks;\n\nnamespace Shop.StorageLocal\n{\n"
    "    public class LocalStorageService : IStorageService\n    {\n"
    "        public async Task SaveMediaAsync(Stream stream, string fileName)\n        {\n"
    '            var dirPath = Path.Combine(GlobalConfiguration.WebRootPath, "user-content");\n'
    "            var filePath = Path.Combine(dirPath, fileName);\n"
    "            using (var output = new FileStream(filePath, FileMode.Create))\n            {\n"
    "                await stream.CopyToAsync(output);\n            }\n        }\n    }\n}\n"
)

# Row b: uploads and durable files written to the local disk, in shapes the engine did not read before.
CLASS14S_B = [
    # Python: an uploaded file moved into the upload folder named by a setting
    cell("class14s-b-python-upload-folder-move-trigger", DJANGO,
         {"app/views.py": "import shutil\n\ndef save(tmp, name):\n"
                          "    shutil.move(tmp, os.path.join(settings.UPLOAD_DIR, name))\n"},
         DISK, "app/views.py", "medium"),
    cell("class14s-b-python-upload-folder-move-lookalike", DJANGO,
         {"app/views.py": "import shutil\n\ndef save(tmp, name):\n    shutil.move(tmp, os.path.join(settings.CACHE_DIR, name))\n"},
         DISK),
    # Node/TS: a data-URL image written into the app's upload folder (uptime-kuma's status-page logo)
    cell("class14s-b-node-upload-dir-write-trigger", NODE,
         {"server/handler.js": "async function saveLogo(img, id) {\n"
                               "    await ImageDataURI.outputFile(img, Database.uploadDir + `logo${id}.png`);\n}\n"},
         DISK, "server/handler.js", "medium"),
    cell("class14s-b-node-upload-dir-write-lookalike", NODE,
         {"server/handler.js": "async function readLogo(id) {\n"
                               "    return fs.promises.readFile(Database.uploadDir + `logo${id}.png`);\n}\n"},
         DISK),
    # Go: an afero OsFs as the app's storage, and the writes through it
    cell("class14s-b-go-afero-osfs-trigger", GO,
         {"internal/cmd/root.go": AFERO_ROOT, "internal/storage/storage.go": AFERO_STORAGE},
         DISK, "internal/storage/storage.go", "medium"),
    cell("class14s-b-go-afero-osfs-lookalike", GO,
         {"internal/testutil/setup.go": AFERO_ROOT, "internal/storage/storage.go": AFERO_STORAGE}, DISK),
    # Ruby: resumable (tus) uploads kept in a local folder
    cell("class14s-b-ruby-tus-filesystem-trigger", RUBY,
         {"config/initializers/tus.rb": 'require "tus/storage/filesystem"\n\n'
                                        'Tus::Server.opts[:storage] = Tus::Storage::Filesystem.new("tmp/uploads")\n'},
         DISK, "config/initializers/tus.rb", "medium"),
    cell("class14s-b-ruby-tus-filesystem-lookalike", RUBY,
         {"config/initializers/tus.rb": 'require "tus/storage/s3"\n\n'
                                        'Tus::Server.opts[:storage] = Tus::Storage::S3.new(bucket: ENV["BUCKET"])\n'},
         DISK),
    # Java/Kotlin: bytes written to a path under the upload folder from settings
    cell("class14s-b-java-upload-dir-write-trigger", JAVA,
         {"src/main/java/app/Avatars.java": "class Avatars {\n  void save(String name, byte[] data) throws IOException {\n"
                                             "    Files.write(Paths.get(uploadDir, name), data);\n  }\n}\n"},
         DISK, "src/main/java/app/Avatars.java", "medium"),
    cell("class14s-b-java-upload-dir-write-lookalike", JAVA,
         {"src/main/java/app/Avatars.java": "class Avatars {\n  void save(String name, byte[] data) throws IOException {\n"
                                             "    Files.write(Paths.get(tempDir, name), data);\n  }\n}\n"},
         DISK),
    # PHP: Flysystem's local adapter as the app's storage
    cell("class14s-b-php-flysystem-local-trigger", PHP,
         {"src/StorageFactory.php": "<?php\nfinal class StorageFactory {\n    public function __invoke(): Filesystem {\n"
                                    "        return new Filesystem(new LocalFilesystemAdapter(__DIR__ . '/../data/files'));\n    }\n}\n"},
         DISK, "src/StorageFactory.php", "medium"),
    cell("class14s-b-php-flysystem-local-lookalike", PHP,
         {"src/StorageFactory.php": "<?php\nfinal class StorageFactory {\n    public function __invoke(array $c): Filesystem {\n"
                                    "        return $c['s3'] ? new Filesystem(new AwsS3V3Adapter($c['client'], $c['bucket']))\n"
                                    "            : new Filesystem(new LocalFilesystemAdapter(__DIR__ . '/../data/files'));\n    }\n}\n"},
         DISK),
    # Rust: object_store's LocalFileSystem as the app's store
    cell("class14s-b-rust-object-store-local-trigger", RUST,
         {"src/store.rs": "use object_store::local::LocalFileSystem;\n\npub fn store() -> LocalFileSystem {\n"
                          '    LocalFileSystem::new_with_prefix("./data/files").unwrap()\n}\n'},
         DISK, "src/store.rs", "medium"),
    cell("class14s-b-rust-object-store-local-lookalike", RUST,
         {"src/store.rs": "use object_store::aws::AmazonS3Builder;\nuse object_store::local::LocalFileSystem;\n\n"
                          "pub fn store(local: bool) -> Box<dyn ObjectStore> {\n"
                          '    if local { Box::new(LocalFileSystem::new_with_prefix("./data").unwrap()) }\n'
                          "    else { Box::new(AmazonS3Builder::from_env().build().unwrap()) }\n}\n"},
         DISK),
    # .NET: a storage service class writing media under the web root (no IFormFile in the file)
    cell("class14s-b-dotnet-storage-service-trigger", DOTNET,
         {"src/Modules/StorageLocal/LocalStorageService.cs": DOTNET_STORAGE},
         DISK, "src/Modules/StorageLocal/LocalStorageService.cs", "medium"),
    cell("class14s-b-dotnet-storage-service-lookalike", DOTNET,
         {"src/Modules/StorageLocal/ReportWriter.cs": DOTNET_STORAGE.replace("LocalStorageService : IStorageService",
                                                                             "ReportWriter")},
         DISK),
]

# Row c: sessions kept in the process, in stores the engine did not know.
CLASS14S_C = [
    # Java/Kotlin: Spring Session in a Caffeine cache or a map inside the JVM
    cell("class14s-c-java-caffeine-session-trigger", SPRING,
         {"src/main/kotlin/app/SessionConfiguration.kt": "package app\n\n@EnableCaffeineHttpSession\n@Configuration\n"
                                                        "class SessionConfiguration\n"},
         SESSIONS, "src/main/kotlin/app/SessionConfiguration.kt", "high"),
    cell("class14s-c-java-caffeine-session-lookalike", SPRING,
         {"src/main/kotlin/app/SessionConfiguration.kt": "package app\n\n@EnableRedisHttpSession\n@Configuration\n"
                                                        "class SessionConfiguration\n"},
         SESSIONS),
    # Go: alexedwards/scs with its default in-memory store
    cell("class14s-c-go-scs-default-store-trigger", GO,
         {"internal/web/session.go": 'package web\n\nimport "github.com/alexedwards/scs/v2"\n\n'
                                     "func sessions() *scs.SessionManager {\n\treturn scs.New()\n}\n"},
         SESSIONS, "internal/web/session.go", "medium"),
    cell("class14s-c-go-scs-default-store-lookalike", GO,
         {"internal/web/session.go": 'package web\n\nimport "github.com/alexedwards/scs/v2"\n\n'
                                     "func sessions(pool *redis.Pool) *scs.SessionManager {\n\tm := scs.New()\n"
                                     "\tm.Store = redisstore.New(pool)\n\treturn m\n}\n"},
         SESSIONS),
]

ENTRY = 'FROM alpine:3.20\nCOPY . /app\nENTRYPOINT ["/app/docker-entrypoint.sh"]\n'
SH = "#!/bin/sh\nset -e\n"
KOTLIN_FLYWAY = (
    "package app.datasource\n\n@Component\nclass FlywaySecondaryMigrationInitializer(\n"
    "  private val tasksDataSource: DataSource,\n) : InitializingBean {\n  override fun afterPropertiesSet() {\n"
    "    Flyway\n      .configure()\n      .locations(\"classpath:tasks/migration\")\n      .dataSource(tasksDataSource)\n"
    "      .load()\n      .apply {\n        migrate()\n      }\n  }\n}\n"
)

# Row d: schema set-up run when the server starts, in shapes the engine did not read before.
CLASS14S_D = [
    # Python: the entrypoint loads the schema with psql before gunicorn
    cell("class14s-d-python-psql-schema-trigger", DJANGO,
         {"Dockerfile": ENTRY, "docker-entrypoint.sh": SH + "psql -h \"$DB_HOST\" -d app -f /app/schema.sql\n"
                                                             "exec gunicorn site.wsgi\n"},
         MIGRATE, "docker-entrypoint.sh", "high"),
    cell("class14s-d-python-psql-schema-lookalike", DJANGO,
         {"Dockerfile": ENTRY, "docker-entrypoint.sh": SH + "until psql -h \"$DB_HOST\" -c 'SELECT 1'; do sleep 1; done\n"
                                                             "exec gunicorn site.wsgi\n"},
         MIGRATE),
    # Node/TS: the start-up code's call of a library routine that migrates is reported at the call too
    cell("class14s-d-node-boot-call-site-trigger", NODE,
         {"server/database.js": "class Database {\n    static async patch() {\n        await R.knex.migrate.latest();\n    }\n}\n"
                                "module.exports = Database;\n",
          "server/server.js": "const Database = require('./database');\n\nasync function initDatabase() {\n"
                              "    await Database.patch();\n}\n\ninitDatabase().then(() => app.listen(process.env.PORT));\n"},
         MIGRATE, "server/server.js", "high"),
    cell("class14s-d-node-boot-call-site-lookalike", NODE,
         {"server/database.js": "class Database {\n    static async patch() {\n        return R.knex.seed.run();\n    }\n}\n"
                                "module.exports = Database;\n",
          "server/server.js": "const Database = require('./database');\n\nasync function initDatabase() {\n"
                              "    await Database.patch();\n}\n\ninitDatabase().then(() => app.listen(process.env.PORT));\n"},
         MIGRATE),
    # Go: the start script feeds the schema file to the mysql client before the binary serves
    cell("class14s-d-go-mysql-schema-trigger", GO,
         {"Dockerfile": ENTRY, "docker-entrypoint.sh": SH + "mysql -h db -u app app < /app/schema.sql\nexec /app/api\n"},
         MIGRATE, "docker-entrypoint.sh", "high"),
    cell("class14s-d-go-mysql-schema-lookalike", GO,
         {"Dockerfile": ENTRY, "docker-entrypoint.sh": SH + "mysqladmin ping -h db\nexec /app/api\n"},
         MIGRATE),
    # Java/Kotlin: a Flyway chain over several lines in a bean initializer (`.apply { migrate() }`)
    cell("class14s-d-java-kotlin-flyway-chain-trigger", SPRING,
         {"src/main/kotlin/app/datasource/FlywaySecondaryMigrationInitializer.kt": KOTLIN_FLYWAY},
         MIGRATE, "src/main/kotlin/app/datasource/FlywaySecondaryMigrationInitializer.kt", "high"),
    cell("class14s-d-java-kotlin-flyway-chain-lookalike", SPRING,
         {"src/main/kotlin/app/datasource/FlywaySecondaryMigrationInitializer.kt": KOTLIN_FLYWAY.replace(
             "migrate()", "validate()")},
         MIGRATE),
    # PHP: the app's installer initialises the database in the entrypoint before the server is exec'd
    cell("class14s-d-php-installer-init-trigger", PHP,
         {"Dockerfile": ENTRY, "docker-entrypoint.sh": SH + "php vendor/bin/app-installer init --no-interaction\n"
                                                             "exec ./bin/rr serve\n"},
         MIGRATE, "docker-entrypoint.sh", "high"),
    cell("class14s-d-php-installer-init-lookalike", PHP,
         {"Dockerfile": ENTRY, "docker-entrypoint.sh": SH + "php bin/cli env-var:read GEOLITE_LICENSE_KEY\n"
                                                             "exec ./bin/rr serve\n"},
         MIGRATE),
    # .NET: the entrypoint creates the database and runs the schema script before `dotnet App.dll`
    cell("class14s-d-dotnet-psql-create-trigger", DOTNET,
         {"Dockerfile": ENTRY, "docker-entrypoint.sh": "#!/bin/bash\nset -e\n"
                                                       "psql -h db -U postgres -c \"CREATE DATABASE shop WITH ENCODING 'UTF8'\"\n"
                                                       "psql -h db -U postgres -d shop -a -f /app/dbscript.sql\n"
                                                       "cd /app && dotnet Shop.WebHost.dll\n"},
         MIGRATE, "docker-entrypoint.sh", "high"),
    cell("class14s-d-dotnet-psql-create-lookalike", DOTNET,
         {"Dockerfile": ENTRY, "docker-entrypoint.sh": "#!/bin/bash\nset -e\n"
                                                       "psql -h db -U postgres -lqt | cut -d \\| -f 1 | grep -qw shop\n"
                                                       "cd /app && exec dotnet Shop.WebHost.dll\n"},
         MIGRATE),
]

DEV_COMPOSE = (
    "# Docker compose for development purposes only.\n# Edit it to fit your needs.\nservices:\n"
    "  app:\n    build: .\n  postgres:\n    image: postgres:13.18\n"
)
# Row e: a compose file that is a developer's (it says so, or it runs every database the app supports)
# is not the deployment: the SQLite default stays reported under processes.
CLASS14S_E = [
    cell("class14s-e-dev-declared-compose-trigger", GO, {"internal/config/config.go": GO_CONFIG, "docker-compose.yaml": DEV_COMPOSE},
         SQLITE, "internal/config/config.go", "medium"),
    cell("class14s-e-dev-declared-compose-lookalike", GO,
         {"internal/config/config.go": GO_CONFIG, "docker-compose.yaml": "services:" + DEV_COMPOSE.split("services:", 1)[1]},
         SQLITE),
]

PARITY = "dev-prod-parity.embedded-database"
RAILS_DB = ("default: &default\n  adapter: postgresql\n\nproduction:\n  <<: *default\n\n"
            "development:\n  adapter: sqlite3\n  database: db/development.sqlite3\n")
CI_SERVICES = ("name: test\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n"
               "      postgres:\n        image: {image}\n    steps:\n      - run: bin/rails test\n")
RAILS = {"Gemfile": "source 'https://rubygems.org'\ngem 'rails', '7.1.0'\ngem 'puma'\ngem 'pg'\ngem 'sqlite3'\n",
         "config/database.yml": RAILS_DB,
         "docker-compose.example.yml": "services:\n  app:\n    image: vendor/app:1.0.0\n  db:\n    image: postgres:16\n"}
# Not a cell (a severity, not a finding): SQLite in development while production runs a server, and
# CI tests on that server too — the gap is narrowed (medium), not closed; without such a service, high.
def test_when_ci_tests_on_the_production_server_the_embedded_database_is_medium(score_tree):
    report = score_tree({**RAILS, ".github/workflows/test.yml": CI_SERVICES.format(image="postgres:16")})
    assert {(f.path, f.severity.value) for f in findings(report, PARITY, violations_only=True)} == {("config/database.yml", "medium")}


def test_without_a_ci_service_for_the_production_server_the_embedded_database_stays_high(score_tree):
    report = score_tree({**RAILS, ".github/workflows/test.yml": CI_SERVICES.format(image="mysql:8.0")})
    assert {f.severity.value for f in findings(report, PARITY, violations_only=True)} == {"high"}


CELLS = CLASS14S_A + CLASS14S_B + CLASS14S_C + CLASS14S_D + CLASS14S_E


@pytest.mark.parametrize("files, check, path, severity", CELLS)
def test_it_covers_the_cell(score_tree, files, check, path, severity):
    assert_cell(score_tree(files), check, path, severity)


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS)


def test_a_flyway_chain_is_reported_where_it_migrates_and_delays_the_start(score_tree):
    report = score_tree({**SPRING, "src/main/kotlin/app/datasource/Init.kt": KOTLIN_FLYWAY})
    assert [f.line for f in findings(report, MIGRATE, violations_only=True)] == [14]
    assert [f.line for f in findings(report, SLOW, violations_only=True)] == [14]


def test_an_explicit_flyway_switch_is_where_spring_boot_migration_is_shown(score_tree):
    report = score_tree({
        **SPRING, "build.gradle.kts": SPRING["build.gradle.kts"].replace("}\n", '    implementation("org.flywaydb:flyway-core")\n}\n'),
        "src/main/resources/application.yml": "spring:\n  flyway:\n    enabled: true\n    locations: classpath:db/migration\n",
        "src/main/resources/application-benchmark.yml": "spring:\n  flyway:\n    enabled: true\n",
    })
    shown = {(f.path, f.line, f.severity.value) for f in findings(report, MIGRATE, violations_only=True)}
    assert shown == {("src/main/resources/application.yml", 3, "medium")}, shown


def test_a_compose_file_running_every_supported_database_is_not_the_deployment(score_tree):
    compose = "services:\n  app:\n    build: .\n  db_mysql:\n    image: mysql:8.0\n  db_postgres:\n    image: postgres:16.3\n"
    report = score_tree({**PHP, "config/autoload/entity-manager.global.php": DOCTRINE, "docker-compose.yml": compose})
    assert [f.line for f in findings(report, SQLITE, violations_only=True)] == [8]
