"""The broker's queues, and how a scan's trigger picks one.

Three queues, consumed by every worker in this order (`celery worker -Q housekeeping,interactive,bulk`
with the Redis transport's `queue_order_strategy: priority`, so a free worker always takes the
first non-empty queue): beat's `housekeeping` (the sweep) never waits behind scans, a scan someone
is waiting for (`interactive`: added, rescanned, pushed) never waits behind a scheduled rescore of
every repository (`bulk`).
"""

from __future__ import annotations

import redis
from django.conf import settings
from django.utils import timezone

from .models import Scan

HOUSEKEEPING, INTERACTIVE, BULK = "housekeeping", "interactive", "bulk"
ORDER = (HOUSEKEEPING, INTERACTIVE, BULK)
EPOCH_KEY = "factorcard:broker-epoch"


def for_trigger(trigger: str) -> str:
    return BULK if trigger == Scan.SCHEDULE else INTERACTIVE


def _broker() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=3, socket_timeout=3)


def waiting(queue: str) -> int:
    """Messages waiting in a queue (the Redis transport keeps each queue as a list of that name)."""
    client = _broker()
    try:
        return int(client.llen(queue))
    finally:
        client.close()


def broker_was_emptied() -> bool:
    """True (once) when the broker has lost its data since the last call: a Redis restarted
    without persistence, flushed or evicting keys loses the queued messages with this marker."""
    client = _broker()
    try:
        return bool(client.set(EPOCH_KEY, timezone.now().isoformat(), nx=True))
    finally:
        client.close()
