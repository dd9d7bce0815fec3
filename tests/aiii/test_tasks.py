"""The outbox task and sweep, called directly; Celery's configuration and beat schedule."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from aiii.celery import app as celery_app
from aiii.models import OutboxEmail
from aiii.outbox import email_queue_message, outbox_backoff, outbox_sweep
from aiii.schedules import BEAT_SCHEDULE
from aiii.settings import redis_caches
from aiii.tasks import send_outbox_email, sweep_outbox

FAILING = "tests.aiii.conftest.FailingEmailBackend"


def _row(key="k", **fields):
    return OutboxEmail.objects.create(
        idempotency_key=key,
        to=["expert@example.org"],
        from_email="AIII Exchange <no-reply@aiii.example.org>",
        subject=f"Subject {key}",
        body_text="Body.",
        **fields,
    )


def _run(row):
    """The task as a worker runs it (eager here), with its keyword arguments."""
    return send_outbox_email.apply(kwargs={"email_id": row.pk}).get()


@pytest.mark.django_db
def test_task_sends_the_row_and_a_redelivery_sends_nothing_more():
    row = _row()
    assert _run(row) == "sent"
    # acks_late: the same task delivered again after it sent (the worker died before the ack).
    assert _run(row) is None

    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT
    assert row.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Subject k"


@pytest.mark.django_db
def test_task_for_a_missing_row_does_nothing():
    assert send_outbox_email.apply(kwargs={"email_id": 987654}).get() is None
    assert mail.outbox == []


@pytest.mark.django_db
def test_row_being_sent_by_another_worker_is_left_alone():
    row = _row(status=OutboxEmail.Status.SENDING, attempts=1)
    assert _run(row) is None
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxEmail.Status.SENDING, 1)
    assert mail.outbox == []


@pytest.mark.django_db
def test_failed_attempt_records_the_error_and_the_backoff(settings):
    settings.EMAIL_BACKEND = FAILING
    row = _row()
    before = timezone.now()
    # In-process (eager) mode does not retry at once: the row waits for its next attempt.
    assert _run(row) == "queued"

    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.QUEUED
    assert row.attempts == 1
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert before + timedelta(seconds=30) <= row.next_attempt_at
    assert row.next_attempt_at <= timezone.now() + timedelta(seconds=30)
    assert row.sent_at is None


def test_backoff_doubles_and_is_capped():
    assert [outbox_backoff(attempts=n) for n in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]


@pytest.mark.django_db
def test_worker_task_retries_with_exponential_backoff(settings, celery_broker):
    settings.EMAIL_BACKEND = FAILING
    row = _row()
    # As a worker runs it (not eager): the retry is published to the broker with a countdown.
    with celery_broker("memory://"):
        for retries, countdown in [(0, 30), (1, 60), (2, 120)]:
            send_outbox_email.push_request(
                id=f"task-{retries}",
                retries=retries,
                kwargs={"email_id": row.pk},
                called_directly=False,
            )
            try:
                with pytest.raises(Retry) as info:
                    send_outbox_email.run(email_id=row.pk)
            finally:
                send_outbox_email.pop_request()
            assert info.value.when == countdown
            assert info.value.sig.options["retries"] == retries + 1

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxEmail.Status.QUEUED, 3)


@pytest.mark.django_db
def test_last_attempt_marks_the_row_failed_and_later_tasks_do_nothing(settings):
    settings.EMAIL_BACKEND = FAILING
    settings.AIII_OUTBOX_MAX_ATTEMPTS = 2
    row = _row()
    assert _run(row) == "queued"
    assert _run(row) == "failed"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert _run(row) is None
    assert outbox_sweep() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxEmail.Status.FAILED, 2)
    assert mail.outbox == []


@pytest.mark.django_db
def test_sweep_hands_over_overdue_and_abandoned_rows_only(settings):
    now = timezone.now()
    stale = now - settings.AIII_OUTBOX_STALE_AFTER - timedelta(seconds=1)
    overdue = _row("overdue")
    abandoned = _row("abandoned", status=OutboxEmail.Status.SENDING, attempts=1)
    fresh = _row("fresh")
    backing_off = _row("backing-off", next_attempt_at=now + timedelta(minutes=5))
    in_flight = _row("in-flight", status=OutboxEmail.Status.SENDING, attempts=1)
    OutboxEmail.objects.filter(pk=overdue.pk).update(next_attempt_at=stale)
    OutboxEmail.objects.filter(pk=abandoned.pk).update(updated_at=stale)

    assert sweep_outbox.apply().get() == 2

    states = dict(OutboxEmail.objects.values_list("idempotency_key", "status"))
    assert states == {
        "overdue": "sent",
        "abandoned": "sent",
        "fresh": "queued",
        "backing-off": "queued",
        "in-flight": "sending",
    }
    assert sorted(m.subject for m in mail.outbox) == ["Subject abandoned", "Subject overdue"]
    abandoned.refresh_from_db()
    assert abandoned.attempts == 2
    # Everything due was handed over: a second sweep finds nothing.
    assert outbox_sweep() == 0
    assert len(mail.outbox) == 2
    assert {fresh.pk, backing_off.pk, in_flight.pk}.isdisjoint(
        OutboxEmail.objects.filter(status="sent").values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_sweep_does_not_hand_over_a_row_again_before_it_is_stale_again(settings, celery_broker):
    """A slow queue: the sweep enqueued the row, the task has not run yet."""
    row = _row()
    OutboxEmail.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now() - settings.AIII_OUTBOX_STALE_AFTER - timedelta(seconds=1)
    )
    with celery_broker("memory://"):  # published, but no worker takes it
        assert outbox_sweep() == 1
        assert outbox_sweep() == 0
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.QUEUED
    assert mail.outbox == []


def test_celery_is_configured_for_idempotent_tasks_on_redis():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_connection_retry_on_startup is True
    # Longer than the longest retry countdown (an hour), or Redis would redeliver early.
    assert conf.broker_transport_options["visibility_timeout"] > 3600
    assert conf.timezone == "UTC"
    assert conf.task_default_queue == "aiii"
    assert send_outbox_email.acks_late is True


def test_beat_runs_every_schedule_from_one_place():
    conf = celery_app.conf
    assert conf.beat_schedule is BEAT_SCHEDULE or conf.beat_schedule == BEAT_SCHEDULE
    assert BEAT_SCHEDULE["sweep-outbox"]["task"] == "aiii.sweep_outbox"
    assert conf.beat_schedule_filename == str(django_settings.VAR_DIR / "celerybeat-schedule")
    # Every scheduled task exists under its name (autodiscovery found the app's tasks).
    celery_app.loader.import_default_modules()
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks


@pytest.mark.django_db
def test_a_failed_attempt_during_the_sweep_keeps_its_backoff(settings):
    # In-process mode the sweep's hand-over runs the attempt at once; its backoff must stand.
    settings.EMAIL_BACKEND = FAILING
    stale = timezone.now() - settings.AIII_OUTBOX_STALE_AFTER - timedelta(seconds=1)
    row = OutboxEmail.objects.create(
        idempotency_key="sweep-backoff", to=["x@example.org"], subject="S", body_text="."
    )
    OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=stale)

    before = timezone.now()
    assert outbox_sweep() == 1

    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.QUEUED
    assert row.attempts == 1
    assert row.next_attempt_at >= before + timedelta(seconds=outbox_backoff(attempts=1))


@pytest.mark.django_db
def test_one_key_for_two_different_emails_keeps_the_first_and_says_so(caplog):
    with transaction.atomic():
        first = email_queue_message(
            to=["a@example.org"], subject="First", body_text=".", idempotency_key="shared"
        )
        second = email_queue_message(
            to=["b@example.org"], subject="Second", body_text=".", idempotency_key="shared"
        )
    assert second.pk == first.pk
    assert OutboxEmail.objects.get().to == ["a@example.org"]
    assert "reused for a different email" in caplog.text


class TimeLimitedEmailBackend(BaseEmailBackend):
    """Celery's soft time limit going off in the middle of an SMTP conversation."""

    def send_messages(self, email_messages):
        raise SoftTimeLimitExceeded()


def test_a_crashed_workers_email_waits_a_couple_of_minutes_at_most():
    # Each SMTP step is bounded, one attempt is bounded, and a claim outlives any attempt.
    assert django_settings.EMAIL_TIMEOUT == 10
    assert send_outbox_email.time_limit == django_settings.AIII_OUTBOX_SEND_TIME_LIMIT == 60
    assert send_outbox_email.soft_time_limit == 50
    stale = django_settings.AIII_OUTBOX_STALE_AFTER.total_seconds()
    assert stale == 90
    assert stale > send_outbox_email.time_limit
    # Worst case: lost just after it was claimed (or taken from the queue), picked up by the
    # first sweep once stale: 90 s plus up to one sweep interval.
    assert BEAT_SCHEDULE["sweep-outbox"]["schedule"] == 60.0
    assert stale + BEAT_SCHEDULE["sweep-outbox"]["schedule"] <= 150


@pytest.mark.django_db
def test_a_claim_within_the_time_limit_is_never_taken_back():
    """A worker may still be talking to the mail server: taking the row back could send it twice."""
    now = timezone.now()
    limit = timedelta(seconds=send_outbox_email.time_limit)
    slow = _row("slow", status=OutboxEmail.Status.SENDING, attempts=1)
    dead = _row("dead", status=OutboxEmail.Status.SENDING, attempts=1)
    OutboxEmail.objects.filter(pk=slow.pk).update(updated_at=now - limit - timedelta(seconds=1))
    OutboxEmail.objects.filter(pk=dead.pk).update(
        updated_at=now - django_settings.AIII_OUTBOX_STALE_AFTER - timedelta(seconds=1)
    )

    assert outbox_sweep() == 1

    states = dict(OutboxEmail.objects.values_list("idempotency_key", "status"))
    assert states == {"slow": "sending", "dead": "sent"}
    assert [m.subject for m in mail.outbox] == ["Subject dead"]


@pytest.mark.django_db
def test_an_attempt_ended_by_the_soft_time_limit_goes_back_to_the_queue(settings):
    settings.EMAIL_BACKEND = "tests.aiii.test_tasks.TimeLimitedEmailBackend"
    row = _row()
    before = timezone.now()

    assert _run(row) == "queued"

    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.QUEUED
    assert row.attempts == 1
    assert row.last_error.startswith("SoftTimeLimitExceeded")
    assert row.next_attempt_at >= before + timedelta(seconds=outbox_backoff(attempts=1))


def test_a_staleness_shorter_than_an_attempt_is_refused_at_start():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AIII_", "DJANGO_", "EMAIL_"))
    }
    env.update(DEBUG="1", AIII_OUTBOX_STALE_SECONDS="60")
    result = subprocess.run(
        [sys.executable, "-c", "import aiii.settings"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "AIII_OUTBOX_STALE_SECONDS must exceed an attempt's time limit" in result.stderr
    assert "(6 x EMAIL_TIMEOUT = 60 s)" in result.stderr


def test_every_redis_client_gives_up_within_a_second():
    conf = celery_app.conf
    assert django_settings.AIII_REDIS_TIMEOUT == 1.0
    assert conf.broker_transport_options["socket_connect_timeout"] == 1.0
    assert conf.broker_transport_options["socket_timeout"] == 1.0
    assert conf.broker_connection_timeout == 1.0
    caches = redis_caches("redis://redis.example:6379/0")["default"]
    assert caches["BACKEND"] == "aiii.cache.FailSoftRedisCache"
    assert caches["OPTIONS"] == {
        "socket_connect_timeout": 1.0,
        "socket_timeout": 1.0,
        "retry_after": 10,
    }
