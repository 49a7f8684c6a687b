"""The Celery application's own fixes, tested against the real Redis."""

from django.conf import settings
from kombu import Connection
from kombu.common import ignore_errors

import app  # noqa: F401  (loading the project loads its Celery application, which applies the fix)
from app.celery import app as celery_app


def test_closing_a_lost_broker_connection_with_unacknowledged_messages_is_not_fatal():
    """kombu 5.7 restores unacknowledged messages when it closes a lost connection; when that
    connection was already closed once, the restore raised AttributeError, which the worker calls
    unrecoverable (it exited 1 after a Redis outage in the fault suite)."""
    conn = Connection(settings.CELERY_BROKER_URL)
    channel = conn.default_channel
    channel.qos._delivered["a-tag"] = object()  # a task in flight, not yet acknowledged
    channel._pool = None
    channel.connection.client = None  # what the first close leaves behind
    ignore_errors(conn, channel.close)  # raised AttributeError before the fix
    channel.qos._delivered.clear()


def test_every_beat_task_is_routed_to_the_housekeeping_queue():
    """Beat's tasks (the sweep, the weekly report, the rescan of every repository) never wait behind scans."""
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        queue = celery_app.amqp.router.route({}, entry["task"])["queue"].name
        assert queue == "housekeeping", entry["task"]
