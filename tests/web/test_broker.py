"""Sending scans over a kept broker connection: reused between sends, replaced once when stale, and
still failing at once (no retries) when the broker is down."""

from __future__ import annotations

import time

import pytest
import redis
from django.conf import settings
from kombu.exceptions import OperationalError

from app.celery import app as celery_app
from app.web import broker

TASK, QUEUE = "factorcard.test_only_not_a_task", "factorcard-broker-test"


@pytest.fixture(autouse=True)
def clean():
    broker._forget()
    yield
    broker._forget()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(QUEUE)


def test_it_keeps_one_connection_between_sends():
    server = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.send(TASK, [0], queue=QUEUE)
    opened = server.info("stats")["total_connections_received"]
    for n in range(20):
        broker.send(TASK, [n], queue=QUEUE)
    # other clients of this Redis may connect meanwhile; a connection per send would add 20 or more
    assert server.info("stats")["total_connections_received"] - opened < 10
    assert server.llen(QUEUE) == 21


def test_a_stale_kept_connection_is_replaced_once(monkeypatch):
    broker.send(TASK, [1], queue=QUEUE)
    kept = broker._local.connection
    real, calls = celery_app.send_task, []

    def flaky(*args, **kwargs):
        calls.append(kwargs["connection"])
        if len(calls) == 1:
            raise ConnectionResetError("the broker restarted")
        return real(*args, **kwargs)

    monkeypatch.setattr(celery_app, "send_task", flaky)
    broker.send(TASK, [2], queue=QUEUE)
    assert calls[0] is kept and calls[1] is not kept  # the second try used a new connection


def test_a_broker_that_is_down_fails_at_once_without_retries(monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")  # nothing listens there
    started = time.monotonic()
    with pytest.raises((OSError, OperationalError)):  # refused: kombu wraps it
        broker.send(TASK, [3], queue=QUEUE)
    assert time.monotonic() - started < 1
    assert broker._local.connection is None  # the next send starts afresh
