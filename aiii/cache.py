"""A Redis cache that a Redis outage does not turn into errors for visitors.

The cache holds rate-limit counters (allauth's and aiii/ratelimit.py's) and allauth's record of
used authenticator codes: nothing that must survive, but consulted on every sign-in, password
reset and application. With Django's own RedisCache, Redis being down or frozen makes those pages
answer 500 (or hang). This backend catches Redis's connection and timeout errors and answers from
a process-local memory cache instead, so the limits still hold (per process, as with the
local-memory cache) while Redis is away:

    CACHES = {"default": {"BACKEND": "aiii.cache.FailSoftRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}

After a failure Redis is left alone for OPTIONS["retry_after"] seconds (10 by default): during
an outage a request pays for at most one failed round trip per process per period, not one per
cache call. The outage is logged once when it starts and once when Redis answers again.
"""

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# What Redis answers when it cannot serve: unreachable, frozen, read-only, out of memory, a failed
# save refusing writes ("MISCONF"): every error of the server or the connection. An error the
# client finds in what it was given (DataError) is a bug and is raised.
REDIS_OUTAGE_ERRORS = (redis.exceptions.RedisError,)


class CacheUnavailable(Exception):
    """Redis did not answer a call made without the fallback (FailSoftRedisCache.without_fallback)."""


class _Outage:
    """Whether a Redis location is considered down, shared by the threads of one process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.since = None  # time.time() of the first failure of the current outage
        self.paused_until = 0.0  # time.monotonic() before which Redis is not tried


_outages = {}
_outages_lock = threading.Lock()


def _outage_for(location):
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class _ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one redis.Redis per connection pool.

    Django's makes a new redis.Redis for every cache call, and redis-py fills a dictionary of
    some 170 response callbacks in each one: about 0.15 ms of a 0.2 ms cache read here. A Redis
    client is safe to share between threads (its pool hands out the connections).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", 10))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ReusedClientRedisCacheClient
        location = server if isinstance(server, str) else ",".join(server)
        self._outage = _outage_for(location)
        # Same prefix, version and default timeout as the Redis keys; one store per process
        # (LocMemCache shares its data between instances of the same name).
        self._fallback = LocMemCache(
            f"aiii-redis-fallback:{location}",
            {
                key: params[key]
                for key in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
                if key in params
            },
        )

    # --- the outage state ---------------------------------------------------------------------

    def forget_outage(self):
        """Forget a past outage and what was kept in memory meanwhile (tests start afresh)."""
        with self._outage.lock:
            self._outage.since = None
            self._outage.paused_until = 0.0
        self._fallback.clear()

    def redis_paused(self):
        return time.monotonic() < self._outage.paused_until

    def _failed(self, exc):
        outage = self._outage
        with outage.lock:
            outage.paused_until = time.monotonic() + self.retry_after
            first = outage.since is None
            if first:
                outage.since = time.time()
        if first:
            logger.error(
                "Cache: Redis is unavailable (%s: %s); rate limits are counted in this "
                "process's memory until it answers again (retrying every %s s).",
                type(exc).__name__,
                exc,
                int(self.retry_after),
            )

    def _answered(self):
        outage = self._outage
        if outage.since is None:  # the usual case: no lock, no work
            return
        with outage.lock:
            since, outage.since = outage.since, None
        if since is not None:
            logger.warning("Cache: Redis answers again after %.0f s.", time.time() - since)

    def _call(self, method, *args, **kwargs):
        if not self.redis_paused():
            try:
                result = getattr(RedisCache, method)(self, *args, **kwargs)
            except redis.exceptions.DataError:
                raise
            except REDIS_OUTAGE_ERRORS as exc:
                self._failed(exc)
            else:
                self._answered()
                return result
        return getattr(self._fallback, method)(*args, **kwargs)

    def without_fallback(self, method, *args, **kwargs):
        """Redis's answer or CacheUnavailable, never the process's memory: for what must be the
        same for every process or not be used at all (aiii/fragments.py)."""
        if self.redis_paused():
            raise CacheUnavailable
        try:
            result = getattr(RedisCache, method)(self, *args, **kwargs)
        except redis.exceptions.RedisError as exc:
            # An outage, and also a Redis that refuses writes (out of memory, a failing disk):
            # either way nothing shared can be kept now, and the page or save must go on.
            self._failed(exc)
            raise CacheUnavailable from exc
        self._answered()
        return result

    # --- Django's cache API (the rest of BaseCache is built on these) ------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        return self._call("clear")
