"""WSGI entry point for gunicorn (`gunicorn app.wsgi`); push deliveries take a shorter middleware chain."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")
application = get_wsgi_application()

from app.webhooks.entry import with_lean_hooks  # noqa: E402  (needs the settings configured above)

application = with_lean_hooks(application)
