"""aiii.sessions: an unchanged session is not written on every request, yet its inactivity
expiry still moves forward (to within AIII_SESSION_REFRESH_SECONDS)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:directory")


def _session_writes(queries):
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


def _key(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_request_that_changes_nothing_does_not_write_a_fresh_session(member_client):
    member_client.get(DIRECTORY)  # first request after sign-in: session bookkeeping
    stored = Session.objects.get(session_key=_key(member_client)).expire_date
    with CaptureQueriesContext(connection) as queries:
        assert member_client.get(DIRECTORY).status_code == 200
    assert _session_writes(queries) == []
    assert Session.objects.get(session_key=_key(member_client)).expire_date == stored


def test_an_expiry_older_than_the_margin_is_pushed_forward(member_client):
    member_client.get(DIRECTORY)
    key = _key(member_client)
    margin = timedelta(seconds=settings.AIII_SESSION_REFRESH_SECONDS)
    stale = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE) - 2 * margin
    Session.objects.filter(session_key=key).update(expire_date=stale)
    with CaptureQueriesContext(connection) as queries:
        assert member_client.get(DIRECTORY).status_code == 200
    assert len(_session_writes(queries)) == 1
    expires = Session.objects.get(session_key=key).expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expires - expected).total_seconds()) < 10


def test_a_changed_session_is_saved_at_once_even_a_nested_change(member_client):
    member_client.get(DIRECTORY)
    session = member_client.session
    session["grant"] = {"until": 100}
    session.save()
    session = member_client.session
    session["grant"]["until"] -= 50  # a nested change: nothing marks the session modified
    session.save()
    assert Session.objects.get(session_key=_key(member_client)).get_decoded()["grant"] == {
        "until": 50
    }
