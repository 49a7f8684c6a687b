import pytest

from tests.scoring.conftest import assert_fires, findings

SERVICE = {
    "Procfile": "web: gunicorn app:app --bind 0.0.0.0:$PORT\n",
    "requirements.txt": "gunicorn==23.0.0\n",
}
CHECKS = (
    "processes.local-session-store",
    "processes.sticky-sessions",
    "processes.local-disk-storage",
    "processes.sqlite-database",
    "processes.module-state",
)


@pytest.mark.parametrize(
    "files, check, severity",
    [
        # Django file-based sessions
        ({"app/settings.py": "SESSION_ENGINE = 'django.contrib.sessions.backends.file'\n"}, "processes.local-session-store", "high"),
        # Django cache sessions on the local-memory cache
        ({"app/settings.py": "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n"
                             "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n"},
         "processes.local-session-store", "high"),
        # Flask-Session on the filesystem, set through app.config["…"] (a key literal)
        ({"app.py": "from flask import Flask\napp = Flask(__name__)\napp.config['SESSION_TYPE'] = 'filesystem'\n"},
         "processes.local-session-store", "high"),
        # express-session with no store: the MemoryStore default
        ({"server.js": "const session = require('express-session');\napp.use(session({ secret: s, resave: false }));\n"},
         "processes.local-session-store", "high"),
        # Laravel session driver hard-coded to file
        ({"config/session.php": "<?php\nreturn ['driver' => 'file', 'lifetime' => 120];\n"}, "processes.local-session-store", "high"),
        # Laravel's session driver defaults to local files unless SESSION_DRIVER is set (medium: a default)
        ({"config/session.php": "<?php\nreturn ['driver' => env('SESSION_DRIVER', 'file')];\n"},
         "processes.local-session-store", "medium"),
        # gorilla/sessions filesystem store
        ({"main.go": 'var store = sessions.NewFilesystemStore("", key)\n'}, "processes.local-session-store", "high"),
        # nginx ip_hash
        ({"deploy/nginx/site.conf": "upstream app {\n    ip_hash;\n    server a:8000;\n}\n"}, "processes.sticky-sessions", "high"),
        # Kubernetes Service session affinity
        ({"k8s/service.yaml": "apiVersion: v1\nkind: Service\nspec:\n  sessionAffinity: ClientIP\n"}, "processes.sticky-sessions", "high"),
        # ingress-nginx cookie affinity annotation
        ({"k8s/ingress.yaml": "metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/affinity: \"cookie\"\n"},
         "processes.sticky-sessions", "high"),
        # multer writing uploads to a local folder
        ({"routes/upload.js": "const upload = multer({ dest: 'uploads/' });\n"}, "processes.local-disk-storage", "medium"),
        # Python writing durable data under /var/data
        ({"app/store.py": "def save(b):\n    with open('/var/data/orders.json', 'w') as fh:\n        fh.write(b)\n"},
         "processes.local-disk-storage", "medium"),
        # Django's FileSystemStorage named as the default storage in STORAGES
        ({"app/settings.py": "STORAGES = {'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}}\n"},
         "processes.local-disk-storage", "medium"),
        # Django uploads to MEDIA_ROOT with no other storage configured
        ({"app/settings.py": "MEDIA_ROOT = BASE_DIR / 'media'\n",
          "app/models.py": "from django.db import models\nclass Doc(models.Model):\n    f = models.FileField(upload_to='docs')\n"},
         "processes.local-disk-storage", "medium"),
        # PHP move_uploaded_file
        ({"upload.php": "<?php move_uploaded_file($_FILES['f']['tmp_name'], 'uploads/x');\n"}, "processes.local-disk-storage", "medium"),
        # Django settings with SQLite and no environment-chosen database
        ({"app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"},
         "processes.sqlite-database", "high"),
        # Flask-SQLAlchemy on a SQLite file
        ({"app.py": "app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///app.db'\n"}, "processes.sqlite-database", "high"),
        # Sequelize with the sqlite dialect
        ({"db.js": "const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'data.sqlite' });\n"},
         "processes.sqlite-database", "high"),
        # GORM on a SQLite file
        ({"db.go": 'db, _ := gorm.Open("sqlite3", "./data/app.db")\n'}, "processes.sqlite-database", "high"),
        # Active Storage on local disk in production
        ({"config/environments/production.rb": "Rails.application.configure do\n  config.active_storage.service = :local\nend\n"},
         "processes.local-disk-storage", "medium"),
        # Rails production database on sqlite3
        ({"config/database.yml": "production:\n  adapter: sqlite3\n  database: db/production.sqlite3\n"},
         "processes.sqlite-database", "high"),
        # Prisma schema on sqlite
        ({"prisma/schema.prisma": 'datasource db {\n  provider = "sqlite"\n  url = "file:./dev.db"\n}\n'},
         "processes.sqlite-database", "high"),
        # a Flask handler writing a module-level dict
        ({"app.py": "from flask import Flask\napp = Flask(__name__)\n_sessions = {}\n\n@app.route('/login')\ndef login():\n"
                    "    _sessions[token] = user\n    return 'ok'\n"}, "processes.module-state", "medium"),
        # an Express handler pushing into a module-level array
        ({"server.js": "const carts = [];\napp.post('/cart', (req, res) => {\n  carts.push(req.body);\n});\n"},
         "processes.module-state", "medium"),
    ],
)
def test_it_flags_state_kept_in_the_process(score_tree, files, check, severity):
    report = score_tree({**SERVICE, **files})
    assert_fires(report, check, severity)


@pytest.mark.parametrize(
    "files",
    [
        # DB-backed Django sessions
        {"app/settings.py": "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n"},
        # cache sessions on Redis, not locmem
        {"app/settings.py": "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n"
                            "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache'}}\n"},
        # express-session with a Redis store
        {"server.js": "const session = require('express-session');\napp.use(session({ store: new RedisStore({ client }), secret: s }));\n"},
        # Laravel's session driver defaults to file inside env(), but .env.example sets a shared driver
        {"config/session.php": "<?php\nreturn ['driver' => env('SESSION_DRIVER', 'file')];\n",
         ".env.example": "SESSION_DRIVER=redis\n"},
        # Laravel's file *cache* store is not a session store
        {"config/cache.php": "<?php\nreturn ['stores' => ['file' => ['driver' => 'file']]];\n"},
        # Active Storage on local disk in the development environment only
        {"config/environments/development.rb": "Rails.application.configure do\n  config.active_storage.service = :local\nend\n"},
        # a test that embeds a whole settings file in one string is not configuration
        {"tests/test_settings.py": "SRC = \"SESSION_TYPE = 'filesystem'\\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\"\n"},
        # the directive quoted in a README is prose, not nginx configuration
        {"README.md": "Do not use `ip_hash;` or `sessionAffinity: ClientIP`.\n"},
        # sessionAffinity: None is the default, not stickiness
        {"k8s/service.yaml": "apiVersion: v1\nkind: Service\nspec:\n  sessionAffinity: None\n"},
        # multer-s3 storage instead of a local dest
        {"routes/upload.js": "const upload = multer({ storage: multerS3({ s3, bucket: process.env.BUCKET }) });\n"},
        # scratch files in /tmp are fine
        {"app/convert.py": "with open('/tmp/scratch.bin', 'wb') as fh:\n    fh.write(b)\n"},
        # Django file fields with S3 storage configured
        {"app/settings.py": "MEDIA_ROOT = BASE_DIR / 'media'\nSTORAGES = {'default': {'BACKEND': 'storages.backends.s3.S3Storage'}}\n",
         "app/models.py": "class Doc(models.Model):\n    f = models.FileField()\n"},
        # SQLite only as a local default inside an environment read
        {"app/settings.py": "import environ\nenv = environ.Env()\nDATABASES = {'default': env.db('DATABASE_URL', default='sqlite:///db.sqlite3')}\n"},
        # sqlite3 in a test path is demoted, and an in-memory database is not a file
        {"app/cache.py": "conn = sqlite3.connect(':memory:')\n"},
        # a memo cache at module level is allowed (per-process caching)
        {"app.py": "_cache = {}\n@app.route('/x')\ndef x():\n    _cache[k] = v\n"},
        # a module-level dict that handlers only read
        {"app.py": "ROUTES = {}\nnames = {}\n@app.route('/x')\ndef x():\n    return names.get(k)\n"},
    ],
)
def test_it_does_not_flag_look_alikes(score_tree, files):
    report = score_tree({**SERVICE, **files})
    for check in CHECKS:
        assert not [f for f in findings(report, check) if f.severity.value in ("critical", "high", "medium")], check
    assert report.factor("processes").status.value == "pass"


def test_it_demotes_sqlite_in_test_paths(score_tree):
    report = score_tree({**SERVICE, "tests/fixtures/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\n"})
    got = findings(report, "processes.sqlite-database")
    assert got and got[0].severity.value == "low"


@pytest.mark.parametrize(
    "files",
    [
        # Django DB sessions
        {"app/settings.py": "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\n"},
        # connect-redis declared
        {"package.json": '{"dependencies": {"express": "4.19.2", "connect-redis": "7.1.0"}}'},
    ],
)
def test_it_reports_shared_state_as_evidence(score_tree, files):
    report = score_tree({**SERVICE, **files})
    evidence = findings(report, "processes.shared-state-evidence")
    assert evidence and evidence[0].severity.value == "info"
    base = {e.message for e in findings(score_tree(SERVICE), evidence[0].check)}
    assert any(e.message not in base for e in evidence)  # the fixture's evidence, not the base service's
