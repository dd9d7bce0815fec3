from datetime import timedelta

import pytest
from django.utils import timezone

from aiii.models import Session
from aiii.schedules import BEAT_SCHEDULE
from members.models import UserSession
from members.tasks import forget_ended_sessions


@pytest.mark.django_db
def test_forgetting_ended_sessions_keeps_the_live_ones(member_client, member):
    member_client.get("/members/")
    live = UserSession.objects.get(user=member)
    gone = UserSession.objects.create(user=member, session_key="signed-out-long-ago")
    expired_key = "expired-session-key"
    Session.objects.create(
        session_key=expired_key, session_data="", expire_date=timezone.now() - timedelta(hours=1)
    )
    UserSession.objects.create(user=member, session_key=expired_key)

    assert forget_ended_sessions() == 2

    assert list(UserSession.objects.values_list("pk", flat=True)) == [live.pk]
    assert not UserSession.objects.filter(pk=gone.pk).exists()
    assert {entry["task"] for entry in BEAT_SCHEDULE.values()} >= {"members.forget_ended_sessions"}


@pytest.mark.django_db
def test_a_session_is_recorded_at_sign_in_and_ends_with_a_suspension(client, member, secretariat):
    from django.conf import settings as django_settings

    from members.services.people import membership_reinstate, membership_suspend
    from tests.members.factories import DEMO_PASSWORD

    response = client.post("/accounts/login/", {"login": member.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    # Recorded by the sign-in itself: no further request was made.
    assert list(UserSession.objects.values_list("user", "session_key")) == [(member.pk, key)]

    membership_suspend(profile=member.profile, by=secretariat, reason="Under review.")
    membership_reinstate(profile=member.profile, by=secretariat, reason="Cleared.")

    assert not Session.objects.filter(session_key=key).exists()
    response = client.get("/members/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/members/",
    )


def test_a_password_change_records_the_new_session_key_at_once(client, member, secretariat):
    from django.conf import settings as django_settings

    from members.services.people import membership_reinstate, membership_suspend
    from tests.members.factories import DEMO_PASSWORD

    client.post("/accounts/login/", {"login": member.email, "password": DEMO_PASSWORD})
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": DEMO_PASSWORD,
            "password1": "another-long-and-unusual-passphrase-77",
            "password2": "another-long-and-unusual-passphrase-77",
        },
    )
    assert response.status_code == 302
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    # The password change gave the session a new key; it is recorded with no further request.
    assert UserSession.objects.filter(user=member, session_key=key).exists()

    membership_suspend(profile=member.profile, by=secretariat, reason="Under review.")
    membership_reinstate(profile=member.profile, by=secretariat, reason="Cleared.")
    response = client.get("/members/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/members/")
