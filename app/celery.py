"""The Celery application: configured from Django settings (CELERY_* names), tasks discovered in apps."""

import os

import celery.apps.worker
from celery import Celery
from celery.signals import setup_logging

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
