"""Sign-in is rate limited (allauth's limits, kept in the cache: Redis in production)."""

import pytest
from django.urls import reverse

from tests.factories import DEMO_PASSWORD, MemberProfileFactory


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client):
    member = MemberProfileFactory(user__email="target@example.org").user
    login = reverse("account_login")
    for _ in range(5):
        response = client.post(login, {"login": member.email, "password": "wrong-guess-123"})
        assert "The email address and/or password you specified are not correct." in (
            response.content.decode()
        )

    # Even the right password is refused now: guessing has to stop.
    response = client.post(login, {"login": member.email, "password": DEMO_PASSWORD})
    page = response.content.decode()
    assert "Too many failed login attempts. Try again later." in page
    assert "_auth_user_id" not in client.session

    # Another account is not affected by the first one's lock.
    other = MemberProfileFactory(user__email="other@example.org").user
    response = client.post(login, {"login": other.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


@pytest.mark.django_db
def test_the_sign_in_message_names_the_address_not_the_internal_username(client):
    member = MemberProfileFactory(user__email="named@example.org", user__username="u-81723").user
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": DEMO_PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert "Successfully signed in as named@example.org." in page
    assert "u-81723" not in page
