"""Coverage cells of helper eng2-config (round 2): config, backing services, dependencies, codebase and
the image/release part of build-release-run. One trigger and one look-alike per ecosystem cell.

docs/coverage/eng2-config.md lists the cells. A trigger must report the check at the given path and
severity, counted (not demoted). A look-alike must report no counted finding of that check above
`low`: several classes here (secrets in test and CI files, environment branches no CI builds) are
still shown as low on purpose, which counts for nothing in the verdict.
"""

from __future__ import annotations

import pytest

from tests.scoring.coverage.cells import assert_cell, assert_paired

SECRET = "config.committed-secret"
BASE = "build-release-run.floating-base-image"
APP_IMAGE = "build-release-run.floating-app-image"
MUTATING = "build-release-run.mutating-deploy"
IN_BUILD = "build-release-run.secrets-in-build"
BRANCHING = "backing-services.env-branching"
HOST = "backing-services.hardcoded-host"
MANIFEST = "dependencies.missing-manifest"
TOOL = "dependencies.undeclared-system-tool"
LOCK = "dependencies.no-lock-file"

KEY = "a7Rk2" + "Qz9LmP4xVt8Wn3Yc6Bd1Fg5Hj0Ks"  # a generated-looking key
PASSWORD = "Zq8" + "!vN3xLp7"

PY = {"requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\n", "Procfile": "web: gunicorn app:app\n"}
NODE = {
    "package.json": '{"name": "api", "private": true, "dependencies": {"express": "4.19.2"}}\n',
    "package-lock.json": "{}\n",
    "Procfile": "web: node server.js\n",
}
GO = {"go.mod": "module example.com/api\n\ngo 1.22\n", "go.sum": "", "Procfile": "web: ./api\n"}
RUBY = {"Gemfile": "gem 'rails', '7.1.0'\ngem 'puma'\n", "Gemfile.lock": "", "Procfile": "web: bin/rails server\n"}
JAVA = {
    "pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId>"
    "<version>3.2.0</version></dependency></dependencies><build><plugins><plugin>"
    "<artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>\n",
    "Procfile": "web: java -jar target/app.jar\n",
}
PHP = {"composer.json": '{"require": {"laravel/framework": "11.0.0"}}\n', "composer.lock": "{}\n"}
RUST = {"Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n', "Cargo.lock": ""}
DOTNET = {"Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n', "Procfile": "web: dotnet Api.dll\n"}


def cell(id, base, files, check, path=None, severity=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike."""
    return pytest.param({**base, **files}, check, path, severity, id=id)


# 31. Secrets in files no deploy reads: test-only env files, CI test jobs, compose files and folders of
# test stacks, files headed "only for testing", contributed samples, API-client collections, generated
# references of defaults. Each trigger is the same value where a deploy reads it.
CLASS31 = [
    cell("class31-python-envtest-trigger", PY, {"app/settings.py": f"SECRET_KEY = '{KEY}'\n"}, SECRET,
         "app/settings.py", "critical"),
    cell("class31-python-envtest-lookalike", PY, {".env.test": f"SECRET_KEY={KEY}\n"}, SECRET),
    cell("class31-node-cijob-trigger", NODE,
         {".github/workflows/deploy.yml": f"jobs:\n  ship:\n    env:\n      SECRET_KEY: {KEY}\n"}, SECRET,
         ".github/workflows/deploy.yml", "high"),
    cell("class31-node-cijob-lookalike", NODE,
         {".github/workflows/ci.yml": f"jobs:\n  test:\n    env:\n      SECRET_KEY: {KEY}\n"}, SECRET),
    cell("class31-go-cicompose-trigger", GO,
         {"docker-compose.prod.yml": f"services:\n  app:\n    environment:\n      COOKIE_SECRET: {KEY}\n"}, SECRET,
         "docker-compose.prod.yml", "high"),
    cell("class31-go-cicompose-lookalike", GO,
         {".ci/compose.ci.yaml": f"services:\n  app:\n    environment:\n      COOKIE_SECRET: {KEY}\n"}, SECRET),
    cell("class31-ruby-header-trigger", RUBY,
         {"deploy/compose.yml": f"services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: {PASSWORD}\n"},
         SECRET, "deploy/compose.yml", "high"),
    cell("class31-ruby-header-lookalike", RUBY,
         {"deploy/compose.yml": "# DO NOT USE THIS! Only intended for testing PostgreSQL locally.\n"
          f"services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: {PASSWORD}\n"}, SECRET),
    cell("class31-java-testenv-trigger", JAVA,
         {"src/main/resources/application.properties": f"spring.datasource.password={PASSWORD}\n"}, SECRET,
         "src/main/resources/application.properties", "critical"),
    cell("class31-java-testenv-lookalike", JAVA,
         {"scripts/test-environments/oidc/config.yml": f"client_secret: {KEY}\n"}, SECRET),
    cell("class31-php-contrib-trigger", PHP, {"config/app.php": f"<?php\nreturn ['api_key' => '{KEY}'];\n"},
         SECRET, "config/app.php", "critical"),
    cell("class31-php-contrib-lookalike", PHP,
         {"contrib/docker-compose/basic.yml": "services:\n  app:\n    environment:\n      - ADMIN_PASSWORD=test123\n"},
         SECRET),
    cell("class31-rust-defaults-trigger", RUST, {"config/config.hjson": f'{{\n  setup: {{\n    admin_password: "{KEY}"\n  }}\n}}\n'},
         SECRET, "config/config.hjson", "critical"),
    cell("class31-rust-defaults-lookalike", RUST,
         {"config/defaults.hjson": f'{{\n  setup: {{\n    admin_password: "{KEY}"\n  }}\n}}\n'}, SECRET),
    cell("class31-dotnet-bruno-trigger", DOTNET, {"appsettings.json": f'{{"Admin": {{"Password": "{PASSWORD}"}}}}\n'},
         SECRET, "appsettings.json", "critical"),
    cell("class31-dotnet-bruno-lookalike", DOTNET,
         {"contrib/bruno/api/Create a user.bru": f'body:json {{\n  {{\n    "password": "{PASSWORD}"\n  }}\n}}\n'}, SECRET),
]

# 32. Literals in code whose name does not name a secret, and values that are not secrets: annotation
# keys, brand tables of UUIDs, computed label keys, declared types, validation rules, test data.
CLASS32 = [
    cell("class32-go-annotation-trigger", GO, {"internal/auth.go": f'package auth\n\nconst JwtSecret = "{KEY}"\n'}, SECRET,
         "internal/auth.go", "critical"),
    cell("class32-go-annotation-lookalike", GO,
         {"internal/constants.go": 'package constants\n\nconst (\n\tSecretUpdateOnChangeAnnotation = "secret.reloader.acme.com/reload"\n'
          '\tSecretProviderClassController = "secretproviderclasspodstatuses"\n)\n'}, SECRET),
    cell("class32-node-enum-trigger", NODE, {"src/auth.ts": f'export const jwtSecret = "{KEY}";\n'}, SECRET, "src/auth.ts",
         "critical"),
    cell("class32-node-enum-lookalike", NODE,
         {"src/brands.ts": 'export enum Brand {\n  OnePassword = "bada5566-a7aa-401f-bd96-45619a55120d",\n'
          '  ApplePasswords = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd",\n}\n'
          'export const Names = {\n  [Brand.OnePassword]: "1Password",\n};\n',
          "src/fields.ts": 'export const aws = { accessKey: "accessKeyId", secretKey: "secretAccessKey" };\n',
          "src/Field.vue": "<script setup lang=\"ts\">\ndefineProps<{\n  isSecret: boolean\n}>()\n</script>\n"}, SECRET),
    cell("class32-python-enum-trigger", PY, {"app/auth.py": f"JWT_SECRET = '{KEY}'\n"}, SECRET, "app/auth.py", "critical"),
    cell("class32-python-enum-lookalike", PY,
         {"app/brands.py": "class Brand(Enum):\n    ApplePasswords = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd'\n"
          "    OnePassword = 'bada5566-a7aa-401f-bd96-45619a55120d'\n"}, SECRET),
    cell("class32-java-annotation-trigger", JAVA,
         {"src/main/java/a/Auth.java": f'class Auth {{\n  static final String JWT_SECRET = "{KEY}";\n}}\n'}, SECRET,
         "src/main/java/a/Auth.java", "critical"),
    cell("class32-java-annotation-lookalike", JAVA,
         {"src/main/java/a/Keys.java": 'class Keys {\n  static final String SECRET_ANNOTATION = "secret.acme.io/reload";\n}\n'},
         SECRET),
    cell("class32-php-rules-trigger", PHP, {"config/services.php": f"<?php\nreturn ['mail' => ['password' => '{PASSWORD}']];\n"},
         SECRET, "config/services.php", "critical"),
    cell("class32-php-rules-lookalike", PHP,
         {"app/Console/Commands/Reset.php": "<?php\n$v = Validator::make(['password' => $p], [\n"
          "    'password' => 'required|string|min:8',\n]);\n"}, SECRET),
    cell("class32-rust-testdata-trigger", RUST, {"src/auth.rs": f'pub const DB_PASSWORD: &str = "{PASSWORD}";\n'}, SECRET,
         "src/auth.rs", "critical"),
    cell("class32-rust-testdata-lookalike", RUST,
         {"src/schema.rs": 'const USER1_PASSWORD: &str = "test_password_1";\n'}, SECRET),
    cell("class32-ruby-annotation-trigger", RUBY, {"config/initializers/auth.rb": f'SECRET_TOKEN = "{KEY}"\n'}, SECRET,
         "config/initializers/auth.rb", "critical"),
    cell("class32-ruby-annotation-lookalike", RUBY,
         {"config/initializers/keys.rb": 'SECRET_ANNOTATION = "secret.acme.io/reload"\n'}, SECRET),
    cell("class32-dotnet-annotation-trigger", DOTNET,
         {"Auth.cs": f'class Auth {{\n  public const string JwtSecret = "{KEY}";\n}}\n'}, SECRET, "Auth.cs", "critical"),
    cell("class32-dotnet-annotation-lookalike", DOTNET,
         {"Keys.cs": 'class Keys {\n  public const string SecretAnnotation = "secret.acme.io/reload";\n}\n'}, SECRET),
]

# 33. Keys vendors publish for clients (PostHog phc_, Stripe pk_live_, Mapbox pk.eyJ) and lowercase typed
# passwords in packaged properties files.
CLASS33 = [
    cell("class33-node-public-trigger", NODE, {"src/telemetry.ts": f"const POSTHOG_API_KEY = 'sk_{KEY}';\n"}, SECRET,
         "src/telemetry.ts", "critical"),
    cell("class33-node-public-lookalike", NODE, {"src/telemetry.ts": f"const POSTHOG_API_KEY = 'phc_{KEY}';\n"}, SECRET),
    cell("class33-python-public-trigger", PY, {"app/billing.py": f"STRIPE_API_KEY = 'k_{KEY}'\n"}, SECRET, "app/billing.py",
         "critical"),
    cell("class33-python-public-lookalike", PY, {"app/billing.py": f"STRIPE_API_KEY = 'pk_live_{KEY}'\n"}, SECRET),
    cell("class33-java-properties-trigger", JAVA,
         {"src/main/resources/application.properties": "spring.datasource.password=root_pwd\n"}, SECRET,
         "src/main/resources/application.properties", "critical"),
    cell("class33-java-properties-lookalike", JAVA,
         {"src/main/resources/application.properties": "spring.datasource.password=${DB_PASSWORD}\n"}, SECRET),
]

# 34. Base images on a channel tag (lts, alpine) or chosen by an ARG whose default has no tag.
CLASS34 = [
    cell("class34-node-channel-trigger", NODE, {"Dockerfile": "FROM node:lts AS build\nFROM caddy:2-alpine\n"}, BASE,
         "Dockerfile", "low"),
    cell("class34-node-channel-lookalike", NODE, {"Dockerfile": "FROM node:20.11-alpine AS build\nFROM caddy:2.8-alpine\n"}, BASE),
    cell("class34-python-arg-trigger", PY, {"Dockerfile": "ARG BASE_IMAGE=acme/app-base\nFROM ${BASE_IMAGE} AS base\n"},
         BASE, "Dockerfile", "low"),
    cell("class34-python-arg-lookalike", PY, {"Dockerfile": "ARG BASE_IMAGE=acme/app-base:1.4.2\nFROM ${BASE_IMAGE} AS base\n"},
         BASE),
    cell("class34-go-channel-trigger", GO, {"Dockerfile": "FROM golang:alpine AS build\nFROM alpine:3.20\n"}, BASE,
         "Dockerfile", "low"),
    cell("class34-go-channel-lookalike", GO, {"Dockerfile": "FROM golang:1.22-alpine AS build\nFROM alpine:3.20\n"}, BASE),
    cell("class34-php-compose-trigger", PHP,
         {"docker-compose.yml": "services:\n  app:\n    image: acme/app:latest\n    build: .\n"}, APP_IMAGE,
         "docker-compose.yml", "low"),
    cell("class34-php-compose-lookalike", PHP,
         {"docker-compose.yml": "services:\n  app:\n    image: acme/app:1.4.2\n    build: .\n"}, APP_IMAGE),
]

# 35. The running app replaces its own code with git; deploys that rsync a source tree (continued lines).
CLASS35 = [
    cell("class35-php-selfupdate-trigger", PHP,
         {"app/Controllers/UpdateController.php": "<?php\nexec('git fetch --prune', $out, $rc);\n"
          "exec('git reset --hard FETCH_HEAD', $out, $rc);\n"}, MUTATING, "app/Controllers/UpdateController.php", "medium"),
    cell("class35-php-selfupdate-lookalike", PHP,
         {"app/Controllers/AboutController.php": "<?php\nexec('git rev-parse HEAD', $out, $rc);\n"}, MUTATING),
    cell("class35-python-selfupdate-trigger", PY,
         {"app/update.py": "import subprocess\n\ndef update():\n    subprocess.run(['git', 'pull'], check=True)\n"},
         MUTATING, "app/update.py", "medium"),
    cell("class35-python-selfupdate-lookalike", PY,
         {"scripts/release.py": "import subprocess\n\nsubprocess.run(['git', 'pull'], check=True)\n"}, MUTATING),
    cell("class35-node-selfupdate-trigger", NODE,
         {"src/updater.js": "const { execSync } = require('child_process');\nexecSync('git pull');\n"}, MUTATING,
         "src/updater.js", "medium"),
    cell("class35-node-selfupdate-lookalike", NODE,
         {"src/version.js": "const { execSync } = require('child_process');\nexecSync('git describe --tags');\n"}, MUTATING),
    cell("class35-go-selfupdate-trigger", GO,
         {"internal/update/update.go": 'package update\n\nfunc Run() error {\n\treturn exec.Command("git", "pull").Run()\n}\n'},
         MUTATING, "internal/update/update.go", "medium"),
    cell("class35-go-selfupdate-lookalike", GO,
         {"internal/version/version.go": 'package version\n\nfunc Rev() {\n\texec.Command("git", "rev-parse", "HEAD").Run()\n}\n'},
         MUTATING),
    cell("class35-ruby-selfupdate-trigger", RUBY, {"app/models/updater.rb": "class Updater\n  def run\n    system('git pull')\n  end\nend\n"},
         MUTATING, "app/models/updater.rb", "medium"),
    cell("class35-ruby-selfupdate-lookalike", RUBY,
         {"app/models/version.rb": "class Version\n  def run\n    system('git log -1')\n  end\nend\n"}, MUTATING),
    cell("class35-java-selfupdate-trigger", JAVA,
         {"src/main/java/a/Updater.java": 'class Updater {\n  void run() throws Exception {\n'
          '    new ProcessBuilder("git", "pull").start();\n  }\n}\n'}, MUTATING, "src/main/java/a/Updater.java", "medium"),
    cell("class35-java-selfupdate-lookalike", JAVA,
         {"src/main/java/a/Version.java": 'class Version {\n  void run() throws Exception {\n'
          '    new ProcessBuilder("git", "log").start();\n  }\n}\n'}, MUTATING),
    cell("class35-dotnet-selfupdate-trigger", DOTNET, {"Updater.cs": 'class Updater {\n  void Run() { Process.Start("git", "pull"); }\n}\n'},
         MUTATING, "Updater.cs", "medium"),
    cell("class35-dotnet-selfupdate-lookalike", DOTNET,
         {"Version.cs": 'class Version {\n  void Run() { Process.Start("git", "log"); }\n}\n'}, MUTATING),
    cell("class35-shell-rsync-trigger", PY,
         {"deploy.sh": '#!/bin/sh\nhost="box.lan"\nrsync -a --delete \\\n    --exclude ".git" \\\n    . -e ssh "$host":app\n'},
         MUTATING, "deploy.sh", "medium"),
    cell("class35-shell-rsync-lookalike", PY,
         {"backup.sh": '#!/bin/sh\nrsync -a --delete \\\n    --exclude ".git" \\\n    ./data /mnt/backup/\n'}, MUTATING),
]

# 36. The environment's name picks a literal service address; Spring properties hosts are medium.
CLASS36 = [
    cell("class36-node-envhost-trigger", NODE,
         {"src/kafka.ts": 'const brokers =\n  config().nodeEnv === NodeEnv.Development\n    ? "kafka:29092"\n'
          '    : config().kafkaBrokers.join(",");\n'}, BRANCHING, "src/kafka.ts", "medium"),
    cell("class36-node-envhost-lookalike", NODE,
         {"src/kafka.ts": 'const brokers =\n  config().nodeEnv === NodeEnv.Development\n    ? "localhost:9092"\n'
          '    : config().kafkaBrokers.join(",");\n'}, BRANCHING),
    cell("class36-go-envhost-trigger", GO,
         {"internal/cache/cache.go": 'package cache\n\nfunc addr() string {\n\tif appEnv == "development" {\n'
          '\t\treturn "redis:6379"\n\t}\n\treturn cfg.RedisAddr\n}\n'}, BRANCHING, "internal/cache/cache.go", "medium"),
    cell("class36-go-envhost-lookalike", GO,
         {"internal/cache/cache.go": 'package cache\n\nfunc addr() string {\n\tif appEnv == "development" {\n'
          '\t\treturn "127.0.0.1:6379"\n\t}\n\treturn cfg.RedisAddr\n}\n'}, BRANCHING),
    cell("class36-python-envhost-trigger", PY,
         {"app/queue.py": 'if ENVIRONMENT == "development":\n    BROKER = "rabbitmq:5672"\nelse:\n    BROKER = settings.BROKER\n'},
         BRANCHING, "app/queue.py", "medium"),
    cell("class36-python-envhost-lookalike", PY,
         {"app/queue.py": 'if ENVIRONMENT == "development":\n    BROKER = "localhost:5672"\nelse:\n    BROKER = settings.BROKER\n'},
         BRANCHING),
    cell("class36-java-spring-trigger", JAVA,
         {"config/src/main/resources/shared/notification-service.yml": "spring:\n  mail:\n    host: smtp.gmail.com\n"},
         HOST, "config/src/main/resources/shared/notification-service.yml", "medium"),
    cell("class36-java-spring-lookalike", JAVA,
         {"config/src/main/resources/shared/notification-service.yml": "spring:\n  mail:\n    host: ${MAIL_HOST:localhost}\n"},
         HOST),
]

# 37. Code that is not the app's: a helper script of another ecosystem, browser libraries served as
# static files, a maintainer's release script running git; a lock file too large to read.
CLASS37 = [
    cell("class37-python-helper-trigger", GO, {"tools.py": "import openai\n\nopenai.Client()\n", "main.go": "package main\n"},
         MANIFEST, "tools.py", "high"),
    cell("class37-python-helper-lookalike", GO,
         {"scripts/translate.py": "import openai\n\nopenai.Client()\n", "main.go": "package main\n"}, MANIFEST),
    cell("class37-node-static-trigger", JAVA, {"web/app.js": "import $ from 'jquery';\n"}, MANIFEST, "web/app.js", "high"),
    cell("class37-node-static-lookalike", JAVA,
         {"src/main/resources/static/plugins/table.min.js": "import $ from 'jquery';\n"}, MANIFEST),
    cell("class37-node-tool-trigger", NODE,
         {"server/sync.js": "const { execSync } = require('child_process');\nexecSync(`git add -A`);\n"}, TOOL,
         "server/sync.js", "medium"),
    cell("class37-node-tool-lookalike", NODE,
         {"server/scripts/release.js": "const { execSync } = require('child_process');\nexecSync(`git add -A`);\n"}, TOOL),
    cell("class37-node-biglock-trigger",
         {k: v for k, v in NODE.items() if k != "package-lock.json"},
         {"package.json": '{"name": "api", "private": true, "dependencies": {"express": "^4.19.2"}}\n'}, LOCK,
         "package.json", "medium"),
    cell("class37-node-biglock-lookalike",
         {k: v for k, v in NODE.items() if k != "package-lock.json"},
         {"package.json": '{"name": "api", "private": true, "dependencies": {"express": "^4.19.2"}}\n',
          "yarn.lock": "# yarn lockfile v1\n" + "a@^1.0.0:\n  version \"1.0.0\"\n" * 60000}, LOCK),
]

# 38. A committed .npmrc/.pypirc holding settings only, copied into the image.
CLASS38 = [
    cell("class38-node-npmrc-trigger", NODE,
         {".npmrc": "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", "Dockerfile": "FROM node:20.11\nCOPY package.json .npmrc /app/\n"},
         IN_BUILD, "Dockerfile", "high"),
    cell("class38-node-npmrc-lookalike", NODE,
         {".npmrc": "engine-strict=true\nshamefully-hoist=true\n", "Dockerfile": "FROM node:20.11\nCOPY package.json .npmrc /app/\n"},
         IN_BUILD),
    cell("class38-python-pypirc-trigger", PY,
         {".pypirc": "[pypi]\nusername = __token__\npassword = ${PYPI_TOKEN}\n",
          "Dockerfile": "FROM python:3.12\nCOPY .pypirc /root/\n"}, IN_BUILD, "Dockerfile", "high"),
    cell("class38-python-pypirc-lookalike", PY,
         {".pypirc": "[distutils]\nindex-servers = pypi\n", "Dockerfile": "FROM python:3.12\nCOPY .pypirc /root/\n"}, IN_BUILD),
]

# 39. The build step migrates the database: npm build hooks, Dockerfile RUN, composer install hooks.
MIGRATE = "build-release-run.migrate-in-build"
CLASS39 = [
    cell("class39-node-postbuild-trigger", NODE,
         {"package.json": '{"name": "api", "private": true, "scripts": {"heroku-postbuild": "yarn build && yarn db:migrate",'
          ' "db:migrate": "sequelize db:migrate"}, "dependencies": {"express": "4.19.2"}}\n'}, MIGRATE, "package.json", "medium"),
    cell("class39-node-postbuild-lookalike", NODE,
         {"package.json": '{"name": "api", "private": true, "scripts": {"heroku-postbuild": "yarn build",'
          ' "db:migrate": "sequelize db:migrate"}, "dependencies": {"express": "4.19.2"}}\n'}, MIGRATE),
    cell("class39-python-dockerfile-trigger", PY,
         {"Dockerfile": "FROM python:3.12\nRUN python manage.py migrate --noinput\n"}, MIGRATE, "Dockerfile", "medium"),
    cell("class39-python-dockerfile-lookalike", PY,
         {"Dockerfile": "FROM python:3.12\nRUN python manage.py collectstatic --noinput\n"}, MIGRATE),
    cell("class39-ruby-dockerfile-trigger", RUBY,
         {"Dockerfile": "FROM ruby:3.3\nRUN bin/rails assets:precompile && bin/rails db:migrate\n"}, MIGRATE, "Dockerfile", "medium"),
    cell("class39-ruby-dockerfile-lookalike", RUBY,
         {"Dockerfile": "FROM ruby:3.3\nRUN bin/rails assets:precompile\n", "Procfile": "release: bin/rails db:migrate\n"},
         MIGRATE),
    cell("class39-php-composer-trigger", PHP,
         {"composer.json": '{"require": {"laravel/framework": "11.0.0"},\n "scripts": {"post-install-cmd": '
          '["@php artisan migrate --force"]}}\n'}, MIGRATE, "composer.json", "medium"),
    cell("class39-php-composer-lookalike", PHP,
         {"composer.json": '{"require": {"laravel/framework": "11.0.0"},\n "scripts": {"post-install-cmd": '
          '["@php artisan package:discover"], "setup": ["@php artisan migrate --force"]}}\n'}, MIGRATE),
]

# 40. The app writes its configuration to a file at run time (installer, setup wizard, settings page).
WRITTEN = "config.written-at-runtime"
CLASS40 = [
    cell("class40-php-installer-trigger", PHP,
         {"app/install.php": "<?php\nfile_put_contents(DATA_PATH . '/config.php', '<?php return ' . var_export($c, true) . ';');\n"},
         WRITTEN, "app/install.php", "medium"),
    cell("class40-php-installer-lookalike", PHP,
         {"app/export.php": "<?php\nfile_put_contents(DATA_PATH . '/export.opml', $xml);\n"}, WRITTEN),
    cell("class40-python-settings-trigger", PY,
         {"app/setup.py": "def save(cfg):\n    with open(DATA_DIR / 'config.json', 'w') as fh:\n        json.dump(cfg, fh)\n"},
         WRITTEN, "app/setup.py", "medium"),
    cell("class40-python-settings-lookalike", PY,
         {"app/setup.py": "def load():\n    with open(DATA_DIR / 'config.json', 'r') as fh:\n        return json.load(fh)\n"}, WRITTEN),
    cell("class40-node-wizard-trigger", NODE,
         {"src/setup.js": "const fs = require('fs');\nfs.writeFileSync(path.join(root, '.env'), lines.join('\\n'));\n"},
         WRITTEN, "src/setup.js", "medium"),
    cell("class40-node-wizard-lookalike", NODE,
         {"scripts/init-env.js": "const fs = require('fs');\nfs.writeFileSync(path.join(root, '.env'), lines.join('\\n'));\n"},
         WRITTEN),
    cell("class40-go-settings-trigger", GO,
         {"internal/admin/save.go": 'package admin\n\nfunc Save(b []byte) error {\n\treturn os.WriteFile(dataDir+"/config.json", b, 0o600)\n}\n'},
         WRITTEN, "internal/admin/save.go", "medium"),
    cell("class40-go-settings-lookalike", GO,
         {"internal/admin/save.go": 'package admin\n\nfunc Save(b []byte) error {\n\treturn os.WriteFile(dataDir+"/report.csv", b, 0o600)\n}\n'},
         WRITTEN),
    cell("class40-ruby-settings-trigger", RUBY,
         {"app/services/setup.rb": "class Setup\n  def save(yaml)\n    File.write(Rails.root.join('config.yml'), yaml)\n  end\nend\n"},
         WRITTEN, "app/services/setup.rb", "medium"),
    cell("class40-ruby-settings-lookalike", RUBY,
         {"app/services/setup.rb": "class Setup\n  def save(csv)\n    File.write(Rails.root.join('tmp/export.csv'), csv)\n  end\nend\n"},
         WRITTEN),
    cell("class40-java-settings-trigger", JAVA,
         {"src/main/java/a/Setup.java": 'class Setup {\n  void save(String s) throws Exception {\n'
          '    Files.writeString(Path.of("config/application.properties"), s);\n  }\n}\n'},
         WRITTEN, "src/main/java/a/Setup.java", "medium"),
    cell("class40-java-settings-lookalike", JAVA,
         {"src/main/java/a/Export.java": 'class Export {\n  void save(String s) throws Exception {\n'
          '    Files.writeString(Path.of("export/report.csv"), s);\n  }\n}\n'}, WRITTEN),
    cell("class40-dotnet-settings-trigger", DOTNET,
         {"Setup.cs": 'class Setup {\n  void Save(string s) { File.WriteAllText("appsettings.Production.json", s); }\n}\n'},
         WRITTEN, "Setup.cs", "medium"),
    cell("class40-dotnet-settings-lookalike", DOTNET,
         {"Export.cs": 'class Export {\n  void Save(string s) { File.WriteAllText("report.csv", s); }\n}\n'}, WRITTEN),
    cell("class40-rust-settings-trigger", RUST,
         {"src/setup.rs": 'fn save(s: &str) {\n    fs::write("data/config.toml", s).unwrap();\n}\n'}, WRITTEN, "src/setup.rs", "medium"),
    cell("class40-rust-settings-lookalike", RUST,
         {"src/export.rs": 'fn save(s: &str) {\n    fs::write("data/export.csv", s).unwrap();\n}\n'}, WRITTEN),
]

# 41. Hosts that are interface text: a translation catalog's 'host' => 'Hôte', a setting shown to the user.
CLASS41 = [
    cell("class41-php-catalog-trigger", PHP, {"app/Db.php": "<?php\n$pdo = new PDO('mysql:host=db.internal;dbname=app');\n"},
         HOST, "app/Db.php", "high"),
    cell("class41-php-catalog-lookalike", PHP, {"app/i18n/fr/install.php": "<?php\nreturn ['host' => 'Hôte', 'user' => 'Utilisateur'];\n"},
         HOST),
    cell("class41-node-shown-trigger", NODE, {"src/cache.ts": "const client = createClient({ url: 'redis://cache.internal:6379' });\n"},
         HOST, "src/cache.ts", "high"),
    cell("class41-node-shown-lookalike", NODE,
         {"src/pages/Help.tsx": "export const Help = () => (\n  <li onClick={() => copy('REDIS_CON=redis://cache.internal:6379')}>x</li>\n);\n"},
         HOST),
]

CELLS = CLASS31 + CLASS32 + CLASS33 + CLASS34 + CLASS35 + CLASS36 + CLASS37 + CLASS38 + CLASS39 + CLASS40 + CLASS41


@pytest.mark.parametrize("files, check, path, severity", CELLS)
def test_cell(score_tree, files, check, path, severity):
    assert_cell(score_tree(files), check, path, severity, ceiling="low")


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS)
