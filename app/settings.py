"""Factorcard settings: one module, every deploy-specific value read from the environment.

.env.example lists each variable. Values that only a real deployment can supply (SECRET_KEY) have
no default and fail loudly; local defaults point at services on this machine.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# A developer's local, git-ignored .env fills in what the environment leaves unset (it never overrides a
# variable already set). Real deploys set the environment; bin/test and the Docker image set
# FACTORCARD_DOTENV=0 so that tests and containers see their own environment only.
if env.bool("FACTORCARD_DOTENV", default=True):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "app.web",
    "app.waivers",
    "app.teams",
    "app.reports",
    "app.demo",
    "app.webhooks",
]

MIDDLEWARE = [
    "app.web.views_ops.ProbeMiddleware",  # /healthz and /readyz answer before sessions, auth or the database
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
]

ROOT_URLCONF = "app.urls"
WSGI_APPLICATION = "app.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/factorcard")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# bin/test names a test database per run, so that two runs on one machine never share one.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default=None)}
# An unreachable database fails a query (and /readyz) in seconds, not after the kernel's TCP timeout.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {"default": env.cache("CACHE_URL", default="rediscache://127.0.0.1:6379/1")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "app.web.cache.TolerantRedisCache"  # Redis down: a miss, not a 500
# Sessions are read from the cache (one query less per page) and written through to the database,
# so a flushed, restarted or unreachable cache signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

vars().update(env.email_url("EMAIL_URL", default="smtp://127.0.0.1:1025"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Factorcard <factorcard@localhost>")
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=30.0)  # Django's default waits for ever on a silent server
# This deploy's public address: emails have no request to take links from.
SITE_URL = env("SITE_URL", default="http://localhost:8000")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "repositories"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},  # the app stores no uploads
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Celery: Redis broker; results live in PostgreSQL, so task results are not kept.
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-scan gives the message back …
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # … and a lost child process requeues it
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# When the broker connection drops, scans in flight go on and store their results (the database is
# the record; a message they can no longer acknowledge finds its scan final when it comes back).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("BROKER_CONNECT_TIMEOUT", default=3.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A scan's message comes back to the queue this long after a worker took it without acknowledging
    # it (killed). A running scan is never run twice because of it: a delivery leaves a scan whose
    # holder is alive alone (app/web/claims.py). Lost running scans come back through the sweep.
    "visibility_timeout": env.int("BROKER_VISIBILITY_TIMEOUT", default=600),
    "unacked_restore_interval": env.int("BROKER_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("BROKER_RESTORE_THROTTLE", default=10),
    # A restore takes milliseconds under a Redis lock; a worker killed while holding it (kill -9, OOM)
    # leaves the lock until it expires, and no lost scan comes back before then (kombu's default: 300 s).
    "unacked_mutex_expire": env.int("BROKER_RESTORE_LOCK_EXPIRE", default=60),
    "socket_connect_timeout": env.float("BROKER_CONNECT_TIMEOUT", default=3.0),
    # Workers consume their queues in the order given to -Q (app/web/queues.py), not round robin.
    "queue_order_strategy": "priority",
}
CELERY_TASK_DEFAULT_QUEUE = "interactive"
CELERY_TASK_ROUTES = {"app.web.tasks.sweep": {"queue": "housekeeping"}}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
SWEEP_EVERY = env.float("SWEEP_EVERY", default=15.0)
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-scans": {"task": "app.web.tasks.sweep", "schedule": SWEEP_EVERY,
                          # a sweep nobody ran in time is dropped, not piled up behind a stopped worker
                          "options": {"queue": "housekeeping", "expires": SWEEP_EVERY}},
}


def cron(expression: str) -> crontab:
    """A five-field cron expression (minute hour day-of-month month day-of-week, in UTC) as a Celery
    schedule; a malformed one stops the process at start-up."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"{expression!r} is not a cron expression of five fields")
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    return crontab(
        minute=minute, hour=hour, day_of_month=day_of_month, month_of_year=month_of_year, day_of_week=day_of_week
    )


# The weekly report (app/reports) and the rescan of every repository before it, in UTC.
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE["weekly-report"] = {
    "task": "app.reports.tasks.send_weekly_reports",
    "schedule": cron(env("WEEKLY_REPORT_CRON", default="0 8 * * 1")),  # Monday 08:00
}
CELERY_BEAT_SCHEDULE["rescan-all"] = {
    "task": "app.reports.tasks.rescan_all",
    "schedule": cron(env("RESCAN_ALL_CRON", default="0 22 * * 0")),  # Sunday 22:00
}
CELERY_TASK_ROUTES |= {
    "app.reports.tasks.send_weekly_reports": {"queue": "housekeeping"},
    "app.reports.tasks.send_team_report": {"queue": "housekeeping"},
    "app.reports.tasks.rescan_all": {"queue": "housekeeping"},
}
REPORTS = {
    "UNSUBSCRIBE_DAYS": env.int("REPORT_UNSUBSCRIBE_DAYS", default=90),  # how long an email's opt-out link works
    "SEND_ATTEMPTS": env.int("REPORT_SEND_ATTEMPTS", default=5),  # per recipient, then it is given up
    "RETRY_BASE": env.float("REPORT_RETRY_BASE", default=60.0),  # seconds before the 2nd attempt; doubles each time
    "RETRY_MAX": env.float("REPORT_RETRY_MAX", default=3600.0),
    "SEND_LEASE": env.float("REPORT_SEND_LEASE", default=600.0),  # a delivery "sending" this long: its worker died
}

# Scanning: bounds for every clone and scan (hostile repositories).
FACTORCARD = {
    "CLONE_TIMEOUT": env.float("CLONE_TIMEOUT", default=120.0),
    "CLONE_MAX_BYTES": env.int("CLONE_MAX_MB", default=500) * 1024 * 1024,
    "SCAN_TIMEOUT": env.float("SCAN_TIMEOUT", default=120.0),
    # The sweep (app/web/sweep.py): a scan never handed to the broker is sent after UNSENT_GRACE; a
    # queued one sent long ago again after QUEUED_RESEND_AFTER if its queue is empty (a backstop: a
    # broker that lost its data is noticed at once); a running one whose process is gone (no heartbeat for LOST_AFTER) or
    # that outlived RUNNING_DEADLINE is taken over.
    "UNSENT_GRACE": env.float("UNSENT_GRACE", default=15.0),
    "QUEUED_RESEND_AFTER": env.float("QUEUED_RESEND_AFTER", default=600.0),
    "HEARTBEAT_EVERY": env.float("HEARTBEAT_EVERY", default=10.0),
    "LOST_AFTER": env.float("LOST_AFTER", default=30.0),
    "RUNNING_DEADLINE": env.float("RUNNING_DEADLINE", default=900.0),
    # A store that loses its database connection is tried again for this long, then the scan is
    # returned to the queue.
    "STORE_RETRY_FOR": env.float("STORE_RETRY_FOR", default=30.0),
    "MAX_ATTEMPTS": env.int("SCAN_MAX_ATTEMPTS", default=3),
    # Development and tests only: allow file:// URLs and local paths, and hosts on loopback/private networks.
    "ALLOW_LOCAL_REPOSITORIES": env.bool("ALLOW_LOCAL_REPOSITORIES", default=False),
    "ALLOW_PRIVATE_HOSTS": env.bool("ALLOW_PRIVATE_HOSTS", default=False),
    # Development: file:// URLs under this one folder are accepted (bin/dev's offline demo repositories).
    "LOCAL_REPOSITORY_ROOT": env("LOCAL_REPOSITORY_ROOT", default=""),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "app.logs.json_formatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "celery": {"level": "INFO"},
        # billiard's own logger (pool process exits): it does not propagate, so it needs the handler
        "multiprocessing": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
    },
}
