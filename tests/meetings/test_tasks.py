from datetime import timedelta

import pytest
from django.utils import timezone

from aiii.models import OutboxEmail
from aiii.schedules import BEAT_SCHEDULE
from meetings.models import Meeting
from meetings.tasks import enqueue_emails, send_reminders

pytestmark = pytest.mark.django_db


def test_reminders_are_on_the_beat_schedule():
    assert (
        BEAT_SCHEDULE["meeting-reminders"]["task"]
        == send_reminders.name
        == "meetings.send_reminders"
    )


def test_send_reminders_task_runs_the_service_once_per_participant(invited, meeting):
    start = timezone.now() + timedelta(hours=20)
    Meeting.objects.filter(pk=meeting.pk).update(start=start, end=start + timedelta(hours=1))
    # Less than a day away: only the one-day reminder, not the seven-day one as well.
    assert send_reminders() == 1
    assert send_reminders() == 0
    (row,) = OutboxEmail.objects.filter(subject__contains="Reminder")
    assert row.subject.endswith(f"Reminder: {meeting.reference} tomorrow")


def test_enqueue_emails_hands_each_row_over_and_a_sent_row_is_left_alone(invited):
    (row,) = OutboxEmail.objects.filter(to=[invited.user.email])
    assert row.status == OutboxEmail.Status.QUEUED
    assert enqueue_emails(email_ids=[row.pk]) == 1
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT
    assert enqueue_emails(email_ids=[row.pk]) == 1  # handed over; the send task does nothing
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxEmail.Status.SENT, 1)
