import json

import pytest

from tests.scoring.conftest import assert_fires, findings
from tests.scoring.test_secrets import AWS_KEY, DJANGO_KEY, GITHUB, PASSWORD, PRIVATE_KEY, STRIPE

SERVICE = {
    "Procfile": "web: gunicorn app.wsgi --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "django==5.0\ngunicorn==23.0.0\n",
    "app/wsgi.py": "import os\nPORT = os.environ.get('PORT', '8000')\n",
}


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # a Django SECRET_KEY literal in settings
        ({"app/settings.py": f"SECRET_KEY = '{DJANGO_KEY}'\n"}, "config.committed-secret", "critical"),
        # an AWS access key in app code
        ({"app/storage.py": f"KEY_ID = '{AWS_KEY}'\n"}, "config.committed-secret", "critical"),
        # a real-format key in tests keeps its severity
        ({"tests/test_upload.py": f"KEY_ID = '{AWS_KEY}'\n"}, "config.committed-secret", "critical"),
        # a private key file shipped with the deploy files
        ({"deploy/server.key": PRIVATE_KEY}, "config.committed-secret", "critical"),
        # a GitHub token in a CI workflow: real format, critical everywhere
        ({".github/workflows/ci.yml": f"env:\n  GH_TOKEN: {GITHUB}\n"}, "config.committed-secret", "critical"),
        # a Stripe live key in a committed example file is still a live key
        ({".env.example": f"STRIPE_KEY={STRIPE}\n"}, "config.committed-secret", "critical"),
        # a password in a CI job that deploys: high (a test job's values are low: test_eng2_config.py)
        (
            {".github/workflows/deploy.yml": f"jobs:\n  ship:\n    env:\n      DB_PASSWORD: {PASSWORD}\n"},
            "config.committed-secret",
            "high",
        ),
        # a password in a deploy script: high
        ({"scripts/deploy.sh": f"export DB_PASSWORD={PASSWORD}\n"}, "config.committed-secret", "high"),
        # a JWT secret in Node config
        (
            {"src/config.js": f"module.exports = {{ jwtSecret: '{PASSWORD}' }};\n"},
            "config.committed-secret",
            "critical",
        ),
        # a password in Spring configuration
        (
            {"src/main/resources/application.properties": f"spring.datasource.password={PASSWORD}\n"},
            "config.committed-secret",
            "critical",
        ),
        # a connection string with a password for a remote database in settings
        (
            {"app/settings.py": f"DATABASE_URL = 'postgres://app:{PASSWORD}@db.prod.internal:5432/app'\n"},
            "config.connection-string-credentials",
            "critical",
        ),
        # mongodb+srv with credentials in Node code
        (
            {"src/db.js": f"mongoose.connect('mongodb+srv://app:{PASSWORD}@cluster0.ab1cd.mongodb.net/app');\n"},
            "config.connection-string-credentials",
            "critical",
        ),
        # a redis URL with only a password
        (
            {"config/cache.yml": f"url: redis://:{PASSWORD}@cache.internal:6379/0\n"},
            "config.connection-string-credentials",
            "critical",
        ),
        # an amqp URL in a CI file: high
        (
            {".github/workflows/ci.yml": f"env:\n  BROKER: amqp://app:{PASSWORD}@mq.internal:5672/\n"},
            "config.connection-string-credentials",
            "high",
        ),
        # a committed .env holding a secret
        ({".env": f"SECRET_KEY={DJANGO_KEY}\n"}, "config.committed-env-file", "high"),
        # a committed .env.production with no secret in it
        ({".env.production": "PORT=3000\nLOG_LEVEL=info\n"}, "config.committed-env-file", "medium"),
        # a committed .env.local
        ({".env.local": "FEATURE_X=1\n"}, "config.committed-env-file", "medium"),
        # Django per-environment settings modules
        (
            {"app/settings/prod.py": "from .base import *\nALLOWED_HOSTS = ['app.example.org']\n"},
            "config.per-environment-config",
            "medium",
        ),
        # a production JSON bundle with credentials in it
        (
            {"config/production.json": json.dumps({"db": f"postgres://app:{PASSWORD}@db.prod.internal/app"})},
            "config.per-environment-config",
            "high",
        ),
        # a Spring profile for production
        (
            {"src/main/resources/application-prod.yml": "server:\n  port: 8080\n"},
            "config.per-environment-config",
            "medium",
        ),
        # an ASP.NET production settings file
        ({"appsettings.Production.json": '{"Logging": {}}\n'}, "config.per-environment-config", "medium"),
        # a Rails environment file carrying an SMTP host
        (
            {
                "config/environments/production.rb": "config.action_mailer.smtp_settings = { address: 'smtp.mailhost.io' }\n"
            },
            "config.per-environment-config",
            "medium",
        ),
        # database.yml with a literal production host
        (
            {"config/database.yml": "development:\n  host: localhost\nproduction:\n  host: db.prod.internal\n"},
            "config.per-environment-config",
            "medium",
        ),
        # database.yml with a literal production password
        (
            {"config/database.yml": f"production:\n  adapter: postgresql\n  password: {PASSWORD}\n"},
            "config.per-environment-config",
            "high",
        ),
        # DEBUG = True in the one settings module deploys run
        ({"app/settings.py": "DEBUG = True\n"}, "config.debug-in-production", "medium"),
        # Laravel debug forced on
        ({"config/app.php": "<?php return ['debug' => true];\n"}, "config.debug-in-production", "medium"),
        # Rails production showing full error pages
        (
            {"config/environments/production.rb": "config.consider_all_requests_local = true\n"},
            "config.debug-in-production",
            "medium",
        ),
        # Spring debug on in application.properties
        ({"src/main/resources/application.properties": "debug=true\n"}, "config.debug-in-production", "medium"),
    ],
)
def test_it_flags_config_in_code(score_tree, files, check, severity):
    report = score_tree({**SERVICE, **files})
    assert_fires(report, check, severity)
    assert report.factor("config").status.value in ("fail", "warn")


@pytest.mark.parametrize(
    "files",
    [
        # AWS's documented example key in a README
        {"README.md": "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"},
        # a fake password in tests is shown as low and not counted
        {"tests/test_login.py": f"PASSWORD = '{PASSWORD}'\n"},
        # SECRET_KEY read from the environment through django-environ
        {
            "app/settings.py": "import environ\nenv = environ.Env()\nSECRET_KEY = env('SECRET_KEY')\nDEBUG = env.bool('DEBUG', default=False)\n"
        },
        # placeholders in a committed example env file
        {
            ".env.example": "SECRET_KEY=\nDB_PASSWORD=changeme\nDATABASE_URL=postgres://user:password@localhost:5432/app\n"
        },
        # a placeholder DSN in the README
        {"README.md": "Set DATABASE_URL=postgres://user:pass@host/db\n"},
        # a password taken from the environment inside a URL
        {
            "docker-compose.yml": "services:\n  web:\n    environment:\n      DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app\n"
        },
        # a local default inside an environment read, with no password
        {
            "app/settings.py": "import os\nDATABASE_URL = os.getenv('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/app')\n"
        },
        # example, sample and template env files are documentation
        {".env.sample": "PORT=3000\n", ".env.template": "PORT=3000\n"},
        # development settings may turn debug on
        {"app/settings/dev.py": "DEBUG = True\n"},
        # a Rails production environment file with framework settings only
        {"config/environments/production.rb": "config.cache_classes = true\nconfig.log_level = :info\n"},
        # database.yml reading production values from ENV through ERB
        {"config/database.yml": "production:\n  host: <%= ENV['DB_HOST'] %>\n  password: <%= ENV['DB_PASSWORD'] %>\n"},
        # a secret-looking line in a comment
        {"app/settings.py": f"import os\n# SECRET_KEY = '{DJANGO_KEY}'\nSECRET_KEY = os.environ['SECRET_KEY']\n"},
    ],
)
def test_it_does_not_fail_look_alikes(score_tree, files):
    report = score_tree({**SERVICE, **files})
    serious = [f for f in report.factor("config").findings if f.severity.value in ("critical", "high", "medium")]
    assert serious == []
    assert report.factor("config").status.value == "pass"


def test_it_reports_a_local_password_in_a_url_as_low(score_tree):
    # a password for a service on this machine: a dev credential, reported but not a fail
    report = score_tree({**SERVICE, "app/settings.py": f"DB = 'postgres://app:{PASSWORD}@localhost/app'\n"})
    got = findings(report, "config.connection-string-credentials")
    assert [f.severity.value for f in got] == ["low"]
    assert PASSWORD not in json.dumps(report.to_dict())


@pytest.mark.parametrize(
    "files, expected",
    [
        # settings, no environment read anywhere
        ({"app/settings.py": "DEBUG = False\nDATABASES = {'default': {'NAME': 'app'}}\n"}, True),
        # the same settings reading the environment
        ({"app/settings.py": "import os\nDEBUG = False\nDATABASES = {'default': {'NAME': os.environ['DB']}}\n"}, False),
        # Spring configuration with ${VAR} placeholders
        ({"src/main/resources/application.properties": "spring.datasource.url=${DATABASE_URL}\n"}, False),
        # an environment read only in tests does not count
        (
            {"app/settings.py": "DEBUG = False\n", "tests/test_settings.py": "import os\nos.environ['X'] = '1'\n"},
            True,
        ),
    ],
)
def test_it_flags_an_app_that_reads_nothing_from_the_environment(score_tree, files, expected):
    base = {"Procfile": "web: gunicorn app.wsgi\n", "requirements.txt": "django==5.0\ngunicorn==23.0.0\n"}
    report = score_tree({**base, **files})
    got = findings(report, "config.no-env-reads")
    assert bool(got) is expected
    if expected:
        assert got[0].severity.value == "high"


def test_it_does_not_ask_a_library_to_read_the_environment(score_tree):
    # a published package with a config module but no server: not an app
    report = score_tree({"pyproject.toml": "[project]\nname = 'lib'\n", "lib/config.py": "DEBUG = False\n"})
    assert findings(report, "config.no-env-reads") == []


@pytest.mark.parametrize(
    "path, text, language",
    [
        ("app/settings.py", "import environ\nenv = environ.Env()\nX = env.str('X')\n", "python"),  # django-environ
        ("app/config.py", "class S(BaseSettings):\n    x: str\n", "python"),  # pydantic-settings
        ("src/index.js", "const port = process.env.PORT;\n", "javascript"),  # process.env
        ("main.go", 'package main\nvar addr = os.Getenv("ADDR")\n', "go"),  # os.Getenv
        ("config/application.rb", "config.x = ENV.fetch('X')\n", "ruby"),  # ENV.fetch
        ("src/main/java/App.java", 'String u = System.getenv("DB");\n', "java"),  # System.getenv
        ("config/app.php", "<?php return ['key' => env('APP_KEY')];\n", "php"),  # Laravel env()
        ("src/main.rs", 'let u = std::env::var("DB");\n', "rust"),  # std::env::var
        ("Program.cs", 'var u = Environment.GetEnvironmentVariable("DB");\n', "dotnet"),  # .NET
    ],
)
def test_it_reports_env_reads_as_evidence(score_tree, path, text, language):
    report = score_tree({**SERVICE, path: text})
    messages = [f.message for f in findings(report, "config.env-reads") if f.severity.value == "info"]
    assert any(f"({language})" in m for m in messages)


@pytest.mark.parametrize(
    "files, words",
    [
        # Spring Boot binds SPRING_DATASOURCE_URL … to properties with no placeholder in the app
        (
            {
                "pom.xml": "<project><parent><artifactId>spring-boot-starter-parent</artifactId></parent>"
                "<dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency>"
                "</dependencies></project>\n",
                "src/main/java/app/App.java": "package app;\n@SpringBootApplication\npublic class App {}\n",
            },
            "Spring Boot",
        ),
        # Rails reads DATABASE_URL and SECRET_KEY_BASE by itself
        (
            {
                "Gemfile": "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n",
                "config.ru": "run Rails.application\n",
            },
            "Rails",
        ),
        # Rocket merges ROCKET_* variables
        (
            {"Cargo.toml": '[package]\nname = "a"\n[dependencies]\nrocket = "0.5"\n', "src/main.rs": "fn main() {}\n"},
            "Rocket",
        ),
    ],
)
def test_it_counts_frameworks_that_bind_the_environment_as_evidence(score_tree, files, words):
    report = score_tree(files)
    messages = [f.message for f in findings(report, "config.env-reads")]
    assert any(words in m for m in messages), messages
    assert report.factor("config").status.value == "pass"


def test_it_does_not_count_a_framework_it_does_not_know_as_evidence(score_tree):
    # an Express app with no process.env anywhere: no evidence either way
    report = score_tree(
        {
            "package.json": '{"dependencies": {"express": "4"}, "scripts": {"start": "node a.js"}}',
            "a.js": "require('express')().listen(8080);\n",
        }
    )
    assert not [f for f in findings(report, "config.env-reads") if f.severity.value == "info"]


def test_it_reports_a_documented_env_example_as_evidence(score_tree):
    report = score_tree({**SERVICE, ".env.example": "# the database\nDATABASE_URL=\nSECRET_KEY=\n"})
    got = findings(report, "config.env-example")
    assert got and got[0].severity.value == "info" and got[0].path == ".env.example"


def test_it_does_not_count_an_empty_env_example(score_tree):
    # comments only: nothing is documented
    report = score_tree({**SERVICE, ".env.example": "# nothing yet\n"})
    assert findings(report, "config.env-example") == []


def test_it_reports_a_secret_in_shared_code_of_a_monorepo(score_tree):
    # eShopOnWeb: two deployables (src/Web, src/PublicApi) and a shared library holding the JWT key
    def web(name: str) -> dict[str, str]:
        return {
            f"src/{name}/{name}.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"></Project>\n',
            f"src/{name}/Program.cs": "var builder = WebApplication.CreateBuilder(args);\nbuilder.Build().Run();\n",
            f"src/{name}/Dockerfile": f'FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENTRYPOINT ["dotnet", "{name}.dll"]\n',
        }

    shared = {
        "src/Core/Core.csproj": '<Project Sdk="Microsoft.NET.Sdk"></Project>\n',
        "src/Core/Constants.cs": f'public static class Constants {{ public const string JWT_SECRET_KEY = "{DJANGO_KEY}"; }}\n',
    }
    report = score_tree({**web("Web"), **web("PublicApi"), **shared})
    got = findings(report, "config.committed-secret")
    assert [(f.path, f.severity.value) for f in got] == [("src/Core/Constants.cs", "critical")]
    assert report.factor("config").status.value == "fail"
    assert DJANGO_KEY not in json.dumps(report.to_dict())
