"""Operational endpoints: liveness and readiness, without authentication.

ProbeMiddleware answers them before any other middleware runs: a probe never reads a session, a
user or a CSRF cookie, so a database outage makes /readyz say 503 (and /healthz still 200), never a
500 because a session cookie came with the probe.
"""

from django.db import connection
from django.http import JsonResponse

from app.celery import app as celery_app


def healthz(request):
    """The process is alive and serving requests."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Ready when the database and the broker both answer; 503 otherwise."""
    checks = {"database": _database(), "broker": _broker()}
    ready = all(checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


PROBES = {"/healthz": healthz, "/readyz": readyz}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        return probe(request) if probe else self.get_response(request)


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        connection.close()  # a broken connection: the next probe opens a new one
        return False


def _broker() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False
