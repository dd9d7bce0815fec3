"""Fixtures for the outbox, Celery and health tests (Redis dbs 11 and 12 belong to these)."""

import contextlib
import os
import smtplib
import socket
import threading

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from kombu import pools as kombu_pools

from aiii import outbox
from aiii.celery import app as celery_app

REDIS_HOST = os.environ.get("AIII_TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("AIII_TEST_REDIS_PORT", "6379"))
WORKER_REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/11"
SPARE_REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/12"
# Nothing listens here: a broker that is down.
DOWN_REDIS_URL = "redis://127.0.0.1:6399/0"


class FailingEmailBackend(BaseEmailBackend):
    """The mail server refusing the connection: the one outside edge these tests stand in for."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def redis_reachable(url):
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def require_redis(url):
    """Skip (loudly) when Redis is not there, unless AIII_REQUIRE_SERVICES says it must be."""
    if redis_reachable(url):
        return
    message = f"Redis is not reachable at {url}: the real-broker tests cannot run."
    if os.environ.get("AIII_REQUIRE_SERVICES"):
        pytest.fail(message + " AIII_REQUIRE_SERVICES is set, so this is a failure.")
    pytest.skip("SKIPPED LOUDLY: " + message + " Start redis-server to run them.")


def _reset_broker_pools():
    # The app keeps a connection pool and a producer pool, taken from kombu's registry of pools
    # per broker URL; close and forget them all so the next publish connects to the URL now
    # configured.
    kombu_pools.reset()
    outbox.broker_pause.reset()  # a failure in one test does not pause publishing in the next
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


@pytest.fixture
def celery_broker():
    """`with celery_broker(url):` publishes tasks to a real broker instead of running them
    in-process (the test settings make Celery eager); everything is restored afterwards."""
    conf = celery_app.conf
    saved = {"broker_url": conf.broker_url, "task_always_eager": conf.task_always_eager}

    @contextlib.contextmanager
    def use(url):
        conf.broker_url = url
        conf.task_always_eager = False
        _reset_broker_pools()
        try:
            yield
        finally:
            conf.update(saved)
            _reset_broker_pools()

    return use


class FrozenRedis:
    """A server that accepts connections and never answers: Redis hung, or behind a dead link."""

    def __init__(self):
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self.url = f"redis://127.0.0.1:{self._server.getsockname()[1]}/0"
        self._held = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            self._held.append(connection)  # read nothing, answer nothing

    def close(self):
        self._stop.set()
        self._thread.join(timeout=5)
        for connection in [*self._held, self._server]:
            connection.close()


@pytest.fixture
def frozen_redis():
    """The URL of a Redis that accepts connections and never answers."""
    server = FrozenRedis()
    yield server.url
    server.close()
