"""Agenda items link to the topic thread where the item is discussed."""

import pytest
from django.urls import reverse

from aiii.errors import ServiceError
from meetings.services import agenda_item_add, meeting_invite
from meetings.services.participants import InviteMode
from tests.meetings.factories import MeetingFactory
from tests.members.factories import ProfileFactory, UserFactory
from topics.models import Thread, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(participant_user):
    topic = Topic.objects.get(area__slug="watermarking-provenance")
    return Thread.objects.create(
        topic=topic, title="Watermarks under re-encoding", author=participant_user
    )


def test_the_secretariat_links_an_item_by_the_threads_address(meeting, thread, secretariat_client):
    response = secretariat_client.post(
        reverse("secretariat:meeting_agenda_add", kwargs={"pk": meeting.pk}),
        {
            "agenda-title": "Robustness",
            "agenda-presenter": "",
            "agenda-duration_minutes": "30",
            "agenda-thread": f"http://testserver/topics/thread/{thread.pk}/",
        },
    )
    assert response.status_code == 302
    assert list(meeting.agenda_items.values_list("title", "thread")) == [("Robustness", thread.pk)]


def test_an_unknown_thread_is_refused(meeting, secretariat):
    with pytest.raises(ServiceError, match="There is no topic thread 999999."):
        agenda_item_add(meeting=meeting, by=secretariat, title="X", thread=999999)
    assert not meeting.agenda_items.exists()


def test_participants_see_the_link_and_who_may_not_read_the_thread_does_not(
    invited, meeting, thread, secretariat, client
):
    agenda_item_add(meeting=meeting, by=secretariat, title="Robustness", thread=thread.pk)
    client.force_login(invited.user)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert (
        f'<a href="/topics/thread/{thread.pk}/">Discussion: Watermarks under re-encoding</a>'
        in page
    )

    delegate = ProfileFactory(user=UserFactory(groups=["delegate", "geg"])).user
    geg = MeetingFactory(reference="GEG/9", body="GEG")
    meeting_invite(meeting=geg, by=secretariat, mode=InviteMode.GEG)
    agenda_item_add(meeting=geg, by=secretariat, title="Robustness", thread=thread.pk)
    client.force_login(delegate)
    page = client.get(geg.get_absolute_url()).content.decode()
    assert "Robustness" in page
    assert "Watermarks under re-encoding" not in page
