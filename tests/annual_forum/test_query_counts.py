"""Every list page of the forum asks the database as often with many rows as with one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annual_forum.models import Intervention
from tests.annual_forum.factories import (
    InterventionFactory,
    PendingDelegateFactory,
    member_state,
)

pytestmark = pytest.mark.django_db
MORE = ("FR", "DE", "JP", "BR", "KE", "IN", "MX")


def _count(client, url):
    client.get(url)  # the first request of a session does more (session, MFA state)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    assert captured.captured_queries, "served from a cache: the page was not measured"
    return len(captured.captured_queries)


def _rows(meeting, delegate, **fields):
    for code in MORE:
        InterventionFactory(meeting=meeting, delegation=member_state(code), **fields)
        InterventionFactory(meeting=meeting, created_by=delegate.user, **fields)


@pytest.mark.parametrize(
    ("who", "url", "fields"),
    [
        ("anonymous", "/forum/{year}/record/", {"published": True}),
        ("anonymous", "/forum/{year}/speakers/", {"status": "accepted"}),
        ("anonymous", "/forum/feed.atom", {"published": True}),
        ("anonymous", "/forum/api/years/{year}/interventions", {"published": True}),
        ("anonymous", "/forum/api/years/{year}/speakers", {"status": "accepted"}),
        ("delegate", "/forum/delegation/", {}),
        ("secretariat", "/secretariat/forum/{year}/speakers/", {"status": "accepted"}),
        ("secretariat", "/secretariat/forum/", {}),
    ],
)
def test_list_pages_do_not_grow_with_their_rows(
    client, meeting, delegate, secretariat, who, url, fields
):
    meeting.speakers_list_published = True
    meeting.save()
    if who != "anonymous":
        client.force_login(delegate.user if who == "delegate" else secretariat)
    else:
        client.cookies["seen"] = "1"  # past the cache of public pages: measure the page itself
    url = url.format(year=meeting.year)
    InterventionFactory(meeting=meeting, created_by=delegate.user, **fields)
    few = _count(client, url)
    _rows(meeting, delegate, **fields)
    assert Intervention.objects.count() == 1 + 2 * len(MORE)
    assert _count(client, url) == few, url


def test_the_delegates_queue_does_not_grow(secretariat_client):
    PendingDelegateFactory()
    few = _count(secretariat_client, "/secretariat/forum/delegates/")
    for _ in range(6):
        PendingDelegateFactory()
    assert _count(secretariat_client, "/secretariat/forum/delegates/") == few
