"""The members' pages and the secretariat's flows, with exact outcomes and query counts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from aiii import fragments
from aiii.models import OutboxEmail
from meetings.models import AgendaItem, CalendarFeed, Meeting, Participant
from meetings.services import (
    agenda_item_add,
    document_upload,
    feed_create,
    meeting_invite,
    minutes_circulate,
    minutes_save,
    rsvp_token,
)
from meetings.services.participants import InviteMode
from tests.meetings.conftest import PDF
from tests.meetings.factories import MeetingFactory
from tests.members.factories import MemberProfileFactory

pytestmark = pytest.mark.django_db


def test_list_shows_my_meetings_upcoming_and_past(invited, meeting, secretariat, client):
    past = MeetingFactory(
        reference="TEN/1",
        start=timezone.now() - timedelta(days=10),
        end=timezone.now() - timedelta(days=10) + timedelta(hours=2),
    )
    Participant.objects.create(meeting=past, user=invited.user)
    from aiii.guardian import grant

    grant("view_meeting", to=invited.user, obj=past)
    MeetingFactory(reference="TEN/77")  # not invited
    client.force_login(invited.user)

    upcoming = client.get(reverse("meetings:list")).content.decode()
    before = client.get(reverse("meetings:list") + "?when=past").content.decode()

    assert meeting.reference in upcoming and "TEN/1 " not in upcoming and "TEN/77" not in upcoming
    assert "TEN/1 " in before and meeting.reference not in before


def test_workspace_shows_the_rule_and_the_join_link_to_a_participant(invited, meeting, client):
    client.force_login(invited.user)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert '<div class="meeting-rule" role="note">' in page
    assert "Chatham House Rule" in page
    assert meeting.join_link in page
    assert "Your current answer: No answer yet." in page


def test_answer_from_the_workspace(invited, meeting, client):
    client.force_login(invited.user)
    response = client.post(
        reverse("meetings:respond", kwargs={"pk": meeting.pk}), {"response": "tentative"}
    )
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.response == "tentative"


def _rsvp(invited):
    return reverse("meetings:rsvp_link", kwargs={"token": rsvp_token(invited)})


def test_rsvp_link_without_signing_in(invited, client):
    url = _rsvp(invited)
    page = client.get(url)
    assert page.status_code == 200
    assert invited.meeting.join_link not in page.content.decode()
    response = client.post(url, {"response": "accepted"})
    assert response.status_code == 200
    assert "Your answer is recorded: Accepted." in response.content.decode()
    invited.refresh_from_db()
    assert invited.response == "accepted"


@pytest.mark.parametrize("how", ["forged", "someone_else", "expired", "removed"])
def test_rsvp_link_refused(how, invited, outsider, client, settings, secretariat):
    url = _rsvp(invited)
    if how == "forged":
        url = url[:-3] + "xx/"
    elif how == "someone_else":
        client.force_login(outsider)
    elif how == "expired":
        settings.AIII_RSVP_LINK_DAYS = -1
    elif how == "removed":
        from meetings.services import participant_remove

        participant_remove(participant=invited, by=secretariat)
    response = client.post(url, {"response": "declined"})
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert not Participant.objects.filter(response="declined").exists()


def test_feed_lists_my_meetings_and_can_be_revoked(invited, meeting, client):
    client.force_login(invited.user)
    response = client.post(reverse("meetings:feed_new"))
    assert response.status_code == 200
    url = response.context["url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=invited.user).token_hash != token  # only the hash

    client.logout()
    feed = client.get(reverse("meetings:feed", kwargs={"token": token}))
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(event["UID"]) for event in events] == [f"meeting-{meeting.pk}@testserver"]

    client.force_login(invited.user)
    client.post(reverse("meetings:feed_revoke"))
    client.logout()
    assert client.get(reverse("meetings:feed", kwargs={"token": token})).status_code == 404


def test_regenerating_the_feed_stops_the_old_address(member):
    old = feed_create(user=member)
    feed_create(user=member)

    assert Client().get(reverse("meetings:feed", kwargs={"token": old})).status_code == 404


def test_secretariat_creates_and_invites(secretariat_client, django_capture_on_commit_callbacks):
    alice = MemberProfileFactory(full_name="Alice Moreau").user
    response = secretariat_client.post(
        reverse("secretariat:meeting_create"),
        {
            "reference": "TEN/55",
            "title": "Provenance",
            "body": "TEN",
            "description": "**Bold**",
            "start": "2030-05-01T09:00",
            "end": "2030-05-01T11:00",
            "format": "hybrid",
            "venue": "Geneva",
            "join_link": "https://meet.example.org/x",
            "confidentiality": "chatham_house",
        },
    )
    meeting = Meeting.objects.get(reference="TEN/55")
    assert response.status_code == 302 and response["Location"] == meeting.get_secretariat_url()
    assert meeting.description_html == "<p><strong>Bold</strong></p>"
    assert meeting.start.isoformat() == "2030-05-01T09:00:00+00:00"

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("secretariat:meeting_invite", kwargs={"pk": meeting.pk}),
            {"invite-mode": "chosen", "invite-emails": alice.email},
        )
    assert response.status_code == 302
    assert list(meeting.participants.values_list("user", flat=True)) == [alice.pk]
    assert OutboxEmail.objects.get(to=[alice.email]).status == OutboxEmail.Status.SENT


def test_create_refuses_an_end_before_the_start(secretariat_client):
    response = secretariat_client.post(
        reverse("secretariat:meeting_create"),
        {
            "reference": "TEN/56",
            "title": "X",
            "body": "TEN",
            "start": "2030-05-01T09:00",
            "end": "2030-05-01T08:00",
            "format": "hybrid",
            "confidentiality": "chatham_house",
        },
    )
    assert response.status_code == 400
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.filter(reference="TEN/56").exists()


def test_agenda_reorders_with_up_and_down(meeting, secretariat, secretariat_client):
    first, second, third = (
        agenda_item_add(meeting=meeting, by=secretariat, title=t) for t in "ABC"
    )
    url = reverse("secretariat:meeting_agenda_move", kwargs={"pk": meeting.pk, "item_pk": third.pk})
    secretariat_client.post(url, {"direction": "up"})
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["A", "C", "B"]
    url = reverse("secretariat:meeting_agenda_move", kwargs={"pk": meeting.pk, "item_pk": first.pk})
    secretariat_client.post(url, {"direction": "up"})  # already first: nothing moves
    secretariat_client.post(url, {"direction": "down"})
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["C", "A", "B"]
    assert list(AgendaItem.objects.order_by("position").values_list("position", flat=True)) == [
        0,
        1,
        2,
    ]


def test_participants_export_is_csv(invited, meeting, secretariat_client):
    response = secretariat_client.post(
        reverse("secretariat:meeting_participants_export", kwargs={"pk": meeting.pk})
    )
    body = b"".join(response.streaming_content).decode()
    assert (
        body.splitlines()[1]
        == f"Alice Moreau,{invited.user.email},Provenance Lab,Academia,CH,No answer yet"
    )


# --- query counts -------------------------------------------------------------------------------


def _fill(meeting, secretariat, n):
    users = [MemberProfileFactory().user for _ in range(n)]
    meeting_invite(
        meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[u.email for u in users]
    )
    for i in range(n):
        document_upload(
            meeting=meeting,
            by=secretariat,
            upload=SimpleUploadedFile(f"d{i}.pdf", PDF + bytes([i])),
        )
        agenda_item_add(meeting=meeting, by=secretariat, title=f"Item {i}")
    return users[0]


def _count(client, url):
    client.get(url)  # the session's first request records it; count a steady one
    fragments.changed()  # rendered afresh, not served from the cache (see test_caching.py)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_workspace_query_count_does_not_grow(secretariat, client):
    small, large = MeetingFactory(), MeetingFactory()
    viewer_small = _fill(small, secretariat, 2)
    viewer_large = _fill(large, secretariat, 12)
    client.force_login(viewer_small)
    few = _count(client, small.get_absolute_url())
    client.force_login(viewer_large)
    many = _count(client, large.get_absolute_url())
    assert few == many


def test_secretariat_meeting_page_query_count_does_not_grow(secretariat, secretariat_client):
    small, large = MeetingFactory(), MeetingFactory()
    _fill(small, secretariat, 2)
    _fill(large, secretariat, 12)
    assert _count(secretariat_client, small.get_secretariat_url()) == _count(
        secretariat_client, large.get_secretariat_url()
    )


def test_list_query_count_does_not_grow(secretariat, client):
    member = MemberProfileFactory().user
    from aiii.guardian import grant

    def add(n):
        for _ in range(n):
            meeting = MeetingFactory()
            Participant.objects.create(meeting=meeting, user=member)
            grant("view_meeting", to=member, obj=meeting)

    client.force_login(member)
    add(1)
    few = _count(client, reverse("meetings:list"))
    add(10)
    many = _count(client, reverse("meetings:list"))
    assert few == many
    assert _count(client, reverse("meetings:list")) == many


def test_secretariat_list_query_count_does_not_grow(secretariat, secretariat_client):
    MeetingFactory()
    few = _count(secretariat_client, reverse("secretariat:meetings"))
    MeetingFactory.create_batch(10)
    assert _count(secretariat_client, reverse("secretariat:meetings")) == few


def test_secretariat_meeting_page_has_unique_ids_and_its_forms_work(
    invited, meeting, secretariat, secretariat_client
):
    import re
    from collections import Counter

    agenda_item_add(meeting=meeting, by=secretariat, title="Opening")
    page = secretariat_client.get(meeting.get_secretariat_url()).content.decode()
    ids = Counter(re.findall(r' id="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []

    meeting.refresh_from_db()
    url = reverse("secretariat:meeting_minutes", kwargs={"pk": meeting.pk})
    response = secretariat_client.post(
        url,
        {"minutes-text": "[[Alice Moreau]] spoke.", "minutes-version": "", "action": "circulate"},
    )
    assert response.status_code == 302
    assert meeting.minutes.status == "circulated"
    assert meeting.minutes.public_html == "<p><strong>A participant:</strong> spoke.</p>"

    url = reverse("secretariat:meeting_outcome", kwargs={"pk": meeting.pk})
    secretariat_client.post(url, {"outcome-summary": "Agreed a test set.", "action": "publish"})
    meeting.outcome.refresh_from_db()
    assert meeting.outcome.published_at is not None

    url = reverse("secretariat:meeting_edit", kwargs={"pk": meeting.pk})
    data = {
        "edit-version": meeting.version,
        "edit-reference": meeting.reference,
        "edit-title": "Renamed",
        "edit-body": "TEN",
        "edit-description": "",
        "edit-start": "2031-01-10T09:00",
        "edit-end": "2031-01-10T10:00",
        "edit-format": "virtual",
        "edit-venue": "",
        "edit-join_link": "",
        "edit-confidentiality": "chatham_house",
    }
    assert secretariat_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.version) == ("Renamed", 2)
    # The same (now stale) form again: refused with the page as it is now.
    response = secretariat_client.post(url, {**data, "edit-title": "Again"})
    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.title == "Renamed"
    updated = OutboxEmail.objects.filter(to=[invited.user.email], subject__contains="Updated")
    assert updated.count() == 1


def test_a_geg_delegate_opens_their_geg_meeting(secretariat, client):
    from tests.members.factories import ProfileFactory, UserFactory

    delegate = ProfileFactory(user=UserFactory(groups=["delegate", "geg"])).user
    geg = MeetingFactory(reference="GEG/3", body="GEG")
    meeting_invite(meeting=geg, by=secretariat, mode=InviteMode.GEG)
    client.force_login(delegate)
    assert client.get(geg.get_absolute_url()).status_code == 200
    assert client.get(reverse("meetings:list")).context["rows"][0][0] == geg


def test_a_suspended_members_feed_stops(invited, secretariat, client):
    from members.services.people import membership_suspend

    token = feed_create(user=invited.user)
    membership_suspend(profile=invited.user.profile, by=secretariat, reason="Test.")
    assert client.get(reverse("meetings:feed", kwargs={"token": token})).status_code == 404


def test_every_page_type_has_one_h1(invited, meeting, secretariat, client, secretariat_client):
    minutes = minutes_save(meeting=meeting, by=secretariat, text="Draft")
    minutes_circulate(minutes=minutes, by=secretariat, version=minutes.version)
    client.force_login(invited.user)
    pages = [
        (client, reverse("meetings:list")),
        (client, meeting.get_absolute_url()),
        (client, reverse("meetings:minutes", kwargs={"pk": meeting.pk})),
        (secretariat_client, reverse("secretariat:meetings")),
        (secretariat_client, reverse("secretariat:meeting_create")),
        (secretariat_client, meeting.get_secretariat_url()),
        (
            secretariat_client,
            reverse("secretariat:meeting_minutes_print", kwargs={"pk": meeting.pk}),
        ),
        (secretariat_client, reverse("secretariat:dashboard")),
        (secretariat_client, meeting.get_absolute_url()),
        (Client(), reverse("meetings:rsvp_link", kwargs={"token": rsvp_token(invited)})),
        (Client(), reverse("meetings:rsvp_link", kwargs={"token": "forged"})),
    ]
    document_upload(
        meeting=meeting, by=secretariat, upload=SimpleUploadedFile("a.pdf", PDF), title="Paper"
    )
    import re
    from collections import Counter

    for who, url in pages:
        page = who.get(url).content.decode()
        assert page.count("<h1") == 1, url
        assert "<main" in page, url
        ids = Counter(re.findall(r' id="([^"]+)"', page))
        assert [name for name, count in ids.items() if count > 1] == [], url
        # Every visible form control is named by a label (axe's "label" rule, roughly).
        for control in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
            if 'type="hidden"' in control or 'type="submit"' in control:
                continue
            found = re.search(r' id="([^"]+)"', control)
            assert found and f'for="{found.group(1)}"' in page, (url, control)


def test_a_removed_participant_loses_the_workspace_and_its_documents(
    invited, meeting, secretariat, client
):
    from meetings.services import participant_remove

    version = document_upload(
        meeting=meeting, by=secretariat, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    download = reverse(
        "meetings:document_download", kwargs={"pk": meeting.pk, "version_pk": version.pk}
    )
    client.force_login(invited.user)
    assert client.get(download).status_code == 200

    participant_remove(participant=invited, by=secretariat)

    assert client.get(download).status_code == 404
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(reverse("meetings:list")).context["rows"] == []


def test_answers_close_with_the_meeting(invited, meeting, secretariat, client):
    from meetings.services import meeting_set_status

    meeting.refresh_from_db()
    meeting_set_status(
        meeting=meeting, by=secretariat, status=Meeting.Status.HELD, version=meeting.version
    )
    client.force_login(invited.user)
    response = client.post(
        reverse("meetings:respond", kwargs={"pk": meeting.pk}), {"response": "declined"}
    )
    assert response.status_code == 409
    assert "This meeting no longer takes answers." in response.content.decode()
    invited.refresh_from_db()
    assert invited.response == "pending"


def test_a_participant_downloads_the_meetings_calendar_file(invited, meeting, client):
    client.force_login(invited.user)
    response = client.get(reverse("meetings:calendar_file", kwargs={"pk": meeting.pk}))
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="{meeting.reference.replace("/", "-")}.ics"'
    )
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "PUBLISH"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@testserver"


def test_secretariat_list_counts_participants_and_acceptances(invited, meeting, secretariat_client):
    from meetings.services import participant_respond

    participant_respond(participant=invited, response="accepted")
    response = secretariat_client.get(reverse("secretariat:meetings"))
    assert response.context["rows"] == [(meeting, 1, 1)]


def test_the_geg_sees_meetings_in_the_navigation(client):
    from tests.members.factories import ProfileFactory, UserFactory

    delegate = ProfileFactory(user=UserFactory(groups=["delegate", "geg"])).user
    client.force_login(delegate)
    page = client.get(reverse("meetings:list")).content.decode()
    nav = page.split('class="site-nav"')[1].split("</nav>")[0]
    assert 'href="/meetings/"' in nav
