"""Fixtures for the outbox, Celery and health tests (Redis dbs 11 and 12 belong to these)."""

import contextlib
import os
import shutil
import signal
import smtplib
import socket
import subprocess
import threading
import time

import pytest
import redis
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


@pytest.fixture
def own_redis(tmp_path):
    """A throwaway redis-server on a Unix socket (no port to collide with), to stop and start."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed: the outage-and-recovery test cannot run."
        if os.environ.get("AIII_REQUIRE_SERVICES"):
            pytest.fail(message + " AIII_REQUIRE_SERVICES is set, so this is a failure.")
        pytest.skip("SKIPPED LOUDLY: " + message)
    path = tmp_path / "redis.sock"
    processes = []

    def start():
        process = subprocess.Popen(
            [binary, "--port", "0", "--unixsocket", str(path), "--save", "", "--appendonly", "no"],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis(unix_socket_path=str(path), socket_timeout=1).ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        pytest.fail("The throwaway redis-server did not start.")

    def stop():
        process = processes[-1]
        process.terminate()
        process.wait(timeout=10)

    def freeze():  # still there, keeping its data, but answering nothing
        processes[-1].send_signal(signal.SIGSTOP)

    def thaw():
        processes[-1].send_signal(signal.SIGCONT)

    start()
    yield {"url": f"unix://{path}", "start": start, "stop": stop, "freeze": freeze, "thaw": thaw}
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)
            process.terminate()
            process.wait(timeout=10)
