"""`manage.py check --deploy`: the weekly email's links are only as good as SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def site_url(app_configs, **kwargs) -> list[Warning]:
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme == "https" and parts.hostname not in (None, "localhost", "127.0.0.1"):
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}: the links in the weekly report email (scorecards, comparisons, "
            "the unsubscribe link) will point there.",
            hint="Set SITE_URL to this deploy's public https address.",
            id="reports.W001",
        )
    ]
