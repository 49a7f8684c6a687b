"""The Celery application: configured from Django settings (CELERY_* names), tasks discovered in apps."""

import os

import celery.apps.worker
import kombu.transport.redis
from celery import Celery
from celery.signals import setup_logging
from redis.exceptions import ConnectionError as RedisConnectionError

from app.logs import say_json

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")

app = Celery("app")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """Keep Django's LOGGING (JSON lines on stdout) instead of Celery's own handlers; the worker's
    shutdown notices become JSON lines too (the banners are off: `celery --quiet` in the Procfile)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    celery.apps.worker.safe_say = say_json


_connparams = kombu.transport.redis.Channel._connparams


def _connparams_of_an_open_connection(self, asynchronous=False):
    """kombu 5.7 can close a lost Redis connection twice: the second close restores the unacknowledged
    messages through a connection whose client is already gone, raises AttributeError, and the worker
    calls that unrecoverable and exits 1 (seen in tests/faults when Redis died while a scan ran). A
    connection error is what that cleanup expects and ignores; the worker then reconnects, and the
    messages come back after the visibility timeout, or through the sweep."""
    if self.connection.client is None:
        raise RedisConnectionError("the broker connection is already closed")
    return _connparams(self, asynchronous=asynchronous)


kombu.transport.redis.Channel._connparams = _connparams_of_an_open_connection
