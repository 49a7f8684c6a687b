"""Coverage cells of issue 8's classes 7, 8 and 10 (docs/coverage/eng-state.md).

Each cell is one violation class in one ecosystem: a trigger tree that the named check must report
(counted, at least at the cell's severity) and a look-alike tree it must not report at all. The
trees are a few lines written for this file; the comment above each cell says what edge it covers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.scoring.conftest import findings

RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}

PY = {
    "requirements.txt": "django==5.0.6\ngunicorn==23.0.0\npsycopg==3.2.1\nredis==5.0.1\n",
    "Procfile": "web: gunicorn app.wsgi --bind 0.0.0.0:$PORT\n",
}
FLASK = {
    "requirements.txt": "flask==3.0.3\nflask-limiter==3.8.0\ngunicorn==23.0.0\npsycopg==3.2.1\nredis==5.0.1\n",
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
}
NODE = {
    "package.json": '{"name": "shop", "dependencies": {"express": "4.19.2", "pg": "8.11.0", "redis": "4.6.0"}}\n',
    "package-lock.json": "{}\n",
    "server.js": "const express = require('express');\nconst app = express();\napp.listen(process.env.PORT);\n",
}
GO = {
    "go.mod": "module example.com/shop\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n"
    "\tgithub.com/jackc/pgx/v5 v5.6.0\n)\n",
    "go.sum": "github.com/gin-gonic/gin v1.10.0 h1:abc=\n",
    "main.go": 'package main\n\nimport "os"\n\nfunc main() {\n\tr := setup()\n\tr.Run(":" + os.Getenv("PORT"))\n}\n',
}
RUBY = {
    "Gemfile": "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\ngem 'pg'\ngem 'redis'\ngem 'puma'\n",
    "Gemfile.lock": "GEM\n  specs:\n    rails (7.1.3)\n",
    "Procfile": "web: bundle exec puma -C config/puma.rb\n",
    "config/application.rb": "module Shop\n  class Application < Rails::Application\n  end\nend\n",
}
JAVA = {
    "pom.xml": "<project><artifactId>shop</artifactId><dependencies>"
    "<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>"
    "<dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>"
    "</dependencies></project>\n",
    "src/main/java/shop/App.java": "package shop;\n@SpringBootApplication\npublic class App {\n"
    "  public static void main(String[] a) { SpringApplication.run(App.class, a); }\n}\n",
}
PHP = {
    "composer.json": '{"require": {"php": "^8.2", "laravel/framework": "^11.0", "predis/predis": "^2.2"}}\n',
    "composer.lock": '{"packages": []}\n',
}
RUST = {
    "Cargo.toml": '[package]\nname = "shop"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n'
    'tokio-postgres = "0.7"\ntower-sessions = "0.12"\n',
    "Cargo.lock": "# lock\n",
    "src/main.rs": "fn main() {}\n",
}
DOTNET = {
    "src/Web/Web.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup>'
    '<PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="8.0.0" />'
    "</ItemGroup></Project>\n",
    "src/Web/packages.lock.json": "{}\n",
    "src/Web/Program.cs": "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n",
}
COMPOSE_PG16 = {"docker-compose.yml": "services:\n  db:\n    image: postgres:16\n"}


@dataclass(frozen=True)
class Cell:
    row: str  # the class and sub-class, e.g. class7a
    ecosystem: str
    framework: str
    check: str
    severity: str
    base: dict
    trigger: dict
    lookalike: dict
    path: str | None = None  # only findings on this path count (the base may hold other findings)

    @property
    def id(self) -> str:
        return f"{self.row}-{self.ecosystem}-{self.framework}"


CELLS = [
    # ---- class 7a: uploads and durable files written to local disk -------------------------------
    # FastAPI writes an upload under uploads/; the look-alike spools it to a temporary file
    Cell(
        "class7a",
        "python",
        "fastapi",
        "processes.local-disk-storage",
        "medium",
        PY,
        {
            "app/routes.py": "@router.post('/avatar')\nasync def avatar(file: UploadFile):\n"
            "    with open(f'uploads/{file.filename}', 'wb') as out:\n        out.write(await file.read())\n"
        },
        {
            "app/routes.py": "@router.post('/avatar')\nasync def avatar(file: UploadFile):\n"
            "    with open('/tmp/scratch.bin', 'wb') as out:\n        out.write(await file.read())\n"
        },
    ),
    # multer's dest keeps uploads on the instance; multer-s3 sends them to a bucket
    Cell(
        "class7a",
        "node",
        "express",
        "processes.local-disk-storage",
        "medium",
        NODE,
        {"src/upload.js": "const upload = multer({ dest: 'uploads/' });\n"},
        {"src/upload.js": "const upload = multer({ storage: multerS3({ s3, bucket: process.env.BUCKET }) });\n"},
    ),
    # os.Create under uploads/ through filepath.Join; a temporary file is scratch space
    Cell(
        "class7a",
        "go",
        "gin",
        "processes.local-disk-storage",
        "medium",
        GO,
        {
            "handlers/upload.go": 'package handlers\n\nfunc save(name string) {\n\tf, _ := os.Create(filepath.Join("uploads", name))\n'
            "\tdefer f.Close()\n}\n"
        },
        {
            "handlers/upload.go": 'package handlers\n\nfunc save(name string) {\n\tf, _ := os.CreateTemp("", "upload-*")\n'
            "\tdefer f.Close()\n}\n"
        },
    ),
    # Active Storage defaults to the local Disk service in production unless the variable is set
    Cell(
        "class7a",
        "ruby",
        "rails",
        "processes.local-disk-storage",
        "medium",
        RUBY,
        {
            "config/environments/production.rb": "Rails.application.configure do\n"
            '  config.active_storage.service = ENV.fetch("ACTIVE_STORAGE_SERVICE", "local").to_sym\nend\n'
        },
        {
            "config/environments/production.rb": "Rails.application.configure do\n"
            '  config.active_storage.service = ENV.fetch("ACTIVE_STORAGE_SERVICE", "amazon").to_sym\nend\n',
            "config/environments/development.rb": "Rails.application.configure do\n  config.active_storage.service = :local\nend\n",
        },
    ),
    # a MultipartFile copied into a local upload folder; the look-alike puts it in S3
    Cell(
        "class7a",
        "java",
        "spring",
        "processes.local-disk-storage",
        "medium",
        JAVA,
        {
            "src/main/java/shop/UploadController.java": 'class UploadController {\n  @PostMapping("/files")\n  void upload(@RequestParam MultipartFile file) throws IOException {\n'
            "    Files.copy(file.getInputStream(), root.resolve(file.getOriginalFilename()));\n  }\n}\n"
        },
        {
            "src/main/java/shop/UploadController.java": 'class UploadController {\n  @PostMapping("/files")\n  void upload(@RequestParam MultipartFile file) throws IOException {\n'
            "    s3.putObject(req, RequestBody.fromInputStream(file.getInputStream(), file.getSize()));\n  }\n}\n"
        },
    ),
    # Laravel's default disk is local unless FILESYSTEM_DISK is set; the example env chooses S3
    Cell(
        "class7a",
        "php",
        "laravel",
        "processes.local-disk-storage",
        "medium",
        PHP,
        {"config/filesystems.php": "<?php\nreturn [\n    'default' => env('FILESYSTEM_DISK', 'local'),\n];\n"},
        {
            "config/filesystems.php": "<?php\nreturn [\n    'default' => env('FILESYSTEM_DISK', 'local'),\n];\n",
            ".env.example": "FILESYSTEM_DISK=s3\n",
        },
    ),
    # an axum handler writing the upload under uploads/; the look-alike writes to the temp dir
    Cell(
        "class7a",
        "rust",
        "axum",
        "processes.local-disk-storage",
        "medium",
        RUST,
        {
            "src/upload.rs": 'async fn upload(name: String, data: Bytes) {\n    let mut f = File::create(format!("uploads/{}", name)).unwrap();\n'
            "    f.write_all(&data).unwrap();\n}\n"
        },
        {
            "src/upload.rs": "async fn upload(name: String, data: Bytes) {\n"
            "    let mut f = File::create(std::env::temp_dir().join(name)).unwrap();\n    f.write_all(&data).unwrap();\n}\n"
        },
    ),
    # IFormFile saved under wwwroot; the look-alike uploads it to Blob storage
    Cell(
        "class7a",
        "dotnet",
        "aspnetcore",
        "processes.local-disk-storage",
        "medium",
        DOTNET,
        {
            "src/Web/Controllers/FilesController.cs": "public class FilesController : Controller {\n  public async Task<IActionResult> Upload(IFormFile file) {\n"
            '    var path = Path.Combine(_env.WebRootPath, "uploads", file.FileName);\n'
            "    using var stream = new FileStream(path, FileMode.Create);\n    await file.CopyToAsync(stream);\n    return Ok();\n  }\n}\n"
        },
        {
            "src/Web/Controllers/FilesController.cs": "public class FilesController : Controller {\n  public async Task<IActionResult> Upload(IFormFile file) {\n"
            "    var blob = _container.GetBlobClient(file.FileName);\n"
            "    await blob.UploadAsync(file.OpenReadStream());\n    return Ok();\n  }\n}\n"
        },
    ),
    # ---- class 7b: sessions, rate limits and shared caches kept in one process's memory -----------
    # Flask-Limiter with no storage_uri counts in memory://; the look-alike points it at Redis
    Cell(
        "class7b",
        "python",
        "flask",
        "processes.in-memory-shared-state",
        "medium",
        FLASK,
        {
            "app.py": "from flask import Flask\nfrom flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address\n"
            "app = Flask(__name__)\nlimiter = Limiter(get_remote_address, app=app)\n"
        },
        {
            "app.py": "import os\nfrom flask import Flask\nfrom flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address\n"
            "app = Flask(__name__)\nlimiter = Limiter(get_remote_address, app=app, storage_uri=os.environ['REDIS_URL'])\n"
        },
    ),
    # express-rate-limit with no store; the look-alike passes a Redis store
    Cell(
        "class7b",
        "node",
        "express",
        "processes.in-memory-shared-state",
        "medium",
        NODE,
        {
            "src/limiter.js": "const rateLimit = require('express-rate-limit');\nconst authLimiter = rateLimit({\n"
            "  windowMs: 15 * 60 * 1000,\n  max: 20,\n});\nmodule.exports = { authLimiter };\n"
        },
        {
            "src/limiter.js": "const rateLimit = require('express-rate-limit');\nconst authLimiter = rateLimit({\n"
            "  windowMs: 15 * 60 * 1000,\n  store: new RedisStore({ sendCommand }),\n});\nmodule.exports = { authLimiter };\n"
        },
    ),
    # ulule/limiter on its in-memory store; the look-alike uses the Redis store
    Cell(
        "class7b",
        "go",
        "limiter",
        "processes.in-memory-shared-state",
        "medium",
        GO,
        {
            "middleware/limit.go": 'package middleware\n\nimport "github.com/ulule/limiter/v3/drivers/store/memory"\n\n'
            "func Limiter() {\n\tstore := memory.NewStore()\n\t_ = store\n}\n"
        },
        {
            "middleware/limit.go": 'package middleware\n\nimport sredis "github.com/ulule/limiter/v3/drivers/store/redis"\n\n'
            "func Limiter(c Client) {\n\tstore, _ := sredis.NewStore(c)\n\t_ = store\n}\n"
        },
    ),
    # Rack::Attack counting in a MemoryStore; the look-alike counts in Redis
    Cell(
        "class7b",
        "ruby",
        "rack-attack",
        "processes.in-memory-shared-state",
        "medium",
        RUBY,
        {"config/initializers/rack_attack.rb": "Rack::Attack.cache.store = ActiveSupport::Cache::MemoryStore.new\n"},
        {
            "config/initializers/rack_attack.rb": "Rack::Attack.cache.store = ActiveSupport::Cache::RedisCacheStore.new(url: ENV['REDIS_URL'])\n"
        },
    ),
    # HttpSession attributes in the servlet container's memory; the look-alike declares Spring Session on Redis
    Cell(
        "class7b",
        "java",
        "spring",
        "processes.local-session-store",
        "medium",
        JAVA,
        {
            "src/main/java/shop/CartController.java": 'class CartController {\n  @PostMapping("/cart")\n'
            '  void add(HttpSession session, Item item) {\n    session.setAttribute("cart", item);\n  }\n}\n'
        },
        {
            "src/main/java/shop/CartController.java": 'class CartController {\n  @PostMapping("/cart")\n'
            '  void add(HttpSession session, Item item) {\n    session.setAttribute("cart", item);\n  }\n}\n',
            "pom.xml": JAVA["pom.xml"].replace(
                "</dependencies>",
                "<dependency><artifactId>spring-session-data-redis</artifactId></dependency></dependencies>",
            ),
        },
    ),
    # plain PHP sessions in local files; the look-alike sets a Redis save handler
    Cell(
        "class7b",
        "php",
        "native",
        "processes.local-session-store",
        "medium",
        {
            "composer.json": '{"require": {"php": "^8.2"}}\n',
            "composer.lock": "{}\n",
            "Dockerfile": "FROM php:8.3-apache\n",
        },
        {"public/login.php": "<?php\nsession_start();\n$_SESSION['user'] = $user;\n"},
        {
            "public/login.php": "<?php\nini_set('session.save_handler', 'redis');\nsession_start();\n$_SESSION['user'] = $user;\n"
        },
    ),
    # tower-sessions' MemoryStore; the look-alike keeps sessions in Redis
    Cell(
        "class7b",
        "rust",
        "tower-sessions",
        "processes.local-session-store",
        "high",
        RUST,
        {
            "src/main.rs": "fn main() {\n    let store = MemoryStore::default();\n    let layer = SessionManagerLayer::new(store);\n}\n"
        },
        {
            "src/main.rs": "fn main() {\n    let store = RedisStore::new(pool);\n    let layer = SessionManagerLayer::new(store);\n}\n"
        },
    ),
    # a logout handler writing the revocation into IMemoryCache; the look-alike caches a catalog read
    Cell(
        "class7b",
        "dotnet",
        "aspnetcore",
        "processes.in-memory-shared-state",
        "medium",
        DOTNET,
        {
            "src/Web/Pages/Logout.cshtml.cs": "public class LogoutModel : PageModel {\n  private readonly IMemoryCache _cache;\n"
            "  public async Task<IActionResult> OnPost() {\n    await _signIn.SignOutAsync();\n"
            '    _cache.Set($"{userId}:{key}", key, options);\n    return RedirectToPage("/Index");\n  }\n}\n'
        },
        {
            "src/Web/Controllers/CatalogController.cs": "public class CatalogController : Controller {\n  private readonly IMemoryCache _cache;\n"
            "  public IActionResult Index() {\n    var items = _repo.List();\n"
            '    _cache.Set("catalog", items, TimeSpan.FromMinutes(5));\n    return View(items);\n  }\n}\n'
        },
    ),
    # ---- class 7c: an embedded database as the production database --------------------------------
    Cell(
        "class7c",
        "python",
        "django",
        "processes.sqlite-database",
        "high",
        {"requirements.txt": "django==5.0.6\ngunicorn==23.0.0\n", "Procfile": PY["Procfile"]},
        {
            "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\n"
        },
        {"app/settings.py": "DATABASES = {'default': env.db('DATABASE_URL', default='sqlite:///db.sqlite3')}\n"},
    ),
    Cell(
        "class7c",
        "node",
        "sequelize",
        "processes.sqlite-database",
        "high",
        NODE,
        {"src/db.js": "const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'data/app.sqlite' });\n"},
        {"src/db.js": "const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres' });\n"},
    ),
    Cell(
        "class7c",
        "go",
        "gorm",
        "processes.sqlite-database",
        "high",
        GO,
        {
            "db/db.go": 'package db\n\nfunc Open() {\n\tdb, _ := gorm.Open(sqlite.Open("data/app.db"), &gorm.Config{})\n\t_ = db\n}\n'
        },
        {
            "db/db.go": 'package db\n\nfunc Open() {\n\tdb, _ := gorm.Open(sqlite.Open(":memory:"), &gorm.Config{})\n\t_ = db\n}\n'
        },
    ),
    Cell(
        "class7c",
        "ruby",
        "rails",
        "processes.sqlite-database",
        "high",
        RUBY,
        {"config/database.yml": "production:\n  adapter: sqlite3\n  database: storage/production.sqlite3\n"},
        {
            "config/database.yml": "development:\n  adapter: sqlite3\nproduction:\n  adapter: postgresql\n  url: <%= ENV['DATABASE_URL'] %>\n"
        },
    ),
    Cell(
        "class7c",
        "java",
        "spring",
        "processes.sqlite-database",
        "high",
        JAVA,
        {"src/main/resources/application.properties": "spring.datasource.url=jdbc:h2:file:./data/shop\n"},
        {"src/main/resources/application.properties": "spring.datasource.url=${JDBC_URL:jdbc:h2:mem:shop}\n"},
    ),
    Cell(
        "class7c",
        "php",
        "laravel",
        "processes.sqlite-database",
        "high",
        PHP,
        {"config/database.php": "<?php\nreturn [\n    'default' => 'sqlite',\n];\n"},
        {"config/database.php": "<?php\nreturn [\n    'default' => env('DB_CONNECTION', 'mysql'),\n];\n"},
    ),
    Cell(
        "class7c",
        "rust",
        "sqlx",
        "processes.sqlite-database",
        "high",
        RUST,
        {
            "src/db.rs": 'pub async fn pool() -> SqlitePool {\n    SqlitePool::connect("sqlite://data/app.db").await.unwrap()\n}\n'
        },
        {
            "src/db.rs": 'pub async fn pool() -> SqlitePool {\n    SqlitePool::connect("sqlite::memory:").await.unwrap()\n}\n'
        },
    ),
    Cell(
        "class7c",
        "dotnet",
        "efcore",
        "processes.sqlite-database",
        "high",
        {
            **DOTNET,
            "src/Web/Web.csproj": DOTNET["src/Web/Web.csproj"].replace(
                "Npgsql.EntityFrameworkCore.PostgreSQL", "Microsoft.EntityFrameworkCore.Sqlite"
            ),
        },
        {
            "src/Web/Data/Setup.cs": "public static class Setup {\n  public static void Add(IServiceCollection s) =>\n"
            '    s.AddDbContext<ShopContext>(o => o.UseSqlite("Data Source=shop.db"));\n}\n'
        },
        {
            "src/Web/Data/Setup.cs": "public static class Setup {\n  public static void Add(IServiceCollection s, string cs) =>\n"
            "    s.AddDbContext<ShopContext>(o => o.UseNpgsql(cs));\n}\n"
        },
    ),
    # ---- class 8b: Testcontainers images drifting from the deployed version -----------------------
    Cell(
        "class8b",
        "python",
        "testcontainers",
        "dev-prod-parity.service-version-drift",
        "medium",
        {**PY, **COMPOSE_PG16},
        {
            "tests/conftest.py": "from testcontainers.postgres import PostgresContainer\n\n@pytest.fixture\ndef db():\n"
            "    with PostgresContainer('postgres:13') as pg:\n        yield pg\n"
        },
        {
            "tests/conftest.py": "from testcontainers.postgres import PostgresContainer\n\n@pytest.fixture\ndef db():\n"
            "    with PostgresContainer('postgres:16.3') as pg:\n        yield pg\n"
        },
    ),
    Cell(
        "class8b",
        "node",
        "testcontainers",
        "dev-prod-parity.service-version-drift",
        "medium",
        {**NODE, **COMPOSE_PG16},
        {
            "test/setup.js": "const { PostgreSqlContainer } = require('@testcontainers/postgresql');\n"
            "module.exports = async () => { global.pg = await new PostgreSqlContainer('postgres:13').start(); };\n"
        },
        {
            "test/setup.js": "const { PostgreSqlContainer } = require('@testcontainers/postgresql');\n"
            "module.exports = async () => { global.pg = await new PostgreSqlContainer('postgres:16-alpine').start(); };\n"
        },
    ),
    Cell(
        "class8b",
        "go",
        "testcontainers-go",
        "dev-prod-parity.service-version-drift",
        "medium",
        {**GO, **COMPOSE_PG16},
        {
            "store/store_test.go": 'package store\n\nimport "github.com/testcontainers/testcontainers-go/modules/postgres"\n\n'
            "func TestStore(t *testing.T) {\n\tctx := context.Background()\n"
            '\tpg, _ := postgres.Run(ctx, "postgres:13-alpine")\n\t_ = pg\n}\n'
        },
        {
            "store/store_test.go": 'package store\n\nimport "github.com/testcontainers/testcontainers-go/modules/postgres"\n\n'
            "func TestStore(t *testing.T) {\n\tctx := context.Background()\n"
            '\tpg, _ := postgres.Run(ctx, "postgres:16-alpine")\n\t_ = pg\n}\n'
        },
    ),
    Cell(
        "class8b",
        "ruby",
        "testcontainers-ruby",
        "dev-prod-parity.service-version-drift",
        "medium",
        {**RUBY, **COMPOSE_PG16},
        {"spec/support/db.rb": 'CONTAINER = Testcontainers::PostgresContainer.new("postgres:13")\nCONTAINER.start\n'},
        {"spec/support/db.rb": 'CONTAINER = Testcontainers::PostgresContainer.new("postgres:16")\nCONTAINER.start\n'},
    ),
    Cell(
        "class8b",
        "java",
        "testcontainers",
        "dev-prod-parity.service-version-drift",
        "medium",
        {**JAVA, **COMPOSE_PG16},
        {
            "src/test/java/shop/RepoTests.java": "class RepoTests {\n  @Container\n"
            '  static PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:13");\n}\n'
        },
        {
            "src/test/java/shop/RepoTests.java": "class RepoTests {\n  @Container\n"
            '  static PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:16");\n}\n'
        },
    ),
    Cell(
        "class8b",
        "php",
        "testcontainers-php",
        "dev-prod-parity.service-version-drift",
        "medium",
        {**PHP, **COMPOSE_PG16},
        {"tests/DatabaseTest.php": "<?php\n$container = (new GenericContainer('postgres:13'))->start();\n"},
        {"tests/DatabaseTest.php": "<?php\n$container = (new GenericContainer('postgres:16'))->start();\n"},
    ),
    Cell(
        "class8b",
        "rust",
        "testcontainers-rs",
        "dev-prod-parity.service-version-drift",
        "medium",
        {**RUST, **COMPOSE_PG16},
        {
            "tests/db.rs": 'use testcontainers::GenericImage;\n#[tokio::test]\nasync fn it_works() {\n    let pg = GenericImage::new("postgres", "13").start().await;\n}\n'
        },
        {
            "tests/db.rs": 'use testcontainers::GenericImage;\n#[tokio::test]\nasync fn it_works() {\n    let pg = GenericImage::new("postgres", "16").start().await;\n}\n'
        },
    ),
    Cell(
        "class8b",
        "dotnet",
        "testcontainers",
        "dev-prod-parity.service-version-drift",
        "medium",
        {**DOTNET, **COMPOSE_PG16},
        {
            "tests/Web.Tests/DbFixture.cs": "public class DbFixture {\n  readonly PostgreSqlContainer _pg =\n"
            '    new PostgreSqlBuilder().WithImage("postgres:13").Build();\n}\n'
        },
        {
            "tests/Web.Tests/DbFixture.cs": "public class DbFixture {\n  readonly PostgreSqlContainer _pg =\n"
            '    new PostgreSqlBuilder().WithImage("postgres:16").Build();\n}\n'
        },
    ),
    # ---- class 10a: the environment's name chooses a backing service ------------------------------
    Cell(
        "class10a",
        "python",
        "django",
        "backing-services.env-branching",
        "medium",
        PY,
        {
            "app/settings.py": "import os\nif os.environ.get('ENV') == 'production':\n"
            "    STORAGES = {'default': {'BACKEND': 'storages.backends.s3.S3Storage'}}\nelse:\n"
            "    STORAGES = {'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}}\n"
        },
        {"app/settings.py": "import os\nif os.environ.get('ENV') == 'production':\n    SECURE_SSL_REDIRECT = True\n"},
    ),
    Cell(
        "class10a",
        "node",
        "express",
        "backing-services.env-branching",
        "medium",
        NODE,
        {
            "src/session.js": "let store;\nif (process.env.NODE_ENV === 'production') {\n  store = new RedisStore({ client });\n"
            "} else {\n  store = undefined;\n}\n"
        },
        {
            "src/session.js": "if (process.env.NODE_ENV === 'production') {\n  app.use(morgan('combined'));\n} else {\n"
            "  app.use(morgan('dev'));\n}\n"
        },
    ),
    Cell(
        "class10a",
        "go",
        "gorm",
        "backing-services.env-branching",
        "medium",
        GO,
        {
            "db/open.go": 'package db\n\nfunc Open(dsn string) *gorm.DB {\n\tif os.Getenv("APP_ENV") == "production" {\n'
            "\t\tdb, _ := gorm.Open(postgres.Open(dsn))\n\t\treturn db\n\t}\n"
            '\tdb, _ := gorm.Open(sqlite.Open("dev.db"))\n\treturn db\n}\n'
        },
        {
            "db/open.go": 'package db\n\nfunc Mode() {\n\tif os.Getenv("APP_ENV") == "production" {\n\t\tgin.SetMode(gin.ReleaseMode)\n\t}\n}\n'
        },
    ),
    Cell(
        "class10a",
        "ruby",
        "rails",
        "backing-services.env-branching",
        "medium",
        RUBY,
        {
            "config/application.rb": "module Shop\n  class Application < Rails::Application\n"
            "    config.active_storage.service = Rails.env.production? ? :amazon : :local\n  end\nend\n"
        },
        {
            "config/application.rb": "module Shop\n  class Application < Rails::Application\n"
            "    config.log_level = Rails.env.production? ? :info : :debug\n  end\nend\n"
        },
    ),
    Cell(
        "class10a",
        "java",
        "spring",
        "backing-services.env-branching",
        "medium",
        JAVA,
        {
            "src/main/java/shop/DevConfig.java": '@Configuration\nclass DevConfig {\n  @Profile("dev")\n  @Bean\n'
            "  DataSource dataSource() {\n    return new EmbeddedDatabaseBuilder().build();\n  }\n}\n"
        },
        {
            "src/main/java/shop/DevConfig.java": '@Configuration\nclass DevConfig {\n  @Profile("dev")\n  @Bean\n'
            '  CommandLineRunner banner() {\n    return args -> System.out.println("dev");\n  }\n}\n'
        },
    ),
    Cell(
        "class10a",
        "php",
        "laravel",
        "backing-services.env-branching",
        "medium",
        PHP,
        {
            "app/Providers/AppServiceProvider.php": "<?php\nclass AppServiceProvider {\n  public function boot() {\n"
            "    if (app()->environment('production')) {\n      $this->disk = Storage::disk('s3');\n"
            "    } else {\n      $this->disk = Storage::disk('public');\n    }\n  }\n}\n"
        },
        {
            "app/Providers/AppServiceProvider.php": "<?php\nclass AppServiceProvider {\n  public function register() {\n"
            "    if (app()->environment('local')) {\n"
            "      $this->app->register(TelescopeServiceProvider::class);\n    }\n  }\n}\n"
        },
    ),
    Cell(
        "class10a",
        "rust",
        "sqlx",
        "backing-services.env-branching",
        "medium",
        RUST,
        {
            "src/db.rs": 'pub async fn connect(url: &str) {\n    if std::env::var("APP_ENV").as_deref() == Ok("production") {\n'
            "        let pool = PgPool::connect(url).await;\n    } else {\n"
            '        let pool = SqlitePool::connect("sqlite://dev.db").await;\n    }\n}\n'
        },
        {
            "src/db.rs": 'pub fn log_format() -> &\'static str {\n    if std::env::var("APP_ENV").as_deref() == Ok("production") {\n'
            '        "json"\n    } else {\n        "pretty"\n    }\n}\n'
        },
    ),
    Cell(
        "class10a",
        "dotnet",
        "aspnetcore",
        "backing-services.env-branching",
        "medium",
        DOTNET,
        {
            "src/Web/Program.cs": "var builder = WebApplication.CreateBuilder(args);\n"
            'if (builder.Environment.IsDevelopment() || builder.Environment.EnvironmentName == "Docker") {\n'
            "    Dependencies.ConfigureServices(builder.Configuration, builder.Services);\n}\nelse {\n"
            "    var credential = new DefaultAzureCredential();\n"
            "    builder.Services.AddDbContext<ShopContext>(c =>\n"
            '    {\n        c.UseSqlServer(builder.Configuration["SQL"]);\n    });\n}\n'
            "var app = builder.Build();\napp.Run();\n"
        },
        {
            "src/Web/Program.cs": "var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\n"
            "if (app.Environment.IsDevelopment())\n{\n    app.UseDeveloperExceptionPage();\n}\nelse\n{\n"
            '    app.UseExceptionHandler("/Error");\n    app.UseHsts();\n}\napp.Run();\n'
        },
    ),
    # ---- class 10b: in-process substitutes for backing services in development -------------------
    Cell(
        "class10b",
        "python",
        "celery",
        "dev-prod-parity.in-process-substitute",
        "medium",
        PY,
        {"app/settings.py": "CELERY_TASK_ALWAYS_EAGER = True\n"},
        {"tests/conftest.py": "def pytest_configure(config):\n    settings.CELERY_TASK_ALWAYS_EAGER = True\n"},
    ),
    Cell(
        "class10b",
        "node",
        "ioredis-mock",
        "dev-prod-parity.in-process-substitute",
        "medium",
        NODE,
        {"src/cache.js": "const Redis = process.env.REDIS_URL ? require('ioredis') : require('ioredis-mock');\n"},
        {"src/cache.test.js": "const Redis = require('ioredis-mock');\n"},
    ),
    Cell(
        "class10b",
        "go",
        "miniredis",
        "dev-prod-parity.in-process-substitute",
        "medium",
        GO,
        {"cache/dev.go": "package cache\n\nfunc Dev() string {\n\ts, _ := miniredis.Run()\n\treturn s.Addr()\n}\n"},
        {
            "cache/cache_test.go": "package cache\n\nfunc TestCache(t *testing.T) {\n\ts := miniredis.RunT(t)\n\t_ = s\n}\n"
        },
    ),
    Cell(
        "class10b",
        "ruby",
        "actioncable",
        "dev-prod-parity.in-process-substitute",
        "medium",
        RUBY,
        {
            "config/cable.yml": "development:\n  adapter: async\n\ntest:\n  adapter: test\n\nproduction:\n  adapter: redis\n"
            '  url: <%= ENV.fetch("REDIS_URL") %>\n'
        },
        {
            "config/cable.yml": "development:\n  adapter: redis\n  url: redis://localhost:6379/1\n\ntest:\n  adapter: test\n\n"
            'production:\n  adapter: redis\n  url: <%= ENV.fetch("REDIS_URL") %>\n'
        },
    ),
    Cell(
        "class10b",
        "java",
        "spring",
        "dev-prod-parity.embedded-database",
        "high",
        {
            **JAVA,
            "pom.xml": JAVA["pom.xml"].replace(
                "</dependencies>",
                "<dependency><groupId>com.h2database</groupId>"
                "<artifactId>h2</artifactId><scope>runtime</scope></dependency></dependencies>",
            ),
        },
        {"src/main/resources/application.properties": "# database init\ndatabase=h2\nspring.jpa.open-in-view=false\n"},
        {
            "src/main/resources/application.properties": "spring.datasource.url=${DATABASE_URL}\nspring.jpa.open-in-view=false\n"
        },
        path="src/main/resources/application.properties",
    ),
    Cell(
        "class10b",
        "php",
        "laravel",
        "dev-prod-parity.in-process-substitute",
        "medium",
        PHP,
        {".env.example": "QUEUE_CONNECTION=sync\nCACHE_STORE=redis\n"},
        {".env.example": "QUEUE_CONNECTION=redis\nCACHE_STORE=redis\n"},
    ),
    Cell(
        "class10b",
        "rust",
        "sqlx",
        "dev-prod-parity.embedded-database",
        "high",
        {**RUST, **COMPOSE_PG16},
        {
            "src/dev.rs": 'pub async fn dev_pool() -> SqlitePool {\n    SqlitePool::connect("sqlite://dev.db").await.unwrap()\n}\n'
        },
        {
            "src/db.rs": 'pub async fn pool() -> PgPool {\n    PgPool::connect(&std::env::var("DATABASE_URL").unwrap()).await.unwrap()\n}\n'
        },
    ),
    Cell(
        "class10b",
        "dotnet",
        "efcore",
        "dev-prod-parity.embedded-database",
        "high",
        DOTNET,
        {
            "src/Web/Dependencies.cs": "public static class Dependencies {\n  public static void Add(IServiceCollection s, bool inMemory) {\n"
            '    if (inMemory)\n      s.AddDbContext<ShopContext>(c => c.UseInMemoryDatabase("Shop"));\n  }\n}\n'
        },
        {
            "src/Web/Dependencies.cs": "public static class Dependencies {\n  public static void Add(IServiceCollection s, string cs) {\n"
            "    s.AddDbContext<ShopContext>(c => c.UseNpgsql(cs));\n  }\n}\n"
        },
    ),
]


def _counted(report, check: str, severity: str = "low", path: str | None = None) -> list:
    return [
        f
        for f in findings(report, check, violations_only=True)
        if f.demoted_from is None and RANK[f.severity.value] >= RANK[severity] and path in (None, f.path)
    ]


@pytest.mark.parametrize("cell", CELLS, ids=[f"{c.id}-trigger" for c in CELLS])
def test_it_reports_the_trigger(score_tree, cell):
    report = score_tree({**cell.base, **cell.trigger})
    assert _counted(report, cell.check, cell.severity, cell.path), f"{cell.check} did not report {cell.id}"


@pytest.mark.parametrize("cell", CELLS, ids=[f"{c.id}-lookalike" for c in CELLS])
def test_it_leaves_the_lookalike_alone(score_tree, cell):
    report = score_tree({**cell.base, **cell.lookalike})
    assert not _counted(report, cell.check, path=cell.path), [f.to_dict() for f in _counted(report, cell.check)]


# ---- language-independent rows: images in compose, CI and Kubernetes (class 8a, 8c) -------------
IMAGE_CELLS = [
    # compose: a tool image with no tag floats | pinned, or built by compose itself
    (
        "class8a-compose",
        "dev-prod-parity.floating-service-image",
        {"docker-compose.yml": "services:\n  db:\n    image: postgres:16\n  adminer:\n    image: adminer\n"},
        {
            "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n  adminer:\n    image: adminer:4.8.1\n"
            "  web:\n    build: .\n    image: shop:latest\n"
        },
    ),
    # a compose override adding a mail sink with no tag | the same sink pinned
    (
        "class8a-compose-override",
        "dev-prod-parity.floating-service-image",
        {"compose.override.yml": "services:\n  mailpit:\n    image: axllent/mailpit\n"},
        {"compose.override.yml": "services:\n  mailpit:\n    image: axllent/mailpit:v1.21\n"},
    ),
    # a GitHub Actions service container on :latest | pinned by digest
    (
        "class8a-ci-services",
        "dev-prod-parity.floating-service-image",
        {
            ".github/workflows/ci.yml": "jobs:\n  test:\n    services:\n      redis:\n        image: redis:latest\n    steps:\n      - run: make\n"
        },
        {
            ".github/workflows/ci.yml": "jobs:\n  test:\n    services:\n      redis:\n        image: redis@sha256:"
            + "a" * 64
            + "\n    steps:\n      - run: make\n"
        },
    ),
    # a Kubernetes StatefulSet running an untagged database | a tagged one
    (
        "class8a-kubernetes",
        "dev-prod-parity.floating-service-image",
        {
            "k8s/db.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: pg\n          image: postgres\n"
        },
        {
            "k8s/db.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: pg\n          image: postgres:16.4\n"
        },
    ),
    # the deployed app's image floats in a Deployment named like it | tagged by version
    (
        "class8c-kubernetes",
        "build-release-run.floating-app-image",
        {
            "k8s/app.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: web\n          image: acme/shop\n"
        },
        {
            "k8s/app.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: web\n          image: acme/shop:1.4.2\n"
        },
    ),
    # a self-host compose template pulling the app's image as :latest for web and worker | by version
    (
        "class8c-deploy-compose",
        "build-release-run.floating-app-image",
        {
            "compose.example.yml": "services:\n  web:\n    image: ghcr.io/acme/shop:latest\n  worker:\n"
            "    image: ghcr.io/acme/shop:latest\n    command: bin/worker\n"
        },
        {
            "compose.example.yml": "services:\n  web:\n    image: ghcr.io/acme/shop:1.4.2\n  worker:\n"
            "    image: ghcr.io/acme/shop:1.4.2\n    command: bin/worker\n"
        },
    ),
    # the same service at two majors: compose 16, production manifest 15 | the same major everywhere
    (
        "class8d-drift",
        "dev-prod-parity.service-version-drift",
        {
            **COMPOSE_PG16,
            "k8s/db.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n"
            "    spec:\n      containers:\n        - name: pg\n          image: postgres:15.6\n",
        },
        {
            **COMPOSE_PG16,
            "k8s/db.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n"
            "    spec:\n      containers:\n        - name: pg\n          image: postgres:16.4\n",
        },
    ),
]


@pytest.mark.parametrize("row, check, trigger, lookalike", IMAGE_CELLS, ids=[f"{c[0]}-trigger" for c in IMAGE_CELLS])
def test_it_reports_the_image_trigger(score_tree, row, check, trigger, lookalike):
    assert _counted(score_tree({**NODE, **trigger}), check), f"{check} did not report {row}"


@pytest.mark.parametrize("row, check, trigger, lookalike", IMAGE_CELLS, ids=[f"{c[0]}-lookalike" for c in IMAGE_CELLS])
def test_it_leaves_the_image_lookalike_alone(score_tree, row, check, trigger, lookalike):
    assert not _counted(score_tree({**NODE, **lookalike}), check)


# ---- verdict evidence: framework conventions that are evidence (docs/verdicts/eng-state.md) -----
@pytest.mark.parametrize(
    "files, factor, check",
    [
        # Spring Boot binds SPRING_DATASOURCE_URL over application.properties
        (
            {
                **JAVA,
                "src/main/resources/application.properties": "spring.datasource.url=jdbc:postgresql://localhost/shop\n",
            },
            "backing-services",
            "backing-services.attached-resources",
        ),
        # Spring's ${VAR:default} placeholder names the variable
        (
            {
                **JAVA,
                "src/main/resources/application-postgres.properties": "spring.datasource.url=${POSTGRES_URL:jdbc:postgresql://localhost/shop}\n",
            },
            "backing-services",
            "backing-services.attached-resources",
        ),
        # Rails merges DATABASE_URL over config/database.yml
        (
            {**RUBY, "config/database.yml": "production:\n  adapter: postgresql\n  database: shop\n"},
            "backing-services",
            "backing-services.attached-resources",
        ),
        # the test suite runs the real PostgreSQL 16 with Testcontainers
        (
            {
                **JAVA,
                "src/test/java/shop/RepoTests.java": "class RepoTests {\n  @Container\n"
                '  static PostgreSQLContainer<?> pg = new PostgreSQLContainer<>("postgres:16");\n}\n',
            },
            "dev-prod-parity",
            "dev-prod-parity.same-services",
        ),
    ],
    ids=["spring-relaxed-binding", "spring-placeholder", "rails-database-url", "testcontainers-pinned"],
)
def test_it_counts_framework_conventions_as_evidence(score_tree, files, factor, check):
    report = score_tree(files)
    assert [f for f in findings(report, check) if f.severity.value == "info"]
    assert report.factor(factor).status.value == "pass"


def test_it_gives_no_evidence_for_a_spring_app_without_services(score_tree):
    report = score_tree({**JAVA, "src/main/resources/application.properties": "server.shutdown=graceful\n"})
    assert not findings(report, "backing-services.attached-resources")


# ---- more idioms of the same rows (trigger, look-alike) --------------------------------------------
MORE = [
    # Symfony VichUploader writing under the project folder | through Flysystem
    (
        "class7a-php-symfony-vich",
        "processes.local-disk-storage",
        {"composer.json": '{"require": {"symfony/framework-bundle": "7.0.*"}}\n'},
        {
            "config/packages/vich_uploader.yaml": "vich_uploader:\n  mappings:\n    products:\n"
            "      upload_destination: '%kernel.project_dir%/public/images/products'\n"
        },
        {
            "config/packages/vich_uploader.yaml": "vich_uploader:\n  storage: flysystem\n  mappings:\n    products:\n"
            "      upload_destination: products.storage\n"
        },
    ),
    # Shrine on the local filesystem | Shrine's cache on disk next to an S3 store
    (
        "class7a-ruby-shrine",
        "processes.local-disk-storage",
        RUBY,
        {
            "config/initializers/shrine.rb": 'Shrine.storages = { store: Shrine::Storage::FileSystem.new("public", prefix: "uploads") }\n'
        },
        {
            "config/initializers/shrine.rb": 'Shrine.storages = {\n  cache: Shrine::Storage::FileSystem.new("public", prefix: "uploads/cache"),\n'
            "  store: Shrine::Storage::S3.new(bucket: ENV['S3_BUCKET']),\n}\n"
        },
    ),
    # django-ratelimit on the default (local-memory) cache | with a Redis cache configured
    (
        "class7b-python-django-ratelimit",
        "processes.in-memory-shared-state",
        PY,
        {
            "app/views.py": "from django_ratelimit.decorators import ratelimit\n\n@ratelimit(key='ip', rate='5/m')\ndef login(request):\n    pass\n"
        },
        {
            "app/views.py": "from django_ratelimit.decorators import ratelimit\n\n@ratelimit(key='ip', rate='5/m')\ndef login(request):\n    pass\n",
            "app/settings.py": "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache', 'LOCATION': env('REDIS_URL')}}\n",
        },
    ),
    # Sequelize's config.json: SQLite in development, PostgreSQL in production | PostgreSQL in both
    (
        "class10b-node-sequelize-config",
        "dev-prod-parity.embedded-database",
        NODE,
        {
            "config/config.json": '{"development": {"dialect": "sqlite", "storage": "dev.sqlite"},\n "production": {"dialect": "postgres"}}\n'
        },
        {"config/config.json": '{"development": {"dialect": "postgres"},\n "production": {"dialect": "postgres"}}\n'},
    ),
    # Rust: the debug build picks SQLite | the debug build only picks a log format
    (
        "class10b-rust-debug-assertions",
        "dev-prod-parity.debug-picks-service",
        RUST,
        {
            "src/db.rs": 'pub async fn pool() {\n    if cfg!(debug_assertions) {\n        SqlitePool::connect("sqlite://dev.db").await;\n'
            "    } else {\n        PgPool::connect(&url()).await;\n    }\n}\n"
        },
        {
            "src/log.rs": "pub fn init() {\n    if cfg!(debug_assertions) {\n        pretty();\n    } else {\n        json();\n    }\n}\n"
        },
    ),
    # Go: gin's debug mode picks SQLite | gin's debug mode only adds a logger
    (
        "class10b-go-gin-debug",
        "dev-prod-parity.debug-picks-service",
        GO,
        {
            "db/db.go": 'package db\n\nfunc Open() {\n\tif gin.IsDebugging() {\n\t\tgorm.Open(sqlite.Open("dev.db"))\n\t}\n}\n'
        },
        {
            "db/db.go": "package db\n\nfunc Log(r *gin.Engine) {\n\tif gin.IsDebugging() {\n\t\tr.Use(gin.Logger())\n\t}\n}\n"
        },
    ),
    # a flag computed from NODE_ENV, then `if (isProduction)` choosing the session store | choosing a log format
    (
        "class10a-node-env-flag",
        "backing-services.env-branching",
        NODE,
        {
            "src/app.js": "const isProduction = process.env.NODE_ENV === 'production';\nlet store;\n"
            "if (isProduction) {\n  store = new RedisStore({ client });\n}\n"
        },
        {
            "src/app.js": "const isProduction = process.env.NODE_ENV === 'production';\n"
            "if (isProduction) {\n  app.use(morgan('combined'));\n}\n"
        },
    ),
    # Go: isProd := … APP_ENV …, then `if isProd {` opening PostgreSQL, else SQLite | only the gin mode
    (
        "class10a-go-env-flag",
        "backing-services.env-branching",
        GO,
        {
            "db/open.go": 'package db\n\nfunc Open(dsn string) {\n\tisProd := os.Getenv("APP_ENV") == "production"\n'
            '\tif isProd {\n\t\tgorm.Open(postgres.Open(dsn))\n\t} else {\n\t\tgorm.Open(sqlite.Open("dev.db"))\n\t}\n}\n'
        },
        {
            "db/open.go": 'package db\n\nfunc Mode() {\n\tisProd := os.Getenv("APP_ENV") == "production"\n'
            "\tif isProd {\n\t\tgin.SetMode(gin.ReleaseMode)\n\t}\n}\n"
        },
    ),
    # a kustomization rewriting the app's image to :latest | to a version
    (
        "class8c-kustomize",
        "build-release-run.floating-app-image",
        NODE,
        {"deploy/kustomization.yaml": "images:\n  - name: acme/shop\n    newTag: latest\n"},
        {"deploy/kustomization.yaml": "images:\n  - name: acme/shop\n    newTag: 1.4.2\n"},
    ),
]


@pytest.mark.parametrize("row, check, base, trigger, lookalike", MORE, ids=[f"{m[0]}-trigger" for m in MORE])
def test_it_reports_more_triggers(score_tree, row, check, base, trigger, lookalike):
    assert _counted(score_tree({**base, **trigger}), check), f"{check} did not report {row}"


@pytest.mark.parametrize("row, check, base, trigger, lookalike", MORE, ids=[f"{m[0]}-lookalike" for m in MORE])
def test_it_leaves_more_lookalikes_alone(score_tree, row, check, base, trigger, lookalike):
    assert not _counted(score_tree({**base, **lookalike}), check)
