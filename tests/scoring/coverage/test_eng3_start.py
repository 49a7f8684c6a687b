"""Coverage cells of round 3 (helper eng3-start): the app's own migration routine run by start-up code,
state kept on local disk by the app's production defaults, and what dev/prod parity must not read as
a gap (an embedded database that *is* the production default) or must read (a deployment example's
service versions).

docs/coverage/eng3-start.md lists the cells (ids `class12t-<row>-…`, `class7t-<row>-…`,
`class10t-<row>-…`). A trigger must report the check at the given path and severity; a look-alike
must report no counted violation of that check (above info, outside tests and docs). The trees are a
few lines written here, shaped after the reviewer-labelled misses (a store's own `Migrate(ctx)` in
main.go, an awaited `ApplyStartupMigrationAsync`, a pydantic `DB_ENGINE: str = "sqlite"`, a Rails
database.yml whose production block falls back to SQLite, Active Storage falling back to `:disk` …).
"""

from __future__ import annotations

import pytest

from tests.scoring.conftest import findings
from tests.scoring.coverage.cells import assert_cell, assert_paired

MIGRATE = "admin-processes.migrate-on-start"
SQLITE = "processes.sqlite-database"
LOCAL = "processes.local-disk-storage"
EMBEDDED = "dev-prod-parity.embedded-database"
DRIFT = "dev-prod-parity.service-version-drift"

FASTAPI = {"requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.0\n"}
NODE = {"package.json": '{"name": "api", "dependencies": {"express": "4.19.0"}}\n'}
NODE_PG = {"package.json": '{"name": "api", "dependencies": {"express": "4.19.0", "knex": "3.1.0", "pg": "8.11.0"}}\n'}
GO = {"go.mod": "module example.com/api\n\ngo 1.22\n"}
GO_MAIN = 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n'
RUBY = {"Gemfile": "source 'https://rubygems.org'\ngem 'rails', '7.1.0'\ngem 'puma'\ngem 'pg'\n"}
JAVA = {"pom.xml": "<project><dependencies><dependency><artifactId>dropwizard-core</artifactId></dependency></dependencies></project>\n"}
PHP = {"composer.json": '{"require": {"laravel/framework": "^11.0"}}\n'}
RUST = {"Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\nsqlx = "0.8"\ntokio = "1"\n'}
DOTNET = {"Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n'}


def cell(id, base, files, check, path=None, severity=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike."""
    return pytest.param({**base, **files}, check, path, severity, id=id)


# Row a of XII: the app's own migration routine, called by the server's start-up code.
PY_LIFESPAN = ("from contextlib import asynccontextmanager\n\nfrom fastapi import FastAPI\n\nfrom app.db import engine, run_migrations\n\n\n"
               "@asynccontextmanager\nasync def lifespan(app):\n{body}    yield\n\n\napp = FastAPI(lifespan=lifespan)\n")
NODE_SERVER = 'import express from "express";\nimport {{ runMigrations }} from "./db";\n\nconst app = express();\n{body}app.listen(process.env.PORT);\n'
GO_STORE_MAIN = ("package main\n\nimport \"net/http\"\n\nfunc main() {{\n\tstoreInstance := store.New(driver)\n{body}"
                 "\thttp.ListenAndServe(\":8080\", nil)\n}}\n")
GO_MIGRATE_CALL = "\tif err := storeInstance.Migrate(ctx); err != nil {\n\t\tpanic(err)\n\t}\n"
DOTNET_PROGRAM = ("var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\n{body}app.Run();\n\n"
                  "static async Task ApplyStartupMigrationAsync(IServiceProvider services)\n{{\n    await Task.CompletedTask;\n}}\n")
RUST_MAIN = ("#[tokio::main]\nasync fn main() {{\n    let pool = PgPool::connect(&std::env::var(\"DATABASE_URL\").unwrap()).await.unwrap();\n"
             "{body}    axum::serve(listener, app).await.unwrap();\n}}\n")

CLASS12T_A = [
    # Python: the FastAPI lifespan awaits the app's own run_migrations()
    cell("class12t-a-python-lifespan-trigger", FASTAPI,
         {"app/main.py": PY_LIFESPAN.format(body="    await run_migrations(engine)\n")}, MIGRATE, "app/main.py", "high"),
    cell("class12t-a-python-lifespan-lookalike", FASTAPI,
         {"app/main.py": PY_LIFESPAN.format(body=""),
          "scripts/migrate.py": "import asyncio\n\n\nasync def main():\n    await run_migrations(engine)\n\n\nasyncio.run(main())\n"},
         MIGRATE),
    # Node/TS: the server module awaits the app's own runMigrations() before it listens
    cell("class12t-a-node-await-trigger", NODE,
         {"src/server.ts": NODE_SERVER.format(body="await runMigrations();\n")}, MIGRATE, "src/server.ts", "high"),
    cell("class12t-a-node-await-lookalike", NODE,
         {"src/server.ts": NODE_SERVER.format(body=""), "scripts/migrate.ts": 'import { runMigrations } from "../src/db";\n\nawait runMigrations();\n'},
         MIGRATE),
    # Go: the store, whatever its variable is called, migrates in main() before serving
    cell("class12t-a-go-store-trigger", GO,
         {"cmd/api/main.go": GO_STORE_MAIN.format(body=GO_MIGRATE_CALL)}, MIGRATE, "cmd/api/main.go", "high"),
    cell("class12t-a-go-store-lookalike", GO,
         {"cmd/api/main.go": GO_STORE_MAIN.format(body=""),
          "cmd/migrate/main.go": "package main\n\nfunc main() {\n\tstoreInstance := store.New(driver)\n" + GO_MIGRATE_CALL + "}\n"},
         MIGRATE),
    # .NET: Program.cs awaits its own ApplyStartupMigrationAsync before app.Run()
    cell("class12t-a-dotnet-await-trigger", DOTNET,
         {"Program.cs": DOTNET_PROGRAM.format(body="await ApplyStartupMigrationAsync(app.Services);\n")}, MIGRATE, "Program.cs", "high"),
    cell("class12t-a-dotnet-await-lookalike", DOTNET,
         {"Program.cs": DOTNET_PROGRAM.format(
             body='if (args.Contains("--migrate"))\n{\n    await ApplyStartupMigrationAsync(app.Services);\n    return;\n}\n')},
         MIGRATE),
    # Rust: main awaits the app's own run_migrations(&pool) before serving
    cell("class12t-a-rust-await-trigger", RUST,
         {"src/main.rs": RUST_MAIN.format(body="    run_migrations(&pool).await.unwrap();\n")}, MIGRATE, "src/main.rs", "high"),
    cell("class12t-a-rust-await-lookalike", RUST,
         {"src/main.rs": RUST_MAIN.format(body=""),
          "src/bin/migrate.rs": "#[tokio::main]\nasync fn main() {\n    let pool = connect().await;\n    run_migrations(&pool).await.unwrap();\n}\n"},
         MIGRATE),
]

# Row a of VI: SQLite as the production default, in the shapes round 2 did not read.
GO_PROFILE = ('package profile\n\nfunc (p *Profile) Validate() {{\n\tif p.Driver == "sqlite" && p.DSN == "" {{\n'
              '\t\tp.DSN = filepath.Join(p.Data, "app_prod.db")\n\t}}\n}}\n')
GO_FLAGS = 'package main\n\nfunc init() {{\n\tviper.SetDefault("driver", "{driver}")\n}}\n'
RAILS_DB = ("default: &default\n  adapter: postgresql\n\ndevelopment:\n  <<: *default\n  database: app_dev\n\nproduction:\n"
            "<% if ENV['DATABASE_URL'].to_s.empty? %>\n  adapter: {adapter}\n  database: <%= ENV['WORKDIR'] %>/db.sqlite3\n"
            "<% else %>\n  <<: *default\n  url: <%= ENV['DATABASE_URL'] %>\n<% end %>\n")
SWITCH_RS = ("fn connect_string(settings: &Settings) -> ConString {{\n    if settings.{first}.enabled {{\n        {a}\n"
             "    }} else {{\n        {b}\n    }}\n}}\n")
SWITCH_JAVA = ("package app;\n\nclass Db {{\n    DataSource open(Config config) {{\n        if (config.{first}.enabled) {{\n"
               "            return {a};\n        }} else {{\n            return {b};\n        }}\n    }}\n}}\n")
CS_SQLITE = ("class SqliteProvider\n{{\n    public string ConnectionString(AppPaths paths)\n    {{\n"
             "        var builder = new SqliteConnectionStringBuilder\n        {{\n            DataSource = {source},\n        }};\n"
             "        return builder.ToString();\n    }}\n}}\n")

CLASS7T_A = [
    # Python: a pydantic settings field whose default is sqlite
    cell("class7t-a-python-typed-default-trigger", FASTAPI,
         {"app/core/settings.py": 'class AppSettings(BaseSettings):\n    DB_ENGINE: str = "sqlite"  # or "postgres"\n'},
         SQLITE, "app/core/settings.py", "medium"),
    cell("class7t-a-python-typed-default-lookalike", FASTAPI,
         {"app/core/settings.py": 'class AppSettings(BaseSettings):\n    DB_ENGINE: str = "postgres"\n\n\n'
                                  'is_sqlite: bool = settings.DB_ENGINE == "sqlite"\n'},
         SQLITE),
    # Node/TS: a typed class property whose default is sqlite
    cell("class7t-a-node-typed-default-trigger", NODE,
         {"src/config.ts": 'export class Config {\n  dbType: string = "sqlite";\n}\n'}, SQLITE, "src/config.ts", "medium"),
    cell("class7t-a-node-typed-default-lookalike", NODE,
         {"src/config.ts": 'export class Config {\n  dbType: string = "postgres";\n}\n'}, SQLITE),
    # Go: viper's default driver is sqlite, and the branch for it places the database file in the data folder
    cell("class7t-a-go-driver-default-trigger", GO,
         {"main.go": GO_MAIN, "cmd/flags.go": GO_FLAGS.format(driver="sqlite"), "internal/profile/profile.go": GO_PROFILE},
         SQLITE, "internal/profile/profile.go", "medium"),
    cell("class7t-a-go-driver-default-lookalike", GO,
         {"main.go": GO_MAIN, "cmd/flags.go": GO_FLAGS.format(driver="postgres"), "internal/profile/profile.go": GO_PROFILE},
         SQLITE),
    # Ruby: the production block of an ERB database.yml falls back to SQLite when DATABASE_URL is unset
    cell("class7t-a-ruby-erb-production-trigger", RUBY,
         {"config/database.yml": RAILS_DB.format(adapter="sqlite3")}, SQLITE, "config/database.yml", "medium"),
    cell("class7t-a-ruby-erb-production-lookalike", RUBY,
         {"config/database.yml": RAILS_DB.format(adapter="postgresql").replace("/db.sqlite3", "/app")}, SQLITE),
    # Java: SQLite in the else branch of a switch on the database server's `enabled` setting
    cell("class7t-a-java-server-switch-trigger", JAVA,
         {"src/main/java/app/Db.java": SWITCH_JAVA.format(first="postgres", a="new PostgresDataSource(config)",
                                                          b="new SqliteDataSource(config.dataDir)")},
         SQLITE, "src/main/java/app/Db.java", "medium"),
    cell("class7t-a-java-server-switch-lookalike", JAVA,
         {"src/main/java/app/Db.java": SWITCH_JAVA.format(first="replica", a="new ReplicaDataSource(config)",
                                                          b="new PostgresDataSource(config)")},
         SQLITE),
    # Rust: the same switch (`if settings.postgresql.enabled { … } else { Sqlite… }`)
    cell("class7t-a-rust-server-switch-trigger", RUST,
         {"src/main.rs": SWITCH_RS.format(first="postgresql", a="ConString::Postgres(PgConString::from(settings))",
                                          b="ConString::Sqlite(SqliteConString::from(settings))")},
         SQLITE, "src/main.rs", "medium"),
    cell("class7t-a-rust-server-switch-lookalike", RUST,
         {"src/main.rs": SWITCH_RS.format(first="sqlite", a="ConString::Sqlite(SqliteConString::from(settings))",
                                          b="ConString::Postgres(PgConString::from(settings))")},
         SQLITE),
    # .NET: SqliteConnectionStringBuilder whose DataSource is a .db file in the data path
    cell("class7t-a-dotnet-datasource-trigger", DOTNET,
         {"Data/SqliteProvider.cs": CS_SQLITE.format(source='Path.Combine(paths.DataPath, "app.db")')},
         SQLITE, "Data/SqliteProvider.cs", "high"),
    cell("class7t-a-dotnet-datasource-lookalike", DOTNET,
         {"Data/SqliteProvider.cs": CS_SQLITE.format(source='":memory:"')}, SQLITE),
]

# Row b of VI: uploads kept on local disk by a production default.
ACTIVE_STORAGE = ("Rails.application.configure do\n  config.active_storage.service =\n    if ENV['S3_BUCKET'].present?\n"
                  "      :amazon\n    elsif ENV['GCS_BUCKET'].present?\n      :google\n    else\n      {last}\n    end\nend\n")
LARAVEL_DISKS = ("<?php\n\nreturn [\n    'default' => env('FILESYSTEM_DISK', 's3'),\n    'disks' => [\n        'upload' => [\n"
                 "            'driver' => '{driver}',\n            'root' => storage_path('upload'),\n        ],\n    ],\n];\n")
GO_FALLBACK = "package store\n\nfunc defaultStorage() *Storage {{\n\tfallback := builtinStorage({kind})\n\treturn fallback\n}}\n"
GO_BRANCH = ("package api\n\nfunc save(storage *Storage, path string, blob []byte) error {\n"
             "\tif storage.Type == StorageTypeLocal {\n\t\tif err := os.WriteFile(path, blob, 0644); err != nil {\n"
             "\t\t\treturn err\n\t\t}\n\t} else if storage.Type == StorageTypeS3 {\n\t\treturn upload(blob)\n\t}\n\treturn nil\n}\n")
NODE_FALLBACK = "export const defaultStorage = {kind};\n"
NODE_BRANCH = ('import fs from "fs";\n\nexport function save(kind, target, buf) {\n  if (kind === StorageKind.Local) {\n'
               "    fs.writeFileSync(target, buf);\n    return;\n  }\n  return s3.put(buf);\n}\n")
PY_FALLBACK = "DEFAULT_STORAGE = {kind}\n"
PY_BRANCH = ("def save(storage, path, data):\n    if storage.type == StorageType.LOCAL:\n        with open(path, \"wb\") as f:\n"
             "            f.write(data)\n        return\n    bucket.put(path, data)\n")
RUST_FALLBACK = "pub fn default_storage() -> StorageKind {{\n    let fallback = {kind};\n    fallback\n}}\n"
RUST_BRANCH = ("pub fn save(storage: &Storage, path: &Path, bytes: &[u8]) -> std::io::Result<()> {\n"
               "    if storage.kind == StorageKind::Local {\n        std::fs::write(path, bytes)?;\n    }\n    Ok(())\n}\n")
JAVA_FALLBACK = "package app;\n\nclass Defaults {{\n    static final StorageType DEFAULT_STORAGE = {kind};\n}}\n"
JAVA_BRANCH = ("package app;\n\nclass Uploads {\n    void save(StorageType type, Path path, byte[] bytes) throws IOException {\n"
               "        if (type == StorageType.LOCAL) {\n            Files.write(path, bytes);\n        }\n    }\n}\n")
CS_FALLBACK = "static class Defaults\n{{\n    public static StorageType Fallback() {{ var fallback = {kind}; return fallback; }}\n}}\n"
CS_BRANCH = ("class Uploads\n{\n    public async Task Save(StorageOptions options, string path, byte[] bytes)\n    {\n"
             "        if (options.Type == StorageType.Local) {\n            await File.WriteAllBytesAsync(path, bytes);\n        }\n    }\n}\n")

CLASS7T_B = [
    # Ruby: Active Storage chosen by a conditional whose last branch is the local disk
    cell("class7t-b-ruby-active-storage-trigger", RUBY,
         {"config/environments/production.rb": ACTIVE_STORAGE.format(last=":disk")}, LOCAL, "config/environments/production.rb", "medium"),
    cell("class7t-b-ruby-active-storage-lookalike", RUBY,
         {"config/environments/production.rb": ACTIVE_STORAGE.format(last=":amazon")}, LOCAL),
    # PHP: Laravel's 'upload' disk on the local driver, whatever the default disk is
    cell("class7t-b-php-upload-disk-trigger", PHP,
         {"config/filesystems.php": LARAVEL_DISKS.format(driver="local")}, LOCAL, "config/filesystems.php", "medium"),
    cell("class7t-b-php-upload-disk-lookalike", PHP,
         {"config/filesystems.php": LARAVEL_DISKS.format(driver="s3")}, LOCAL),
    # Go: local storage is the fallback; the local branch writes the blob to disk
    cell("class7t-b-go-local-branch-trigger", GO,
         {"main.go": GO_MAIN, "store/storage.go": GO_FALLBACK.format(kind="StorageTypeLocal"), "api/attachments.go": GO_BRANCH},
         LOCAL, "api/attachments.go", "medium"),
    cell("class7t-b-go-local-branch-lookalike", GO,
         {"main.go": GO_MAIN, "store/storage.go": GO_FALLBACK.format(kind="StorageTypeS3"), "api/attachments.go": GO_BRANCH},
         LOCAL),
    cell("class7t-b-node-local-branch-trigger", NODE,
         {"src/storage/defaults.ts": NODE_FALLBACK.format(kind="StorageKind.Local"), "src/storage/save.ts": NODE_BRANCH},
         LOCAL, "src/storage/save.ts", "medium"),
    cell("class7t-b-node-local-branch-lookalike", NODE,
         {"src/storage/defaults.ts": NODE_FALLBACK.format(kind="StorageKind.S3"), "src/storage/save.ts": NODE_BRANCH},
         LOCAL),
    cell("class7t-b-python-local-branch-trigger", FASTAPI,
         {"app/settings.py": PY_FALLBACK.format(kind="StorageType.LOCAL"), "app/storage.py": PY_BRANCH},
         LOCAL, "app/storage.py", "medium"),
    cell("class7t-b-python-local-branch-lookalike", FASTAPI,
         {"app/settings.py": PY_FALLBACK.format(kind="StorageType.S3"), "app/storage.py": PY_BRANCH},
         LOCAL),
    cell("class7t-b-rust-local-branch-trigger", RUST,
         {"src/defaults.rs": RUST_FALLBACK.format(kind="StorageKind::Local"), "src/storage.rs": RUST_BRANCH},
         LOCAL, "src/storage.rs", "medium"),
    cell("class7t-b-rust-local-branch-lookalike", RUST,
         {"src/defaults.rs": RUST_FALLBACK.format(kind="StorageKind::S3"), "src/storage.rs": RUST_BRANCH},
         LOCAL),
    cell("class7t-b-java-local-branch-trigger", JAVA,
         {"src/main/java/app/Defaults.java": JAVA_FALLBACK.format(kind="StorageType.LOCAL"),
          "src/main/java/app/Uploads.java": JAVA_BRANCH},
         LOCAL, "src/main/java/app/Uploads.java", "medium"),
    cell("class7t-b-java-local-branch-lookalike", JAVA,
         {"src/main/java/app/Defaults.java": JAVA_FALLBACK.format(kind="StorageType.S3"),
          "src/main/java/app/Uploads.java": JAVA_BRANCH},
         LOCAL),
    cell("class7t-b-dotnet-local-branch-trigger", DOTNET,
         {"Storage/Defaults.cs": CS_FALLBACK.format(kind="StorageType.Local"), "Storage/Uploads.cs": CS_BRANCH},
         LOCAL, "Storage/Uploads.cs", "medium"),
    cell("class7t-b-dotnet-local-branch-lookalike", DOTNET,
         {"Storage/Defaults.cs": CS_FALLBACK.format(kind="StorageType.AzureBlob"), "Storage/Uploads.cs": CS_BRANCH},
         LOCAL),
]

# Row c of VI and row a of X: a helper's static defaults are not the app's database.
KNEX_STORE = ("const Store = module.exports = function (options) {\n  this.knex = options.knex || require('knex')(Store.defaultsKnex)\n}\n\n"
              "Store.defaultsKnex = {\n  client: 'sqlite3',\n  connection: {\n    filename: './store.sqlite'\n  }\n}\n")
KNEX_APP = "module.exports = require('knex')({\n  client: 'sqlite3',\n  connection: { filename: './data/app.sqlite' }\n})\n"

CLASS7T_C = [
    cell("class7t-c-node-static-defaults-trigger", NODE, {"server/db.js": KNEX_APP}, SQLITE, "server/db.js", "high"),
    cell("class7t-c-node-static-defaults-lookalike", NODE, {"server/helpers/store.js": KNEX_STORE}, SQLITE),
]

# Row a of X: an embedded database that is the production default (or a helper's fallback) is no parity gap.
RAILS_DEV_SQLITE = "development:\n  adapter: sqlite3\n  database: db/development.sqlite3\n\nproduction:\n  adapter: postgresql\n  url: <%= ENV['DATABASE_URL'] %>\n"
RUST_PG_CONFIG = 'pub fn pg_url(host: &str) -> String {\n    format!("postgres://{}/registry", host)\n}\n'
RUST_TEST_SQLITE = "#[tokio::test]\nasync fn it_stores() {\n    let pool = SqlitePool::connect(\"sqlite::memory:\").await.unwrap();\n}\n"

CLASS10T_A = [
    cell("class10t-a-ruby-production-block-trigger", RUBY, {"config/database.yml": RAILS_DEV_SQLITE},
         EMBEDDED, "config/database.yml", "high"),
    cell("class10t-a-ruby-production-block-lookalike", RUBY, {"config/database.yml": RAILS_DB.format(adapter="sqlite3")}, EMBEDDED),
    cell("class10t-a-rust-server-switch-trigger", RUST,
         {"src/config.rs": RUST_PG_CONFIG, "tests/store.rs": RUST_TEST_SQLITE}, EMBEDDED, "tests/store.rs", "high"),
    cell("class10t-a-rust-server-switch-lookalike", RUST,
         {"src/config.rs": RUST_PG_CONFIG, "tests/store.rs": RUST_TEST_SQLITE,
          "src/main.rs": SWITCH_RS.format(first="postgresql", a="ConString::Postgres(PgConString::from(settings))",
                                          b="ConString::Sqlite(SqliteConString::from(settings))")},
         EMBEDDED),
    cell("class10t-a-node-static-defaults-trigger", NODE_PG, {"server/db.js": KNEX_APP}, EMBEDDED, "server/db.js", "high"),
    cell("class10t-a-node-static-defaults-lookalike", NODE_PG, {"server/helpers/store.js": KNEX_STORE}, EMBEDDED),
]

# Row b of X (every ecosystem): the versions a deployment example or a Helm values file runs.
WIKI = {"package.json": '{"name": "wiki", "dependencies": {"express": "4.19.0"}}\n'}
DEV_COMPOSE = "services:\n  db:\n    image: postgres:17-alpine\n"
EXAMPLE_COMPOSE = "services:\n  db:\n    image: postgres:15-alpine\n  {name}:\n    image: {image}\n    depends_on: [db]\n"
VALUES = ('postgresql:\n  host: {host}\n  image:\n    repository: postgres\n    tag: "18"\n')

CLASS10T_B = [
    cell("class10t-b-example-deployment-trigger", WIKI,
         {"dev/containers/docker-compose.yml": DEV_COMPOSE,
          "dev/examples/docker-compose.yml": EXAMPLE_COMPOSE.format(name="wiki", image="acme/wiki:2")},
         DRIFT, "dev/examples/docker-compose.yml", "medium"),
    cell("class10t-b-example-deployment-lookalike", WIKI,
         {"dev/containers/docker-compose.yml": DEV_COMPOSE,
          "dev/examples/grafana/docker-compose.yml": EXAMPLE_COMPOSE.format(name="grafana", image="grafana/grafana:11.0.0")},
         DRIFT),
    cell("class10t-b-helm-tpl-values-trigger", WIKI,
         {"docker-compose.yml": DEV_COMPOSE, "chart/Chart.yaml": "apiVersion: v2\nname: wiki\nversion: 1.0.0\n",
          "chart/values.yaml": VALUES.format(host='"{{ include \\"wiki.fullname\\" . }}-db"')},
         DRIFT, "docker-compose.yml", "medium"),
    cell("class10t-b-helm-tpl-values-lookalike", WIKI,
         {"docker-compose.yml": DEV_COMPOSE, "chart/Chart.yaml": "apiVersion: v2\nname: wiki\nversion: 1.0.0\n",
          "chart/values.yaml": VALUES.format(host="{{ .Values.dbHost }}")},
         DRIFT),
]

CELLS = CLASS12T_A + CLASS7T_A + CLASS7T_B + CLASS7T_C + CLASS10T_A + CLASS10T_B


@pytest.mark.parametrize("files, check, path, severity", CELLS)
def test_it_covers_the_cell(score_tree, files, check, path, severity):
    assert_cell(score_tree(files), check, path, severity)


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS)


def test_the_sqlite_default_is_reported_at_the_typed_field_not_a_later_fallback(score_tree):
    report = score_tree({**FASTAPI, "app/core/settings.py": 'class AppSettings(BaseSettings):\n    DB_ENGINE: str = "sqlite"\n\n\n'
                         'provider = factory(settings.DB_ENGINE or "sqlite")\n'})
    assert [f.line for f in findings(report, SQLITE, violations_only=True)] == [2]


def test_a_database_server_in_the_deployment_overrides_the_sqlite_fallback(score_tree):
    report = score_tree({**RUST, "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
                         "src/main.rs": SWITCH_RS.format(first="postgresql", a="ConString::Postgres(PgConString::from(settings))",
                                                         b="ConString::Sqlite(SqliteConString::from(settings))")})
    assert [f for f in findings(report, SQLITE, violations_only=True) if f.path == "src/main.rs"] == []


def test_an_own_migration_routine_outside_start_up_code_is_not_the_boot_path(score_tree):
    report = score_tree({**NODE, "src/server.ts": NODE_SERVER.format(body=""),
                         "src/services/local-store.ts": "export class LocalStore {\n  async init() {\n"
                                                        "    await this.performMigration();\n  }\n}\n"})
    assert findings(report, MIGRATE, violations_only=True) == []


def test_an_overrides_base_call_is_not_another_migration(score_tree):
    report = score_tree({**DOTNET, "Program.cs": DOTNET_PROGRAM.format(body=""),
                         "Data/PgContext.cs": "class PgContext : AppContext\n{\n    public override async Task RunMigrationsAsync(CancellationToken ct)\n"
                                              "    {\n        await base.RunMigrationsAsync(ct);\n    }\n}\n"})
    assert findings(report, MIGRATE, violations_only=True) == []
