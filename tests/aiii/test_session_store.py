"""aiii.sessions: an unchanged session is not written on every request, yet its inactivity
expiry still moves forward (to within AIII_SESSION_REFRESH_SECONDS); the session and its
signed-in account are read in one statement, always from the database."""

import re
from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aiii.models import Session
from tests.members.factories import MemberProfileFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:directory")


def _session_writes(queries):
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "aiii_session" in q["sql"]
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


# --- one statement for the session and its signed-in account ------------------------------------


def _signed_in_as(response):
    match = re.search(r"Signed in as ([^<]+)</span>", response.content.decode())
    return match[1] if match else None


def test_who_is_asking_is_one_query(member_client, member):
    member_client.get(DIRECTORY)
    with CaptureQueriesContext(connection) as queries:
        response = member_client.get("/about/")
    assert _signed_in_as(response) == member.email
    (query,) = queries
    assert "aiii_session" in query["sql"] and "auth_user" in query["sql"]
    assert Session.objects.get(session_key=_key(member_client)).user == member


def test_a_role_taken_away_counts_from_the_next_request(member_client, member):
    assert member_client.get(DIRECTORY).status_code == 200
    member.groups.remove(Group.objects.get(name="member"))
    assert member_client.get(DIRECTORY).status_code == 403
    member.groups.add(Group.objects.get(name="member"))
    assert member_client.get(DIRECTORY).status_code == 200


def test_a_deactivated_account_is_signed_out_whatever_its_session_row_says(member_client, member):
    member_client.get(DIRECTORY)
    type(member).objects.filter(pk=member.pk).update(is_active=False)  # no signal, no service
    response = member_client.get(DIRECTORY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_session_data_decides_who_is_signed_in_not_the_column(member_client, member):
    member_client.get(DIRECTORY)
    key = _key(member_client)
    other = MemberProfileFactory().user
    Session.objects.filter(session_key=key).update(user=other)  # a row that disagrees
    assert _signed_in_as(member_client.get("/about/")) == member.email
    Session.objects.filter(session_key=key).update(user=None)  # a row from before the column
    with CaptureQueriesContext(connection) as queries:
        assert _signed_in_as(member_client.get("/about/")) == member.email
    assert len(queries) == 2  # the session, then the account on its own


def test_deleting_an_account_deletes_its_sessions(member_client, member):
    member_client.get(DIRECTORY)
    key = _key(member_client)
    member.delete()
    assert not Session.objects.filter(session_key=key).exists()


def test_the_cookie_is_sent_again_only_when_the_session_is_saved(member_client):
    member_client.get(DIRECTORY)
    key = _key(member_client)
    fresh = member_client.get(DIRECTORY)
    assert settings.SESSION_COOKIE_NAME not in fresh.cookies
    margin = timedelta(seconds=settings.AIII_SESSION_REFRESH_SECONDS)
    stale = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE) - 2 * margin
    Session.objects.filter(session_key=key).update(expire_date=stale)
    refreshed = member_client.get(DIRECTORY)
    cookie = refreshed.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value == key and int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE


def test_live_sessions_of_the_old_table_are_kept(member):
    from django.apps import apps
    from django.contrib.sessions.models import Session as DjangoSession

    copy_live_sessions = import_module("aiii.migrations.0007_session_with_user").copy_live_sessions
    now = timezone.now()
    DjangoSession.objects.create(
        session_key="live-one", session_data="data", expire_date=now + timedelta(hours=1)
    )
    DjangoSession.objects.create(
        session_key="ended-one", session_data="data", expire_date=now - timedelta(hours=1)
    )
    copy_live_sessions(apps, SimpleNamespace(connection=connection))  # it needs only that
    assert list(Session.objects.values_list("session_key", "session_data", "user")) == [
        ("live-one", "data", None)
    ]
