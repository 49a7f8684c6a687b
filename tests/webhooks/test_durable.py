"""Durable before acknowledged: the delivery and its scan are committed before the 2xx, the scan is
handed to the broker only after the commit, and a broker that is down delays the scan, not the answer."""

from __future__ import annotations

import time
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from app.celery import app as celery_app
from app.web import pipeline
from app.web.models import Scan
from tests.webhooks import payloads as p

try:
    from app.web.sweep import sweep  # where issue 9 puts it
except ImportError:
    sweep = pipeline.sweep

pytestmark = pytest.mark.django_db(transaction=True)

A = "a" * 40


def other_connection() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], autocommit=True
    )


def test_the_delivery_and_its_scan_are_committed_before_the_broker_hears_of_it(client, url, secret, monkeypatch):
    seen = []

    def enqueue(scan_id, *queue):
        with other_connection() as conn:  # what anyone else can read at this moment
            seen.append(
                conn.execute(
                    "SELECT s.state, s.trigger, d.outcome FROM web_scan s JOIN webhooks_delivery d ON d.scan_id = s.id"
                    " WHERE s.id = %s",
                    [scan_id],
                ).fetchall()
            )
        return True

    monkeypatch.setattr(pipeline, "enqueue", enqueue)
    response = p.github_push(secret, A).post(client, url)
    assert response.status_code == 202
    assert seen == [[("queued", "webhook", "queued")]]


def test_with_the_broker_down_the_answer_is_still_2xx_and_the_sweep_sends_it(client, url, secret):
    good = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        started = time.monotonic()
        response = p.github_push(secret, A).post(client, url)
        elapsed = time.monotonic() - started
    finally:
        celery_app.conf.broker_url = good
    assert response.status_code == 202 and response.json()["outcome"] == "queued"
    assert elapsed < 3, elapsed  # one refused connection, no retry loop
    scan = Scan.objects.get()
    assert (scan.state, scan.enqueued_at) == (Scan.QUEUED, None)  # recorded, never handed over
    assert sweep(timezone.now() + timedelta(hours=1))["resent"] == 1  # the broker is back: beat's sweep sends it
    scan.refresh_from_db()
    assert scan.enqueued_at is not None
    celery_app.control.purge()
