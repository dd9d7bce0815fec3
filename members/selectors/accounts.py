"""Reads about accounts: whether an address is taken, and by whom."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser as User
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from aiii.emails import normalise_email


def _comparable(email):
    """The normal form every stored address has (aiii.emails); an address without one can
    match only a row stored before normalisation, compared as it is."""
    try:
        return normalise_email(email)
    except ValidationError:
        return (email or "").strip().lower()


def account_email_taken(email: str) -> bool:
    """Whether an account holds `email`: as its login, as a verified address, or as the address
    an account applied for membership with.

    Any other unverified address added at /accounts/email/ is only a claim: anyone signed in,
    an applicant or a member included, can make one, so it must not block the owner of the
    address (account_create removes it when the owner's account is made).
    """
    email = _comparable(email)
    User = get_user_model()
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).filter(_holds(email)).exists()
    )


def _holds(email):
    return Q(verified=True) | Q(user__membership_application__email__iexact=email)


def account_email_claims(email: str) -> QuerySet:
    """The addresses that hold `email` without taking it (see account_email_taken)."""
    email = _comparable(email)
    return (
        EmailAddress.objects.filter(email__iexact=email)
        .exclude(_holds(email))
        .exclude(user__email__iexact=email)
    )


def account_owner(email: str) -> User | None:
    """The user owning `email`, or None."""
    email = _comparable(email)
    User = get_user_model()
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        return address.user
    return User.objects.filter(email__iexact=email).first()
