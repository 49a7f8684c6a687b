"""Operational endpoints: liveness and readiness, without authentication."""

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


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False
