import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from aiii.models import AuditEntry, OutboxEmail
from members.models import ExpertiseArea, Invitation, MembershipApplication
from members.services.applications import application_submit
from members.services.invitations import (
    InvitationEmailMismatch,
    InvitationError,
    invitation_claim,
    invitation_create,
    invitation_mark_used,
)
from tests.members.factories import MemberProfileFactory


def use(*, token, email):
    return invitation_mark_used(invitation_claim(token=token, email=email))


def submit(token, email="nominee@example.org"):
    return application_submit(
        full_name="Nora Nominee",
        email=email,
        password="a-long-and-unusual-passphrase-42",
        organisation="Provenance Institute",
        stakeholder_group="academia",
        country="JP",
        expertise=list(ExpertiseArea.objects.all()[:1]),
        statement="Nominated.",
        declaration_of_interests="None.",
        invitation_token=token,
    )


@pytest.mark.django_db
def test_create_stores_only_the_hash_and_emails_the_link(secretariat):
    before = timezone.now()

    invitation, token = invitation_create(
        by=secretariat, full_name=" Nora Nominee ", email="Nominee@Example.org", note="Hi Nora."
    )

    invitation.refresh_from_db()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert (invitation.full_name, invitation.email, invitation.note) == (
        "Nora Nominee",
        "nominee@example.org",
        "Hi Nora.",
    )
    assert invitation.created_by == secretariat
    assert invitation.used_at is None
    assert before + timedelta(days=14) <= invitation.expires_at
    assert invitation.expires_at <= timezone.now() + timedelta(days=14)
    audit = AuditEntry.objects.get()
    assert (audit.action, audit.actor, audit.target_id) == (
        "invitation.create",
        secretariat,
        str(invitation.pk),
    )
    (email,) = OutboxEmail.objects.all()
    assert email.to == ["nominee@example.org"]
    assert email.idempotency_key == f"invitation:{invitation.pk}"
    assert f"http://testserver/apply/invitation/{token}/" in email.body_text
    assert "Hi Nora." in email.body_text
    assert f'href="http://testserver/apply/invitation/{token}/"' in email.body_html


@pytest.mark.django_db
def test_use_marks_used_once(secretariat):
    invitation, token = invitation_create(by=secretariat, full_name="N", email="n@example.org")

    assert use(token=token, email="n@example.org") == invitation
    invitation.refresh_from_db()
    assert invitation.used_at is not None

    with pytest.raises(InvitationError) as used:
        use(token=token, email="n@example.org")
    assert used.value.gone is True
    assert "already been used" in str(used.value.message)


@pytest.mark.django_db
def test_expired_and_unknown_tokens_are_refused(secretariat):
    invitation, token = invitation_create(by=secretariat, full_name="N", email="n@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())

    with pytest.raises(InvitationError) as expired:
        use(token=token, email="n@example.org")
    assert expired.value.gone is True
    assert "expired" in str(expired.value.message)
    with pytest.raises(InvitationError) as unknown:
        use(token="not-a-token", email="n@example.org")
    assert unknown.value.gone is False
    assert Invitation.objects.get().used_at is None


@pytest.mark.django_db
def test_an_application_from_the_link_is_nominated_and_uses_it(secretariat):
    invitation, token = invitation_create(
        by=secretariat, full_name="Nora", email="nominee@example.org"
    )

    application = submit(token)

    assert application.invitation == invitation
    assert application.is_nominated
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert AuditEntry.objects.get(action="application.submit").data == {"nominated": True}


@pytest.mark.django_db
def test_a_used_link_creates_nothing(secretariat):
    _invitation, token = invitation_create(by=secretariat, full_name="N", email="n@example.org")
    submit(token, email="n@example.org")

    with pytest.raises(InvitationError):
        submit(token, email="someone-else@example.org")

    assert MembershipApplication.objects.count() == 1
    assert not MembershipApplication.objects.filter(email="someone-else@example.org").exists()


@pytest.mark.django_db
def test_the_link_is_for_the_invited_address_only(secretariat):
    invitation, token = invitation_create(
        by=secretariat, full_name="Nora", email="nominee@example.org"
    )
    users_before = get_user_model().objects.count()

    with pytest.raises(InvitationEmailMismatch) as refused:
        submit(token, email="intruder@example.org")

    assert "This invitation is for another email address." in str(refused.value.message)
    assert get_user_model().objects.count() == users_before
    assert not MembershipApplication.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert not OutboxEmail.objects.exclude(idempotency_key=f"invitation:{invitation.pk}").exists()
    # Another address that has an account is refused the same way (the link tells nothing).
    MemberProfileFactory(user__email="member@example.org")
    with pytest.raises(InvitationEmailMismatch):
        submit(token, email="member@example.org")
    # The invited address, in any case, still works.
    application = submit(token, email="Nominee@Example.ORG")
    assert application.invitation == invitation
    invitation.refresh_from_db()
    assert invitation.used_at is not None
