"""aiii.cache.FailSoftRedisCache: Django's Redis cache, falling back to process memory while
Redis is away, and telling the log once when an outage starts and once when it ends."""

import logging
import time

import pytest
import redis

from aiii.cache import FailSoftRedisCache
from tests.aiii.conftest import DOWN_REDIS_URL


def _cache(url, **options):
    cache = FailSoftRedisCache(
        url,
        {
            "KEY_PREFIX": "aiii-test",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, **options},
        },
    )
    cache.forget_outage()
    return cache


def test_with_redis_down_the_cache_works_from_memory_and_says_so_once(caplog):
    cache = _cache(DOWN_REDIS_URL)
    with caplog.at_level(logging.INFO, logger="aiii.cache"):
        assert cache.add("counter", 1, timeout=60) is True
        assert cache.add("counter", 1, timeout=60) is False
        assert cache.incr("counter") == 2
        assert cache.get("counter") == 2
        cache.set_many({"a": 1, "b": 2})
        assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
        cache.delete("a")
        assert cache.has_key("a") is False
        with pytest.raises(ValueError):
            cache.incr("missing")  # as with Redis itself: no counter, no increment

    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "ERROR",
            "Cache: Redis is unavailable (ConnectionError: Error 111 connecting to "
            "127.0.0.1:6399. Connection refused.); rate limits are counted in this process's "
            "memory until it answers again (retrying every 10 s).",
        )
    ]


def test_redis_stopped_then_back(own_redis, caplog):
    cache = _cache(own_redis["url"], retry_after=0)  # retry at once, for the test
    cache.set("kept", "in redis")

    own_redis["stop"]()
    with caplog.at_level(logging.INFO, logger="aiii.cache"):
        assert cache.get("kept") is None  # not in memory: the outage began after it was set
        cache.set("during", "the outage")
        assert cache.get("during") == "the outage"
        assert cache.add("attempts", 1) is True
        assert cache.incr("attempts") == 2
    (started,) = caplog.records
    assert started.levelname == "ERROR"
    assert started.getMessage().startswith("Cache: Redis is unavailable (ConnectionError: ")

    caplog.clear()
    own_redis["start"]()  # an empty Redis, as after a restart without persistence
    with caplog.at_level(logging.INFO, logger="aiii.cache"):
        cache.set("after", "back in redis")
        assert cache.get("after") == "back in redis"
        assert cache.get("during") is None  # Redis again, not the memory of the outage
    (ended,) = caplog.records
    assert ended.levelname == "WARNING"
    assert ended.getMessage().startswith("Cache: Redis answers again after ")
    assert redis.Redis.from_url(own_redis["url"]).get(":1:after") is None  # prefixed key
    assert redis.Redis.from_url(own_redis["url"]).exists("aiii-test:1:after") == 1


def test_after_a_failure_a_frozen_redis_is_left_alone_for_a_while(frozen_redis):
    cache = _cache(frozen_redis, retry_after=30)
    started = time.monotonic()
    assert cache.get("x") is None  # waits for the one-second timeout, once
    assert 0.9 < time.monotonic() - started < 2
    assert cache.redis_paused()
    # While paused, calls answer from memory without waiting for Redis again.
    started = time.monotonic()
    for _ in range(20):
        assert cache.add("x", 1) in (True, False)
    assert time.monotonic() - started < 0.5
    assert cache.get("x") == 1


def test_one_redis_client_serves_every_call(own_redis):
    # Django's client makes a new redis.Redis for each call, which costs more than the call.
    cache = _cache(own_redis["url"])
    cache.set("a", 1)
    assert cache.get("a") == 1
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)


def test_a_redis_that_refuses_writes_is_an_outage_not_an_error(own_redis, caplog):
    # Full with no eviction (OOM), or refusing writes after a failed save (MISCONF): the rate
    # limits that sign-in counts in the cache must not turn into a 500.
    server = redis.Redis.from_url(own_redis["url"])
    server.config_set("maxmemory-policy", "noeviction")
    server.config_set("maxmemory", "1")
    cache = _cache(own_redis["url"])
    with caplog.at_level(logging.INFO, logger="aiii.cache"):
        assert cache.add("attempts", 1, timeout=60) is True  # counted in memory instead
        assert cache.incr("attempts") == 2
    (started,) = caplog.records
    assert "OutOfMemoryError" in started.getMessage()
    server.config_set("maxmemory", "0")
