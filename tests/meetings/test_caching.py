"""The meetings pages keep their content in the cache (aiii/fragments.py): the secretariat's list
for every secretariat viewer, a member's list and a workspace for that member only. What matters:
a change shows on the very next request, nobody's answers, meetings or rights reach another
member, a meeting that ends leaves the upcoming ones at once, and the access check of a
workspace runs on every request, cached content or not."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermission

from aiii import fragments
from aiii.guardian import grant
from meetings.models import MEETINGS_DATA, Participant
from meetings.selectors import visible_heading
from meetings.services import (
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    document_upload,
    feed_create,
    meeting_invite,
    participant_remove,
    participant_respond,
)
from meetings.services.participants import InviteMode
from members.services.people import profile_correct
from tests.meetings.conftest import PDF, upload
from tests.meetings.factories import MeetingFactory
from tests.members.factories import ApplicationFactory, MemberProfileFactory
from topics.models import Thread, Topic
from topics.services.topics import topic_edit

pytestmark = pytest.mark.django_db

LIST = reverse("meetings:list")
SECRETARIAT_LIST = reverse("secretariat:meetings")


def _main(response):
    """The page's main part, each form's token (masked afresh for every request) left out."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', 'name="csrfmiddlewaretoken"', html)
    return html[html.index("<main") : html.index("</main>")]


def _get(client, path):
    """The response and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def _browser(user):
    browser = Client()
    browser.force_login(user)
    browser.get("/robots.txt")  # the first request of a session records it
    return browser


def _invite(meeting, secretariat, *users):
    meeting_invite(
        meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[u.email for u in users]
    )


def _agenda(response):
    found = re.search(r'<ol class="agenda">(.*?)</ol>', _main(response), re.S)
    return re.findall(r"<strong>(\w+)</strong>", found[1]) if found else []


def _answer_cell(page, meeting):
    row = re.search(rf"{re.escape(meeting.title)}</a>.*?</tr>", page, re.S)[0]
    return re.findall(r"<td>([^<]*)</td>", row)[-1]


# --- the secretariat's list ---------------------------------------------------------------------


def test_the_secretariat_list_is_cached_and_shows_each_change_at_once(
    secretariat, secretariat_client
):
    meeting = MeetingFactory(title="Provenance session")
    member = MemberProfileFactory().user
    secretariat_client.get("/robots.txt")

    first, rendered = _get(secretariat_client, SECRETARIAT_LIST)
    again, cached = _get(secretariat_client, SECRETARIAT_LIST)
    assert cached == 1 < rendered  # only the session (with its user) is read
    assert _main(again) == _main(first)
    assert "Provenance session" in _main(again)

    MeetingFactory(title="Standards session")  # a new meeting
    assert "Standards session" in _main(secretariat_client.get(SECRETARIAT_LIST))
    _invite(meeting, secretariat, member)  # participants made in bulk: no signal
    row = re.search(
        r"Provenance session</a>.*?</tr>", _main(secretariat_client.get(SECRETARIAT_LIST)), re.S
    )[0]
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "0"]
    participant_respond(
        participant=meeting.participants.get(user=member), response=Participant.Response.ACCEPTED
    )
    row = re.search(
        r"Provenance session</a>.*?</tr>", _main(secretariat_client.get(SECRETARIAT_LIST)), re.S
    )[0]
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "1"]


# --- a member's list ----------------------------------------------------------------------------


def test_a_members_list_is_cached_for_them_and_shows_each_change_at_once(secretariat):
    alice = MemberProfileFactory().user
    meeting = MeetingFactory(title="Watermark robustness")
    _invite(meeting, secretariat, alice)
    browser = _browser(alice)

    first, rendered = _get(browser, LIST)
    again, cached = _get(browser, LIST)
    assert cached == 1 < rendered
    assert _main(again) == _main(first)
    assert _answer_cell(_main(again), meeting) == "No answer yet"

    # Her answer, a new invitation, her calendar feed: each on the next request.
    participant_respond(
        participant=meeting.participants.get(user=alice), response=Participant.Response.ACCEPTED
    )
    assert _answer_cell(_main(browser.get(LIST)), meeting) == "Accepted"
    # Invited to a meeting whose invitations went out before: only the participants and the
    # grants change, written in bulk.
    later = MeetingFactory(title="Content credentials")
    _invite(later, secretariat, MemberProfileFactory().user)
    assert "Content credentials" not in _main(browser.get(LIST))
    _invite(later, secretariat, alice)
    assert "Content credentials" in _main(browser.get(LIST))
    assert "Your feed address works since" not in _main(browser.get(LIST))
    feed_create(user=alice)
    assert "Your feed address works since" in _main(browser.get(LIST))
    # Removed from a meeting: gone from her list at once.
    participant_remove(participant=later.participants.get(user=alice), by=secretariat)
    assert "Content credentials" not in _main(browser.get(LIST))
    # A grant alone (given in the admin, say) opens a meeting to her: it shows at once too.
    grant("view_meeting", to=alice, obj=later)
    assert "Content credentials" in _main(browser.get(LIST))


def test_no_member_sees_another_members_list(secretariat):
    alice, bob = MemberProfileFactory().user, MemberProfileFactory().user
    shared, confidential = MeetingFactory(title="Shared"), MeetingFactory(title="Confidential")
    _invite(shared, secretariat, alice, bob)
    _invite(confidential, secretariat, alice)
    participant_respond(
        participant=shared.participants.get(user=alice), response=Participant.Response.DECLINED
    )
    feed_create(user=alice)
    as_alice, as_bob = _browser(alice), _browser(bob)

    for _ in range(2):  # rendered, then from the cache
        alices, bobs = _main(as_alice.get(LIST)), _main(as_bob.get(LIST))
        assert "Confidential" in alices and "Confidential" not in bobs
        assert _answer_cell(alices, shared) == "Declined"
        assert _answer_cell(bobs, shared) == "No answer yet"
        assert "Your feed address works since" in alices
        assert "Your feed address works since" not in bobs


def test_a_meeting_that_ends_leaves_the_upcoming_ones_at_once(secretariat, monkeypatch):
    alice = MemberProfileFactory().user
    now = timezone.now()
    ending = MeetingFactory(
        title="Ends soon", start=now - timedelta(hours=1), end=now + timedelta(minutes=10)
    )
    _invite(ending, secretariat, alice)
    _invite(MeetingFactory(title="Next month"), secretariat, alice)
    browser = _browser(alice)
    assert "Ends soon" in _main(browser.get(LIST))
    assert "Ends soon" not in _main(browser.get(LIST + "?when=past"))
    assert _get(browser, LIST)[1] == 1  # kept

    # Nothing changes in the data; the clock passes the end of the meeting.
    later = now + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    upcoming = _main(browser.get(LIST))
    assert "Ends soon" not in upcoming and "Next month" in upcoming
    assert "Ends soon" in _main(browser.get(LIST + "?when=past"))


def test_the_lists_cost_the_same_rendered_afresh_with_more_meetings(secretariat, settings):
    settings.AIII_PAGE_SIZE = 5
    alice = MemberProfileFactory().user
    as_alice = _browser(alice)
    as_secretariat = _browser(secretariat)

    def counts():
        fragments.changed(MEETINGS_DATA)  # rendered afresh, not from the cache
        member = _get(as_alice, LIST)[1]
        fragments.changed(MEETINGS_DATA)
        return member, _get(as_secretariat, SECRETARIAT_LIST)[1]

    _invite(MeetingFactory(), secretariat, alice)
    few = counts()
    for _ in range(8):  # past a page
        _invite(MeetingFactory(), secretariat, alice)
    assert counts() == few


# --- a workspace --------------------------------------------------------------------------------


def test_a_workspace_is_cached_for_its_viewer_and_shows_each_change_at_once(secretariat):
    alice = MemberProfileFactory(full_name="Alice Moreau").user
    meeting = MeetingFactory()
    _invite(meeting, secretariat, alice)
    url = meeting.get_absolute_url()
    browser = _browser(alice)

    first, rendered = _get(browser, url)
    again, cached = _get(browser, url)
    assert cached == 2 < rendered  # the session, and the access check: every request
    assert _main(again) == _main(first)
    title = f"<title>{meeting.reference} {meeting.title} · AIII Exchange</title>"
    assert title in first.content.decode() and title in again.content.decode()
    assert "Your current answer: No answer yet." in _main(again)

    participant_respond(
        participant=meeting.participants.get(user=alice), response=Participant.Response.TENTATIVE
    )
    assert "Your current answer: Tentative." in _main(browser.get(url))
    document_upload(meeting=meeting, by=secretariat, upload=upload("agenda.pdf", PDF))
    assert "agenda.pdf" in _main(browser.get(url))
    item = agenda_item_add(meeting=meeting, by=secretariat, title="Opening")
    agenda_item_add(meeting=meeting, by=secretariat, title="Watermarks")
    assert _agenda(browser.get(url)) == [
        "Opening",
        "Watermarks",
    ]
    agenda_item_move(item=item, by=secretariat, direction="down")  # a bulk update: no signal
    assert _agenda(browser.get(url)) == [
        "Watermarks",
        "Opening",
    ]
    agenda_item_delete(item=item, by=secretariat)
    assert _agenda(browser.get(url)) == ["Watermarks"]
    # The secretariat corrects a participant's name: the participants list says so (the
    # members' data set).
    profile = alice.profile
    profile_correct(
        profile=profile,
        by=secretariat,
        changes={"full_name": "Alice Moreau-Lin"},
        reason="Married name.",
        version=profile.version,
    )
    assert "Alice Moreau-Lin" in _main(browser.get(url))


def test_a_workspace_shows_each_participant_their_own_answer(secretariat):
    alice, bob = MemberProfileFactory().user, MemberProfileFactory().user
    meeting = MeetingFactory()
    _invite(meeting, secretariat, alice, bob)
    participant_respond(
        participant=meeting.participants.get(user=alice), response=Participant.Response.ACCEPTED
    )
    as_alice, as_bob = _browser(alice), _browser(bob)
    for _ in range(2):  # rendered, then from the cache
        assert "Your current answer: Accepted." in _main(as_alice.get(meeting.get_absolute_url()))
        assert "Your current answer: No answer yet." in _main(
            as_bob.get(meeting.get_absolute_url())
        )


def test_a_workspace_is_refused_at_once_to_a_removed_participant(secretariat):
    alice, bob = MemberProfileFactory().user, MemberProfileFactory().user
    meeting = MeetingFactory(title="Closed-door session")
    _invite(meeting, secretariat, alice)
    url = meeting.get_absolute_url()
    as_alice, as_bob = _browser(alice), _browser(bob)
    assert as_alice.get(url).status_code == 200
    assert as_alice.get(url).status_code == 200  # now from the cache
    # Another member never gets Alice's copy: not invited, not found.
    response = as_bob.get(url)
    assert response.status_code == 404 and "Closed-door session" not in response.content.decode()

    participant_remove(participant=meeting.participants.get(user=alice), by=secretariat)
    response = as_alice.get(url)
    assert response.status_code == 404 and "Closed-door session" not in response.content.decode()


def test_the_access_check_runs_before_the_cached_content(secretariat):
    """Even a copy the cache would still serve (its data set was told nothing) is not shown
    once the grant is gone: the access check reads the grants on every request."""
    alice = MemberProfileFactory().user
    meeting = MeetingFactory(title="Closed-door session")
    _invite(meeting, secretariat, alice)
    url = meeting.get_absolute_url()
    browser = _browser(alice)
    assert browser.get(url).status_code == 200
    # The grant removed by a raw write, which no signal announces.
    table = UserObjectPermission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE user_id = %s", [alice.pk])
    response = browser.get(url)
    assert response.status_code == 404 and "Closed-door session" not in response.content.decode()


def test_visible_heading_follows_visible_to(secretariat):
    alice, bob = MemberProfileFactory().user, MemberProfileFactory().user
    meeting = MeetingFactory(reference="TEN/42", title="Watermarks")
    _invite(meeting, secretariat, alice)
    assert visible_heading(alice, meeting.pk) == ("TEN/42", "Watermarks")
    assert visible_heading(bob, meeting.pk) is None
    assert visible_heading(secretariat, meeting.pk) == ("TEN/42", "Watermarks")
    assert visible_heading(alice, meeting.pk + 1000) is None
    assert visible_heading(ApplicationFactory().user, meeting.pk) is None


def test_an_agenda_items_discussion_link_follows_its_thread_at_once(secretariat):
    """The link is shown only while the member may read the thread: a topic hidden by the
    secretariat, or the thread deleted, takes it away on the next request."""
    alice = MemberProfileFactory().user
    topic = Topic.objects.select_related("area").get(area__slug="watermarking-provenance")
    thread = Thread.objects.create(topic=topic, title="Watermarks under re-encoding", author=alice)
    meeting = MeetingFactory()
    _invite(meeting, secretariat, alice)
    agenda_item_add(meeting=meeting, by=secretariat, title="Robustness", thread=thread.pk)
    browser = _browser(alice)
    link = f'<a href="/topics/thread/{thread.pk}/">Discussion: Watermarks under re-encoding</a>'
    assert link in _main(browser.get(meeting.get_absolute_url()))

    topic_edit(
        topic=topic,
        by=secretariat,
        name=topic.area.name,
        description=topic.description,
        position=topic.area.position,
        hidden=True,
        version=topic.version,
    )
    assert link not in _main(browser.get(meeting.get_absolute_url()))
    topic.refresh_from_db()
    topic.hidden = False  # a save of the topic alone (its area unchanged), as the admin's
    topic.save(update_fields=["hidden"])
    assert link in _main(browser.get(meeting.get_absolute_url()))
    thread.delete()  # the agenda item's link is emptied by an UPDATE, which sends no signal
    assert "Discussion:" not in _main(browser.get(meeting.get_absolute_url()))


# --- the secretariat's dashboard ----------------------------------------------------------------


def test_the_dashboards_upcoming_meetings_are_kept_and_follow_changes_and_the_clock(
    secretariat, monkeypatch
):
    now = timezone.now()
    MeetingFactory(
        title="Ends soon", start=now - timedelta(hours=1), end=now + timedelta(minutes=5)
    )
    browser = _browser(secretariat)
    dashboard = reverse("secretariat:dashboard")
    first, rendered = _get(browser, dashboard)
    again, kept = _get(browser, dashboard)
    assert kept < rendered and "Ends soon" in _main(again)
    MeetingFactory(title="Scheduled later")
    assert "Scheduled later" in _main(browser.get(dashboard))
    later = now + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the clock passes its end
    page = _main(browser.get(dashboard))
    assert "Ends soon" not in page and "Scheduled later" in page
