"""Absolute links for the email, from the SITE_URL setting (an email has no request to take a host from)."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def mail_domain() -> str:
    """The domain in Message-ID and List-Id headers: this deploy's host name."""
    return urlsplit(settings.SITE_URL).hostname or "factorcard.invalid"
