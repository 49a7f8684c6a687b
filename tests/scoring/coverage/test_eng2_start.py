"""Coverage cells of round 2 (helper eng2-start): migrations and other release work run when the web
process starts instead of in a release step, and release work run by the build.

docs/coverage/eng2-start.md lists the cells (ids `class12s-<row>-<ecosystem>-…`). A trigger must report
the check at the given path and severity; a look-alike must report no counted violation of that
check (above info, outside tests and docs). The trees are a few lines written here, shaped after
the reviewer-labelled misses (a start script run by an inherited Dockerfile CMD, Procfile.CF, an
app's own `--upgrade` before it serves, a pool builder that migrates, a forked migration script …).
"""

from __future__ import annotations

import pytest

from tests.scoring.conftest import findings
from tests.scoring.coverage.cells import assert_cell, assert_paired

MIGRATE = "admin-processes.migrate-on-start"
INSTALL = "build-release-run.install-at-startup"
IN_BUILD = "build-release-run.migrate-in-build"

PY = {"requirements.txt": "django==5.0\ngunicorn==23.0.0\n"}
FASTAPI = {"requirements.txt": "fastapi==0.115.0\nuvicorn==0.30.0\nalembic==1.13.0\n"}
NODE = {"package.json": '{"name": "api", "dependencies": {"express": "4.19.0"}}\n'}
GO = {
    "go.mod": "module example.com/api\n\ngo 1.22\n",
    "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n',
}
RUBY = {"Gemfile": "source 'https://rubygems.org'\ngem 'rails', '7.1.0'\ngem 'puma'\n"}
JAVA = {"pom.xml": "<project><dependencies><dependency><artifactId>dropwizard-core</artifactId></dependency></dependencies></project>\n"}
PHP = {"composer.json": '{"require": {"laravel/framework": "^11.0"}}\n'}
SYMFONY = {"composer.json": '{"require": {"symfony/framework-bundle": "^7.0"}}\n'}
RUST = {"Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\ndiesel = "2"\n'}
DOTNET = {"Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n'}


def cell(id, base, files, check, path=None, severity=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike."""
    return pytest.param({**base, **files}, check, path, severity, id=id)


SH = "#!/bin/sh\nset -e\n"
INHERITED = 'FROM python:3.12-slim AS app\nCOPY . .\nCMD ["./bootstrap.sh"]\n\nFROM node:22 AS assets\nRUN echo\n\nFROM app AS app-plus\nRUN echo plus\n'
NOT_INHERITED = 'FROM node:22 AS assets\nCMD ["./bootstrap.sh"]\n\nFROM python:3.12-slim\nCOPY --from=assets /a /a\n'
PHP_INHERITED = 'FROM php:8.3-fpm AS base\nCOPY . .\nCMD ["/app/docker/bootstrap.sh"]\n\nFROM base AS production\nRUN echo\n'

# Row a: a migration in the start path of a deploy file the engine did not follow before.
CLASS12S_A = [
    # Python: the final stage `FROM app AS app-plus` runs app's CMD, a script that migrates then execs uwsgi
    cell("class12s-a-python-inherited-cmd-trigger", PY,
         {"Dockerfile": INHERITED, "bootstrap.sh": SH + "python manage.py migrate\nexec uwsgi --http :9090 uwsgi.ini\n"},
         MIGRATE, "bootstrap.sh", "high"),
    cell("class12s-a-python-inherited-cmd-lookalike", PY,
         {"Dockerfile": NOT_INHERITED, "bootstrap.sh": SH + "python manage.py migrate\nexec uwsgi --http :9090 uwsgi.ini\n"},
         MIGRATE),
    # Node/TS: a compose file that runs the published image (no build:) deploys the app: high, at the migrate line
    cell("class12s-a-node-image-compose-trigger", NODE,
         {"docker-compose.yml": "services:\n  web:\n    image: vendor/api:1.2.0\n    command:\n      [\n        \"sh\",\n"
                                "        \"-c\",\n        \"npx prisma migrate deploy && node dist/main.js\",\n      ]\n"},
         MIGRATE, "docker-compose.yml", "high"),
    cell("class12s-a-node-image-compose-lookalike", NODE,
         {"docker-compose.yml": "services:\n  migrate:\n    image: vendor/api:1.2.0\n    command: npx prisma migrate deploy\n"
                                "  web:\n    image: vendor/api:1.2.0\n    command: node dist/main.js\n"},
         MIGRATE),
    # Go: the app's own binary upgrades the schema in ExecStartPre before ExecStart runs it
    cell("class12s-a-go-execstartpre-upgrade-trigger", GO,
         {"deploy/api.service": "[Service]\nExecStartPre=/usr/bin/api --config /etc/api.toml --upgrade --yes\n"
                                "ExecStart=/usr/bin/api --config /etc/api.toml\n"},
         MIGRATE, "deploy/api.service", "high"),
    cell("class12s-a-go-execstartpre-upgrade-lookalike", GO,
         {"deploy/api.service": "[Service]\nExecStartPre=/usr/bin/mkdir -p /var/lib/api/uploads\n"
                                "ExecStart=/usr/bin/api --config /etc/api.toml\n"},
         MIGRATE),
    # Ruby: Procfile.CF (Cloud Foundry) is a deploy Procfile; Procfile.dev is a developer's
    cell("class12s-a-ruby-procfile-variant-trigger", RUBY,
         {"Procfile.CF": "web: bundle exec rake db:migrate && bundle exec puma -C config/puma.rb\n"},
         MIGRATE, "Procfile.CF", "high"),
    cell("class12s-a-ruby-procfile-variant-lookalike", RUBY,
         {"Procfile.dev": "web: bundle exec rake db:migrate && bundle exec puma -C config/puma.rb\n"},
         MIGRATE),
    # Java/Kotlin: Dropwizard's `db migrate` command chained before `server` in the web process
    cell("class12s-a-java-dropwizard-chain-trigger", JAVA,
         {"Procfile.prod": "web: java -jar target/api.jar db migrate config.yml && java -jar target/api.jar server config.yml\n"},
         MIGRATE, "Procfile.prod", "high"),
    cell("class12s-a-java-dropwizard-chain-lookalike", JAVA,
         {"Procfile": "release: java -jar target/api.jar db migrate config.yml\nweb: java -jar target/api.jar server config.yml\n"},
         MIGRATE),
    # PHP: the production stage inherits the base stage's CMD, a script that runs artisan migrate
    cell("class12s-a-php-inherited-cmd-trigger", PHP,
         {"Dockerfile": PHP_INHERITED, "docker/bootstrap.sh": SH + "php artisan migrate --force\nexec php-fpm\n"},
         MIGRATE, "docker/bootstrap.sh", "high"),
    cell("class12s-a-php-inherited-cmd-lookalike", PHP,
         {"Dockerfile": PHP_INHERITED, "docker/bootstrap.sh": SH + "php artisan config:cache\nexec php-fpm\n"},
         MIGRATE),
    # Rust: the server binary's `migrate` subcommand chained before the server in the container command
    cell("class12s-a-rust-self-migrate-trigger", RUST,
         {"docker-compose.prod.yml": "services:\n  api:\n    image: vendor/api:1.2.0\n"
                                     "    command: sh -c \"/app/api migrate && /app/api serve\"\n"},
         MIGRATE, "docker-compose.prod.yml", "high"),
    cell("class12s-a-rust-self-migrate-lookalike", RUST,
         {"docker-compose.prod.yml": "services:\n  migrate:\n    image: vendor/api:1.2.0\n    command: /app/api migrate\n"
                                     "  api:\n    image: vendor/api:1.2.0\n    command: /app/api serve\n"},
         MIGRATE),
    # .NET: `dotnet Api.dll --migrate` before `dotnet Api.dll` in the image's command
    cell("class12s-a-dotnet-self-migrate-trigger", DOTNET,
         {"Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCMD dotnet Api.dll --migrate && dotnet Api.dll\n"},
         MIGRATE, "Dockerfile", "high"),
    cell("class12s-a-dotnet-self-migrate-lookalike", DOTNET,
         {"Dockerfile": 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCMD ["dotnet", "Api.dll"]\n',
          "k8s/migrate-job.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n"
                                  "      containers:\n        - name: migrate\n          image: vendor/api:1.2.0\n"
                                  "          command: [\"dotnet\", \"Api.dll\", \"--migrate\"]\n"},
         MIGRATE),
]

GO_MAIN = 'package main\n\nimport "example.com/api/internal/cli"\n\nfunc main() {\n\tcli.Parse()\n}\n'
GO_CLI_TRIGGER = (
    "package cli\n\nfunc Parse() {\n\tdb := connect()\n\tif cfg.RunMigrations {\n\t\tif err := database.Migrate(db); err != nil {\n"
    "\t\t\tpanic(err)\n\t\t}\n\t}\n\thttp.ListenAndServe(\":8080\", router(db))\n}\n"
)
GO_CLI_FLAG = (
    "package cli\n\nfunc Parse() {\n\tdb := connect()\n\tif flagMigrate {\n\t\tif err := database.Migrate(db); err != nil {\n"
    "\t\t\tpanic(err)\n\t\t}\n\t\treturn\n\t}\n\thttp.ListenAndServe(\":8080\", router(db))\n}\n"
)
NODE_SERVER = 'import { checkMigrations } from "./utils/startup";\n\nawait checkMigrations();\napp.listen(process.env.PORT);\n'
NODE_STARTUP = (
    'import { fork } from "node:child_process";\n\nexport function checkMigrations() {\n  return new Promise((resolve) => {\n'
    '    const child = fork(path.join(__dirname, "..", "scripts", "applyMigrations.js"));\n    child.once("exit", resolve);\n  });\n}\n'
)
NODE_SCRIPT = 'import { migrations } from "../storage/database";\n\nasync function main() {\n  await migrations.up();\n}\n\nvoid main();\n'
RUST_MAIN = "mod db;\n\n#[tokio::main]\nasync fn main() {\n    let pool = db::pool::build_pool();\n    serve(pool).await;\n}\n"
RUST_POOL = "pub fn build_pool() -> Pool {\n    let url = std::env::var(\"DATABASE_URL\").unwrap();\n    schema::run(&url);\n    Pool::new(&url)\n}\n"
RUST_SCHEMA = ("pub fn run(url: &str) {\n    apply(url);\n}\n\nfn apply(url: &str) {\n    let mut conn = PgConnection::establish(url).unwrap();\n"
               "    conn.run_pending_migrations(MIGRATIONS).unwrap();\n}\n")
RUST_SCHEMA_TESTS = ("pub fn run(url: &str) -> bool {\n    true\n}\n\n#[cfg(test)]\n#[expect(clippy::unwrap_used)]\nmod tests {\n"
                     "    #[test]\n    fn it_migrates() {\n        let mut conn = PgConnection::establish(URL).unwrap();\n"
                     "        conn.run_pending_migrations(MIGRATIONS).unwrap();\n    }\n}\n")
JAVA_WEB = {"pom.xml": "<project><dependencies><dependency><artifactId>javalin</artifactId></dependency></dependencies></project>\n"}
JAVA_MAIN = ("package app;\n\npublic class Application {\n    public static void main(String[] args) {\n"
             "        var ds = DataSources.build();\n        Javalin.create().start(7070);\n    }\n}\n")
JAVA_POOL = ("package app.db;\n\npublic class DataSources {\n    public static DataSource build() {\n"
             "        var ds = new HikariDataSource();\n        SchemaMigrator.run(ds);\n        return ds;\n    }\n}\n")
JAVA_MIGRATOR = ("package {package};\n\npublic class SchemaMigrator {{\n    public static void run(DataSource ds) {{\n"
                 "        Flyway flyway = Flyway.configure().dataSource(ds).load();\n        flyway.migrate();\n    }}\n}}\n")
DOTNET_PROGRAM = ("var builder = WebApplication.CreateBuilder(args);\nvar host = builder.Build();\n\nawait host.RunMigrationsAsync();\n"
                  "await host.RunAsync();\n")
DOTNET_PROGRAM_FLAG = ("var builder = WebApplication.CreateBuilder(args);\nvar host = builder.Build();\n\nif (args.Contains(\"--migrate\"))\n{\n"
                       "    await host.RunMigrationsAsync();\n    return;\n}\nawait host.RunAsync();\n")

# Row b: schema changes in code the server's start reaches, in shapes the engine did not follow before.
CLASS12S_B = [
    # Python: a script under scripts/ that upgrades the schema and then runs the server is the boot path
    cell("class12s-b-python-migrate-then-serve-trigger", FASTAPI,
         {"scripts/serve.py": "def main():\n    command.upgrade(alembic_cfg, 'head')\n    uvicorn.run(app, host='0.0.0.0')\n"},
         MIGRATE, "scripts/serve.py", "high"),
    cell("class12s-b-python-migrate-then-serve-lookalike", FASTAPI,
         {"scripts/migrate_db.py": "def main():\n    command.upgrade(alembic_cfg, 'head')\n    print('done')\n"},
         MIGRATE),
    # Node/TS: start-up code forks a script that applies Umzug/Sequelize migrations (outline's shape)
    cell("class12s-b-node-forked-script-trigger", NODE,
         {"src/server.ts": NODE_SERVER, "src/utils/startup.ts": NODE_STARTUP, "src/scripts/applyMigrations.ts": NODE_SCRIPT},
         MIGRATE, "src/scripts/applyMigrations.ts", "high"),
    cell("class12s-b-node-forked-script-lookalike", NODE,
         {"src/server.ts": "app.listen(process.env.PORT);\n", "src/scripts/applyMigrations.ts": NODE_SCRIPT,
          "package.json": '{"name": "api", "dependencies": {"express": "4.19.0"}, "scripts": {"db:migrate": "node dist/scripts/applyMigrations.js"}}\n'},
         MIGRATE),
    # Go: the command-line package migrates (RUN_MIGRATIONS) and then serves / a -migrate flag branch that returns
    cell("class12s-b-go-migrate-then-serve-trigger", GO,
         {"cmd/api/main.go": GO_MAIN, "internal/cli/cli.go": GO_CLI_TRIGGER}, MIGRATE, "internal/cli/cli.go", "high"),
    cell("class12s-b-go-migrate-then-serve-lookalike", GO,
         {"cmd/api/main.go": GO_MAIN, "internal/cli/cli.go": GO_CLI_FLAG}, MIGRATE),
    # Ruby: an initializer invoking db:migrate / the same in a Rake task (config/boot.rb requires lib/app/config)
    cell("class12s-b-ruby-initializer-invoke-trigger", RUBY,
         {"config/initializers/schema.rb": "Rails.application.load_tasks\nRake::Task['db:migrate'].invoke\n"},
         MIGRATE, "config/initializers/schema.rb", "high"),
    cell("class12s-b-ruby-initializer-invoke-lookalike", RUBY,
         {"config/boot.rb": "require_relative '../lib/app/config'\n", "lib/app/config.rb": "module App; end\n",
          "lib/tasks/app.rake": "namespace :app do\n  task upgrade: :environment do\n    Rake::Task['db:migrate'].invoke\n  end\nend\n"},
         MIGRATE),
    # Java/Kotlin: the data-source factory the server builds at start runs the Flyway migrator, reported at that call
    cell("class12s-b-java-pool-builder-trigger", JAVA_WEB,
         {"src/main/java/app/Application.java": JAVA_MAIN, "src/main/java/app/db/DataSources.java": JAVA_POOL,
          "src/main/java/app/db/SchemaMigrator.java": JAVA_MIGRATOR.format(package="app.db")},
         MIGRATE, "src/main/java/app/db/DataSources.java", "high"),
    cell("class12s-b-java-pool-builder-lookalike", JAVA_WEB,
         {"src/main/java/app/Application.java": JAVA_MAIN.replace("DataSources.build()", "new HikariDataSource()"),
          "src/main/java/app/migration/SchemaMigrator.java": JAVA_MIGRATOR.format(package="app.migration"),
          "tools/MigrateMain.java": "public class MigrateMain {\n    public static void main(String[] args) {\n"
                                    "        SchemaMigrator.run(dataSource());\n    }\n}\n"},
         MIGRATE),
    # PHP: the web front controller applies pending migrations on every request / a bin/ script does
    cell("class12s-b-php-front-controller-trigger", PHP,
         {"public/index.php": "<?php\nrequire __DIR__ . '/../vendor/autoload.php';\n$result = Minz_Migrator::execute($path, $applied);\n"
                              "$app->run();\n"},
         MIGRATE, "public/index.php", "high"),
    cell("class12s-b-php-front-controller-lookalike", PHP,
         {"public/index.php": "<?php\nrequire __DIR__ . '/../vendor/autoload.php';\n$app->run();\n",
          "cli/migrate.php": "<?php\n$result = Minz_Migrator::execute($path, $applied);\n"},
         MIGRATE),
    # Rust: the pool builder the server calls at start runs the schema set-up (lemmy's shape), reported at that call
    cell("class12s-b-rust-pool-builder-trigger", RUST,
         {"src/main.rs": RUST_MAIN, "src/db/pool.rs": RUST_POOL, "src/db/schema.rs": RUST_SCHEMA},
         MIGRATE, "src/db/pool.rs", "high"),
    cell("class12s-b-rust-pool-builder-lookalike", RUST,
         {"src/main.rs": RUST_MAIN, "src/db/pool.rs": RUST_POOL, "src/db/schema.rs": RUST_SCHEMA_TESTS},
         MIGRATE),
    # .NET: the app's own RunMigrationsAsync before RunAsync / behind a --migrate switch that returns
    cell("class12s-b-dotnet-run-migrations-trigger", DOTNET, {"Program.cs": DOTNET_PROGRAM}, MIGRATE, "Program.cs", "high"),
    cell("class12s-b-dotnet-run-migrations-lookalike", DOTNET, {"Program.cs": DOTNET_PROGRAM_FLAG}, MIGRATE),
]

# Row c: the switch that makes the server migrate at start, turned on where the app is deployed.
CLASS12S_C = [
    cell("class12s-c-python-dockerfile-env-trigger", PY,
         {"Dockerfile": 'FROM python:3.12\nENV RUN_MIGRATIONS=1\nCMD ["gunicorn", "site.wsgi"]\n'}, MIGRATE, "Dockerfile", "medium"),
    cell("class12s-c-python-dockerfile-env-lookalike", PY,
         {"Dockerfile": 'FROM python:3.12\nENV RUN_MIGRATIONS=0\nCMD ["gunicorn", "site.wsgi"]\n'}, MIGRATE),
    cell("class12s-c-node-compose-env-trigger", NODE,
         {"docker-compose.yml": "services:\n  web:\n    image: vendor/api:1.2.0\n    environment:\n      AUTO_MIGRATE: \"true\"\n"},
         MIGRATE, "docker-compose.yml", "medium"),
    cell("class12s-c-node-compose-env-lookalike", NODE,
         {"docker-compose.yml": "services:\n  web:\n    image: vendor/api:1.2.0\n    environment:\n      AUTO_MIGRATE: \"false\"\n",
          "docker-compose.dev.yml": "services:\n  web:\n    build: .\n    environment:\n      AUTO_MIGRATE: \"true\"\n",
          ".github/workflows/ci.yml": "jobs:\n  test:\n    env:\n      AUTO_MIGRATE: \"true\"\n"},
         MIGRATE),
    cell("class12s-c-go-packaged-conf-trigger", GO,
         {"packaging/api.conf": "LISTEN_ADDR=127.0.0.1:8080\nRUN_MIGRATIONS=1\n"}, MIGRATE, "packaging/api.conf", "medium"),
    cell("class12s-c-go-packaged-conf-lookalike", GO,
         {"packaging/api.conf": "LISTEN_ADDR=127.0.0.1:8080\n# RUN_MIGRATIONS=1\nSKIP_DB_MIGRATE=true\nAPP_NO_AUTO_MIGRATE=1\n"}, MIGRATE),
    cell("class12s-c-dotnet-option-default-trigger", DOTNET,
         {"Configuration/ApiOptions.cs": "public class ApiOptions\n{\n    public bool RunMigrationsAtStartup { get; set; } = true;\n}\n"},
         MIGRATE, "Configuration/ApiOptions.cs", "medium"),
    cell("class12s-c-dotnet-option-default-lookalike", DOTNET,
         {"Configuration/ApiOptions.cs": "public class ApiOptions\n{\n    public bool RunMigrationsAtStartup { get; set; } = false;\n}\n"},
         MIGRATE),
]

# Row d: static assets built at every production start (release work that belongs in the build).
CLASS12S_D = [
    cell("class12s-d-python-collectstatic-trigger", PY,
         {"compose/production/django/start": SH + "python /app/manage.py collectstatic --noinput\nexec gunicorn config.wsgi\n"},
         INSTALL, "compose/production/django/start", "medium"),
    cell("class12s-d-python-collectstatic-lookalike", PY,
         {"compose/local/django/start": SH + "python manage.py migrate\npython manage.py collectstatic --noinput\n"
                                           "exec python manage.py runserver 0.0.0.0:8000\n"},
         INSTALL),
    cell("class12s-d-ruby-assets-precompile-trigger", RUBY,
         {"bin/docker-entrypoint": SH + "bundle exec rails assets:precompile\nexec \"$@\"\n"},
         INSTALL, "bin/docker-entrypoint", "medium"),
    cell("class12s-d-ruby-assets-precompile-lookalike", RUBY,
         {"Dockerfile": "FROM ruby:3.3\nRUN bundle exec rails assets:precompile\nCMD [\"bin/rails\", \"server\"]\n"},
         INSTALL),
    cell("class12s-d-php-assets-install-trigger", SYMFONY,
         {"docker/entrypoint.sh": SH + "php bin/console assets:install public\nexec php-fpm\n"},
         INSTALL, "docker/entrypoint.sh", "medium"),
    cell("class12s-d-php-assets-install-lookalike", SYMFONY,
         {"Dockerfile": "FROM php:8.3-fpm\nRUN php bin/console assets:install public\nCMD [\"php-fpm\"]\n"},
         INSTALL),
]

# Row e: the build migrates the database (build mixed with release).
CLASS12S_E = [
    cell("class12s-e-node-heroku-postbuild-trigger", NODE,
         {"package.json": '{"name": "api", "dependencies": {"express": "4.19.0"}, "scripts": {"build": "tsc",\n'
                          '  "heroku-postbuild": "yarn build && yarn db:migrate", "db:migrate": "sequelize db:migrate"}}\n'},
         IN_BUILD, "package.json", "medium"),
    cell("class12s-e-node-heroku-postbuild-lookalike", NODE,
         {"package.json": '{"name": "api", "dependencies": {"express": "4.19.0"}, "scripts": {"build": "tsc",\n'
                          '  "heroku-postbuild": "yarn build", "db:migrate": "sequelize db:migrate"}}\n',
          "Procfile": "release: yarn db:migrate\nweb: node dist/server.js\n"},
         IN_BUILD),
    cell("class12s-e-python-post-compile-trigger", PY,
         {"bin/post_compile": SH + "python manage.py collectstatic --noinput\npython manage.py migrate\n"},
         IN_BUILD, "bin/post_compile", "medium"),
    cell("class12s-e-python-post-compile-lookalike", PY,
         {"bin/post_compile": SH + "python manage.py collectstatic --noinput\npython manage.py compilemessages\n"},
         IN_BUILD),
    cell("class12s-e-go-dockerfile-run-trigger", GO,
         {"Dockerfile": "FROM golang:1.22\nRUN goose -dir migrations postgres \"$DSN\" up\nCMD [\"/app\"]\n"}, IN_BUILD, "Dockerfile", "medium"),
    cell("class12s-e-go-dockerfile-run-lookalike", GO,
         {"Dockerfile": "FROM golang:1.22\nRUN go build -o /app ./cmd/api\nCMD [\"/app\"]\n"}, IN_BUILD),
    cell("class12s-e-ruby-dockerfile-run-trigger", RUBY,
         {"Dockerfile": "FROM ruby:3.3\nRUN bundle exec rails db:migrate\nCMD [\"bin/rails\", \"server\"]\n"}, IN_BUILD, "Dockerfile", "medium"),
    cell("class12s-e-ruby-dockerfile-run-lookalike", RUBY,
         {"Dockerfile": "FROM ruby:3.3\nRUN bundle exec rails assets:precompile\nCMD [\"bin/rails\", \"server\"]\n"}, IN_BUILD),
    cell("class12s-e-java-render-build-trigger", JAVA,
         {"render.yaml": "services:\n  - type: web\n    name: api\n    buildCommand: ./mvnw package && flyway -url=$DB_URL migrate\n"
                         "    startCommand: java -jar target/api.jar\n"}, IN_BUILD, "render.yaml", "medium"),
    cell("class12s-e-java-render-build-lookalike", JAVA,
         {"render.yaml": "services:\n  - type: web\n    name: api\n    buildCommand: ./mvnw package\n"
                         "    preDeployCommand: flyway -url=$DB_URL migrate\n    startCommand: java -jar target/api.jar\n"}, IN_BUILD),
    cell("class12s-e-php-dockerfile-run-trigger", PHP,
         {"Dockerfile": "FROM php:8.3-fpm\nRUN php artisan migrate --force\nCMD [\"php-fpm\"]\n"}, IN_BUILD, "Dockerfile", "medium"),
    cell("class12s-e-php-dockerfile-run-lookalike", PHP,
         {"Dockerfile": "FROM php:8.3-fpm\nRUN composer install --no-dev\nCMD [\"php-fpm\"]\n"}, IN_BUILD),
    cell("class12s-e-rust-build-script-trigger", RUST,
         {"scripts/render-build.sh": SH + "cargo build --release\ndiesel migration run\n"}, IN_BUILD, "scripts/render-build.sh", "medium"),
    cell("class12s-e-rust-build-script-lookalike", RUST,
         {"scripts/render-build.sh": SH + "cargo build --release\n"}, IN_BUILD),
    cell("class12s-e-dotnet-dockerfile-run-trigger", DOTNET,
         {"Dockerfile": "FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN dotnet ef database update\nCMD [\"dotnet\", \"Api.dll\"]\n"},
         IN_BUILD, "Dockerfile", "medium"),
    cell("class12s-e-dotnet-dockerfile-run-lookalike", DOTNET,
         {"Dockerfile": "FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN dotnet publish -c Release -o /out\nCMD [\"dotnet\", \"Api.dll\"]\n"},
         IN_BUILD),
]

CELLS = CLASS12S_A + CLASS12S_B + CLASS12S_C + CLASS12S_D + CLASS12S_E


@pytest.mark.parametrize("files, check, path, severity", CELLS)
def test_it_covers_the_cell(score_tree, files, check, path, severity):
    assert_cell(score_tree(files), check, path, severity)


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS)


def test_a_library_call_that_migrates_is_reported_where_the_server_code_calls_it(score_tree):
    report = score_tree({**RUST, "src/main.rs": RUST_MAIN, "src/db/pool.rs": RUST_POOL, "src/db/schema.rs": RUST_SCHEMA})
    lines = {(f.path, f.line) for f in findings(report, MIGRATE, violations_only=True)}
    assert ("src/db/pool.rs", 3) in lines, lines


def test_a_multi_line_compose_command_is_reported_at_the_migration(score_tree):
    report = score_tree({**CLASS12S_A[2].values[0]})
    assert [f.line for f in findings(report, MIGRATE, violations_only=True)] == [8]


@pytest.mark.parametrize(
    "command",
    [
        "pip install --upgrade pip && pip install -r requirements.txt && gunicorn site.wsgi",
        "apt-get update && apt-get upgrade -y && ./api",
        "helm upgrade --install api ./chart && ./api",
        "./api --check-config && ./api",
    ],
)
def test_an_upgrade_word_of_another_program_is_not_the_app_migrating(score_tree, command):
    report = score_tree({**GO, "Procfile": f"web: {command}\n"})
    assert findings(report, MIGRATE, violations_only=True) == []


def test_an_init_function_that_returns_its_engine_is_still_the_boot_path(score_tree):
    report = score_tree({
        **FASTAPI,
        "app/db.py": "def init_db():\n    Base.metadata.create_all(engine)\n    return engine\n",
        "app/main.py": "from app import db\n\n@asynccontextmanager\nasync def lifespan(app):\n    db.init_db()\n    yield\n\n"
                       "app = FastAPI(lifespan=lifespan)\n",
    })
    assert "app/db.py" in {f.path for f in findings(report, MIGRATE, violations_only=True)}


def test_an_early_return_that_is_not_a_command_line_branch_stays_on_the_boot_path(score_tree):
    report = score_tree({
        **{"requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\nsqlalchemy==2.0.0\n"},
        "app/plugins/migrations.py": "def upgrade():\n    if database_url.startswith('sqlite'):\n        db.create_all()\n        return\n"
                                     "    run_alembic()\n",
        "app/__init__.py": "from app.plugins.migrations import upgrade\n\ndef create_app():\n    app = Flask(__name__)\n"
                           "    upgrade()\n    return app\n",
    })
    assert "app/plugins/migrations.py" in {f.path for f in findings(report, MIGRATE, violations_only=True)}


def test_a_development_dockerfile_does_not_claim_the_production_script_of_the_same_name(score_tree):
    entrypoint = SH + "until pg_isready -h db; do sleep 1; done\nexec \"$@\"\n"
    report = score_tree({
        **PY,
        "compose/local/django/Dockerfile": 'FROM python:3.12\nENTRYPOINT ["/entrypoint"]\n',
        "compose/local/django/entrypoint": entrypoint,
        "compose/production/django/Dockerfile": 'FROM python:3.12\nENTRYPOINT ["/entrypoint"]\nCMD ["/start"]\n',
        "compose/production/django/entrypoint": entrypoint,
    })
    slow = {f.path for f in findings(report, "disposability.slow-startup", violations_only=True)}
    assert "compose/production/django/entrypoint" in slow and "compose/local/django/entrypoint" not in slow, slow
