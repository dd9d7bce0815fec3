"""Look-alike addresses (issue 11, security 2): one normal form wherever an address enters."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model

from aiii.models import OutboxEmail
from members.models import Invitation, MembershipApplication
from tests.members.factories import DEMO_PASSWORD, MemberProfileFactory, UserFactory
from tests.members.test_views_apply import form_data

HIDDEN = (
    "This email address contains invisible or text-direction characters (for example a "
    "zero-width space). Type the address again instead of pasting it."
)


@pytest.fixture
def alice(db):
    return MemberProfileFactory(user__email="alice@example.org").user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lookalike",
    [
        "alice@example.org\u200b",  # zero-width space: mail encoding drops it
        "alice@example.org\u202e",  # right-to-left override
        "alice@exa\u2066mple.org",  # left-to-right isolate
    ],
)
def test_apply_refuses_an_address_with_hidden_characters(client, alice, lookalike):
    users = get_user_model().objects.count()

    response = client.post("/apply/", form_data(email=lookalike))

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [HIDDEN]
    assert get_user_model().objects.count() == users
    assert not MembershipApplication.objects.exists()
    assert not OutboxEmail.objects.exists()


@pytest.mark.django_db
def test_apply_refuses_a_domain_with_sharp_s(client):
    # IDNA 2003, which Django's mail encoding uses, sends straße.de to strasse.de.
    MemberProfileFactory(user__email="hans@strasse.de")
    users = get_user_model().objects.count()

    response = client.post("/apply/", form_data(email="hans@straße.de"))

    assert response.status_code == 400
    (error,) = response.context["form"].errors["email"]
    assert error.startswith("The domain of this email address (after the @) contains a letter")
    assert get_user_model().objects.count() == users
    assert not OutboxEmail.objects.exists()


@pytest.mark.django_db
def test_apply_with_a_full_width_domain_is_the_existing_address(client, alice):
    users = get_user_model().objects.count()

    response = client.post("/apply/", form_data(email="alice@ｅｘａｍｐｌｅ.org"))

    # Answered like any duplicate: no second account, and the owner only hears of the attempt.
    assert response.status_code == 302
    assert get_user_model().objects.count() == users
    assert not MembershipApplication.objects.exists()
    (notice,) = OutboxEmail.objects.all()
    assert notice.to == ["alice@example.org"]
    assert notice.subject == "[AIII Exchange] Someone tried to apply with your email address"


@pytest.mark.django_db
def test_apply_stores_the_normal_form(client):
    client.post("/apply/", form_data(email="Grace@Müller.de"))

    application = MembershipApplication.objects.get()
    assert application.email == "grace@xn--mller-kva.de"
    assert application.user.email == "grace@xn--mller-kva.de"
    assert list(EmailAddress.objects.values_list("email", flat=True)) == ["grace@xn--mller-kva.de"]
    (verification,) = OutboxEmail.objects.all()
    assert verification.to == ["grace@xn--mller-kva.de"]


@pytest.mark.django_db
def test_adding_a_lookalike_address_at_accounts_email_is_refused(client, alice):
    mallory = UserFactory(email="mallory@example.org")
    client.force_login(mallory)

    response = client.post(
        "/accounts/email/", {"action_add": "", "email": "alice@example.org\u200b"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [HIDDEN]
    assert list(EmailAddress.objects.filter(user=mallory).values_list("email", flat=True)) == [
        "mallory@example.org"
    ]
    assert not OutboxEmail.objects.exists()


@pytest.mark.django_db
def test_added_address_is_stored_in_its_normal_form(client):
    user = UserFactory(email="grace@example.org")
    client.force_login(user)

    client.post("/accounts/email/", {"action_add": "", "email": "Grace@ｅｘａｍｐｌｅ.net"})

    added = EmailAddress.objects.get(user=user, primary=False)
    assert (added.email, added.verified) == ("grace@example.net", False)
    (verification,) = OutboxEmail.objects.all()
    assert verification.to == ["grace@example.net"]


@pytest.mark.django_db
def test_password_reset_goes_to_the_normal_form_of_the_address(client, alice):
    client.post("/accounts/password/reset/", {"email": "ALICE@ｅｘａｍｐｌｅ.org"})

    (reset,) = OutboxEmail.objects.all()
    assert reset.to == ["alice@example.org"]
    assert "/accounts/password/reset/key/" in reset.body_text


@pytest.mark.django_db
def test_password_reset_refuses_a_lookalike(client, alice):
    response = client.post("/accounts/password/reset/", {"email": "alice@example.org\u200b"})

    assert response.context["form"].errors["email"] == [HIDDEN]
    assert not OutboxEmail.objects.exists()


@pytest.mark.django_db
def test_sign_in_looks_the_account_up_by_the_normal_form(client, alice):
    refused = client.post(
        "/accounts/login/", {"login": "alice@example.org\u200b", "password": DEMO_PASSWORD}
    )
    assert refused.context["form"].errors["login"] == [HIDDEN]
    assert "_auth_user_id" not in client.session

    response = client.post(
        "/accounts/login/", {"login": "alice@ｅｘａｍｐｌｅ.org", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(alice.pk)
    assert not OutboxEmail.objects.exists()


@pytest.mark.django_db
def test_invitation_refuses_a_lookalike_and_knows_the_existing_address(secretariat_client, alice):
    hidden = secretariat_client.post(
        "/secretariat/invitations/new/",
        {"full_name": "Alice", "email": "alice@example.org\u200b", "note": ""},
    )
    assert hidden.context["form"].errors["email"] == [HIDDEN]

    wide = secretariat_client.post(
        "/secretariat/invitations/new/",
        {"full_name": "Alice", "email": "alice@ｅｘａｍｐｌｅ.org", "note": ""},
    )
    assert wide.context["form"].errors["email"] == [
        "An account with this email address already exists."
    ]
    assert not Invitation.objects.exists()
    assert not OutboxEmail.objects.exists()


@pytest.mark.django_db
def test_the_migration_normalises_addresses_stored_before(client):
    migration = importlib.import_module("members.migrations.0008_normalise_stored_emails")
    idn = MemberProfileFactory(user__email="grace@müller.de").user
    lookalike = UserFactory(email="alice@example.org\u200b")
    MemberProfileFactory(user__email="taken@example.org")
    collision = UserFactory(email="Taken@ｅｘａｍｐｌｅ.org")

    migration.normalise_stored_emails(django_apps, None)

    idn.refresh_from_db()
    assert idn.email == "grace@xn--mller-kva.de"
    assert EmailAddress.objects.get(user=idn).email == "grace@xn--mller-kva.de"
    lookalike.refresh_from_db()
    assert lookalike.email == "alice@example.org\u200b"  # no normal form: left, cannot sign in
    collision.refresh_from_db()
    assert collision.email == "Taken@ｅｘａｍｐｌｅ.org"  # its normal form belongs to another

    # The owner of the internationalised address signs in by typing it as before.
    response = client.post(
        "/accounts/login/", {"login": "grace@müller.de", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == "/"
