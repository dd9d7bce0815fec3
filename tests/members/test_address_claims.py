"""An unverified address someone else added must not block its owner (issue 11, security 4)."""

import re

import pytest
from allauth.account.models import EmailAddress

from aiii.models import AuditEntry, OutboxEmail
from members.models import MembershipApplication
from members.selectors.accounts import account_email_taken
from tests.members.factories import ApplicationFactory, UserFactory
from tests.members.test_views_apply import form_data

Status = MembershipApplication.Status
pytestmark = pytest.mark.django_db


def test_only_a_verified_address_or_an_applicants_address_takes_it():
    squatter = UserFactory(email="squatter@example.org")
    EmailAddress.objects.create(user=squatter, email="claimed@example.org", verified=False)
    EmailAddress.objects.create(user=squatter, email="proven@example.org", verified=True)
    applicant = ApplicationFactory(user__email="applicant@example.org", user__verified=False)

    assert not account_email_taken("claimed@example.org")
    assert account_email_taken("proven@example.org")
    assert account_email_taken("squatter@example.org")  # an account's login address
    assert account_email_taken("applicant@example.org")  # unverified, but applied with
    assert not EmailAddress.objects.get(user=applicant.user).verified


def test_an_address_claimed_at_accounts_email_does_not_block_its_owner(client):
    squatter = UserFactory(email="x@example.org")
    client.force_login(squatter)
    client.post("/accounts/email/", {"action_add": "", "email": "bob-real@example.org"})
    assert EmailAddress.objects.filter(user=squatter, email="bob-real@example.org").exists()
    client.logout()
    (claim_email,) = OutboxEmail.objects.all()  # reaches the real owner, for the squatter
    claim_link = re.search(r"/accounts/confirm-email/[^/\s]+/", claim_email.body_text).group(0)
    claim_email.delete()

    response = client.post("/apply/", form_data(email="bob-real@example.org"))

    assert response.status_code == 302
    application = MembershipApplication.objects.get()
    assert (application.email, application.status) == ("bob-real@example.org", Status.UNVERIFIED)
    assert list(EmailAddress.objects.filter(email="bob-real@example.org").values_list("user")) == [
        (application.user_id,)
    ]
    assert list(EmailAddress.objects.filter(user=squatter).values_list("email", flat=True)) == [
        "x@example.org"
    ]
    (verification,) = OutboxEmail.objects.all()
    assert verification.to == ["bob-real@example.org"]
    assert "Someone tried to apply" not in verification.subject
    entry = AuditEntry.objects.get(action="account.address_claim_removed")
    assert (entry.target_id, entry.data) == (str(squatter.pk), {"email": "bob-real@example.org"})

    # The link of the removed claim confirms nothing any more; the owner's link confirms the
    # address and puts the application in the queue.
    client.post(claim_link)
    assert not EmailAddress.objects.filter(verified=True, email="bob-real@example.org").exists()
    path = re.search(r"/accounts/confirm-email/[^/\s]+/", verification.body_text).group(0)
    client.post(path)
    application.refresh_from_db()
    assert application.status == Status.PENDING
    assert EmailAddress.objects.get(email="bob-real@example.org").verified


def test_an_applicants_unverified_address_still_blocks_a_second_application(client):
    ApplicationFactory(
        user__email="first@example.org", user__verified=False, status=Status.UNVERIFIED
    )

    client.post("/apply/", form_data(email="first@example.org"))

    assert MembershipApplication.objects.count() == 1
    (notice,) = OutboxEmail.objects.all()
    assert notice.to == ["first@example.org"]
    assert notice.subject == "[AIII Exchange] Someone tried to apply with your email address"


def test_an_applicant_or_member_cannot_block_someone_elses_address_either():
    # Every applicant and member has an application: only the address they applied with is
    # theirs, not any other they add unverified at /accounts/email/.
    squatter = ApplicationFactory(user__email="pending@example.org").user
    EmailAddress.objects.create(user=squatter, email="victim@example.org", verified=False)

    assert not account_email_taken("victim@example.org")
    assert account_email_taken("pending@example.org")
