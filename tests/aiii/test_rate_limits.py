"""Sign-in is rate limited (allauth's limits, kept in the cache: Redis in production)."""

import pytest
from django.urls import reverse

from tests.members.factories import DEMO_PASSWORD, MemberProfileFactory


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


WRONG = "The email address and/or password you specified are not correct."
LOCKED = "Too many failed login attempts. Try again later."


def _attempt(client, email, password, ip):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.django_db
def test_failures_from_one_place_do_not_lock_the_owner_out_elsewhere(client):
    member = MemberProfileFactory(user__email="target@example.org").user
    for _ in range(5):
        assert (
            WRONG in _attempt(client, member.email, "wrong-guess-123", "192.0.2.1").content.decode()
        )
    # The guesser's place is locked, even with the right password...
    assert LOCKED in _attempt(client, member.email, DEMO_PASSWORD, "192.0.2.1").content.decode()
    assert "_auth_user_id" not in client.session

    # ...while the owner, elsewhere, signs in.
    response = _attempt(client, member.email, DEMO_PASSWORD, "198.51.100.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


@pytest.mark.django_db
def test_guessing_from_many_places_still_hits_a_ceiling_per_account(client):
    member = MemberProfileFactory(user__email="target@example.org").user
    # 20 places, each at its limit of 5 failures: the account's ceiling of 100 an hour.
    for place in range(20):
        for _ in range(5):
            page = _attempt(client, member.email, "wrong-guess-123", f"203.0.113.{place}")
            assert WRONG in page.content.decode(), place
    page = _attempt(client, member.email, DEMO_PASSWORD, "198.51.100.7").content.decode()
    assert LOCKED in page
    assert "_auth_user_id" not in client.session
    # Other accounts are not affected.
    other = MemberProfileFactory(user__email="other@example.org").user
    assert _attempt(client, other.email, DEMO_PASSWORD, "198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_a_right_password_does_not_count_towards_the_limits(client):
    member = MemberProfileFactory(user__email="target@example.org").user
    for _ in range(4):
        _attempt(client, member.email, "wrong-guess-123", "192.0.2.1")
    for _ in range(3):
        assert _attempt(client, member.email, DEMO_PASSWORD, "192.0.2.1").status_code == 302
        client.post(reverse("account_logout"))
    # One failure left for this place: the successes used none of it.
    assert WRONG in _attempt(client, member.email, "wrong-guess-123", "192.0.2.1").content.decode()
    assert LOCKED in _attempt(client, member.email, DEMO_PASSWORD, "192.0.2.1").content.decode()


@pytest.mark.django_db
def test_a_password_reset_lifts_the_ceiling_but_not_the_guessers_lock(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    import re

    member = MemberProfileFactory(user__email="target@example.org").user
    for place in range(20):
        for _ in range(5):
            _attempt(client, member.email, "wrong-guess-123", f"203.0.113.{place}")
    owner = "198.51.100.7"
    assert LOCKED in _attempt(client, member.email, DEMO_PASSWORD, owner).content.decode()

    # The owner resets the password from their own place.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member.email}, REMOTE_ADDR=owner)
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body)
    form_url = client.get(link.group(1), REMOTE_ADDR=owner)["Location"]
    new_password = "a-new-password-2026"
    response = client.post(
        form_url, {"password1": new_password, "password2": new_password}, REMOTE_ADDR=owner
    )
    assert response.status_code == 302

    # A guesser's place stays locked; the owner signs in.
    assert LOCKED in _attempt(client, member.email, new_password, "203.0.113.0").content.decode()
    response = _attempt(client, member.email, new_password, owner)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
