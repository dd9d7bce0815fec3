"""Accounts: creating the django User and allauth EmailAddress behind an application.

Reads about accounts are in members.selectors.accounts.
"""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser as User
from django.utils.crypto import get_random_string

from aiii.audit import audit_record
from aiii.emails import normalise_email

from ..selectors.accounts import account_email_claims


def _unique_username(email):
    User = get_user_model()
    base = re.sub(r"[^\w.+-]", "", email.split("@", 1)[0].lower())[:30] or "user"
    candidate = base
    while User.objects.filter(username__iexact=candidate).exists():
        candidate = f"{base}-{get_random_string(6, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return candidate


def account_create(*, email: str, password: str, full_name: str = "") -> User:
    """A new, active account whose email address is not yet verified.

    Call inside the transaction that creates what the account is for, after
    members.selectors.accounts.account_email_taken said no; the password must already have passed
    the validators (the form does that). Another account's unverified claim on the address (added
    at /accounts/email/, never confirmed) gives way: the owner of the address is here.
    """
    User = get_user_model()
    email = normalise_email(email)
    for claim in account_email_claims(email).select_related("user"):
        audit_record(
            actor=None,
            action="account.address_claim_removed",
            target=claim.user,
            data={"email": claim.email},
        )
        claim.delete()
    first, _, last = full_name.strip().partition(" ")
    user = User(
        username=_unique_username(email),
        email=email,
        first_name=first[:150],
        last_name=last[:150],
    )
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user
