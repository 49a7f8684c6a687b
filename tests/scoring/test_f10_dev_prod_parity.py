import pytest

from scoring.facts.service_images import parse_image
from scoring.registry import registered
from tests.scoring.conftest import assert_fires, findings

SERVICE = {
    "Procfile": "web: gunicorn app.wsgi --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\ndjango==5.0.1\npsycopg==3.2.1\nredis==5.0.1\n",
}
CHECKS = (
    "dev-prod-parity.same-services",
    "dev-prod-parity.embedded-database",
    "dev-prod-parity.in-process-substitute",
    "dev-prod-parity.service-version-drift",
    "dev-prod-parity.floating-service-image",
    "dev-prod-parity.debug-picks-service",
)
COMPOSE = "services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7-alpine\n"
GH_CI = (
    "jobs:\n  test:\n    services:\n      postgres:\n        image: {image}\n        env:\n"
    "          POSTGRES_PASSWORD: postgres\n    steps:\n      - run: pytest\n"
)
SPRING = {
    "Procfile": None, "requirements.txt": None, "Dockerfile": "FROM eclipse-temurin:21\n",
    "pom.xml": "<project><dependencies><dependency><artifactId>spring-boot-starter-web</artifactId></dependency>"
               "<dependency><artifactId>postgresql</artifactId></dependency></dependencies></project>",
    "src/main/java/App.java": "class App {}\n",
}


def tree(*parts):
    merged = {}
    for part in parts:
        merged.update(part)
    return {k: v for k, v in merged.items() if v is not None}


def test_it_lists_its_checks():
    assert {c.spec.id for c in registered() if c.spec.factor == 10} == set(CHECKS)


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # Django settings on SQLite while psycopg (PostgreSQL) is a dependency
        ({"app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"},
         "dev-prod-parity.embedded-database", "high"),
        # SQLite as the local default of the database URL
        ({"app/settings.py": "DATABASES = {'default': env.db('DATABASE_URL', default='sqlite:///db.sqlite3')}\n"},
         "dev-prod-parity.embedded-database", "high"),
        # test settings on SQLite keep their severity in a test path
        ({"tests/settings.py": "from app.settings import *\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\n"},
         "dev-prod-parity.embedded-database", "high"),
        # H2 in Spring's test profile next to the PostgreSQL driver
        ({**SPRING, "src/test/resources/application-test.yml": "spring:\n  datasource:\n    url: jdbc:h2:mem:test\n"},
         "dev-prod-parity.embedded-database", "high"),
        # the H2 dependency in the build file (Spring tests swap it in)
        ({**SPRING, "build.gradle": "dependencies {\n  testRuntimeOnly 'com.h2database:h2:2.2.224'\n}\n"},
         "dev-prod-parity.embedded-database", "high"),
        # Rails test database on sqlite3 with the pg gem
        ({"Procfile": "web: bundle exec puma\n", "requirements.txt": None, "Gemfile": "gem 'rails', '7.1.0'\ngem 'pg', '1.5.4'\n",
          "config/database.yml": "production:\n  adapter: postgresql\ntest:\n  adapter: sqlite3\n"},
         "dev-prod-parity.embedded-database", "high"),
        # Laravel's .env.example on sqlite while compose runs MySQL
        ({"requirements.txt": None, "composer.json": '{"require": {"laravel/framework": "11.0.0"}}',
          "docker-compose.yml": "services:\n  mysql:\n    image: mysql:8.0\n", ".env.example": "DB_CONNECTION=sqlite\n"},
         "dev-prod-parity.embedded-database", "high"),
        # Celery run eagerly in the app's settings
        ({"app/settings.py": "CELERY_TASK_ALWAYS_EAGER = True\n"}, "dev-prod-parity.in-process-substitute", "medium"),
        # Django's local-memory cache while Redis is a dependency
        ({"app/settings.py": "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n"},
         "dev-prod-parity.in-process-substitute", "medium"),
        # an in-memory broker as the local default
        ({"app/celery.py": "broker_url = os.environ.get('BROKER_URL', 'memory://')\n"},
         "dev-prod-parity.in-process-substitute", "medium"),
        # Rails development cache in process memory while production uses Redis
        ({"Gemfile": "gem 'redis', '5.0.0'\n", "config/environments/development.rb": "config.cache_store = :memory_store\n"},
         "dev-prod-parity.in-process-substitute", "medium"),
        # compose on PostgreSQL 16, CI on 14
        ({"docker-compose.yml": COMPOSE, ".github/workflows/ci.yml": GH_CI.format(image="postgres:14")},
         "dev-prod-parity.service-version-drift", "medium"),
        # production StatefulSet on 15, compose on 16
        ({"docker-compose.yml": COMPOSE, "k8s/db.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n"
          "  template:\n    spec:\n      containers:\n        - name: pg\n          image: postgres:15.4\n"},
         "dev-prod-parity.service-version-drift", "medium"),
        # Terraform's RDS engine version against compose
        ({"docker-compose.yml": COMPOSE, "infra/db.tf": 'resource "aws_db_instance" "db" {\n  engine = "postgres"\n'
          '  engine_version = "13.7"\n}\n'}, "dev-prod-parity.service-version-drift", "medium"),
        # a compose service on :latest
        ({"docker-compose.yml": "services:\n  cache:\n    image: redis:latest\n"}, "dev-prod-parity.floating-service-image", "low"),
        # a CI service with no tag
        ({".github/workflows/ci.yml": GH_CI.format(image="postgres")}, "dev-prod-parity.floating-service-image", "low"),
        # GitLab services list with no tag
        ({".gitlab-ci.yml": "test:\n  services:\n    - name: mysql\n      alias: db\n  script: [make test]\n"},
         "dev-prod-parity.floating-service-image", "low"),
        # DEBUG choosing the cache backend
        ({"app/settings.py": "if DEBUG:\n    CACHES = {'default': {'BACKEND': 'x'}}\nelse:\n    CACHES = {}\n"},
         "dev-prod-parity.debug-picks-service", "medium"),
        # Flask debug flag choosing SQLite
        ({"app.py": "if app.debug:\n    app.config['SQLALCHEMY_DATABASE_URI'] = os.environ['DEV_DB']\n    use_sqlite()\n"},
         "dev-prod-parity.debug-picks-service", "medium"),
        # .NET #if DEBUG swapping the distributed cache
        ({"Program.cs": "#if DEBUG\nbuilder.Services.AddDistributedMemoryCache();\n#else\nbuilder.Services.AddStackExchangeRedisCache(o => {});\n#endif\n"},
         "dev-prod-parity.debug-picks-service", "medium"),
    ],
)
def test_it_flags_parity_violations(score_tree, files, check, severity):
    report = score_tree(tree(SERVICE, files))
    assert_fires(report, check, severity)


@pytest.mark.parametrize(
    "files",
    [
        # SQLite with no database server anywhere is factor VI's concern, not a parity gap
        {"requirements.txt": "gunicorn==23.0.0\n", "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\n"},
        # an SQLite URL in the README is documentation
        {"README.md": "For a quick try set DATABASE_URL=sqlite:///db.sqlite3\n"},
        # a scorer's own test embedding settings in one string literal
        {"tests/test_rules.py": "SRC = \"DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\"\n"},
        # a PostgreSQL default inside the environment read
        {"app/settings.py": "DATABASES = {'default': env.db('DATABASE_URL', default='postgres://localhost/app')}\n"},
        # eager Celery in the test suite's configuration is allowed
        {"tests/conftest.py": "def pytest_configure(config):\n    settings.CELERY_TASK_ALWAYS_EAGER = True\n"},
        # eager mode read from the environment, off by default
        {"app/settings.py": "CELERY_TASK_ALWAYS_EAGER = env.bool('CELERY_EAGER', default=False)\n"},
        # the words in a comment or docstring
        {"app/settings.py": '"""Never use LocMemCache or memory:// here."""\n# CELERY_TASK_ALWAYS_EAGER = True\n'},
        # the same major version everywhere (16 and 16.2-alpine)
        {"docker-compose.yml": COMPOSE, ".github/workflows/ci.yml": GH_CI.format(image="postgres:16.2-alpine")},
        # env values under a CI service are not images
        {".github/workflows/ci.yml": GH_CI.format(image="postgres:16")},
        # the app's own image, built by compose, is the local tag of that build; a pinned tool image
        {"docker-compose.yml": "services:\n  web:\n    image: myapp:latest\n    build: .\n  mail:\n    image: axllent/mailpit:v1.21\n"},
        # DEBUG toggling a debug toolbar, not a service
        {"app/settings.py": "if DEBUG:\n    INSTALLED_APPS += ['debug_toolbar']\nCACHES = env.cache('CACHE_URL')\n"},
        # an environment-name branch is factor IV's finding, not this one
        {"app/settings.py": "if os.environ['ENV'] == 'production':\n    CACHES = redis_cache()\n"},
        # DEBUG in a comment
        {"app/settings.py": "# if settings.DEBUG:\n#     CACHES = locmem\n"},
    ],
)
def test_it_does_not_flag_look_alikes(score_tree, files):
    report = score_tree(tree(SERVICE, files))
    assert not [f for c in CHECKS for f in findings(report, c, violations_only=True)]


def test_it_reports_pinned_compose_services_as_evidence(score_tree):
    report = score_tree(tree(SERVICE, {"docker-compose.yml": COMPOSE}))
    evidence = findings(report, "dev-prod-parity.same-services")
    assert [f.message for f in evidence] == ["docker-compose runs the backing services at pinned versions: PostgreSQL 16, Redis 7."]
    assert report.factor("dev-prod-parity").status.value == "pass"


@pytest.mark.parametrize(
    "ref, service, tag",
    [
        # a plain official image with a variant tag
        ("postgres:16-alpine", "PostgreSQL", "16-alpine"),
        # a registry path with a port, a namespace and CircleCI's convenience image
        ("registry.example.com:5000/cimg/postgres:15.1", "PostgreSQL", "15.1"),
        # no tag at all floats like latest
        ("bitnami/redis", "Redis", None),
        # pinned by digest
        ("redis@sha256:" + "a" * 64, "Redis", "digest"),
        # the app's own image and a variable reference are not services
        ("myapp:1.2.3", None, None),
        ("postgres:${PG_VERSION}", None, None),
    ],
)
def test_it_parses_service_images(ref, service, tag):
    assert parse_image(ref) == (service, tag)
