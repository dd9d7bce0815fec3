"""Delegate registration and the secretariat's verification."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from aiii.errors import ServiceError
from aiii.models import AuditEntry, OutboxEmail
from annual_forum.models import Delegate, Delegation
from annual_forum.services.delegates import (
    delegate_register,
    delegate_reject,
    delegate_verify,
    delegation_create,
)
from tests.annual_forum.factories import member_state
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def _register(**overrides):
    fields = {
        "full_name": "Anna Keller",
        "email": "Anna.Keller@Mission.example.org",
        "password": "a long and unusual password",
        "delegation": member_state("CH"),
        "official_title": "First Secretary",
        "official_email": "anna.keller@eda.example.ch",
    }
    fields.update(overrides)
    return delegate_register(**fields)


def test_the_member_states_are_seeded():
    states = Delegation.objects.filter(kind=Delegation.Kind.MEMBER_STATE)
    assert states.count() == 196
    assert member_state("CH").name == "Switzerland"
    assert not states.filter(code="HK").exists()  # a territory, not a State


def test_registration_creates_a_pending_delegate_and_sends_the_confirmation():
    delegate = _register()
    assert delegate.status == Delegate.Status.PENDING
    assert delegate.user.email == "anna.keller@mission.example.org"
    assert delegate.user.profile.country == "CH"
    assert not delegate.user.groups.exists()
    assert EmailAddress.objects.get(user=delegate.user).verified is False
    (email,) = OutboxEmail.objects.all()
    assert email.to == ["anna.keller@mission.example.org"]
    assert "/accounts/confirm-email/" in email.body_text
    assert AuditEntry.objects.get(action="forum.delegate_register").target_id == str(delegate.pk)


def test_an_address_with_an_account_creates_nothing():
    UserFactory(email="taken@example.org")
    assert _register(email="taken@example.org") is None
    assert not Delegate.objects.exists()
    assert get_user_model().objects.filter(email="taken@example.org").count() == 1
    (email,) = OutboxEmail.objects.all()
    assert email.to == ["taken@example.org"]
    assert "already has an account" in email.body_text


def test_verification_needs_a_confirmed_address_then_grants_the_delegate_role(secretariat):
    delegate = _register()
    with pytest.raises(ServiceError) as refused:
        delegate_verify(delegate=delegate, by=secretariat, version=delegate.version)
    assert "not confirmed their email" in refused.value.message
    EmailAddress.objects.filter(user=delegate.user).update(verified=True)
    delegate = delegate_verify(delegate=delegate, by=secretariat, version=delegate.version)
    assert delegate.status == Delegate.Status.VERIFIED
    assert list(delegate.user.groups.values_list("name", flat=True)) == ["delegate"]
    assert AuditEntry.objects.filter(action="forum.delegate_verify").count() == 1
    email = OutboxEmail.objects.order_by("-pk").first()
    assert email.subject.endswith("You are verified as a delegate")


def test_rejection_needs_a_reason_and_is_emailed(secretariat):
    delegate = _register()
    with pytest.raises(ServiceError):
        delegate_reject(delegate=delegate, by=secretariat, version=delegate.version, reason=" ")
    delegate = delegate_reject(
        delegate=delegate, by=secretariat, version=delegate.version, reason="No mandate."
    )
    assert delegate.status == Delegate.Status.REJECTED
    email = OutboxEmail.objects.order_by("-pk").first()
    assert "No mandate." in email.body_text


def test_the_secretariat_accredits_observers_only(secretariat):
    observer = delegation_create(
        kind=Delegation.Kind.INTERGOVERNMENTAL, name="Regional Patent Office", by=secretariat
    )
    assert observer.kind == Delegation.Kind.INTERGOVERNMENTAL
    with pytest.raises(ServiceError):
        delegation_create(kind=Delegation.Kind.MEMBER_STATE, name="Atlantis", by=secretariat)
    with pytest.raises(ServiceError):
        delegation_create(
            kind=Delegation.Kind.INTERGOVERNMENTAL,
            name="regional patent office",
            by=secretariat,
        )
