"""Invitations: grants, outbox emails with calendar files, answers, removal, reminders."""

from datetime import UTC, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from aiii.errors import ServiceError
from aiii.models import OutboxEmail
from meetings.models import Meeting, Participant
from meetings.services import (
    meeting_cancel,
    meeting_invite,
    meeting_update,
    meetings_remind,
    participant_remove,
    participant_respond,
    rsvp_token,
)
from meetings.services.meetings import EDITABLE_FIELDS
from meetings.services.participants import InviteMode, rsvp_participant
from tests.members.factories import MemberProfileFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def ics_of(row):
    (attachment,) = row.attachments
    calendar = Calendar.from_ical(attachment["content"])
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_invite_grants_view_and_queues_one_email_with_a_request(
    meeting, participant_user, secretariat, django_capture_on_commit_callbacks
):
    assert not Meeting.objects.visible_to(participant_user).exists()

    with django_capture_on_commit_callbacks(execute=True):
        count = meeting_invite(
            meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[participant_user.email]
        )

    assert count == 1
    assert list(Meeting.objects.visible_to(participant_user)) == [meeting]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITED
    row = OutboxEmail.objects.get(to=[participant_user.email])
    assert row.subject.endswith(f"Invitation: {meeting.reference} {meeting.title}")
    assert row.sensitive is True
    # Sent, so the row kept no copy of the personal answer link; the email itself had it.
    assert row.status == OutboxEmail.Status.SENT
    assert "/meetings/rsvp/" not in row.body_text
    calendar, event = ics_of(row)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@testserver"
    assert event["SEQUENCE"] == meeting.version
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == timedelta(0)
    assert start == meeting.start.astimezone(UTC).replace(microsecond=0)
    assert b"DTSTART:" in row.attachments[0]["content"].encode()
    assert row.attachments[0]["content"].split("DTSTART:")[1].split("\r\n")[0].endswith("Z")
    # The join link stays in the workspace, not in a file that travels.
    assert meeting.join_link not in row.attachments[0]["content"]
    # The email went out through the outbox (eager in tests) with the file attached.
    (sent,) = [m for m in mail.outbox if m.to == [participant_user.email]]
    assert sent.attachments[0][0] == "invite.ics"
    assert "http://testserver/meetings/rsvp/" in sent.body


def test_inviting_twice_adds_nobody_and_sends_nothing_more(invited, meeting, secretariat):
    before = OutboxEmail.objects.count()
    assert (
        meeting_invite(
            meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[invited.user.email]
        )
        == 0
    )
    assert OutboxEmail.objects.count() == before


def test_update_resends_with_a_higher_sequence_and_cancel_sends_cancel(
    invited, meeting, secretariat
):
    meeting.refresh_from_db()
    first_sequence = meeting.version
    data = {name: getattr(meeting, name) for name in EDITABLE_FIELDS}
    data["start"] = meeting.start + timedelta(hours=1)
    data["end"] = meeting.end + timedelta(hours=1)

    updated = meeting_update(meeting=meeting, by=secretariat, data=data, version=meeting.version)

    rows = OutboxEmail.objects.filter(to=[invited.user.email]).order_by("pk")
    assert rows.count() == 2
    calendar, event = ics_of(rows.last())
    assert calendar["METHOD"] == "REQUEST"
    assert event["SEQUENCE"] == updated.version == first_sequence + 1
    assert str(event["UID"]) == f"meeting-{meeting.pk}@testserver"

    cancelled = meeting_cancel(
        meeting=updated, by=secretariat, reason="Venue closed.", version=updated.version
    )

    calendar, event = ics_of(
        OutboxEmail.objects.filter(to=[invited.user.email]).order_by("pk").last()
    )
    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == cancelled.version == first_sequence + 2


def test_stale_update_is_refused(invited, meeting, secretariat):
    from aiii.errors import Conflict

    data = {
        "reference": meeting.reference,
        "title": "New",
        "body": "TEN",
        "description": "",
        "start": meeting.start,
        "end": meeting.end,
        "format": meeting.format,
        "venue": "",
        "join_link": "",
        "confidentiality": meeting.confidentiality,
        "allow_participant_uploads": False,
    }
    with pytest.raises(Conflict):
        meeting_update(meeting=meeting, by=secretariat, data=data, version=meeting.version + 5)
    meeting.refresh_from_db()
    assert meeting.title != "New"


def test_remove_revokes_in_the_same_transaction(invited, meeting, secretariat):
    participant_remove(participant=invited, by=secretariat)

    assert not Participant.objects.filter(pk=invited.pk).exists()
    assert not Meeting.objects.visible_to(invited.user).exists()
    calendar, _event = ics_of(
        OutboxEmail.objects.filter(to=[invited.user.email]).order_by("pk").last()
    )
    assert calendar["METHOD"] == "CANCEL"


def test_chosen_addresses_must_be_eligible(meeting, secretariat):
    applicant = ProfileFactory().user
    with pytest.raises(ServiceError, match=applicant.email):
        meeting_invite(
            meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[applicant.email]
        )
    assert not meeting.participants.exists()


def test_geg_meeting_invites_the_geg_group_only(secretariat):
    from tests.meetings.factories import MeetingFactory

    geg_meeting = MeetingFactory(reference="GEG/1", body="GEG")
    delegate = ProfileFactory(user=UserFactory(groups=["delegate", "geg"])).user
    MemberProfileFactory()  # an ordinary member: not in the GEG

    assert meeting_invite(meeting=geg_meeting, by=secretariat, mode=InviteMode.GEG) == 1
    assert list(geg_meeting.participants.values_list("user_id", flat=True)) == [delegate.pk]
    with pytest.raises(ServiceError):
        meeting_invite(meeting=geg_meeting, by=secretariat, mode=InviteMode.ALL_MEMBERS)


def test_inviting_many_takes_the_same_number_of_queries(
    secretariat, django_capture_on_commit_callbacks
):
    from tests.meetings.factories import MeetingFactory

    Group.objects.get_or_create(name="member")

    def queries_for(n):
        meeting = MeetingFactory()
        MemberProfileFactory.create_batch(n)
        with django_capture_on_commit_callbacks(execute=False):
            with CaptureQueriesContext(connection) as captured:
                invited = meeting_invite(
                    meeting=meeting, by=secretariat, mode=InviteMode.ALL_MEMBERS
                )
        return invited, len(captured)

    few, few_queries = queries_for(2)
    many, many_queries = queries_for(40)
    assert (few, many) == (2, 42)
    assert OutboxEmail.objects.filter(subject__contains="Invitation").count() == 44
    assert many_queries == few_queries


def test_respond_records_the_answer(invited):
    participant_respond(participant=invited, response=Participant.Response.ACCEPTED)
    invited.refresh_from_db()
    assert invited.response == "accepted"
    assert invited.responded_at is not None


def test_rsvp_token_checks(invited, outsider):
    token = rsvp_token(invited)
    assert rsvp_participant(token) == invited
    # Forged: another participation's number under the same signature does not verify.
    assert rsvp_participant(token[:-2] + ("aa" if not token.endswith("aa") else "bb")) is None
    assert (
        rsvp_participant(signing.dumps({"p": invited.pk, "u": outsider.pk}, salt="other")) is None
    )
    # A well-signed token for a participation that is not that person's is nothing either.
    assert (
        rsvp_participant(signing.dumps({"p": invited.pk, "u": outsider.pk}, salt="meetings.rsvp"))
        is None
    )


def test_rsvp_link_expires(invited, settings):
    token = rsvp_token(invited)
    settings.AIII_RSVP_LINK_DAYS = 0
    import time

    time.sleep(1.1)
    assert rsvp_participant(token) is None


def test_reminders_go_out_once_per_participant(invited, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() + timedelta(days=5), end=timezone.now() + timedelta(days=5, hours=2)
    )
    before = OutboxEmail.objects.count()

    assert meetings_remind() == 1
    assert meetings_remind() == 0
    assert meetings_remind(now=timezone.now() + timedelta(minutes=15)) == 0
    rows = OutboxEmail.objects.filter(to=[invited.user.email], subject__contains="Reminder")
    assert [row.subject.split("Reminder: ")[1] for row in rows] == [
        f"{meeting.reference} in 7 days"
    ]
    assert OutboxEmail.objects.count() == before + 1

    # A day before: the second reminder, once.
    later = timezone.now() + timedelta(days=4, hours=1)
    assert meetings_remind(now=later) == 1
    assert meetings_remind(now=later) == 0
    invited.refresh_from_db()
    assert invited.reminded_7d_at is not None and invited.reminded_1d_at is not None


def test_declined_participants_get_no_reminder(invited, meeting):
    participant_respond(participant=invited, response=Participant.Response.DECLINED)
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() + timedelta(hours=20), end=timezone.now() + timedelta(hours=22)
    )
    assert meetings_remind() == 0


def test_rsvp_url_is_under_the_redacted_paths(invited):
    from aiii.outbox import TOKEN_LINK_PATHS

    path = reverse("meetings:rsvp_link", kwargs={"token": rsvp_token(invited)})
    assert path.startswith(TOKEN_LINK_PATHS)


def test_each_invitation_has_its_own_name_and_answer_link(meeting, secretariat):
    people = [MemberProfileFactory(full_name=name).user for name in ("Ana Silva", "Li Wei")]
    meeting_invite(
        meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[u.email for u in people]
    )
    for user in people:
        participant = meeting.participants.get(user=user)
        row = OutboxEmail.objects.get(to=[user.email])
        # Still queued here (nothing commits in this test), so the row has the whole text.
        assert row.status == OutboxEmail.Status.QUEUED
        assert row.body_text.startswith(f"Dear {user.profile.full_name},")
        token = row.body_text.split("http://testserver/meetings/rsvp/")[1].split("/")[0]
        assert rsvp_participant(token) == participant


def test_the_sent_email_carries_the_calendar_file_with_its_method(
    meeting, participant_user, secretariat, django_capture_on_commit_callbacks
):
    from email import message_from_bytes, policy

    with django_capture_on_commit_callbacks(execute=True):
        meeting_invite(
            meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[participant_user.email]
        )
    (sent,) = mail.outbox
    parsed = message_from_bytes(sent.message().as_bytes(), policy=policy.default)
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_filename() == "invite.ics"
    assert attachment["Content-Type"] == 'text/calendar; method="REQUEST"; charset="utf-8"'
    assert Calendar.from_ical(attachment.get_content())["METHOD"] == "REQUEST"


def test_email_times_are_utc_whatever_zone_is_active(meeting, participant_user, secretariat):
    from zoneinfo import ZoneInfo

    with timezone.override(ZoneInfo("Asia/Tokyo")):
        meeting_invite(
            meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[participant_user.email]
        )
    row = OutboxEmail.objects.get(to=[participant_user.email])
    start = meeting.start.astimezone(UTC)
    assert f"When (UTC): {start:%Y-%m-%d %H:%M}" in row.body_text


def test_visible_to_follows_guardian_grants_exactly(secretariat):
    from aiii.guardian import grant, objects_visible_to
    from tests.meetings.factories import MeetingFactory

    user = MemberProfileFactory().user
    meetings = MeetingFactory.create_batch(4)
    grant("view_meeting", to=user, obj=meetings[1])
    grant("view_meeting", to=user, obj=meetings[3])
    grant("change_meeting", to=user, obj=meetings[0])  # another permission: not a view grant

    ours = set(Meeting.objects.visible_to(user))
    assert ours == {meetings[1], meetings[3]}
    assert ours == set(objects_visible_to(user, "meetings.view_meeting", Meeting.objects.all()))
