"""What the access table (tests/access_table.py) assumes of its world, and the secretariat's
second factor on its pages."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from aiii.models import Session
from members.models import Profile
from tests.members.factories import SecretariatProfileFactory

pytestmark = pytest.mark.django_db


def test_the_world_is_what_the_table_assumes(world):
    users = world["users"]
    assert users["suspended"].profile.status == Profile.Status.SUSPENDED
    assert users["suspended"].is_active is False
    # Signed out everywhere: the session opened before the suspension is gone.
    assert not Session.objects.filter(session_key=world["suspended_session"]).exists()
    assert users["applicant"].profile.status == Profile.Status.APPLICANT
    assert set(users["delegate"].groups.values_list("name", flat=True)) == {"delegate"}


def test_secretariat_without_a_second_factor_is_sent_to_set_one_up(client):
    user = SecretariatProfileFactory().user
    client.force_login(user)
    for name in ("secretariat:dashboard", "secretariat:members", "secretariat:audit_log"):
        response = client.get(reverse(name))
        assert (response.status_code, response["Location"]) == (
            302,
            reverse("secretariat:mfa_enrolment"),
        ), name
    TOTP.activate(user, generate_totp_secret())
    assert client.get(reverse("secretariat:dashboard")).status_code == 200
