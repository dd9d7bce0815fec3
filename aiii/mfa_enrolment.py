"""Enrolling a secretariat account's second factor with an operator-issued one-time code.

With AIII_SECRETARIAT_MFA=required, a secretariat account without a second factor can do
nothing but enrol one, and enrolling needs more than the password: a code that an operator
issues with `manage.py secretariat_mfa_code <email>` and hands over by a channel of their own.
The code is single-use, short-lived, stored only as a hash, and void after a few wrong tries.
Its correct entry is recorded in the session, which may then reach allauth's pages that add a
TOTP authenticator or a passkey (AccessMiddleware). `manage.py secretariat_mfa_reset <email>`
removes a lost second factor, so that a new code can be issued.
"""

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import audit_labels, audit_record
from .models import MfaEnrolmentGrant
from .permissions import has_mfa, is_secretariat

SESSION_KEY = "aiii_mfa_enrolment"
# No ambiguous characters (0/O, 1/I/L): the code is read out or typed from a message.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # about 59 bits
MAX_FAILED_ATTEMPTS = 5

# allauth's pages a secretariat account without a second factor may open once its session has
# entered a valid code: the overview, adding TOTP or a passkey, and the password confirmation
# allauth asks for before either.
ENROLMENT_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "account_reauthenticate",
    }
)

audit_labels.register(
    {
        "secretariat.mfa_code_issue": _("Second-factor enrolment code issued"),
        "secretariat.mfa_code_redeem": _("Second-factor enrolment code used"),
        "secretariat.mfa_code_void": _("Second-factor enrolment code voided after wrong tries"),
        "secretariat.mfa_reset": _("Second factor removed by the operator"),
    }
)


class EnrolmentGrantError(ValueError):
    """The operator asked for a code the account must not get."""


def _validity():
    return timedelta(minutes=settings.AIII_MFA_ENROLMENT_CODE_MINUTES)


def normalise_code(code):
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _hash(code):
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def format_code(code):
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def enrolment_grant_issue(*, user, by):
    """A new one-time code for `user`'s second-factor enrolment; returns (code, expires_at).

    Only a secretariat account without a second factor gets one. Any earlier code of the
    account that is still open stops working. `by` names the operator for the audit log.
    """
    if not user.is_active or not is_secretariat(user):
        raise EnrolmentGrantError(f"{user.email} is not an active secretariat account.")
    if has_mfa(user):
        raise EnrolmentGrantError(
            f"{user.email} already has a second factor. If it is lost, remove it first with "
            "`manage.py secretariat_mfa_reset`."
        )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = timezone.now()
    with transaction.atomic():
        MfaEnrolmentGrant.objects.filter(
            user=user, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        grant = MfaEnrolmentGrant.objects.create(
            user=user, code_hash=_hash(code), expires_at=now + _validity()
        )
        audit_record(
            actor=by,
            action="secretariat.mfa_code_issue",
            target=user,
            data={"expires_at": grant.expires_at.isoformat()},
        )
    return format_code(code), grant.expires_at


def enrolment_grant_redeem(*, user, code):
    """True when `code` is `user`'s open enrolment code, which is then used up.

    A wrong code counts against the open code; after MAX_FAILED_ATTEMPTS it stops working and
    the operator has to issue another.
    """
    now = timezone.now()
    with transaction.atomic():
        grant = (
            MfaEnrolmentGrant.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if grant is None:
            return False
        if hmac.compare_digest(grant.code_hash, _hash(code)):
            grant.used_at = now
            grant.save(update_fields=["used_at"])
            audit_record(actor=user, action="secretariat.mfa_code_redeem", target=user)
            return True
        grant.failed_attempts += 1
        update_fields = ["failed_attempts"]
        if grant.failed_attempts >= MAX_FAILED_ATTEMPTS:
            grant.expires_at = now
            update_fields.append("expires_at")
            audit_record(
                actor=user,
                action="secretariat.mfa_code_void",
                target=user,
                reason=f"{MAX_FAILED_ATTEMPTS} wrong codes entered",
            )
        grant.save(update_fields=update_fields)
    return False


def second_factor_reset(*, user, by, reason=""):
    """Remove every second factor of `user` (authenticator app, recovery codes, passkeys);
    returns the types removed. For a lost device: the operator then issues a new code."""
    from allauth.mfa.models import Authenticator

    with transaction.atomic():
        authenticators = Authenticator.objects.filter(user=user)
        types = sorted({a.type for a in authenticators})
        authenticators.delete()
        audit_record(
            actor=by,
            action="secretariat.mfa_reset",
            target=user,
            reason=reason,
            data={"removed": types},
        )
    return types


def session_grant(request):
    """Record in the session that its user entered a valid enrolment code just now."""
    request.session[SESSION_KEY] = {
        "user": request.user.pk,
        "until": time.time() + _validity().total_seconds(),
    }


def session_has_grant(request):
    """Did this session's user enter a valid enrolment code, not too long ago?"""
    grant = request.session.get(SESSION_KEY)
    return (
        isinstance(grant, dict)
        and grant.get("user") == request.user.pk
        and time.time() < grant.get("until", 0)
    )
