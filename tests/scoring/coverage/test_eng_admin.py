"""Coverage cells of issue 8, classes 2 (schema changes at start-up), 9 (build/release/run mixing) and
the disposability violations of the start path: one trigger and one look-alike per ecosystem cell.

docs/coverage/eng-admin.md lists the cells; each row here says in its id which cell it proves.
A trigger must report the check at the given path and severity; a look-alike must report no
violation of that check (above info) outside tests and docs.
"""

import pytest

from tests.scoring.coverage.cells import assert_cell, assert_paired

MIGRATE = "admin-processes.migrate-on-start"
INSTALL = "build-release-run.install-at-startup"
IMAGE_SECRETS = "build-release-run.secrets-in-build"
MOUNTED = "build-release-run.source-mounted"
SIGNALS = "disposability.signal-forwarding"
SLOW = "disposability.slow-startup"

PY = {"requirements.txt": "flask==3.0.0\ngunicorn==23.0.0\nsqlalchemy==2.0.0\n"}
NODE = {"package.json": '{"name": "api", "dependencies": {"express": "4.19.0"}}\n'}
GO = {"go.mod": "module example.com/api\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n"}
RUBY = {"Gemfile": "source 'https://rubygems.org'\ngem 'rails', '7.1.0'\ngem 'puma'\n"}
JAVA = {
    "pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency>"
    "</dependencies></project>\n"
}
PHP = {"composer.json": '{"require": {"laravel/framework": "^11.0"}}\n'}
RUST = {"Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n'}
DOTNET = {
    "Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup>'
    '<PackageReference Include="Microsoft.AspNetCore.OpenApi" Version="8.0.0" /></ItemGroup></Project>\n'
}


def cell(id, base, files, check, path=None, severity=None):
    """A trigger when `path` is given (the check reports there at `severity`), else a look-alike."""
    return pytest.param({**base, **files}, check, path, severity, id=id)


def _k8s_deployment(command: str) -> str:
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
        f"      containers:\n        - name: web\n          image: app:1.0\n          command: {command}\n"
    )


CLASS2_BOOT_CODE = [
    # Flask app factory creating tables / the same call in a `flask init-db` CLI command
    cell(
        "class2-python-flask-trigger",
        PY,
        {
            "app/__init__.py": "def create_app():\n    app = Flask(__name__)\n"
            "    with app.app_context():\n        db.create_all()\n    return app\n"
        },
        MIGRATE,
        "app/__init__.py",
        "high",
    ),
    cell(
        "class2-python-flask-lookalike",
        PY,
        {
            "app/__init__.py": "def create_app():\n    app = Flask(__name__)\n"
            "    return app\n\n\n@app.cli.command('init-db')\ndef init_db():\n    db.create_all()\n"
        },
        MIGRATE,
    ),
    # sequelize.sync() before listen / sync mentioned in a comment
    cell(
        "class2-node-sequelize-trigger",
        NODE,
        {
            "src/server.js": "const { sequelize } = require('./models');\n"
            "sequelize.sync({ alter: true }).then(() => app.listen(process.env.PORT));\n"
        },
        MIGRATE,
        "src/server.js",
        "high",
    ),
    cell(
        "class2-node-sequelize-lookalike",
        NODE,
        {
            "src/server.js": "// never call sequelize.sync() here: run `npm run migrate`\n"
            "app.listen(process.env.PORT);\n"
        },
        MIGRATE,
    ),
    # GORM AutoMigrate in main / in a separate migrate program
    cell(
        "class2-go-gorm-trigger",
        GO,
        {"main.go": "package main\n\nfunc main() {\n\tdb.AutoMigrate(&User{})\n\tr.Run()\n}\n"},
        MIGRATE,
        "main.go",
        "high",
    ),
    cell(
        "class2-go-gorm-lookalike",
        GO,
        {"cmd/migrate/main.go": "package main\n\nfunc main() {\n\tdb.AutoMigrate(&User{})\n}\n"},
        MIGRATE,
    ),
    # a Rails initializer running pending migrations / the same code in a rake task
    cell(
        "class2-ruby-rails-trigger",
        RUBY,
        {"config/initializers/migrate.rb": "ActiveRecord::MigrationContext.new('db/migrate').migrate\n"},
        MIGRATE,
        "config/initializers/migrate.rb",
        "high",
    ),
    cell(
        "class2-ruby-rails-lookalike",
        RUBY,
        {"lib/tasks/db.rake": "task :up do\n  ActiveRecord::MigrationContext.new('db/migrate').migrate\nend\n"},
        MIGRATE,
    ),
    # Flyway.migrate() in a @PostConstruct bean / in a test
    cell(
        "class2-java-flyway-trigger",
        JAVA,
        {
            "src/main/java/app/Db.java": "@Component\nclass Db {\n  @PostConstruct\n"
            "  void init() {\n    Flyway flyway = Flyway.configure().dataSource(ds).load();\n    flyway.migrate();\n  }\n}\n"
        },
        MIGRATE,
        "src/main/java/app/Db.java",
        "high",
    ),
    cell(
        "class2-java-flyway-lookalike",
        JAVA,
        {"src/test/java/app/DbTest.java": "class DbTest {\n  void setUp() {\n    flyway.migrate();\n  }\n}\n"},
        MIGRATE,
    ),
    # Artisan::call('migrate') in a service provider's boot() / in an Artisan command class
    cell(
        "class2-php-laravel-trigger",
        PHP,
        {
            "app/Providers/AppServiceProvider.php": "<?php\nclass AppServiceProvider {\n"
            "    public function boot() {\n        Artisan::call('migrate', ['--force' => true]);\n    }\n}\n"
        },
        MIGRATE,
        "app/Providers/AppServiceProvider.php",
        "high",
    ),
    cell(
        "class2-php-laravel-lookalike",
        PHP,
        {
            "app/Console/Commands/Setup.php": "<?php\nclass Setup {\n"
            "    public function handle() {\n        Artisan::call('migrate');\n    }\n}\n"
        },
        MIGRATE,
    ),
    # sqlx::migrate!().run in main / in a src/bin one-off binary
    cell(
        "class2-rust-sqlx-trigger",
        RUST,
        {
            "src/main.rs": "#[tokio::main]\nasync fn main() {\n"
            '    sqlx::migrate!("./migrations").run(&pool).await.unwrap();\n}\n'
        },
        MIGRATE,
        "src/main.rs",
        "high",
    ),
    cell(
        "class2-rust-sqlx-lookalike",
        RUST,
        {
            "src/bin/migrate.rs": 'fn main() {\n    sqlx::migrate!("./migrations").run(&pool);\n}\n',
            "src/main.rs": "fn main() {}\n",
        },
        MIGRATE,
    ),
    # EF Core Database.Migrate() in Program.cs / in a migrations-only tool project
    cell(
        "class2-dotnet-efcore-trigger",
        DOTNET,
        {
            "Program.cs": "var app = builder.Build();\n"
            "using (var scope = app.Services.CreateScope()) {\n    scope.ServiceProvider.GetRequiredService<AppDb>().Database.Migrate();\n}\n"
            "app.Run();\n"
        },
        MIGRATE,
        "Program.cs",
        "high",
    ),
    cell(
        "class2-dotnet-efcore-lookalike",
        DOTNET,
        {
            "tools/Migrator/Program.cs": "db.Database.Migrate();\n",
            "Program.cs": "var app = builder.Build();\napp.Run();\n",
        },
        MIGRATE,
    ),
]

CLASS2_FLASK_MIGRATE = [
    # Flask-Migrate's upgrade() in the app factory / in a `flask deploy` CLI command; another module's upgrade()
    cell(
        "class2-python-flask-migrate-trigger",
        PY,
        {
            "app/__init__.py": "from flask_migrate import upgrade\n\n\ndef create_app():\n    app = Flask(__name__)\n"
            "    with app.app_context():\n        upgrade()\n    return app\n"
        },
        MIGRATE,
        "app/__init__.py",
        "high",
    ),
    cell(
        "class2-python-flask-migrate-lookalike",
        PY,
        {
            "app/__init__.py": "from flask_migrate import upgrade\n\n\ndef create_app():\n    return Flask(__name__)\n\n\n"
            "@app.cli.command()\ndef deploy():\n    upgrade()\n",
            "app/main.py": "from pip._internal import upgrade\n\nupgrade()\n",
        },
        MIGRATE,
    ),
]

CLASS2_ACROSS_FILES = [
    # FastAPI lifespan calls init_db() defined in db.py / db.py's init_db only run by a script
    cell(
        "class2-python-fastapi-hop-trigger",
        PY,
        {
            "app/main.py": "from app.db import init_db\n\n@asynccontextmanager\nasync def lifespan(app):\n    init_db()\n    yield\n\n"
            "app = FastAPI(lifespan=lifespan)\n",
            "app/db.py": "def init_db():\n    SQLModel.metadata.create_all(engine)\n",
        },
        MIGRATE,
        "app/db.py",
        "high",
    ),
    cell(
        "class2-python-fastapi-hop-lookalike",
        PY,
        {
            "app/main.py": "app = FastAPI()\n",
            "app/db.py": "def init_db():\n    SQLModel.metadata.create_all(engine)\n",
            "app/initial_data.py": "from app.db import init_db\n\ninit_db()\n",
        },
        MIGRATE,
    ),
    # server.ts imports and calls a migrate helper (a file named like a one-off) / an npm script runs it
    cell(
        "class2-node-knex-hop-trigger",
        NODE,
        {
            "src/server.ts": "import { migrateDb } from './db/migrate';\n\nawait migrateDb();\napp.listen(process.env.PORT);\n",
            "src/db/migrate.ts": "export async function migrateDb() {\n  await knex.migrate.latest();\n}\n",
        },
        MIGRATE,
        "src/db/migrate.ts",
        "high",
    ),
    cell(
        "class2-node-knex-hop-lookalike",
        {"package.json": '{"dependencies": {"express": "4"}, "scripts": {"migrate": "ts-node src/db/migrate.ts"}}\n'},
        {
            "src/server.ts": "app.listen(process.env.PORT);\n",
            "src/db/migrate.ts": "export async function migrateDb() {\n  await knex.migrate.latest();\n}\nmigrateDb();\n",
        },
        MIGRATE,
    ),
    # a monorepo's shared Infrastructure project, reached from the web's Program.cs / not called by it
    cell(
        "class2-dotnet-shared-hop-trigger",
        {},
        {
            "src/Web/Web.csproj": DOTNET["Api.csproj"],
            "src/Web/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
            "src/Web/Program.cs": "var app = builder.Build();\nawait CatalogSeed.SeedAsync(db);\napp.Run();\n",
            "src/Api/Api.csproj": DOTNET["Api.csproj"],
            "src/Api/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
            "src/Api/Program.cs": "var app = builder.Build();\napp.Run();\n",
            "src/Infrastructure/Data/CatalogSeed.cs": "public class CatalogSeed {\n  public static async Task SeedAsync(Db db) {\n"
            "    db.Database.Migrate();\n  }\n}\n",
        },
        MIGRATE,
        "src/Infrastructure/Data/CatalogSeed.cs",
        "high",
    ),
    cell(
        "class2-dotnet-shared-hop-lookalike",
        {},
        {
            "src/Web/Web.csproj": DOTNET["Api.csproj"],
            "src/Web/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
            "src/Web/Program.cs": "var app = builder.Build();\napp.Run();\n",
            "src/Api/Api.csproj": DOTNET["Api.csproj"],
            "src/Api/Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
            "src/Api/Program.cs": "var app = builder.Build();\napp.Run();\n",
            "src/Infrastructure/Data/CatalogSeed.cs": "public class CatalogSeed {\n  public static async Task SeedAsync(Db db) {\n"
            "    db.Database.Migrate();\n  }\n}\n",
        },
        MIGRATE,
    ),
    # a Go server calling its store package's Migrate / a separate cmd/migrate program
    cell(
        "class2-go-package-hop-trigger",
        GO,
        {
            "cmd/server/main.go": "package main\n\nfunc main() {\n\tstore.Migrate(db)\n\thttp.ListenAndServe(addr, nil)\n}\n",
            "internal/store/migrate.go": 'package store\n\nfunc Migrate(db *sql.DB) {\n\tgoose.Up(db, "migrations")\n}\n',
        },
        MIGRATE,
        "internal/store/migrate.go",
        "high",
    ),
    # a Spring Boot main calling a migrator class kept in a migration/ package / only a separate tools/ main calls it
    cell(
        "class2-java-hop-trigger",
        JAVA,
        {
            "src/main/java/app/Application.java": "@SpringBootApplication\npublic class Application {\n"
            "  public static void main(String[] args) {\n    new Migrator(ds()).migrateAll();\n"
            "    SpringApplication.run(Application.class, args);\n  }\n}\n",
            "src/main/java/app/migration/Migrator.java": "public class Migrator {\n  public void migrateAll() {\n"
            "    Flyway.configure().dataSource(ds).load().migrate();\n  }\n}\n",
        },
        MIGRATE,
        "src/main/java/app/migration/Migrator.java",
        "high",
    ),
    cell(
        "class2-java-hop-lookalike",
        JAVA,
        {
            "src/main/java/app/Application.java": "@SpringBootApplication\npublic class Application {\n"
            "  public static void main(String[] args) {\n    SpringApplication.run(Application.class, args);\n"
            "  }\n}\n",
            "src/main/java/app/tools/MigrateMain.java": "public class MigrateMain {\n  public static void main(String[] a) {\n"
            "    new Migrator(ds()).migrateAll();\n  }\n}\n",
            "src/main/java/app/migration/Migrator.java": "public class Migrator {\n  public void migrateAll() {\n"
            "    Flyway.configure().dataSource(ds).load().migrate();\n  }\n}\n",
        },
        MIGRATE,
    ),
    # main.rs calling the migrate module's function / only a src/bin one-off binary calls it
    cell(
        "class2-rust-hop-trigger",
        RUST,
        {
            "src/main.rs": "mod migrate;\n\n#[tokio::main]\nasync fn main() {\n    migrate::run_migrations(&mut conn);\n    serve().await;\n}\n",
            "src/migrate.rs": "pub fn run_migrations(conn: &mut PgConnection) {\n    conn.run_pending_migrations(MIGRATIONS).unwrap();\n}\n",
        },
        MIGRATE,
        "src/migrate.rs",
        "high",
    ),
    cell(
        "class2-rust-hop-lookalike",
        RUST,
        {
            "src/main.rs": "#[tokio::main]\nasync fn main() {\n    serve().await;\n}\n",
            "src/bin/migrate.rs": "fn main() {\n    api::migrate::run_migrations(&mut conn);\n}\n",
            "src/migrate.rs": "pub fn run_migrations(conn: &mut PgConnection) {\n    conn.run_pending_migrations(MIGRATIONS).unwrap();\n}\n",
        },
        MIGRATE,
    ),
    cell(
        "class2-go-package-hop-lookalike",
        GO,
        {
            "cmd/server/main.go": "package main\n\nfunc main() {\n\thttp.ListenAndServe(addr, nil)\n}\n",
            "cmd/migrate/main.go": 'package main\n\nfunc main() {\n\tgoose.Up(db, "migrations")\n}\n',
        },
        MIGRATE,
    ),
]

CLASS2_START_COMMANDS = [
    # Dockerfile CMD migrating then serving / the migration as a Procfile release phase
    cell(
        "class2-python-command-trigger",
        PY,
        {"Dockerfile": "FROM python:3.12\nCMD python manage.py migrate && gunicorn app.wsgi\n"},
        MIGRATE,
        "Dockerfile",
        "high",
    ),
    cell(
        "class2-python-command-lookalike",
        PY,
        {"Procfile": "web: gunicorn app.wsgi\nrelease: python manage.py migrate\n"},
        MIGRATE,
    ),
    # CMD npm start → package.json start chain with prisma / the migration in its own script run by a Job
    cell(
        "class2-node-package-json-chain-trigger",
        {},
        {
            "package.json": '{"dependencies": {"express": "4"}, "scripts": {"start": "prisma migrate deploy && node dist/main.js"}}\n',
            "Dockerfile": 'FROM node:20\nCMD ["npm", "start"]\n',
        },
        MIGRATE,
        "package.json",
        "high",
    ),
    cell(
        "class2-node-package-json-chain-lookalike",
        {},
        {
            "package.json": '{"dependencies": {"express": "4"}, "scripts": {"start": "node dist/main.js", '
            '"migrate": "prisma migrate deploy"}}\n',
            "Dockerfile": 'FROM node:20\nCMD ["npm", "start"]\n',
            "k8s/migrate.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\nspec:\n  template:\n    spec:\n"
            '      containers:\n        - name: m\n          image: app:1\n          command: ["npm", "run", "migrate"]\n',
        },
        MIGRATE,
    ),
    # the platform's default `npm start` with no deploy file / a dev-only script
    cell(
        "class2-node-platform-start-trigger",
        {},
        {
            "package.json": '{"dependencies": {"express": "4"}, "scripts": {"start": "knex migrate:latest && node server.js"}}\n'
        },
        MIGRATE,
        "package.json",
        "high",
    ),
    cell(
        "class2-node-platform-start-lookalike",
        {},
        {
            "package.json": '{"dependencies": {"express": "4"}, "scripts": {"start": "node server.js", '
            '"setup": "knex migrate:latest"}}\n'
        },
        MIGRATE,
    ),
    # golang-migrate in the entrypoint script / in a compose one-off migrate service
    cell(
        "class2-go-entrypoint-trigger",
        GO,
        {
            "Dockerfile": 'FROM alpine:3.20\nENTRYPOINT ["/entrypoint.sh"]\n',
            "entrypoint.sh": '#!/bin/sh\nmigrate -path /migrations -database "$DATABASE_URL" up\nexec /server\n',
        },
        MIGRATE,
        "entrypoint.sh",
        "high",
    ),
    cell(
        "class2-go-entrypoint-lookalike",
        GO,
        {
            "docker-compose.yml": "services:\n  migrate:\n    image: migrate/migrate:v4.17.0\n"
            '    command: ["-path", "/migrations", "-database", "$DATABASE_URL", "up"]\n'
        },
        MIGRATE,
    ),
    # Rails docker-entrypoint running db:prepare / bin/setup (a developer's bootstrap)
    cell(
        "class2-ruby-entrypoint-trigger",
        RUBY,
        {
            "Dockerfile": 'FROM ruby:3.3\nENTRYPOINT ["/rails/bin/docker-entrypoint"]\nCMD ["./bin/rails", "server"]\n',
            "bin/docker-entrypoint": '#!/bin/bash -e\nif [ "${@: -2:1}" == "./bin/rails" ]; then\n  ./bin/rails db:prepare\nfi\nexec "${@}"\n',
        },
        MIGRATE,
        "bin/docker-entrypoint",
        "high",
    ),
    cell(
        "class2-ruby-entrypoint-lookalike",
        RUBY,
        {"bin/setup": "#!/bin/bash\nbundle install\nbin/rails db:prepare\n"},
        MIGRATE,
    ),
    # a Flyway CLI step in a Kubernetes container command / Flyway as a Kubernetes Job
    cell(
        "class2-java-k8s-trigger",
        JAVA,
        {"k8s/web.yaml": _k8s_deployment('["sh", "-c", "flyway -url=$JDBC_URL migrate && exec java -jar /app.jar"]')},
        MIGRATE,
        "k8s/web.yaml",
        "high",
    ),
    cell(
        "class2-java-k8s-lookalike",
        JAVA,
        {
            "k8s/migrate.yaml": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: flyway\nspec:\n"
            "  template:\n    spec:\n      containers:\n        - name: flyway\n          image: flyway/flyway:10\n"
            '          command: ["flyway", "migrate"]\n'
        },
        MIGRATE,
    ),
    # supervisord program migrating at container start / a composer "setup" script
    cell(
        "class2-php-supervisor-trigger",
        PHP,
        {
            "Dockerfile": 'FROM php:8.3-fpm\nCMD ["supervisord", "-c", "/etc/supervisord.conf"]\n',
            "docker/supervisord.conf": "[supervisord]\nnodaemon=true\n\n[program:migrate]\ncommand=php /var/www/artisan migrate --force\n"
            "autorestart=false\n\n[program:php-fpm]\ncommand=php-fpm -F\n",
        },
        MIGRATE,
        "docker/supervisord.conf",
        "high",
    ),
    cell(
        "class2-php-supervisor-lookalike",
        {},
        {
            "composer.json": '{"require": {"laravel/framework": "^11.0"}, "scripts": '
            '{"setup": ["composer install", "@php artisan migrate --force"]}}\n'
        },
        MIGRATE,
    ),
    # an s6-overlay oneshot that migrates at every container start / a database image's first-init script
    cell(
        "class2-php-s6-trigger",
        PHP,
        {
            "Dockerfile": 'FROM php:8.3-fpm\nENTRYPOINT ["/init"]\n',
            "docker/etc/s6-overlay/s6-rc.d/migrate/up": "php /var/www/artisan migrate --force\n",
        },
        MIGRATE,
        "docker/etc/s6-overlay/s6-rc.d/migrate/up",
        "high",
    ),
    cell(
        "class2-php-s6-lookalike",
        PHP,
        {
            "docker/postgres/docker-entrypoint-initdb.d/init.sh": "#!/bin/sh\npsql -c 'create database app'\nphp artisan migrate --force\n"
        },
        MIGRATE,
    ),
    # sqlx migrate run in the start script / in a CI workflow
    cell(
        "class2-rust-start-script-trigger",
        RUST,
        {
            "Dockerfile": 'FROM debian:12-slim\nCMD ["/app/start.sh"]\n',
            "start.sh": "#!/bin/sh\nsqlx migrate run\nexec /app/server\n",
        },
        MIGRATE,
        "start.sh",
        "high",
    ),
    cell(
        "class2-rust-start-script-lookalike",
        RUST,
        {
            ".github/workflows/deploy.yml": "on: push\njobs:\n  migrate:\n"
            "    runs-on: ubuntu-latest\n    steps:\n      - run: sqlx migrate run\n"
        },
        MIGRATE,
    ),
    # an EF migration bundle run before the app in CMD / in a release phase
    cell(
        "class2-dotnet-command-trigger",
        DOTNET,
        {
            "Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\n"
            'CMD ./efbundle --connection "$DB" && dotnet Api.dll\n'
        },
        MIGRATE,
        "Dockerfile",
        "high",
    ),
    cell(
        "class2-dotnet-command-lookalike",
        DOTNET,
        {
            "heroku.yml": "build:\n  docker:\n    web: Dockerfile\nrelease:\n"
            "  command:\n    - ./efbundle\nrun:\n  web: dotnet Api.dll\n"
        },
        MIGRATE,
    ),
]

CLASS2_SETTINGS = [
    # spring.sql.init.mode=always in a deployed profile / in the test profile
    cell(
        "class2-java-spring-sql-init-trigger",
        JAVA,
        {
            "src/main/resources/application-postgres.properties": "spring.datasource.url=${DB_URL}\nspring.sql.init.mode=always\n"
        },
        MIGRATE,
        "src/main/resources/application-postgres.properties",
        "high",
    ),
    cell(
        "class2-java-spring-sql-init-lookalike",
        JAVA,
        {
            "src/main/resources/application.properties": "spring.sql.init.mode=embedded\n",
            "src/main/resources/application-test.properties": "spring.sql.init.mode=always\n",
        },
        MIGRATE,
    ),
    # Hibernate ddl-auto: update in YAML / validate
    cell(
        "class2-java-ddl-auto-yaml-trigger",
        JAVA,
        {"src/main/resources/application.yml": "spring:\n  jpa:\n    hibernate:\n      ddl-auto: update\n"},
        MIGRATE,
        "src/main/resources/application.yml",
        "high",
    ),
    cell(
        "class2-java-ddl-auto-yaml-lookalike",
        JAVA,
        {"src/main/resources/application.yml": "spring:\n  jpa:\n    hibernate:\n      ddl-auto: validate\n"},
        MIGRATE,
    ),
    # Spring Boot auto-runs Flyway (medium) / disabled in the app, migrated by a release step
    cell(
        "class2-java-spring-flyway-auto-trigger",
        {},
        {
            "pom.xml": JAVA["pom.xml"].replace(
                "</dependencies>", "<dependency><artifactId>flyway-core</artifactId></dependency></dependencies>"
            )
        },
        MIGRATE,
        "pom.xml",
        "medium",
    ),
    cell(
        "class2-java-spring-flyway-auto-lookalike",
        {},
        {
            "pom.xml": JAVA["pom.xml"].replace(
                "</dependencies>", "<dependency><artifactId>flyway-core</artifactId></dependency></dependencies>"
            ),
            "src/main/resources/application.properties": "spring.flyway.enabled=false\n",
        },
        MIGRATE,
    ),
    # TypeORM synchronize in ormconfig.json / synchronize off
    cell(
        "class2-node-typeorm-config-trigger",
        NODE,
        {"ormconfig.json": '{"type": "postgres", "synchronize": true}\n'},
        MIGRATE,
        "ormconfig.json",
        "high",
    ),
    cell(
        "class2-node-typeorm-config-lookalike",
        NODE,
        {"ormconfig.json": '{"type": "postgres", "synchronize": false}\n'},
        MIGRATE,
    ),
    # TypeORM synchronize: true in code / gated on the environment
    cell(
        "class2-node-typeorm-code-trigger",
        NODE,
        {"src/app.module.ts": "TypeOrmModule.forRoot({ type: 'postgres', synchronize: true })\n"},
        MIGRATE,
        "src/app.module.ts",
        "high",
    ),
    cell(
        "class2-node-typeorm-code-lookalike",
        NODE,
        {
            "src/app.module.ts": "TypeOrmModule.forRoot({ type: 'postgres', synchronize: process.env.NODE_ENV === 'test' })\n"
        },
        MIGRATE,
    ),
]

CLASS2_DOCS = [
    # README deploy section chaining migrate && start (low, counted) / the same chain under a development heading
    cell(
        "class2-node-readme-deploy-trigger",
        NODE,
        {
            "README.md": "# API\n\n## Deploy on a remote server\n\n```shell\n"
            "npm ci && npx prisma migrate deploy && node dist/main.js\n```\n"
        },
        MIGRATE,
        "README.md",
        "low",
    ),
    cell(
        "class2-node-readme-deploy-lookalike",
        NODE,
        {
            "README.md": "# API\n\n## Local development\n\n```shell\n"
            "# deploy the schema to your local database\nnpm ci && npx prisma migrate deploy && node dist/main.js\n```\n"
        },
        MIGRATE,
    ),
    cell(
        "class2-python-readme-deploy-trigger",
        PY,
        {
            "README.md": "# App\n\n## Production\n\n"
            "`pip install -r requirements.txt && python manage.py migrate && gunicorn app.wsgi`\n"
        },
        MIGRATE,
        "README.md",
        "low",
    ),
    cell(
        "class2-python-readme-deploy-lookalike",
        PY,
        {
            "README.md": "# App\n\n## Production\n\n"
            "Run `python manage.py migrate` as a release step, then start `gunicorn app.wsgi`.\n"
        },
        MIGRATE,
    ),
]

CLASS9_INSTALL_AT_START = [
    cell(
        "class9-python-install-trigger",
        PY,
        {"Dockerfile": "FROM python:3.12\nCMD pip install -r requirements.txt && gunicorn app:app\n"},
        INSTALL,
        "Dockerfile",
        "high",
    ),
    cell(
        "class9-python-install-lookalike",
        PY,
        {"Dockerfile": 'FROM python:3.12\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "app:app"]\n'},
        INSTALL,
    ),
    # npm start → prestart installs / the build runs in the image build
    cell(
        "class9-node-install-trigger",
        {},
        {
            "package.json": '{"dependencies": {"express": "4"}, "scripts": '
            '{"prestart": "npm install", "start": "node server.js"}}\n',
            "Dockerfile": 'FROM node:20\nCMD ["npm", "start"]\n',
        },
        INSTALL,
        "Dockerfile",
        "high",
    ),
    cell(
        "class9-node-install-lookalike",
        {},
        {
            "package.json": '{"dependencies": {"express": "4"}, "scripts": '
            '{"build": "tsc", "start": "node dist/server.js"}}\n',
            "Dockerfile": 'FROM node:20\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n',
        },
        INSTALL,
    ),
    # go run compiles at every start / go build in the image build
    cell(
        "class9-go-install-trigger",
        GO,
        {"Dockerfile": 'FROM golang:1.22\nCMD ["go", "run", "./cmd/server"]\n'},
        INSTALL,
        "Dockerfile",
        "high",
    ),
    cell(
        "class9-go-install-lookalike",
        GO,
        {
            "Dockerfile": "FROM golang:1.22 AS build\nRUN go build -o /server ./cmd/server\n"
            'FROM gcr.io/distroless/base-debian12\nCOPY --from=build /server /server\nCMD ["/server"]\n'
        },
        INSTALL,
    ),
    cell(
        "class9-ruby-install-trigger",
        RUBY,
        {
            "Dockerfile": 'FROM ruby:3.3\nENTRYPOINT ["/app/docker-entrypoint.sh"]\n',
            "docker-entrypoint.sh": "#!/bin/sh\nbundle install\nexec bundle exec puma\n",
        },
        INSTALL,
        "docker-entrypoint.sh",
        "high",
    ),
    cell(
        "class9-ruby-install-lookalike",
        RUBY,
        {
            "Dockerfile": 'FROM ruby:3.3\nRUN bundle install\nENTRYPOINT ["/app/docker-entrypoint.sh"]\n',
            "docker-entrypoint.sh": "#!/bin/sh\nexec bundle exec puma\n",
        },
        INSTALL,
    ),
    cell(
        "class9-java-install-trigger",
        JAVA,
        {"Dockerfile": 'FROM eclipse-temurin:21-jdk\nCMD ["./mvnw", "spring-boot:run"]\n'},
        INSTALL,
        "Dockerfile",
        "high",
    ),
    cell(
        "class9-java-install-lookalike",
        JAVA,
        {
            "Dockerfile": "FROM eclipse-temurin:21-jdk AS build\nRUN ./mvnw package\n"
            'FROM eclipse-temurin:21-jre\nCOPY --from=build /app/target/app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n'
        },
        INSTALL,
    ),
    cell(
        "class9-php-install-trigger",
        PHP,
        {"Dockerfile": "FROM php:8.3-fpm\nCMD composer install --no-dev && php-fpm -F\n"},
        INSTALL,
        "Dockerfile",
        "high",
    ),
    cell(
        "class9-php-install-lookalike",
        PHP,
        {"Dockerfile": 'FROM php:8.3-fpm\nRUN composer install --no-dev\nCMD ["php-fpm", "-F"]\n'},
        INSTALL,
    ),
    cell(
        "class9-rust-install-trigger",
        RUST,
        {"Dockerfile": 'FROM rust:1.79\nCMD ["cargo", "run", "--release"]\n'},
        INSTALL,
        "Dockerfile",
        "high",
    ),
    cell(
        "class9-rust-install-lookalike",
        RUST,
        {
            "Dockerfile": "FROM rust:1.79 AS build\nRUN cargo build --release\n"
            'FROM debian:12-slim\nCOPY --from=build /target/release/api /api\nCMD ["/api"]\n'
        },
        INSTALL,
    ),
    cell(
        "class9-dotnet-install-trigger",
        DOTNET,
        {"Dockerfile": 'FROM mcr.microsoft.com/dotnet/sdk:8.0\nCMD ["dotnet", "run"]\n'},
        INSTALL,
        "Dockerfile",
        "high",
    ),
    cell(
        "class9-dotnet-install-lookalike",
        DOTNET,
        {
            "Dockerfile": "FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\n"
            "RUN dotnet publish -c Release -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY --from=build /out /app\n"
            'ENTRYPOINT ["dotnet", "/app/Api.dll"]\n'
        },
        INSTALL,
    ),
    # a README deploy section installing on the server (low, counted) / a getting-started section
    cell(
        "class9-node-readme-deploy-trigger",
        NODE,
        {"README.md": "## Deploy on a remote server\n\n```shell\ngit pull && npm ci && node dist/main.js\n```\n"},
        INSTALL,
        "README.md",
        "low",
    ),
    cell(
        "class9-node-readme-deploy-lookalike",
        NODE,
        {"README.md": "## Getting started\n\n```shell\nnpm ci && node dist/main.js\n```\n"},
        INSTALL,
    ),
]


def _env_copy(base: dict, files: dict) -> dict:
    return {**base, "Dockerfile": "FROM scratch\nWORKDIR /app\nCOPY . .\n", **files}


CLASS9_ENV_IN_IMAGE = [
    cell(
        "class9-python-dotenv-image-trigger",
        {},
        _env_copy(PY, {"requirements.txt": "flask==3.0.0\npython-dotenv==1.0.0\n"}),
        IMAGE_SECRETS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class9-python-dotenv-image-lookalike",
        {},
        _env_copy(PY, {"requirements.txt": "flask==3.0.0\npython-dotenv==1.0.0\n", ".dockerignore": ".git\n.env\n"}),
        IMAGE_SECRETS,
    ),
    cell(
        "class9-node-dotenv-image-trigger",
        {},
        _env_copy(NODE, {".env.example": "JWT_SECRET=\n"}),
        IMAGE_SECRETS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class9-node-dotenv-image-lookalike",
        {},
        _env_copy(NODE, {".env.example": "JWT_SECRET=\n", ".dockerignore": "node_modules\n.env*\n"}),
        IMAGE_SECRETS,
    ),
    cell(
        "class9-go-dotenv-image-trigger",
        {},
        _env_copy(GO, {"go.mod": GO["go.mod"] + "require github.com/joho/godotenv v1.5.1\n"}),
        IMAGE_SECRETS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class9-go-dotenv-image-lookalike",
        {},
        _env_copy(
            GO,
            {
                "go.mod": GO["go.mod"] + "require github.com/joho/godotenv v1.5.1\n",
                ".dockerignore": "*\n!cmd/\n!go.mod\n",
            },
        ),
        IMAGE_SECRETS,
    ),
    cell(
        "class9-ruby-dotenv-image-trigger",
        {},
        _env_copy(RUBY, {"Gemfile": RUBY["Gemfile"] + "gem 'dotenv-rails'\n"}),
        IMAGE_SECRETS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class9-ruby-dotenv-image-lookalike",
        {},
        _env_copy(
            RUBY, {"Gemfile": RUBY["Gemfile"] + "gem 'dotenv-rails'\n", ".dockerignore": "/.env*\n!/.env.example\n"}
        ),
        IMAGE_SECRETS,
    ),
    cell(
        "class9-java-dotenv-image-trigger",
        {},
        _env_copy(JAVA, {".env.sample": "DB_PASSWORD=\n"}),
        IMAGE_SECRETS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class9-java-dotenv-image-lookalike",
        {},
        {
            **JAVA,
            ".env.sample": "DB_PASSWORD=\n",
            "Dockerfile": 'FROM eclipse-temurin:21-jre\nCOPY target/app.jar /app.jar\nCMD ["java", "-jar", "/app.jar"]\n',
        },
        IMAGE_SECRETS,
    ),
    cell(
        "class9-php-laravel-image-trigger",
        {},
        _env_copy(PHP, {".env.example": "APP_KEY=\n"}),
        IMAGE_SECRETS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class9-php-laravel-image-lookalike",
        {},
        _env_copy(PHP, {".env.example": "APP_KEY=\n", ".dockerignore": "vendor\n.env\n"}),
        IMAGE_SECRETS,
    ),
    cell(
        "class9-rust-dotenv-image-trigger",
        {},
        _env_copy(RUST, {"Cargo.toml": RUST["Cargo.toml"] + 'dotenvy = "0.15"\n'}),
        IMAGE_SECRETS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class9-rust-dotenv-image-lookalike",
        {},
        {
            **RUST,
            "Cargo.toml": RUST["Cargo.toml"] + 'dotenvy = "0.15"\n',
            "Dockerfile": "FROM rust:1.79 AS build\nCOPY . .\nRUN cargo build --release\nFROM debian:12-slim\n"
            'COPY --from=build /target/release/api /api\nCMD ["/api"]\n',
        },
        IMAGE_SECRETS,
    ),
    cell(
        "class9-dotnet-dotenv-image-trigger",
        {},
        _env_copy(
            DOTNET,
            {
                "Api.csproj": DOTNET["Api.csproj"].replace(
                    "</ItemGroup>", '<PackageReference Include="DotNetEnv" Version="3.0.0" /></ItemGroup>'
                )
            },
        ),
        IMAGE_SECRETS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "class9-dotnet-dotenv-image-lookalike",
        {},
        _env_copy(DOTNET, {".dockerignore": "**/bin\n**/obj\n**/.env\n"}),
        IMAGE_SECRETS,
    ),
]

_BASE_COMPOSE = "services:\n  web:\n    build: .\n    ports:\n      - '8000:8000'\n    volumes:\n      - {mount}\n"
_PROD_OVERLAY = "services:\n  web:\n    command: {command}\n"

CLASS9_MOUNTED_SOURCE = [
    # a base compose file every overlay (prod included) extends mounts the source / only the dev overlay does
    cell(
        "class9-node-prod-overlay-mount-trigger",
        NODE,
        {
            "Dockerfile": "FROM node:20\nCOPY . /app\n",
            "docker-compose.yml": _BASE_COMPOSE.format(mount=".:/usr/src/app"),
            "docker-compose.prod.yml": _PROD_OVERLAY.format(command="yarn start"),
        },
        MOUNTED,
        "docker-compose.yml",
        "medium",
    ),
    cell(
        "class9-node-prod-overlay-mount-lookalike",
        NODE,
        {
            "Dockerfile": "FROM node:20\nCOPY . /app\n",
            "docker-compose.yml": _BASE_COMPOSE.format(mount="node_modules:/app/node_modules"),
            "docker-compose.dev.yml": "services:\n  web:\n    volumes:\n      - .:/usr/src/app\n",
            "docker-compose.prod.yml": _PROD_OVERLAY.format(command="yarn start"),
        },
        MOUNTED,
    ),
    # a production compose file mounting the app's package over the image / mounting only config and data
    cell(
        "class9-python-prod-mount-trigger",
        PY,
        {
            "app/main.py": "app = Flask(__name__)\n",
            "Dockerfile": "FROM python:3.12\n",
            "compose.production.yml": _BASE_COMPOSE.format(mount="./app:/srv/app"),
        },
        MOUNTED,
        "compose.production.yml",
        "medium",
    ),
    cell(
        "class9-python-prod-mount-lookalike",
        PY,
        {
            "app/main.py": "app = Flask(__name__)\n",
            "Dockerfile": "FROM python:3.12\n",
            "compose.production.yml": _BASE_COMPOSE.format(mount="./nginx.conf:/etc/nginx/nginx.conf:ro")
            + "      - ./data:/data\n",
        },
        MOUNTED,
    ),
    cell(
        "class9-ruby-prod-mount-trigger",
        RUBY,
        {
            "app/models/user.rb": "class User; end\n",
            "Dockerfile": "FROM ruby:3.3\n",
            "docker-compose.yml": _BASE_COMPOSE.format(mount=".:/rails"),
            "docker-compose.production.yml": _PROD_OVERLAY.format(command="bin/rails server"),
        },
        MOUNTED,
        "docker-compose.yml",
        "medium",
    ),
    cell(
        "class9-ruby-prod-mount-lookalike",
        RUBY,
        {
            "app/models/user.rb": "class User; end\n",
            "Dockerfile": "FROM ruby:3.3\n",
            "docker-compose.yml": _BASE_COMPOSE.format(mount=".:/rails"),
            "docker-compose.production.yml": "services:\n  web:\n    image: ghcr.io/acme/app:1.4.2\n",
        },
        MOUNTED,
    ),
    cell(
        "class9-go-prod-mount-trigger",
        GO,
        {
            "cmd/api/main.go": "package main\n",
            "Dockerfile": "FROM golang:1.22\n",
            "deploy/compose.prod.yaml": _BASE_COMPOSE.format(mount="../cmd:/src/cmd"),
        },
        MOUNTED,
        "deploy/compose.prod.yaml",
        "medium",
    ),
    cell(
        "class9-go-prod-mount-lookalike",
        GO,
        {
            "cmd/api/main.go": "package main\n",
            "Dockerfile": "FROM golang:1.22\n",
            "deploy/compose.prod.yaml": _BASE_COMPOSE.format(mount="/var/run/docker.sock:/var/run/docker.sock"),
        },
        MOUNTED,
    ),
    # a plain docker-compose.yml mounting the source is the development setup (not reported)
    cell(
        "class9-php-prod-mount-lookalike",
        PHP,
        {
            "app/Http/Kernel.php": "<?php\n",
            "Dockerfile": "FROM php:8.3-fpm\n",
            "docker-compose.yml": _BASE_COMPOSE.format(mount=".:/var/www/html"),
        },
        MOUNTED,
    ),
    cell(
        "class9-php-prod-mount-trigger",
        PHP,
        {
            "app/Http/Kernel.php": "<?php\n",
            "Dockerfile": "FROM php:8.3-fpm\n",
            "docker-compose.prod.yml": _BASE_COMPOSE.format(mount=".:/var/www/html"),
        },
        MOUNTED,
        "docker-compose.prod.yml",
        "medium",
    ),
]

CLASS9_MUTATING_DEPLOY = [
    # a deploy script pulling and installing on the live host / a script that builds and pushes an image
    cell(
        "class9-node-git-pull-deploy-trigger",
        NODE,
        {
            "scripts/deploy.sh": "#!/bin/sh\n"
            "ssh deploy@app.example.com 'cd /srv/app && git pull && npm ci && pm2 reload all'\n"
        },
        "build-release-run.mutating-deploy",
        "scripts/deploy.sh",
        "medium",
    ),
    cell(
        "class9-node-git-pull-deploy-lookalike",
        NODE,
        {
            "scripts/deploy.sh": "#!/bin/sh\n"
            "docker build -t registry.example.com/app:$GIT_SHA . && docker push registry.example.com/app:$GIT_SHA\n"
        },
        "build-release-run.mutating-deploy",
    ),
]

CLASS9_UPGRADE_IN_PLACE = [
    # an upgrade script run on the host: pull, install, restart / a release script that only tags and pushes
    cell(
        "class9-php-host-upgrade-trigger",
        PHP,
        {
            "upgrade.sh": "#!/bin/bash\nset -e\ngit pull origin main\n"
            "composer install --no-dev\nphp artisan migrate --force\nsudo systemctl reload php8.3-fpm\n"
        },
        "build-release-run.mutating-deploy",
        "upgrade.sh",
        "medium",
    ),
    cell(
        "class9-php-host-upgrade-lookalike",
        PHP,
        {
            "release.sh": '#!/bin/bash\ngit pull\ngit tag "v$1"\ngit push --tags\n',
            "update.sh": "#!/bin/bash\ngit pull\ngit submodule update --init\n",
        },
        "build-release-run.mutating-deploy",
    ),
    # an npm deploy script doing the same / a deploy script that builds and pushes an image
    cell(
        "class9-node-npm-upgrade-trigger",
        {},
        {
            "package.json": '{"dependencies": {"express": "4"}, "scripts": '
            '{"deploy": "git pull && npm ci && pm2 reload ecosystem.config.js"}}\n'
        },
        "build-release-run.mutating-deploy",
        "package.json",
        "medium",
    ),
    cell(
        "class9-node-npm-upgrade-lookalike",
        {},
        {
            "package.json": '{"dependencies": {"express": "4"}, "scripts": '
            '{"deploy": "docker build -t app:$GIT_SHA . && docker push app:$GIT_SHA", "update": "git pull --rebase"}}\n'
        },
        "build-release-run.mutating-deploy",
    ),
    # a Python deploy script on the host / the same steps in a Dockerfile build
    cell(
        "class9-python-host-upgrade-trigger",
        PY,
        {
            "deploy/deploy.sh": "#!/bin/sh\ncd /srv/app\ngit reset --hard origin/main\n"
            "pip install -r requirements.txt\nsupervisorctl restart app\n"
        },
        "build-release-run.mutating-deploy",
        "deploy/deploy.sh",
        "medium",
    ),
    cell(
        "class9-python-host-upgrade-lookalike",
        PY,
        {
            "Dockerfile": "FROM python:3.12\nRUN git clone https://example.com/lib.git\n"
            "RUN pip install -r requirements.txt\n"
        },
        "build-release-run.mutating-deploy",
    ),
]

IX_SHELL_WRAPPERS = [
    # a compose command waiting in a bash loop then starting uWSGI without exec / exec uwsgi
    cell(
        "ix-python-compose-wrapper-trigger",
        PY,
        {
            "docker-compose.yml": "services:\n  web:\n    build: .\n"
            "    command: bash -c 'while !</dev/tcp/db/5432; do sleep 1; done; uwsgi /app/uwsgi.ini'\n"
        },
        SIGNALS,
        "docker-compose.yml",
        "medium",
    ),
    cell(
        "ix-python-compose-wrapper-lookalike",
        PY,
        {
            "docker-compose.yml": "services:\n  web:\n    build: .\n"
            "    command: bash -c 'python manage.py check && exec uwsgi /app/uwsgi.ini'\n"
        },
        SIGNALS,
    ),
    cell(
        "ix-node-shell-form-trigger",
        NODE,
        {"Dockerfile": "FROM node:20\nCMD node server.js\n"},
        SIGNALS,
        "Dockerfile",
        "medium",
    ),
    cell("ix-node-shell-form-lookalike", NODE, {"Dockerfile": 'FROM node:20\nCMD ["node", "server.js"]\n'}, SIGNALS),
    cell(
        "ix-go-entrypoint-trigger",
        GO,
        {
            "Dockerfile": 'FROM alpine:3.20\nENTRYPOINT ["/docker-entrypoint.sh"]\n',
            "docker-entrypoint.sh": '#!/bin/sh\nset -e\n/app/server --port "$PORT"\n',
        },
        SIGNALS,
        "docker-entrypoint.sh",
        "medium",
    ),
    cell(
        "ix-go-entrypoint-lookalike",
        GO,
        {
            "Dockerfile": 'FROM alpine:3.20\nENTRYPOINT ["/docker-entrypoint.sh"]\n',
            "docker-entrypoint.sh": '#!/bin/sh\nset -e\nexec /app/server --port "$PORT"\n',
        },
        SIGNALS,
    ),
    cell(
        "ix-ruby-shell-form-trigger",
        RUBY,
        {"Dockerfile": "FROM ruby:3.3\nCMD bundle exec puma -C config/puma.rb\n"},
        SIGNALS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "ix-ruby-shell-form-lookalike",
        RUBY,
        {"Dockerfile": "FROM ruby:3.3\nCMD exec bundle exec puma -C config/puma.rb\n"},
        SIGNALS,
    ),
    cell(
        "ix-java-shell-form-trigger",
        JAVA,
        {"Dockerfile": "FROM eclipse-temurin:21-jre\nENTRYPOINT java $JAVA_OPTS -jar /app.jar\n"},
        SIGNALS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "ix-java-shell-form-lookalike",
        JAVA,
        {"Dockerfile": 'FROM eclipse-temurin:21-jre\nENTRYPOINT ["/usr/bin/tini", "--"]\nCMD java -jar /app.jar\n'},
        SIGNALS,
    ),
    # an entrypoint that runs a helper script and then the server, never exec'ing / the helper is not the server
    cell(
        "ix-php-entrypoint-trigger",
        PHP,
        {
            "Dockerfile": 'FROM php:8.3-fpm\nENTRYPOINT ["/usr/local/bin/entrypoint.sh"]\n',
            "docker/entrypoint.sh": "#!/bin/sh\n/usr/local/bin/wait-for-db.sh\nphp-fpm -F\n",
            "docker/wait-for-db.sh": "#!/bin/sh\nuntil nc -z db 3306; do sleep 1; done\n",
        },
        SIGNALS,
        "docker/entrypoint.sh",
        "medium",
    ),
    cell(
        "ix-php-entrypoint-lookalike",
        PHP,
        {
            "Dockerfile": 'FROM php:8.3-fpm\nENTRYPOINT ["/usr/local/bin/entrypoint.sh"]\n',
            "docker/entrypoint.sh": "#!/bin/sh\n/usr/local/bin/wait-for-db.sh\nexec php-fpm -F\n",
            "docker/wait-for-db.sh": "#!/bin/sh\nuntil nc -z db 3306; do sleep 1; done\n",
        },
        SIGNALS,
    ),
    cell(
        "ix-rust-sh-c-trigger",
        RUST,
        {"k8s/web.yaml": _k8s_deployment('["sh", "-c", "sleep 5; /app/api"]')},
        SIGNALS,
        "k8s/web.yaml",
        "medium",
    ),
    cell("ix-rust-sh-c-lookalike", RUST, {"k8s/web.yaml": _k8s_deployment('["sh", "-c", "exec /app/api"]')}, SIGNALS),
    cell(
        "ix-dotnet-shell-form-trigger",
        DOTNET,
        {"Dockerfile": "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENTRYPOINT dotnet Api.dll\n"},
        SIGNALS,
        "Dockerfile",
        "medium",
    ),
    cell(
        "ix-dotnet-shell-form-lookalike",
        DOTNET,
        {"Dockerfile": 'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENTRYPOINT ["dotnet", "Api.dll"]\n'},
        SIGNALS,
    ),
]

IX_SLOW_START = [
    # boot-code migrations delay every start / the same migration as a release phase
    cell(
        "ix-dotnet-boot-migration-slow-trigger",
        DOTNET,
        {"Program.cs": "var app = builder.Build();\ndb.Database.Migrate();\napp.Run();\n"},
        SLOW,
        "Program.cs",
        "medium",
    ),
    cell(
        "ix-dotnet-boot-migration-slow-lookalike",
        DOTNET,
        {
            "Program.cs": "var app = builder.Build();\napp.Run();\n",
            "heroku.yml": "release:\n  command:\n    - ./efbundle\nrun:\n  web: dotnet Api.dll\n",
        },
        SLOW,
    ),
    # spring.sql.init.mode=always runs SQL at every start / left at its default (embedded databases only)
    cell(
        "ix-java-sql-init-slow-trigger",
        JAVA,
        {"src/main/resources/application-mysql.properties": "spring.sql.init.mode=always\n"},
        SLOW,
        "src/main/resources/application-mysql.properties",
        "medium",
    ),
    cell(
        "ix-java-sql-init-slow-lookalike",
        JAVA,
        {"src/main/resources/application.properties": "spring.sql.init.schema-locations=classpath*:db/schema.sql\n"},
        SLOW,
    ),
    # a sleep before the server in CMD / the same wait as a compose health-check dependency
    cell(
        "ix-python-sleep-slow-trigger",
        PY,
        {"Dockerfile": "FROM python:3.12\nCMD sleep 10 && gunicorn app:app\n"},
        SLOW,
        "Dockerfile",
        "medium",
    ),
    cell(
        "ix-python-sleep-slow-lookalike",
        PY,
        {
            "Dockerfile": 'FROM python:3.12\nCMD ["gunicorn", "app:app"]\n',
            "docker-compose.yml": "services:\n  web:\n    build: .\n    depends_on:\n      db:\n        condition: service_healthy\n",
        },
        SLOW,
    ),
    # Rails entrypoint preparing the database / the entrypoint that only execs
    cell(
        "ix-ruby-db-prepare-slow-trigger",
        RUBY,
        {
            "Dockerfile": 'FROM ruby:3.3\nENTRYPOINT ["/rails/bin/docker-entrypoint"]\nCMD ["./bin/rails", "server"]\n',
            "bin/docker-entrypoint": '#!/bin/bash -e\n./bin/rails db:prepare\nexec "${@}"\n',
        },
        SLOW,
        "bin/docker-entrypoint",
        "medium",
    ),
    cell(
        "ix-ruby-db-prepare-slow-lookalike",
        RUBY,
        {
            "Dockerfile": 'FROM ruby:3.3\nENTRYPOINT ["/rails/bin/docker-entrypoint"]\nCMD ["./bin/rails", "server"]\n',
            "bin/docker-entrypoint": '#!/bin/bash -e\nexec "${@}"\n',
        },
        SLOW,
    ),
    # GORM AutoMigrate in main / in the migrate command
    cell(
        "ix-go-automigrate-slow-trigger",
        GO,
        {"main.go": "package main\n\nfunc main() {\n\tdb.AutoMigrate(&User{})\n}\n"},
        SLOW,
        "main.go",
        "medium",
    ),
    cell(
        "ix-go-automigrate-slow-lookalike",
        GO,
        {"cmd/migrate/main.go": "package main\n\nfunc main() {\n\tdb.AutoMigrate(&User{})\n}\n"},
        SLOW,
    ),
    # artisan migrate in a supervisor program / in a composer script
    cell(
        "ix-php-supervisor-slow-trigger",
        PHP,
        {"supervisord.conf": "[program:migrate]\ncommand=php artisan migrate --force\n"},
        SLOW,
        "supervisord.conf",
        "medium",
    ),
    cell(
        "ix-php-supervisor-slow-lookalike",
        PHP,
        {"supervisord.conf": "[program:queue]\ncommand=php artisan queue:work\n"},
        SLOW,
    ),
    # sqlx migrations in main / in a one-off binary
    cell(
        "ix-rust-sqlx-slow-trigger",
        RUST,
        {"src/main.rs": "#[tokio::main]\nasync fn main() {\n    sqlx::migrate!().run(&pool).await.unwrap();\n}\n"},
        SLOW,
        "src/main.rs",
        "medium",
    ),
    cell(
        "ix-rust-sqlx-slow-lookalike",
        RUST,
        {
            "src/bin/migrate.rs": "#[tokio::main]\nasync fn main() {\n"
            "    sqlx::migrate!().run(&pool).await.unwrap();\n}\n"
        },
        SLOW,
    ),
    # an npm start chain sleeping before the server / a start script that only execs
    cell(
        "ix-node-npm-chain-slow-trigger",
        {},
        {
            "package.json": '{"dependencies": {"express": "4"}, "scripts": '
            '{"start:prod": "sleep 10 && node dist/main.js"}}\n',
            "Dockerfile": 'FROM node:20\nCMD ["npm", "run", "start:prod"]\n',
        },
        SLOW,
        "package.json",
        "medium",
    ),
    cell(
        "ix-node-npm-chain-slow-lookalike",
        {},
        {
            "package.json": '{"dependencies": {"express": "4"}, "scripts": '
            '{"start:prod": "node dist/main.js", "wait": "sleep 10"}}\n',
            "Dockerfile": 'FROM node:20\nCMD ["npm", "run", "start:prod"]\n',
        },
        SLOW,
    ),
]

CELLS = (
    CLASS2_BOOT_CODE
    + CLASS2_FLASK_MIGRATE
    + CLASS2_ACROSS_FILES
    + CLASS2_START_COMMANDS
    + CLASS2_SETTINGS
    + CLASS2_DOCS
    + CLASS9_INSTALL_AT_START
    + CLASS9_ENV_IN_IMAGE
    + CLASS9_MOUNTED_SOURCE
    + CLASS9_MUTATING_DEPLOY
    + CLASS9_UPGRADE_IN_PLACE
    + IX_SHELL_WRAPPERS
    + IX_SLOW_START
)


@pytest.mark.parametrize("files, check, path, severity", CELLS)
def test_it_covers_the_cell(score_tree, files, check, path, severity):
    assert_cell(score_tree(files), check, path, severity)


def test_every_cell_has_a_trigger_and_a_look_alike():
    assert_paired(CELLS, at_least=15)
