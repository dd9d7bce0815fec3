"""The one test through a real Celery worker process on Redis (STYLE.md: eager is no substitute).

Runs only against PostgreSQL (DATABASE_URL), which the worker process can share with the test;
needs Redis at 127.0.0.1:6379 (db 11 is this test's own). Without Redis it skips loudly, unless
AIII_REQUIRE_SERVICES is set (CI), where it fails.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction

from aiii.models import OutboxEmail
from aiii.outbox import email_queue_message, outbox_sweep
from tests.aiii.conftest import DOWN_REDIS_URL, WORKER_REDIS_URL, require_redis

pytestmark = pytest.mark.worker

PROJECT_DIR = Path(settings.BASE_DIR)
READY_TIMEOUT = 30
SEND_TIMEOUT = 20


def _database_url():
    db = connection.settings_dict
    user = quote(db.get("USER") or "postgres", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def _wait_for(predicate, timeout, what, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    detail = f"\n--- worker log ---\n{log.read_text()}" if log is not None else ""
    pytest.fail(f"Timed out after {timeout}s waiting for {what}.{detail}")


@pytest.fixture
def worker(require_postgresql, transactional_db, tmp_path):
    """A real `celery -A aiii worker` on the test database and Redis db 11."""
    require_redis(WORKER_REDIS_URL)
    import redis

    redis.Redis.from_url(WORKER_REDIS_URL).flushdb()  # no task left over from an earlier run

    mail_dir = tmp_path / "mail"
    log = tmp_path / "worker.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "CELERY_", "AIII_", "DJANGO_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="aiii.settings",  # the real settings, as production runs them
        DEBUG="0",
        SECRET_KEY="worker-test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=_database_url(),
        REDIS_URL=WORKER_REDIS_URL,
        AIII_EMAIL_DIR=str(mail_dir),
        AIII_VAR_DIR=str(tmp_path / "var"),
        PYTHONUNBUFFERED="1",
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "aiii",
        "worker",
        "--pool=solo",
        "-c",
        "1",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "-Q",
        "aiii",
        "--loglevel=INFO",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_for(
            lambda: "ready." in log.read_text() or process.poll() is not None,
            READY_TIMEOUT,
            "the worker to be ready",
            log,
        )
        if process.poll() is not None:
            pytest.fail(f"The worker exited with {process.returncode}:\n{log.read_text()}")
        yield {"mail_dir": mail_dir, "log": log}
    finally:
        # A worker left running would keep pytest-django from dropping the test database.
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _emails(mail_dir):
    return sorted(mail_dir.glob("*.eml")) if mail_dir.exists() else []


def _queue(key):
    with transaction.atomic():
        return email_queue_message(
            to="expert@example.org",
            subject=f"Through the worker: {key}",
            body_text="Sent by a real Celery worker.",
            body_html="<p>Sent by a real Celery worker.</p>",
            idempotency_key=key,
        )


def _status(row):
    row.refresh_from_db()
    return row.status


def test_worker_sends_a_queued_email_once(worker, celery_broker):
    with celery_broker(WORKER_REDIS_URL):
        row = _queue("worker:1")
        _wait_for(lambda: _status(row) == "sent", SEND_TIMEOUT, "the row to be sent", worker["log"])
        # The same key again records nothing new and sends nothing more.
        assert _queue("worker:1").pk == row.pk

    (eml,) = _emails(worker["mail_dir"])
    text = eml.read_text()
    assert "Subject: [AIII Exchange] Through the worker: worker:1" in text
    assert "Sent by a real Celery worker." in text
    assert row.attempts == 1
    assert "Task aiii.send_outbox_email" in worker["log"].read_text()
    time.sleep(0.5)
    assert len(_emails(worker["mail_dir"])) == 1


def test_broker_outage_then_the_sweep_sends_it_exactly_once(worker, celery_broker):
    with celery_broker(DOWN_REDIS_URL):
        row = _queue("worker:outage")  # no exception for the user
    assert _status(row) == "queued"
    assert row.attempts == 0
    assert row.last_error.startswith("Not enqueued")
    time.sleep(0.5)
    assert _emails(worker["mail_dir"]) == []

    with celery_broker(WORKER_REDIS_URL):  # the broker is back; beat runs the sweep
        assert outbox_sweep() == 1
        _wait_for(lambda: _status(row) == "sent", SEND_TIMEOUT, "the row to be sent", worker["log"])
        assert outbox_sweep() == 0  # a later sweep finds nothing left behind

    time.sleep(0.5)
    assert len(_emails(worker["mail_dir"])) == 1
    assert row.attempts == 1
    assert OutboxEmail.objects.get(pk=row.pk).last_error == ""
