"""Two beat runs (or two workers) send reminders at the same moment, on two connections: each
participant's reminder is queued once; two secretariat users invite the same people at once:
each is invited once."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from aiii.models import OutboxEmail
from meetings.models import Meeting, Participant
from meetings.services import meeting_invite, meetings_remind
from meetings.services.participants import InviteMode
from tests.meetings.factories import MeetingFactory
from tests.members.factories import MemberProfileFactory, SecretariatProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _together(*calls):
    barrier = threading.Barrier(len(calls), timeout=10)
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def test_concurrent_reminder_runs_queue_each_reminder_once(require_postgresql):
    secretariat = SecretariatProfileFactory().user
    meeting = MeetingFactory()
    people = [MemberProfileFactory().user for _ in range(5)]
    meeting_invite(
        meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[u.email for u in people]
    )
    start = timezone.now() + timedelta(days=3)
    Meeting.objects.filter(pk=meeting.pk).update(start=start, end=start + timedelta(hours=1))

    results, errors = _together(meetings_remind, meetings_remind, meetings_remind)

    assert errors == []
    assert sum(results) == 5
    assert OutboxEmail.objects.filter(subject__contains="Reminder").count() == 5
    assert Participant.objects.filter(reminded_7d_at__isnull=True).count() == 0


def test_concurrent_invitations_invite_each_person_once(require_postgresql):
    first, second = SecretariatProfileFactory().user, SecretariatProfileFactory().user
    meeting = MeetingFactory()
    people = [MemberProfileFactory().user for _ in range(4)]
    emails = [u.email for u in people]

    results, errors = _together(
        lambda: meeting_invite(meeting=meeting, by=first, mode=InviteMode.CHOSEN, emails=emails),
        lambda: meeting_invite(meeting=meeting, by=second, mode=InviteMode.CHOSEN, emails=emails),
    )

    assert errors == []
    assert sorted(results) == [0, 4]
    assert meeting.participants.count() == 4
    assert OutboxEmail.objects.filter(subject__contains="Invitation").count() == 4
