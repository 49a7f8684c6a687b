"""Logs are an event stream: one JSON object per line on stdout, for web and worker alike.

structlog renders both its own events and the standard library's (Django, Celery, gunicorn).
Context bound with `structlog.contextvars` — the request id on web requests (django-structlog's
middleware) and the scan id in workers — is merged into every line.
"""

import json
import logging
import os
from datetime import UTC, datetime

import structlog

from app.web.text import printable


def printable_fields(logger, method_name: str, event_dict: dict) -> dict:
    """A field may carry text from outside (git's stderr, a file name): control characters become escapes."""
    return {k: printable(v) if isinstance(v, str) else v for k, v in event_dict.items()}


SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
    structlog.processors.format_exc_info,
    printable_fields,
]

structlog.configure(
    processors=[*SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)


def json_formatter() -> logging.Formatter:
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=SHARED,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, structlog.processors.JSONRenderer()],
    )


def say_json(msg: str, f=None) -> None:
    """Stands in for celery.apps.worker.safe_say, which writes plain text ("worker: Warm shutdown")
    from signal handlers: the same single os.write, of a JSON line."""
    line = {
        "event": str(msg).strip(),
        "level": "warning",
        "logger": "celery.worker",
        "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }
    try:
        os.write(1, json.dumps(line).encode() + b"\n")
    except OSError:
        pass


logging.captureWarnings(True)  # Python warnings become log events too, not bare stderr text
