"""The WSGI door for push deliveries: `/hooks/…` skips the middleware that serves people.

A delivery needs no session, user, CSRF token, flash message or frame policy, and its own log line
names repository, provider and delivery id; those middleware and the request-logging one (two more
log lines and a client-IP lookup per request) cost a large share of the CPU the endpoint takes
(profiled in-process), and a git host sends deliveries in bursts. The hook handler is Django's own WSGI handler built with
HOOK_MIDDLEWARE instead of MIDDLEWARE; every other path goes to the application unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler

HOOK_PREFIX = "/hooks/"
HOOK_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",  # HTTPS redirect and HSTS, as for every page
]  # no request-logging middleware: the delivery's own log line names repository, provider and delivery id

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


class HookHandler(WSGIHandler):
    """Django's WSGI handler whose middleware chain is HOOK_MIDDLEWARE."""

    def load_middleware(self, is_async: bool = False) -> None:
        every = settings.MIDDLEWARE
        settings.MIDDLEWARE = HOOK_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = every


def with_lean_hooks(application: WSGIApp) -> WSGIApp:
    hooks = HookHandler()

    def dispatch(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(HOOK_PREFIX):
            return hooks(environ, start_response)
        return application(environ, start_response)

    return dispatch
