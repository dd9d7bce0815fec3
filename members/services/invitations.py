"""Invitations of nominated experts: a single-use, expiring link to a pre-filled application."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aiii.audit import audit_record
from aiii.emails import normalise_email
from aiii.errors import ServiceError
from aiii.languages import served_language
from aiii.outbox import email_queue
from aiii.state import locked

from ..models import Invitation


def _comparable(email):
    try:
        return normalise_email(email)
    except ValidationError:
        return (email or "").strip().lower()


class InvitationError(ServiceError):
    """The invitation link cannot be used; `gone` tells used/expired (410) from unknown (404)."""

    def __init__(self, message, *, gone):
        super().__init__(message)
        self.gone = gone


class InvitationEmailMismatch(InvitationError):
    """The link is used with another address than the one it was sent to."""

    def __init__(self):
        super().__init__(
            _(
                "This invitation is for another email address. Apply with the address the "
                "invitation was sent to, or apply without the invitation."
            ),
            gone=False,
        )


def invitation_token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(*, by, full_name, email, note="", language=None):
    """Record an invitation and email its link; returns (invitation, token).

    Only the token's SHA-256 is stored: the link exists only in the email.
    """
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            full_name=full_name.strip(),
            email=email.strip().lower(),
            note=note.strip(),
            language=served_language(language or settings.LANGUAGE_CODE),
            token_hash=invitation_token_hash(token),
            created_by=by,
            expires_at=timezone.now() + timedelta(days=settings.AIII_INVITATION_DAYS),
        )
        audit_record(
            actor=by,
            action="invitation.create",
            target=invitation,
            data={"email": invitation.email},
        )
        email_queue(
            to=[invitation.email],
            template="members/email/invitation",
            context={
                "invitation": invitation,
                "inviter_name": getattr(getattr(by, "profile", None), "full_name", ""),
                "url": settings.AIII_SITE_URL + reverse("members:invitation", args=[token]),
                "days": settings.AIII_INVITATION_DAYS,
            },
            idempotency_key=f"invitation:{invitation.pk}",
            language=invitation.language,
            # The link holds the token: the row keeps no copy of it once sent.
            sensitive=True,
        )
    return invitation, token


def invitation_check(invitation, *, now=None):
    """Raise InvitationError unless `invitation` can still be used."""
    now = now or timezone.now()
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid."), gone=False)
    if invitation.used_at is not None:
        raise InvitationError(_("This invitation has already been used."), gone=True)
    if invitation.expires_at <= now:
        raise InvitationError(_("This invitation has expired."), gone=True)


def invitation_claim(*, token, email):
    """Lock the token's invitation and check it can be used by `email`; returns it, unused.

    The link is for the invited address only (compared case-insensitively): anyone else who
    holds it is refused with InvitationEmailMismatch. Call inside the transaction that creates
    the application, then invitation_mark_used, so a failed application leaves the invitation
    unused and two submissions of the same link cannot both use it.
    """
    try:
        invitation = locked(Invitation.objects, token_hash=invitation_token_hash(token))
    except Invitation.DoesNotExist:
        invitation = None
    invitation_check(invitation)
    if _comparable(email) != _comparable(invitation.email):
        raise InvitationEmailMismatch()
    return invitation


def invitation_mark_used(invitation):
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return invitation
