"""Sending tasks over one kept broker connection per process (and thread).

A connection opened per task cost more than the whole webhook request around it: kombu opened four
Redis connections, redis-py read its package metadata for each, and the queue was declared again
(about 20 ms of CPU per scan on the 2-core machine). The kept connection is opened on first use in
each process, never reused across a fork, and has no connection retries, so a broker that is down
still fails in milliseconds. A kept connection that went stale (the broker restarted) is replaced
once; a fresh one that fails is not retried.
"""

from __future__ import annotations

import os
import threading

from app.celery import app as celery_app

_local = threading.local()


def send(name: str, args: list, **options) -> None:
    """Publish one task without retries; raises when the broker cannot be reached."""
    connection, fresh = _connection()
    try:
        celery_app.send_task(name, args=args, retry=False, connection=connection, **options)
    except Exception:
        _forget()
        if fresh:
            raise
        connection, _ = _connection()
        try:
            celery_app.send_task(name, args=args, retry=False, connection=connection, **options)
        except Exception:
            _forget()
            raise


def _connection():
    key = (os.getpid(), celery_app.conf.broker_url)
    if getattr(_local, "key", None) == key and _local.connection is not None:
        return _local.connection, False
    _local.connection = celery_app.connection_for_write(transport_options={"max_retries": 0})  # opened lazily
    _local.key = key
    return _local.connection, True


def _forget() -> None:
    connection, _local.connection = getattr(_local, "connection", None), None
    if connection is not None and getattr(_local, "key", (None,))[0] == os.getpid():  # never a parent's socket
        try:
            connection.release()
        except Exception:  # already broken: nothing to close cleanly
            pass
