"""A signed-in user's home at `/`: what waits for them, their next meetings, unread threads they
watch, the annual meeting; the secretariat's queues with counts. Visitors keep the brochure."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aiii import fragments
from annual_forum.services.meetings import MEETING_FIELDS, annual_meeting_update
from meetings.models import Participant
from meetings.services import (
    minutes_circulate,
    minutes_comment,
    minutes_save,
    participant_remove,
    participant_respond,
)
from meetings.services.participants import InviteMode, meeting_invite
from tests.annual_forum.factories import (
    DelegateFactory,
    InterventionFactory,
    PendingDelegateFactory,
)
from tests.annual_forum.factories import MeetingFactory as ForumMeetingFactory
from tests.meetings.factories import MeetingFactory
from tests.members.factories import ApplicationFactory, MemberProfileFactory
from tests.topics.conftest import reply, start
from topics.models import Subscription, Topic
from topics.services.posts import thread_mark_read
from topics.services.subscriptions import subscription_add, subscription_remove


@pytest.fixture
def topic(db):
    return Topic.objects.select_related("area").get(area__slug="watermarking-provenance")


@pytest.fixture
def author(db):
    return MemberProfileFactory(full_name="Thread Author").user


@pytest.fixture
def other(db):
    return MemberProfileFactory(full_name="Thread Watcher").user


def home(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_visitors_get_the_brochure(client):
    page = client.get("/").content.decode()
    assert "The Technical Exchange Network on IP and AI" in page
    assert "Waiting for you" not in page


@pytest.mark.django_db
def test_a_member_sees_their_next_meetings_and_the_invitations_to_answer(client, secretariat):
    alice = MemberProfileFactory(full_name="Alice Moreau").user
    soon, later, not_mine = MeetingFactory(), MeetingFactory(), MeetingFactory()
    for meeting in (soon, later):
        meeting_invite(
            meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[alice.email]
        )
    later.participants.filter(user=alice).update(response=Participant.Response.ACCEPTED)

    page = home(client, alice)
    assert "Welcome, Alice Moreau" in page
    assert soon.title in page and later.title in page
    assert not_mine.title not in page
    assert "Not answered yet" in page
    assert "Your answer: Accepted" in page
    # One invitation is waiting: the action goes straight to that meeting.
    assert (
        f'<a href="/meetings/{soon.pk}/">Invitations to answer <span class="count">1</span></a>'
        in page
    )


@pytest.mark.django_db
def test_a_member_sees_unread_threads_in_what_they_watch_only(client, topic, author, other):
    watched = start(topic, author, title="Watched thread")
    start(topic, author, title="Thread nobody watches")
    subscription_add(user=other, thread=watched)
    page = home(client, other)
    assert "Watched thread" in page  # never opened: every post is new
    assert "Thread nobody watches" not in page
    thread_mark_read(thread=watched, user=other, number=watched.post_count)
    assert "Watched thread" not in home(client, other)
    reply(watched, author, source="Something new.")
    page = home(client, other)
    assert "Watched thread" in page
    assert "1 new post" in page


@pytest.mark.django_db
def test_unread_threads_are_kept_per_member_and_their_own_reading_shows_at_once(
    topic, author, other
):
    watched = start(topic, author, title="Watched thread")
    reader = MemberProfileFactory(full_name="Another Reader").user
    for user in (other, reader):
        subscription_add(user=user, topic=topic)
    mine, theirs = _browser(other), _browser(reader)
    first, rendered = _home_and_queries(mine)
    again, kept = _home_and_queries(mine)
    assert "Watched thread" in again and kept < rendered
    # Another member reads it: nothing of mine changes, and my panel stays kept.
    thread_mark_read(thread=watched, user=reader, number=watched.post_count)
    assert "Watched thread" not in _main(theirs.get("/"))
    page, queries = _home_and_queries(mine)
    assert "Watched thread" in page and queries == kept
    # I read it: gone from my home on the next request. I stop watching the topic, someone
    # posts: still nothing for me; I watch again: it is back, with the new post.
    thread_mark_read(thread=watched, user=other, number=watched.post_count)
    assert "Watched thread" not in _main(mine.get("/"))
    subscription_remove(user=other, topic=topic)
    reply(watched, author, source="Something new.")
    assert "Watched thread" not in _main(mine.get("/"))
    subscription_add(user=other, topic=topic)
    page = _main(mine.get("/"))
    assert "Watched thread" in page and "1 new post" in page


@pytest.mark.django_db
def test_the_secretariat_home_shows_its_queues_with_counts(client, secretariat):
    ApplicationFactory(status="pending")
    ApplicationFactory(status="pending")
    PendingDelegateFactory()
    InterventionFactory()
    page = home(client, secretariat)
    assert 'Applications to decide <span class="count">2</span>' in page
    assert 'Delegates to verify <span class="count">1</span>' in page
    assert 'Interventions to decide <span class="count">1</span>' in page
    # An empty queue is not listed.
    assert "Flagged posts to moderate" not in page


@pytest.mark.django_db
def test_everyone_signed_in_sees_the_annual_meeting(client, member):
    meeting = ForumMeetingFactory(venue="Geneva, Conference Hall A")
    page = home(client, member)
    assert "The annual meeting" in page
    assert meeting.venue in page


@pytest.mark.django_db
def test_an_applicant_sees_their_application_and_nothing_of_the_members(
    client, secretariat, topic, author
):
    # Members-only things exist that could leak: a meeting, a thread with new posts.
    meeting = MeetingFactory(title="Closed-door watermark session")
    meeting_invite(meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[author.email])
    start(topic, author, title="Members-only thread")
    application = ApplicationFactory(status="info_requested")
    Subscription.objects.create(user=application.user, topic=topic)

    page = home(client, application.user)
    assert "Your application" in page
    assert "The secretariat has asked you for more information." in page
    for secret in ("Closed-door watermark session", "Members-only thread", "/meetings/"):
        assert secret not in page


@pytest.mark.django_db
def test_a_delegate_sees_their_delegation_and_nothing_of_the_members(
    client, secretariat, topic, author
):
    meeting = MeetingFactory(title="Closed-door watermark session")
    meeting_invite(meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[author.email])
    start(topic, author, title="Members-only thread")
    intervention = InterventionFactory(title="Statement of Switzerland")
    delegate = DelegateFactory(delegation=intervention.delegation)

    page = home(client, delegate.user)
    assert "Your delegation's interventions" in page
    assert "Statement of Switzerland" in page
    for secret in ("Closed-door watermark session", "Members-only thread", "/meetings/"):
        assert secret not in page


@pytest.mark.django_db
def test_several_waiting_items_lead_to_the_list_and_are_all_counted(client, secretariat):
    alice = MemberProfileFactory().user
    for _ in range(3):
        meeting_invite(
            meeting=MeetingFactory(), by=secretariat, mode=InviteMode.CHOSEN, emails=[alice.email]
        )
    page = home(client, alice)
    assert '<a href="/meetings/">Invitations to answer <span class="count">3</span></a>' in page


@pytest.mark.django_db
def test_navigation_names_the_directory_and_the_secretariat_apart(client, secretariat):
    page = home(client, secretariat)
    assert ">Directory</a>" in page
    assert ">Secretariat</a>" in page
    assert ">Members</a>" not in page


def _count_home_queries(client, user):
    client.force_login(user)
    client.get("/")  # the first request of a session records it (members.UserSession)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_home_costs_the_same_with_more_data(client, secretariat, topic, author):
    alice = MemberProfileFactory().user

    def grow():
        meeting = MeetingFactory()
        meeting_invite(
            meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[alice.email]
        )
        thread = start(topic, author)
        reply(thread, author)
        Subscription.objects.get_or_create(user=alice, topic=topic)
        ApplicationFactory(status="pending")

    for _ in range(6):  # past the lists' lengths, so the totals are counted from the start
        grow()
    member_before = _count_home_queries(client, alice)
    secretariat_before = _count_home_queries(client, secretariat)
    for _ in range(4):
        grow()
    assert _count_home_queries(client, alice) == member_before
    assert _count_home_queries(client, secretariat) == secretariat_before


# --- what the home keeps in the cache ------------------------------------------------------------
# A member's meetings (kept for that member only), the secretariat's count of applications and
# the annual meeting: each change shows on the very next request.


def _main(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _browser(user):
    browser = Client()
    browser.force_login(user)
    browser.get("/robots.txt")  # the first request of a session records it
    return browser


def _home_and_queries(browser):
    with CaptureQueriesContext(connection) as queries:
        response = browser.get("/")
    assert response.status_code == 200
    return _main(response), len(queries)


def _invite(meeting, by, *users):
    meeting_invite(meeting=meeting, by=by, mode=InviteMode.CHOSEN, emails=[u.email for u in users])


def _waiting(page, label):
    """The count of the action `label` in the "Waiting for you" list, or None if not listed."""
    found = re.search(rf'{re.escape(label)} <span class="count">(\d+)</span>', page)
    return int(found[1]) if found else None


@pytest.mark.django_db
def test_a_members_meetings_are_kept_for_them_and_every_change_shows_at_once(secretariat):
    alice = MemberProfileFactory().user
    meeting = MeetingFactory(title="Watermark robustness")
    _invite(meeting, secretariat, alice)
    browser = _browser(alice)

    first, rendered = _home_and_queries(browser)
    again, kept = _home_and_queries(browser)
    assert kept < rendered and again == first
    assert _waiting(again, "Invitations to answer") == 1 and "Not answered yet" in again

    # She answers: her answer shows, nothing waits.
    participant_respond(
        participant=meeting.participants.get(user=alice), response=Participant.Response.ACCEPTED
    )
    page = _main(browser.get("/"))
    assert "Your answer: Accepted" in page and _waiting(page, "Invitations to answer") is None
    # Invited to a meeting whose invitations went out before (participants and grants written
    # in bulk, no signal).
    later = MeetingFactory(title="Content credentials")
    _invite(later, secretariat, MemberProfileFactory().user)
    assert "Content credentials" not in _main(browser.get("/"))
    _invite(later, secretariat, alice)
    page = _main(browser.get("/"))
    assert "Content credentials" in page and _waiting(page, "Invitations to answer") == 1
    # The minutes of her meeting circulated for comment; then she comments.
    minutes = minutes_save(meeting=meeting, by=secretariat, text="Robustness tests.")
    assert _waiting(_main(browser.get("/")), "Minutes open for your comments") is None
    minutes = minutes_circulate(minutes=minutes, by=secretariat, version=minutes.version)
    page = _main(browser.get("/"))
    assert _waiting(page, "Minutes open for your comments") == 1
    assert f'<a href="/meetings/{meeting.pk}/minutes/">Minutes open for your comments' in page
    minutes_comment(minutes=minutes, by=alice, text="Agreed.")
    assert _waiting(_main(browser.get("/")), "Minutes open for your comments") is None
    # Removed from a meeting: gone from her home.
    participant_remove(participant=later.participants.get(user=alice), by=secretariat)
    page = _main(browser.get("/"))
    assert "Content credentials" not in page and _waiting(page, "Invitations to answer") is None


@pytest.mark.django_db
def test_no_member_sees_another_members_meetings_on_the_home(secretariat):
    alice, bob = MemberProfileFactory().user, MemberProfileFactory().user
    shared, confidential = MeetingFactory(title="Shared"), MeetingFactory(title="Confidential")
    _invite(shared, secretariat, alice, bob)
    _invite(confidential, secretariat, alice)
    participant_respond(
        participant=shared.participants.get(user=alice), response=Participant.Response.DECLINED
    )
    as_alice, as_bob = _browser(alice), _browser(bob)
    for _ in range(2):  # computed, then kept
        alices, bobs = _main(as_alice.get("/")), _main(as_bob.get("/"))
        assert "Confidential" in alices and "Confidential" not in bobs
        assert "Your answer: Declined" in alices and "Your answer" not in bobs
        assert _waiting(alices, "Invitations to answer") == 1
        assert _waiting(bobs, "Invitations to answer") == 1
        assert f'href="/meetings/{confidential.pk}/">Invitations to answer' in alices
        assert f'href="/meetings/{shared.pk}/">Invitations to answer' in bobs


@pytest.mark.django_db
def test_a_meeting_that_ends_leaves_the_home_at_once(secretariat, monkeypatch):
    alice = MemberProfileFactory().user
    now = timezone.now()
    ending = MeetingFactory(
        title="Ends soon", start=now - timedelta(hours=1), end=now + timedelta(minutes=10)
    )
    _invite(ending, secretariat, alice)
    browser = _browser(alice)
    page = _main(browser.get("/"))
    assert "Ends soon" in page and _waiting(page, "Invitations to answer") == 1
    later = now + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)  # no data changes, the clock does
    page = _main(browser.get("/"))
    assert "Ends soon" not in page and _waiting(page, "Invitations to answer") is None


@pytest.mark.django_db
def test_the_secretariats_count_of_applications_shows_each_change_at_once(secretariat):
    ApplicationFactory(status="pending")
    amended = ApplicationFactory(status="info_requested")
    browser = _browser(secretariat)
    assert _waiting(_main(browser.get("/")), "Applications to decide") == 1
    amended.status = "pending"  # only the application changes (no account, no profile)
    amended.save(update_fields=["status"])
    assert _waiting(_main(browser.get("/")), "Applications to decide") == 2


@pytest.mark.django_db
def test_a_change_of_the_annual_meeting_shows_on_the_home_at_once(
    member, secretariat, django_capture_on_commit_callbacks
):
    meeting = ForumMeetingFactory(venue="Geneva, Conference Hall A")
    browser = _browser(member)
    assert "Geneva, Conference Hall A" in _main(browser.get("/"))
    fields = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    with django_capture_on_commit_callbacks(execute=True):
        annual_meeting_update(
            meeting=meeting,
            by=secretariat,
            version=meeting.version,
            **{**fields, "venue": "Geneva, Press Room"},
        )
    assert "Geneva, Press Room" in _main(browser.get("/"))


@pytest.mark.django_db
def test_the_home_computed_afresh_costs_the_same_with_more_data(client, secretariat, topic, author):
    """As test_the_home_costs_the_same_with_more_data, with nothing kept in the cache."""
    alice = MemberProfileFactory().user

    def grow():
        _invite(MeetingFactory(), secretariat, alice)
        thread = start(topic, author)
        reply(thread, author)
        Subscription.objects.get_or_create(user=alice, topic=topic)
        ApplicationFactory(status="pending")

    def count(user):
        client.force_login(user)
        client.get("/")
        fragments.changed()  # every data set: nothing kept is served
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    for _ in range(6):
        grow()
    member_before, secretariat_before = count(alice), count(secretariat)
    for _ in range(4):
        grow()
    assert count(alice) == member_before
    assert count(secretariat) == secretariat_before
