"""Sessions end after inactivity and, whatever the activity, after an absolute lifetime;
signing in gives the session a new key."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from aiii.middleware import SESSION_STARTED_KEY
from aiii.models import Session
from tests.members.factories import DEMO_PASSWORD

# A page for any signed-in account; anonymous visitors are sent to sign in.
SIGNED_IN_PAGE = "/accounts/email/"
LOGIN_REDIRECT = f"/accounts/login/?next={SIGNED_IN_PAGE}"


def _session_key(client):
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _sign_in(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert not response["Location"].startswith("/accounts/login/")
    assert client.session[SESSION_KEY] == str(user.pk)
    return _session_key(client)


def _start_anonymous_session(client, **data):
    session = client.session
    session.update(data)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


def _set_started(client, seconds_ago):
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - seconds_ago
    session.save()


def test_the_default_lifetimes():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.AIII_SESSION_MAX_AGE == timedelta(days=14)
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_signing_in_rotates_the_session_key_and_stamps_the_start(client, member):
    before = _start_anonymous_session(client, language_hint="fr")
    signed_in_at = time.time()
    after = _sign_in(client, member)
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    data = Session.objects.get(session_key=after).get_decoded()
    assert data[SESSION_KEY] == str(member.pk)
    assert signed_in_at - 1 <= data[SESSION_STARTED_KEY] <= time.time()
    assert client.get(SIGNED_IN_PAGE).status_code == 200


@pytest.mark.django_db
def test_the_lifetime_counts_from_sign_in_not_from_what_the_session_carried(client, member):
    # login() keeps the anonymous session's data under the new key; the start is overwritten.
    _start_anonymous_session(client, **{SESSION_STARTED_KEY: time.time() - 20 * 86400})
    _sign_in(client, member)
    assert time.time() - client.session[SESSION_STARTED_KEY] < 5
    assert client.get(SIGNED_IN_PAGE).status_code == 200


@pytest.mark.django_db
def test_each_request_pushes_the_inactivity_expiry_forward(client, member):
    key = _sign_in(client, member)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get(SIGNED_IN_PAGE).status_code == 200
    expires = Session.objects.get(session_key=_session_key(client)).expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expires - expected).total_seconds()) < 10


@pytest.mark.django_db
def test_an_idle_session_has_expired(client, member):
    key = _sign_in(client, member)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(SIGNED_IN_PAGE)
    assert response.status_code == 302
    assert response["Location"] == LOGIN_REDIRECT


@pytest.mark.django_db
def test_an_active_session_ends_after_the_absolute_lifetime(client, member):
    _sign_in(client, member)
    _set_started(client, seconds_ago=settings.AIII_SESSION_MAX_AGE.total_seconds() - 60)
    assert client.get(SIGNED_IN_PAGE).status_code == 200

    _set_started(client, seconds_ago=settings.AIII_SESSION_MAX_AGE.total_seconds() + 1)
    response = client.get(SIGNED_IN_PAGE)
    assert response.status_code == 302
    assert response["Location"] == LOGIN_REDIRECT
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Your session has expired. Please sign in again." in page


@pytest.mark.django_db
def test_an_expired_session_still_sees_public_pages_as_a_visitor(client, member):
    _sign_in(client, member)
    _set_started(client, seconds_ago=settings.AIII_SESSION_MAX_AGE.total_seconds() + 1)
    page = client.get("/").content.decode()
    assert "Your session has expired. Please sign in again." in page
    # The header shows a visitor (the sign-in link), not the member; only the old "signed in"
    # message from the sign-in itself may still name them.
    assert f"Signed in as {member.email}" not in page
    assert 'class="button button-small">Sign in</a>' in page
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_session_without_a_start_is_stamped_on_its_first_request(client, member):
    client.force_login(member)
    session = client.session
    session.pop(SESSION_STARTED_KEY, None)
    session.save()
    assert client.get(SIGNED_IN_PAGE).status_code == 200
    assert time.time() - client.session[SESSION_STARTED_KEY] < 5


@pytest.mark.django_db
def test_the_absolute_lifetime_is_a_setting(client, member, settings):
    settings.AIII_SESSION_MAX_AGE = timedelta(hours=1)
    _sign_in(client, member)
    _set_started(client, seconds_ago=3601)
    assert client.get(SIGNED_IN_PAGE)["Location"] == LOGIN_REDIRECT
