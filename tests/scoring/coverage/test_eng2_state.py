"""Coverage cells of round 2 for factors VI (processes) and X (dev/prod parity): defaults that keep
the database or the uploads on one machine's disk, process-local shared state, in-process
substitutes in non-production settings, environment-named builds and image drift.

docs/coverage/eng2-state.md lists the cells; each row's id says which cell it proves. A trigger
must report the check at the given path and severity; a look-alike must report no counted
violation of that check (above info, outside tests and docs). The trees are written here.
"""

from __future__ import annotations

import pytest

from tests.scoring.coverage.cells import assert_cell, assert_paired

SQLITE = "processes.sqlite-database"
DISK = "processes.local-disk-storage"
MEMORY = "processes.in-memory-shared-state"
SUBSTITUTE = "dev-prod-parity.in-process-substitute"
DEBUG = "dev-prod-parity.debug-picks-service"
DRIFT = "dev-prod-parity.service-version-drift"
FLOATING = "dev-prod-parity.floating-service-image"
EMBEDDED = "dev-prod-parity.embedded-database"

DJANGO = {"requirements.txt": "django==5.0.6\ngunicorn==23.0.0\npsycopg==3.2.1\n", "Procfile": "web: gunicorn app.wsgi\n"}
FLASK = {"requirements.txt": "flask==3.0.3\ngunicorn==23.0.0\nredis==5.0.1\n", "Procfile": "web: gunicorn app:app\n"}
NODE = {
    "package.json": '{"name": "shop", "dependencies": {"express": "4.19.2", "knex": "3.1.0"}}\n',
    "package-lock.json": "{}\n",
    "server.js": "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT);\n",
}
GO = {
    "go.mod": "module example.com/shop\n\ngo 1.22\n",
    "go.sum": "",
    "main.go": 'package main\n\nimport "os"\n\nfunc main() {\n\tserve(":" + os.Getenv("PORT"))\n}\n',
    "Dockerfile": 'FROM golang:1.22\nCMD ["/app"]\n',
}
RUBY = {
    "Gemfile": "source 'https://rubygems.org'\ngem 'sinatra'\ngem 'puma'\n",
    "Gemfile.lock": "GEM\n",
    "Procfile": "web: bundle exec puma\n",
}
JAVA = {
    "pom.xml": "<project><artifactId>shop</artifactId><dependencies><dependency>"
    "<artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n",
}
PHP = {
    "composer.json": '{"require": {"php": "^8.2"}}\n',
    "composer.lock": '{"packages": []}\n',
    "Dockerfile": "FROM php:8.3-apache\nCOPY . /var/www/html\n",
    "index.php": "<?php\necho 'shop';\n",
}
RUST = {
    "Cargo.toml": '[package]\nname = "shop"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n',
    "Cargo.lock": "# lock\n",
    "src/main.rs": "fn main() {}\n",
}
DOTNET = {
    "src/Web/Web.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
    "src/Web/Program.cs": "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n",
}
# the deployment's own compose runs a database server: an SQLite default is then a development default
SERVER_DB = {"docker-compose.yml": "services:\n  web:\n    build: .\n  db:\n    image: postgres:16\n"}


def cell(id, base, files, check, path=None, severity=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike."""
    return pytest.param({**base, **files}, check, path, severity, id=id)


DJANGO_DB = (
    "import os\n\nif os.environ.get('DB_ENGINE') == 'postgres':\n"
    "    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop'}}\nelse:\n"
    "    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'data/db.sqlite3'}}\n"
)

CLASS7D_SQLITE_DEFAULT = [
    # Python/Django: SQLite in the else branch of an environment choice / the same with a compose PostgreSQL
    cell("class7d-python-django-trigger", DJANGO, {"shop/settings.py": DJANGO_DB}, SQLITE, "shop/settings.py", "medium"),
    cell("class7d-python-django-lookalike", {**DJANGO, **SERVER_DB}, {"shop/settings.py": DJANGO_DB}, SQLITE),
    # Node/knex: `process.env.DB_CLIENT || "better-sqlite3"` / the same in a development-only config
    cell(
        "class7d-node-knex-trigger",
        NODE,
        {"server/env.js": 'module.exports = {\n  client: process.env.DB_CLIENT || "better-sqlite3",\n};\n'},
        SQLITE,
        "server/env.js",
        "medium",
    ),
    cell(
        "class7d-node-knex-lookalike",
        NODE,
        {"server/env.development.js": 'module.exports = {\n  client: process.env.DB_CLIENT || "better-sqlite3",\n};\n'},
        SQLITE,
    ),
    # Go: `getenv("DB_TYPE", "sqlite")` / `getenv("DB_TYPE", "postgres")`
    cell(
        "class7d-go-env-trigger",
        GO,
        {"config.go": 'package main\n\nvar dbType = getenv("DB_TYPE", "sqlite")\n'},
        SQLITE,
        "config.go",
        "medium",
    ),
    cell(
        "class7d-go-env-lookalike",
        GO,
        {"config.go": 'package main\n\nvar dbType = getenv("DB_TYPE", "postgres")\n\n'
         'func embedded() bool {\n\treturn os.Getenv("DB_TYPE") == "postgres" || dbType == "sqlite"\n}\n'},
        SQLITE,
    ),
    # Ruby: `ENV.fetch("DB_ADAPTER", "sqlite3")` / the same next to a deployed PostgreSQL
    cell(
        "class7d-ruby-env-trigger",
        RUBY,
        {"config/db.rb": 'ADAPTER = ENV.fetch("DB_ADAPTER", "sqlite3")\n'},
        SQLITE,
        "config/db.rb",
        "medium",
    ),
    cell("class7d-ruby-env-lookalike", {**RUBY, **SERVER_DB}, {"config/db.rb": 'ADAPTER = ENV.fetch("DB_ADAPTER", "sqlite3")\n'}, SQLITE),
    # PHP: config.default.php `'type' => 'sqlite'` / `'type' => 'pgsql'`
    cell(
        "class7d-php-config-trigger",
        PHP,
        {"config.default.php": "<?php\nreturn [\n  'db' => [\n    'type' => 'sqlite',\n  ],\n];\n"},
        SQLITE,
        "config.default.php",
        "medium",
    ),
    cell("class7d-php-config-lookalike", PHP, {"config.default.php": "<?php\nreturn [\n  'db' => [\n    'type' => 'pgsql',\n  ],\n];\n"}, SQLITE),
    # Rust: a config default `format!("sqlite://{}", …)` / the same in a backup routine (not a default)
    cell(
        "class7d-rust-config-trigger",
        RUST,
        {"src/config.rs": 'pub fn database_url(data: &str) -> String {\n    let database_url = format!("sqlite://{}/db.sqlite3", data);\n    database_url\n}\n'},
        SQLITE,
        "src/config.rs",
        "medium",
    ),
    cell(
        "class7d-rust-config-lookalike",
        RUST,
        {"src/backup.rs": 'pub fn backup(p: &str) {\n    let conn = SqliteConnection::establish(&format!("sqlite://{p}?mode=ro"));\n}\n'},
        SQLITE,
    ),
    # .NET: appsettings.json on Sqlite / only appsettings.Development.json on Sqlite
    cell(
        "class7d-dotnet-appsettings-trigger",
        DOTNET,
        {"src/Web/appsettings.json": '{\n  "Database": {\n    "Type": "Sqlite",\n    "ConnectionString": "Data Source=shop.db"\n  }\n}\n'},
        SQLITE,
        "src/Web/appsettings.json",
        "medium",
    ),
    cell(
        "class7d-dotnet-appsettings-lookalike",
        DOTNET,
        {
            "src/Web/appsettings.json": '{\n  "Database": {\n    "Type": "PostgreSql"\n  }\n}\n',
            "src/Web/appsettings.Development.json": '{\n  "Database": {\n    "Type": "Sqlite"\n  }\n}\n',
        },
        SQLITE,
    ),
]

CLASS7E_SQLITE_PRODUCTION = [
    # compose: the deployment's environment names an SQLite file / a development compose does
    cell(
        "class7e-compose-trigger",
        NODE,
        {"docker-compose.yml": 'services:\n  server:\n    build: .\n    environment:\n      DB_FILENAME: "/var/lib/shop/data.sqlite"\n'},
        SQLITE,
        "docker-compose.yml",
        "medium",
    ),
    cell(
        "class7e-compose-lookalike",
        NODE,
        {"docker-compose.dev.yml": 'services:\n  server:\n    build: .\n    environment:\n      DB_FILENAME: "/tmp/dev.sqlite"\n'},
        SQLITE,
    ),
    # a production env file: DB_CONNECTION=sqlite / DB_CONNECTION=mysql
    cell("class7e-envfile-trigger", PHP, {".env.production": "APP_ENV=production\nDB_CONNECTION=sqlite\n"}, SQLITE, ".env.production", "medium"),
    cell("class7e-envfile-lookalike", PHP, {".env.production": "APP_ENV=production\nDB_CONNECTION=mysql\n"}, SQLITE),
    # a job queue in an SQLite file: huey's SqliteHuey / RedisHuey
    cell(
        "class7e-python-huey-trigger",
        DJANGO,
        {"shop/settings.py": "HUEY = {\n    'huey_class': 'huey.SqliteHuey',\n    'filename': 'data/tasks.sqlite3',\n}\n"},
        SQLITE,
        "shop/settings.py",
        "medium",
    ),
    cell("class7e-python-huey-lookalike", DJANGO, {"shop/settings.py": "HUEY = {\n    'huey_class': 'huey.RedisHuey',\n}\n"}, SQLITE),
]

CLASS7F_STORAGE_DEFAULT = [
    # Python: `UPLOAD_PROVIDER = … or "filesystem"` / a branch on the provider's name
    cell(
        "class7f-python-flask-trigger",
        FLASK,
        {"app/config.py": 'import os\n\nclass Config:\n    UPLOAD_PROVIDER = os.getenv("UPLOAD_PROVIDER") \\\n        or "filesystem"\n'},
        DISK,
        "app/config.py",
        "medium",
    ),
    cell(
        "class7f-python-flask-lookalike",
        FLASK,
        {"app/uploads.py": 'def uploader(config):\n    if config.UPLOAD_PROVIDER == "filesystem":\n        return None\n'},
        DISK,
    ),
    # Node: `process.env.STORAGE_PROVIDER || "local"` / `|| "s3"`
    cell(
        "class7f-node-env-trigger",
        NODE,
        {"src/storage.js": 'const storageProvider = process.env.STORAGE_PROVIDER || "local";\nmodule.exports = storageProvider;\n'},
        DISK,
        "src/storage.js",
        "medium",
    ),
    cell(
        "class7f-node-env-lookalike",
        NODE,
        {"src/storage.js": 'const storageProvider = process.env.STORAGE_PROVIDER || "s3";\nmodule.exports = storageProvider;\n'},
        DISK,
    ),
    # Go: schema.sql makes the filesystem provider the default, and its writer / an S3 default
    cell(
        "class7f-go-provider-trigger",
        GO,
        {
            "schema.sql": "INSERT INTO settings (key, value) VALUES\n    ('upload.provider', '\"filesystem\"');\n",
            "internal/media/providers/filesystem/filesystem.go": "package filesystem\n\nimport (\n\t\"os\"\n\t\"path/filepath\"\n)\n\n"
            "func Put(dir, name string) error {\n\tout, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE, 0664)\n"
            "\tdefer out.Close()\n\treturn err\n}\n",
        },
        DISK,
        "internal/media/providers/filesystem/filesystem.go",
        "medium",
    ),
    cell(
        "class7f-go-provider-lookalike",
        GO,
        {
            "schema.sql": "INSERT INTO settings (key, value) VALUES\n    ('upload.provider', '\"s3\"');\n",
            "internal/media/providers/filesystem/filesystem.go": "package filesystem\n\nimport (\n\t\"os\"\n\t\"path/filepath\"\n)\n\n"
            "func Put(dir, name string) error {\n\tout, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE, 0664)\n"
            "\tdefer out.Close()\n\treturn err\n}\n",
        },
        DISK,
    ),
    # Ruby: `ENV.fetch("STORAGE_PROVIDER", "local")` / `"s3"`
    cell(
        "class7f-ruby-env-trigger",
        RUBY,
        {"config/storage.rb": 'STORAGE_PROVIDER = ENV.fetch("STORAGE_PROVIDER", "local")\n'},
        DISK,
        "config/storage.rb",
        "medium",
    ),
    cell("class7f-ruby-env-lookalike", RUBY, {"config/storage.rb": 'STORAGE_PROVIDER = ENV.fetch("STORAGE_PROVIDER", "s3")\n'}, DISK),
    # Java: a storage type field defaulting to "local" / to "s3"
    cell(
        "class7f-java-spring-trigger",
        JAVA,
        {"src/main/java/shop/StorageProperties.java": 'package shop;\npublic class StorageProperties {\n    private String storageType = "local";\n}\n'},
        DISK,
        "src/main/java/shop/StorageProperties.java",
        "medium",
    ),
    cell(
        "class7f-java-spring-lookalike",
        JAVA,
        {"src/main/java/shop/StorageProperties.java": 'package shop;\npublic class StorageProperties {\n    private String storageType = "s3";\n}\n'},
        DISK,
    ),
    # PHP: `'upload_driver' => env('UPLOAD_DRIVER', 'local')` / in a development-only config file
    cell(
        "class7f-php-config-trigger",
        PHP,
        {"config/media.php": "<?php\nreturn [\n    'upload_driver' => env('UPLOAD_DRIVER', 'local'),\n];\n"},
        DISK,
        "config/media.php",
        "medium",
    ),
    cell(
        "class7f-php-config-lookalike",
        PHP,
        {"config/media.local.php": "<?php\nreturn [\n    'upload_driver' => env('UPLOAD_DRIVER', 'local'),\n];\n"},
        DISK,
    ),
    # Rust: an attachments folder defaulting to a relative path / to a temp dir
    cell(
        "class7f-rust-config-trigger",
        RUST,
        {"src/config.rs": 'pub fn attachments_folder(data: &str) -> String {\n    let attachments_folder = join_path(data, "attachments");\n    attachments_folder\n}\n'},
        DISK,
        "src/config.rs",
        "medium",
    ),
    cell(
        "class7f-rust-config-lookalike",
        RUST,
        {"src/config.rs": 'pub fn tmp_folder(data: &str) -> String {\n    let tmp_folder = join_path(data, "tmp");\n    tmp_folder\n}\n'},
        DISK,
    ),
    # .NET: appsettings.json `"Storage": {"Type": "FileSystem"}` / `"Type": "AzureBlobStorage"`
    cell(
        "class7f-dotnet-appsettings-trigger",
        DOTNET,
        {"src/Web/appsettings.json": '{\n  "Storage": {\n    "Type": "FileSystem",\n    "Path": ""\n  }\n}\n'},
        DISK,
        "src/Web/appsettings.json",
        "medium",
    ),
    cell(
        "class7f-dotnet-appsettings-lookalike",
        DOTNET,
        {"src/Web/appsettings.json": '{\n  "Storage": {\n    "Type": "AzureBlobStorage",\n    "Container": "shop"\n  }\n}\n'},
        DISK,
    ),
    # Python: a handler writes an upload under a folder from settings / writes a report to a temp file
    cell(
        "class7f-python-django-trigger",
        DJANGO,
        {
            "shop/assets.py": "import os\nfrom django.conf import settings\n\n\ndef upload_asset(upload_file):\n"
            "    path = os.path.join(settings.ASSET_FOLDER, upload_file.name)\n    with open(path, 'wb') as f:\n"
            "        f.write(upload_file.read())\n"
        },
        DISK,
        "shop/assets.py",
        "medium",
    ),
    cell(
        "class7f-python-django-lookalike",
        DJANGO,
        {
            "shop/assets.py": "import os, tempfile\n\n\ndef upload_asset(upload_file):\n"
            "    path = os.path.join(tempfile.gettempdir(), upload_file.name)\n    with open(path, 'wb') as f:\n"
            "        f.write(upload_file.read())\n"
        },
        DISK,
    ),
]

PUBSUB = "import { PubSub as LocalPubSub } from 'graphql-subscriptions';\n\nexport class Events {\n  pubsub = new LocalPubSub();\n}\n"
CLASS7G_PROCESS_STATE = [
    # Node: graphql-subscriptions' PubSub / graphql-redis-subscriptions' RedisPubSub
    cell("class7g-node-graphql-trigger", NODE, {"src/pubsub.ts": PUBSUB}, MEMORY, "src/pubsub.ts", "medium"),
    cell(
        "class7g-node-graphql-lookalike",
        NODE,
        {"src/pubsub.ts": "import { RedisPubSub } from 'graphql-redis-subscriptions';\n\nexport const pubsub = new RedisPubSub();\n"},
        MEMORY,
    ),
    # Java: Spring Security OAuth2 `new InMemoryTokenStore()` / `new JdbcTokenStore(dataSource)`
    cell(
        "class7g-java-oauth2-trigger",
        JAVA,
        {"src/main/java/shop/AuthConfig.java": "package shop;\npublic class AuthConfig {\n    private TokenStore tokenStore = new InMemoryTokenStore();\n}\n"},
        MEMORY,
        "src/main/java/shop/AuthConfig.java",
        "medium",
    ),
    cell(
        "class7g-java-oauth2-lookalike",
        JAVA,
        {"src/main/java/shop/AuthConfig.java": "package shop;\npublic class AuthConfig {\n    private TokenStore tokenStore = new JdbcTokenStore(dataSource);\n}\n"},
        MEMORY,
    ),
    # Rust: governor keyed limiters (a DashMap per process) / a direct limiter pacing outgoing calls
    cell(
        "class7g-rust-governor-trigger",
        RUST,
        {"src/ratelimit.rs": "use governor::{RateLimiter, state::keyed::DashMapStateStore};\n\n"
         "type Limiter = RateLimiter<IpAddr, DashMapStateStore<IpAddr>, DefaultClock>;\n"},
        MEMORY,
        "src/ratelimit.rs",
        "medium",
    ),
    cell(
        "class7g-rust-governor-lookalike",
        RUST,
        {"src/client.rs": "use governor::{Quota, RateLimiter};\n\nfn pace() {\n    let lim = RateLimiter::direct(Quota::per_second(nonzero!(5u32)));\n}\n"},
        MEMORY,
    ),
    # .NET: IdentityServer/Data Protection keys on the container's disk / in Redis
    cell(
        "class7g-dotnet-keys-trigger",
        DOTNET,
        {"src/Web/Startup.cs": "services.AddIdentityServer()\n    .AddKeyManagement()\n"
         '    .AddFileSystemPersistence(Path.Combine(env.ContentRootPath, "keystore"));\n'},
        MEMORY,
        "src/Web/Startup.cs",
        "medium",
    ),
    cell(
        "class7g-dotnet-keys-lookalike",
        DOTNET,
        {"src/Web/Startup.cs": 'services.AddDataProtection()\n    .PersistKeysToStackExchangeRedis(redis, "DataProtection-Keys");\n'},
        MEMORY,
    ),
]

CLASS10C_SETTINGS_SUBSTITUTE = [
    # Python/Django: local settings on LocMemCache while production settings use Redis / Redis in both
    cell(
        "class10c-python-django-trigger",
        {"requirements.txt": "django==5.0.6\ngunicorn==23.0.0\n", "Procfile": "web: gunicorn app.wsgi\n"},
        {
            "config/settings/local.py": "CACHES = {\n    'default': {\n        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',\n    }\n}\n",
            "config/settings/production.py": "CACHES = {\n    'default': {\n        'BACKEND': 'django_redis.cache.RedisCache',\n    }\n}\n",
        },
        SUBSTITUTE,
        "config/settings/local.py",
        "medium",
    ),
    cell(
        "class10c-python-django-lookalike",
        {"requirements.txt": "django==5.0.6\ngunicorn==23.0.0\n", "Procfile": "web: gunicorn app.wsgi\n"},
        {
            "config/settings/local.py": "CACHES = {\n    'default': {\n        'BACKEND': 'django_redis.cache.RedisCache',\n    }\n}\n",
            "config/settings/production.py": "CACHES = {\n    'default': {\n        'BACKEND': 'django_redis.cache.RedisCache',\n    }\n}\n",
        },
        SUBSTITUTE,
    ),
    # Python/Flask: TestingConfig `CACHE_TYPE = "simple"` while production uses Redis / `CACHE_TYPE = "redis"`
    cell(
        "class10c-python-flask-trigger",
        FLASK,
        {"app/config.py": 'class TestingConfig:\n    TESTING = True\n    CACHE_TYPE = "simple"\n'},
        SUBSTITUTE,
        "app/config.py",
        "medium",
    ),
    cell("class10c-python-flask-lookalike", FLASK, {"app/config.py": 'class TestingConfig:\n    TESTING = True\n    CACHE_TYPE = "redis"\n'}, SUBSTITUTE),
]

CLASS10D_ENVIRONMENT_BUILD = [
    # .NET: `#if (DEBUG || STAGING)` / `#if DEBUG` around logging only
    cell(
        "class10d-dotnet-directive-trigger",
        DOTNET,
        {"src/Web/Controllers/AccountController.cs": "public class AccountController : Controller {\n  public IActionResult Reset() {\n"
         "#if (DEBUG || STAGING)\n    return Ok(link);\n#else\n    await email.SendAsync(link);\n    return Ok();\n#endif\n  }\n}\n"},
        DEBUG,
        "src/Web/Controllers/AccountController.cs",
        "medium",
    ),
    cell(
        "class10d-dotnet-directive-lookalike",
        DOTNET,
        {"src/Web/Controllers/AccountController.cs": "public class AccountController : Controller {\n  public IActionResult Reset() {\n"
         "#if DEBUG\n    logger.LogDebug(\"reset\");\n#endif\n    return Ok();\n  }\n}\n"},
        DEBUG,
    ),
    # Rust: `#[cfg(feature = "staging")]` / `#[cfg(feature = "metrics")]`
    cell(
        "class10d-rust-feature-trigger",
        RUST,
        {"src/mail.rs": '#[cfg(feature = "staging")]\npub fn send(_m: &str) {}\n'},
        DEBUG,
        "src/mail.rs",
        "medium",
    ),
    cell("class10d-rust-feature-lookalike", RUST, {"src/mail.rs": '#[cfg(feature = "metrics")]\npub fn send(_m: &str) {}\n'}, DEBUG),
    # Go: `//go:build staging` / `//go:build linux`
    cell(
        "class10d-go-buildtag-trigger",
        GO,
        {"mail_staging.go": "//go:build staging\n\npackage main\n\nfunc send(m string) {}\n"},
        DEBUG,
        "mail_staging.go",
        "medium",
    ),
    cell("class10d-go-buildtag-lookalike", GO, {"mail_linux.go": "//go:build linux\n\npackage main\n\nfunc send(m string) {}\n"}, DEBUG),
]

GH = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: {image}\n    steps:\n      - run: make test\n"
CLASS8E_IMAGES = [
    # CI pins postgres:11 while the dev container floats on latest / both pin 16
    cell(
        "class8e-ci-pinned-trigger",
        GO,
        {".github/workflows/ci.yml": GH.format(image="postgres:11"),
         ".devcontainer/docker-compose.yml": "services:\n  db:\n    image: postgres:latest\n"},
        DRIFT,
        ".github/workflows/ci.yml",
        "low",
    ),
    cell(
        "class8e-ci-pinned-lookalike",
        GO,
        {".github/workflows/ci.yml": GH.format(image="postgres:16"),
         ".devcontainer/docker-compose.yml": "services:\n  db:\n    image: postgres:16\n"},
        DRIFT,
    ),
    # CI floats on mysql:latest while the deployment compose pins mysql:8.0 / CI pins 8.0 too
    cell(
        "class8e-ci-floating-trigger",
        GO,
        {".github/workflows/ci.yml": GH.format(image="mysql:latest"),
         "docker-compose.yml": "services:\n  web:\n    build: .\n  db:\n    image: mysql:8.0\n"},
        DRIFT,
        ".github/workflows/ci.yml",
        "medium",
    ),
    cell(
        "class8e-ci-floating-lookalike",
        GO,
        {".github/workflows/ci.yml": GH.format(image="mysql:8.0"),
         "docker-compose.yml": "services:\n  web:\n    build: .\n  db:\n    image: mysql:8.0\n"},
        DRIFT,
    ),
    # a development compose at another major version is the one reported, not the deployment's
    cell(
        "class8e-dev-compose-trigger",
        GO,
        {"docker-compose.yml": "services:\n  web:\n    build: .\n  db:\n    image: postgres:17-alpine\n",
         "dev/docker-compose.yml": "services:\n  db:\n    image: postgres:13\n"},
        DRIFT,
        "dev/docker-compose.yml",
        "medium",
    ),
    cell(
        "class8e-dev-compose-lookalike",
        GO,
        {"docker-compose.yml": "services:\n  web:\n    build: .\n  db:\n    image: postgres:17-alpine\n",
         "dev/docker-compose.yml": "services:\n  db:\n    image: postgres:17\n"},
        DRIFT,
    ),
    # Temporal 1.x is compared on its minor version: 1.18 vs 1.22 / 1.22.4 vs 1.22.1
    cell(
        "class8e-temporal-trigger",
        GO,
        {"docker-compose.yaml": "services:\n  temporal:\n    image: temporalio/auto-setup:1.18.5\n",
         "docker-compose.prod.yaml": "services:\n  temporal:\n    image: temporalio/auto-setup:1.22.4\n"},
        DRIFT,
        "docker-compose.yaml",
        "medium",
    ),
    cell(
        "class8e-temporal-lookalike",
        GO,
        {"docker-compose.yaml": "services:\n  temporal:\n    image: temporalio/auto-setup:1.22.1\n",
         "docker-compose.prod.yaml": "services:\n  temporal:\n    image: temporalio/auto-setup:1.22.4\n"},
        DRIFT,
    ),
    # a cookiecutter template's compose (Jinja, not YAML) still names a floating mailpit:latest / :v1.21
    cell(
        "class8e-template-compose-trigger",
        GO,
        {"{{cookiecutter.slug}}/docker-compose.local.yml": "services:\n{% if cookiecutter.mail == 'y' %}\n  mailpit:\n"
         "    image: docker.io/axllent/mailpit:latest\n{% endif %}\n"},
        FLOATING,
        "{{cookiecutter.slug}}/docker-compose.local.yml",
        "low",
    ),
    cell(
        "class8e-template-compose-lookalike",
        GO,
        {"{{cookiecutter.slug}}/docker-compose.local.yml": "services:\n{% if cookiecutter.mail == 'y' %}\n  mailpit:\n"
         "    image: docker.io/axllent/mailpit:v1.21\n{% endif %}\n"},
        FLOATING,
    ),
]

VAULT_MANIFEST = '[package]\nname = "vault"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n'
CLASS10E_TESTED_DEFAULT = [
    # an app on SQLite by default whose only server database is its Playwright suite's: no parity finding
    # / the same app whose deployment compose runs PostgreSQL: SQLite in development is the gap
    cell(
        "class10e-default-tested-trigger",
        {**RUST, "Cargo.toml": VAULT_MANIFEST},
        {"src/db.rs": 'const URL: &str = "sqlite://data/db.sqlite3";\n',
         "docker-compose.yml": "services:\n  web:\n    build: .\n  db:\n    image: postgres:16\n"},
        EMBEDDED,
        "src/db.rs",
        "high",
    ),
    cell(
        "class10e-default-tested-lookalike",
        {**RUST, "Cargo.toml": VAULT_MANIFEST},
        {"src/db.rs": 'const URL: &str = "sqlite://data/db.sqlite3";\n',
         "playwright/docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
         "playwright/package.json": '{"name": "e2e", "devDependencies": {"pg": "8.11.0"}}\n'},
        EMBEDDED,
    ),
]

CELLS = [
    *CLASS7D_SQLITE_DEFAULT,
    *CLASS7E_SQLITE_PRODUCTION,
    *CLASS7F_STORAGE_DEFAULT,
    *CLASS7G_PROCESS_STATE,
    *CLASS10C_SETTINGS_SUBSTITUTE,
    *CLASS10D_ENVIRONMENT_BUILD,
    *CLASS8E_IMAGES,
    *CLASS10E_TESTED_DEFAULT,
]


@pytest.mark.parametrize("files, check, path, severity", CELLS)
def test_cell(score_tree, files, check, path, severity):
    assert_cell(score_tree(files), check, path, severity)


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS)
