"""allauth's emails: links on AIII_SITE_URL whatever the request's Host header says."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.members.factories import MemberProfileFactory, UserFactory

FORGED_HOST = "127.0.0.1:6666"


@pytest.fixture
def forged_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, FORGED_HOST]
    settings.AIII_SITE_URL = "https://exchange.example.org"
    return FORGED_HOST


def _links(body):
    return re.findall(r"https?://\S+", body)


@pytest.mark.django_db
def test_the_password_reset_link_ignores_the_host_header(
    client, forged_host, django_capture_on_commit_callbacks
):
    user = UserFactory(email="forgetful@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": user.email}, HTTP_HOST=forged_host
        )
    assert response.status_code == 302

    body = mail.outbox[0].body
    links = _links(body)
    assert links, body
    assert all(link.startswith("https://exchange.example.org/") for link in links), links
    assert [link for link in links if "/accounts/password/reset/key/" in link]
    assert "6666" not in body


@pytest.mark.django_db
def test_the_confirmation_link_ignores_the_host_header(
    client, forged_host, django_capture_on_commit_callbacks
):
    member = MemberProfileFactory().user
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_email"),
            {"action_add": "", "email": "second@example.org"},
            HTTP_HOST=forged_host,
        )
    assert response.status_code == 302

    sent = [m for m in mail.outbox if m.to == ["second@example.org"]]
    assert len(sent) == 1
    links = _links(sent[0].body)
    assert [link for link in links if "/accounts/confirm-email/" in link], sent[0].body
    assert all(link.startswith("https://exchange.example.org/") for link in links), links
    assert "6666" not in sent[0].body


@pytest.mark.django_db
def test_a_reset_for_an_unknown_address_points_to_the_application_not_the_closed_signup(
    client, forged_host, settings, django_capture_on_commit_callbacks
):
    settings.AIII_CONTACT_EMAIL = "secretariat@exchange.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"),
            {"email": "nobody@example.org"},
            HTTP_HOST=forged_host,
        )
    assert response.status_code == 302

    (sent,) = mail.outbox
    assert sent.to == ["nobody@example.org"]
    assert sent.subject == "[AIII Exchange] No AIII Exchange account uses this address"
    assert _links(sent.body) == [
        "https://exchange.example.org/apply/",
        "https://exchange.example.org",
    ]
    assert reverse("account_signup") not in sent.body
    assert "nobody@example.org. No account uses this address" in sent.body
    assert "write to the secretariat at secretariat@exchange.example.org." in sent.body
    assert sent.body.startswith("Hello,\n\nSomeone, perhaps you, asked AIII Exchange")
