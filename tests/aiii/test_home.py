"""A signed-in user's home at `/`: what waits for them, their next meetings, unread threads they
watch, the annual meeting; the secretariat's queues with counts. Visitors keep the brochure."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Participant
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
from topics.models import Subscription, ThreadRead, Topic


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
    Subscription.objects.create(user=other, thread=watched)
    page = home(client, other)
    assert "Watched thread" in page  # never opened: every post is new
    assert "Thread nobody watches" not in page
    ThreadRead.objects.create(user=other, thread=watched, last_read_number=watched.post_count)
    assert "Watched thread" not in home(client, other)
    reply(watched, author, source="Something new.")
    page = home(client, other)
    assert "Watched thread" in page
    assert "1 new post" in page


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
