import json

import pytest

from tests.scoring.conftest import assert_fires, findings
from tests.scoring.test_secrets import PASSWORD

SERVICE = {
    "Procfile": "web: gunicorn app.wsgi --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "django==5.0\ngunicorn==23.0.0\n",
    "app/settings.py": "import environ\nenv = environ.Env()\nDATABASES = {'default': env.db('DATABASE_URL')}\n",
}


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # psycopg2 given a literal IP address
        (
            {"app/db.py": "conn = psycopg2.connect(host='10.0.1.42', dbname='app')\n"},
            "backing-services.hardcoded-host",
            "high",
        ),
        # redis-py given a literal internal host
        (
            {"app/cache.py": "r = redis.Redis(host='cache.internal', port=6379)\n"},
            "backing-services.hardcoded-host",
            "high",
        ),
        # a Mongo URL with a host in Node code
        (
            {"src/db.js": "mongoose.connect('mongodb://db.prod:27017/app');\n"},
            "backing-services.hardcoded-host",
            "high",
        ),
        # node-redis options with a host
        (
            {"src/cache.ts": "const c = createClient({ socket: {}, host: 'cache.internal' });\n"},
            "backing-services.hardcoded-host",
            "high",
        ),
        # go-redis options with an address
        (
            {"main.go": 'package main\nvar c = redis.NewClient(&redis.Options{Addr: "cache.internal:6379"})\n'},
            "backing-services.hardcoded-host",
            "high",
        ),
        # Ruby Redis.new with a host
        (
            {"config/initializers/redis.rb": "$redis = Redis.new(host: 'cache.internal')\n"},
            "backing-services.hardcoded-host",
            "high",
        ),
        # Jedis with a literal host
        (
            {"src/main/java/Cache.java": 'Jedis j = new Jedis("cache.internal", 6379);\n'},
            "backing-services.hardcoded-host",
            "high",
        ),
        # PDO with a literal host in the DSN
        (
            {"src/Db.php": "<?php $pdo = new PDO('mysql:host=db.internal;dbname=app');\n"},
            "backing-services.hardcoded-host",
            "high",
        ),
        # StackExchange.Redis with a literal host
        (
            {"Cache.cs": 'var r = ConnectionMultiplexer.Connect("cache.internal:6379");\n'},
            "backing-services.hardcoded-host",
            "high",
        ),
        # a JDBC URL with a host in application.properties
        (
            {"src/main/resources/application.properties": "spring.datasource.url=jdbc:postgresql://db.prod:5432/app\n"},
            "backing-services.hardcoded-host",
            "high",
        ),
        # a Redis host in application.yml
        (
            {"src/main/resources/application.yml": "spring:\n  redis:\n    host: cache.internal\n"},
            "backing-services.hardcoded-host",
            "high",
        ),
        # an ADO.NET connection string with a server name in appsettings.json
        (
            {"appsettings.json": json.dumps({"ConnectionStrings": {"Db": "Server=sql.internal;Database=app"}})},
            "backing-services.hardcoded-host",
            "high",
        ),
        # storage picked by the environment's name
        (
            {
                "app/storage.py": (
                    "import os\nif os.environ['ENVIRONMENT'] == 'production':\n"
                    "    storage = S3Boto3Storage()\nelse:\n    storage = FileSystemStorage()\n"
                )
            },
            "backing-services.env-branching",
            "medium",
        ),
        # an in-memory session store outside production
        (
            {
                "src/app.js": "const store = process.env.NODE_ENV !== 'production' ? new MemoryStore() : new RedisStore({ client });\n"
            },
            "backing-services.env-branching",
            "medium",
        ),
        # the same ternary as Prettier lays it out, the `?` on the next line
        (
            {
                "src/app.js": "const store =\n  process.env.NODE_ENV !== 'production'\n    ? new MemoryStore()\n    : new RedisStore({ client });\n"
            },
            "backing-services.env-branching",
            "medium",
        ),
        # ASP.NET picking a cache by environment
        (
            {"Program.cs": "if (app.Environment.IsDevelopment())\n{\n    services.AddDistributedMemoryCache();\n}\n"},
            "backing-services.env-branching",
            "medium",
        ),
    ],
)
def test_it_flags_hard_wired_services(score_tree, files, check, severity):
    report = score_tree({**SERVICE, **files})
    assert_fires(report, check, severity)
    assert report.factor("backing-services").status.value in ("fail", "warn")


@pytest.mark.parametrize(
    "files",
    [
        # a local default inside an environment read
        {"app/cache.py": "import os\nREDIS_URL = os.getenv('REDIS_URL', 'redis://localhost:6379')\n"},
        # django-environ with a loopback default
        {
            "app/db.py": "DATABASES = {'default': env.db('DATABASE_URL', default='postgres://postgres@127.0.0.1:5432/app')}\n"
        },
        # Node: an env read with a local fallback
        {"src/cache.js": "const url = process.env.REDIS_URL || 'redis://localhost:6379';\n"},
        # loopback literals in tests are fine
        {"tests/test_db.py": "conn = psycopg2.connect(host='127.0.0.1')\nr = redis.Redis(host='localhost')\n"},
        # a Spring placeholder, not a host
        {"src/main/resources/application.properties": "spring.datasource.url=${DATABASE_URL}\n"},
        # a URL in a comment is not code
        {"app/db.py": "# we used to connect to mongodb://db.prod:27017/app\nimport os\n"},
        # compose injecting the URL into the environment is exactly right
        {
            "docker-compose.yml": "services:\n  web:\n    environment:\n      DATABASE_URL: postgres://app@db.internal/app\n"
        },
        # an environment check that picks no backing service
        {"src/app.js": "if (process.env.NODE_ENV !== 'production') {\n  app.use(morgan('dev'));\n}\n"},
        # settings.DEBUG serving static files, not a service
        {"app/urls.py": "if settings.DEBUG:\n    urlpatterns += static(settings.MEDIA_URL)\n"},
        # a host literal for a client that is not a backing service (the app's own server)
        {"app/main.py": "app.run(host='0.0.0.0', port=8000)\n"},
    ],
)
def test_it_does_not_fail_look_alikes(score_tree, files):
    report = score_tree({**SERVICE, **files})
    serious = [
        f for f in report.factor("backing-services").findings if f.severity.value in ("critical", "high", "medium")
    ]
    assert serious == []
    assert report.factor("backing-services").status.value == "pass"


def test_it_reports_a_remote_default_inside_an_env_read_as_low(score_tree):
    # a production host as a default is worth a note, never a fail
    report = score_tree(
        {**SERVICE, "app/cache.py": "import os\nURL = os.getenv('REDIS_URL', 'redis://cache.prod.internal:6379')\n"}
    )
    assert [f.severity.value for f in findings(report, "backing-services.hardcoded-host")] == ["low"]


def test_it_masks_the_password_of_a_hard_coded_url(score_tree):
    report = score_tree({**SERVICE, "src/db.js": f"mongoose.connect('mongodb://app:{PASSWORD}@db.prod:27017/app');\n"})
    assert findings(report, "backing-services.hardcoded-host")
    assert PASSWORD not in json.dumps(report.to_dict())


@pytest.mark.parametrize(
    "files, expected",
    [
        # DATABASE_URL read in settings
        ({"app/settings.py": "import os\nDB = os.environ['DATABASE_URL']\n"}, True),
        # django-environ's env.db() helper
        ({"app/settings.py": "DATABASES = {'default': env.db('DATABASE_URL')}\n"}, True),
        # REDIS_URL documented in a committed .env.example
        ({"app/settings.py": "X = 1\n", ".env.example": "REDIS_URL=\n"}, True),
        # a service variable named only in a comment
        ({"app/settings.py": "# set DATABASE_URL one day\nX = 1\n"}, False),
    ],
)
def test_it_reports_services_located_by_config(score_tree, files, expected):
    base = {"Procfile": "web: gunicorn app.wsgi\n", "requirements.txt": "django==5.0\n"}
    report = score_tree({**base, **files})
    got = [f for f in findings(report, "backing-services.attached-resources") if f.severity.value == "info"]
    assert bool(got) is expected
