"""Reads about accounts: whether an address is taken, and by whom."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from aiii.emails import normalise_email


def _comparable(email):
    """The normal form every stored address has (aiii.emails); an address without one can
    match only a row stored before normalisation, compared as it is."""
    try:
        return normalise_email(email)
    except ValidationError:
        return (email or "").strip().lower()


def account_email_taken(email):
    """Whether any account already uses `email` (as its login or as an allauth address)."""
    email = _comparable(email)
    User = get_user_model()
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def account_owner(email):
    """The user owning `email`, or None."""
    email = _comparable(email)
    User = get_user_model()
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        return address.user
    return User.objects.filter(email__iexact=email).first()
