"""The Redis cache, degraded to a miss when Redis cannot be reached.

Sessions are read through the cache (cached_db) and the dashboard must keep answering when Redis
restarts or is down: a read that cannot reach Redis is a miss (the session comes from PostgreSQL),
a write or delete that cannot reach it is skipped. A short socket timeout keeps an unanswering
Redis from holding a request. Anything else (a bug, a bad key) still raises.
"""

from __future__ import annotations

from typing import Any

import structlog
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = structlog.get_logger(__name__)
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class TolerantRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except _UNREACHABLE as exc:
            return self._missed("get", exc, default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except _UNREACHABLE as exc:
            return self._missed("get_many", exc, {})

    def has_key(self, key, version=None) -> bool:
        try:
            return super().has_key(key, version)
        except _UNREACHABLE as exc:
            return self._missed("has_key", exc, False)

    def set(self, key, value, timeout=None, version=None) -> None:
        try:
            super().set(key, value, timeout, version)
        except _UNREACHABLE as exc:
            self._missed("set", exc, None)

    def add(self, key, value, timeout=None, version=None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except _UNREACHABLE as exc:
            return self._missed("add", exc, False)

    def delete(self, key, version=None) -> bool:
        try:
            return super().delete(key, version)
        except _UNREACHABLE as exc:
            return self._missed("delete", exc, False)

    @staticmethod
    def _missed(operation: str, exc: Exception, result):
        log.warning("cache_unreachable", operation=operation, error=type(exc).__name__)
        return result
