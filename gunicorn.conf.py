"""gunicorn settings for the `web` process: bind $PORT, log JSON lines to stdout, drain on SIGTERM."""

import os

from app.logs import json_formatter  # noqa: F401  (referenced by name in logconfig_dict)

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
graceful_timeout = 30  # SIGTERM: stop accepting, finish in-flight requests for up to 30 s
timeout = 60
control_socket_disable = True  # no state on local disk
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "app.logs.json_formatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
