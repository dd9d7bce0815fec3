"""Two beat runs (or two workers) send reminders at the same moment, on two connections: each
participant's reminder is queued once; two secretariat users invite the same people at once:
each is invited once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aiii.models import OutboxEmail
from meetings.models import Meeting, Participant
from meetings.services import meeting_invite, meetings_remind
from meetings.services.participants import InviteMode
from tests.concurrency import run_together
from tests.meetings.factories import MeetingFactory
from tests.members.factories import MemberProfileFactory, SecretariatProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_reminder_runs_queue_each_reminder_once(require_postgresql):
    secretariat = SecretariatProfileFactory().user
    meeting = MeetingFactory()
    people = [MemberProfileFactory().user for _ in range(5)]
    meeting_invite(
        meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[u.email for u in people]
    )
    start = timezone.now() + timedelta(days=3)
    Meeting.objects.filter(pk=meeting.pk).update(start=start, end=start + timedelta(hours=1))

    results = run_together(meetings_remind, meetings_remind, meetings_remind)

    assert all(isinstance(result, int) for result in results), results
    assert sum(results) == 5
    assert OutboxEmail.objects.filter(subject__contains="Reminder").count() == 5
    assert Participant.objects.filter(reminded_7d_at__isnull=True).count() == 0


def test_concurrent_invitations_invite_each_person_once(require_postgresql):
    first, second = SecretariatProfileFactory().user, SecretariatProfileFactory().user
    meeting = MeetingFactory()
    people = [MemberProfileFactory().user for _ in range(4)]
    emails = [u.email for u in people]

    results = run_together(
        lambda: meeting_invite(meeting=meeting, by=first, mode=InviteMode.CHOSEN, emails=emails),
        lambda: meeting_invite(meeting=meeting, by=second, mode=InviteMode.CHOSEN, emails=emails),
    )

    assert sorted(results) == [0, 4]
    assert meeting.participants.count() == 4
    assert OutboxEmail.objects.filter(subject__contains="Invitation").count() == 4
