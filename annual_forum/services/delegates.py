"""Delegations (the secretariat's observer organisations) and delegates: registration,
verification, rejection."""

import hashlib

from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aiii.audit import audit_record
from aiii.errors import ServiceError
from aiii.outbox import email_queue
from aiii.permissions import DELEGATE_GROUP
from aiii.state import email_key, locked
from members.models import Profile
from members.selectors.accounts import account_email_taken
from members.services.accounts import account_create

from ..cache import public_changed
from ..files import pdf_check
from ..models import Delegate, Delegation

Status = Delegate.Status


def delegation_create(*, kind: int, name: str, by) -> Delegation:
    if kind not in Delegation.OBSERVER_KINDS:
        raise ServiceError(_("Member States come from the seeded list; add observers here."))
    name = name.strip()
    if Delegation.objects.filter(kind=kind, name__iexact=name).exists():
        raise ServiceError(_("This organisation is already accredited."))
    with transaction.atomic():
        delegation = Delegation.objects.create(kind=kind, name=name)
        audit_record(actor=by, action="forum.delegation_create", target=delegation)
    return delegation


def delegation_set_active(*, delegation: Delegation, active: bool, by) -> Delegation:
    with transaction.atomic():
        delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
        delegation.active = active
        delegation.save(update_fields=["active"])
        audit_record(
            actor=by,
            action="forum.delegation_update",
            target=delegation,
            data={"active": active},
        )
        public_changed()
    return delegation


def delegate_register(
    *,
    full_name: str,
    email: str,
    password: str,
    delegation: Delegation,
    official_title: str,
    official_email: str,
    credential_letter=None,
    language: str = "en",
) -> Delegate | None:
    """An account, a profile and a pending delegate registration, and the verification email.

    Returns None when the address already has an account: nothing is created and the owner is
    told by email, so the answer to the visitor is the same either way.
    """
    email = email.strip().lower()
    credential_sha256 = pdf_check(credential_letter) if credential_letter else ""
    if not delegation.active:
        raise ServiceError(_("This delegation is not accredited."))
    with transaction.atomic():
        user = _new_account(email=email, password=password, full_name=full_name)
        if user is None:
            return None
        Profile.objects.create(
            user=user,
            full_name=full_name.strip(),
            organisation=delegation.name,
            country=delegation.code if delegation.kind == Delegation.Kind.MEMBER_STATE else "",
            status=Profile.Status.NONE,
            language=language,
        )
        delegate = Delegate(
            user=user,
            delegation=delegation,
            full_name=full_name.strip(),
            official_title=official_title.strip(),
            official_email=official_email.strip().lower(),
            credential_letter_sha256=credential_sha256,
        )
        if credential_letter:
            delegate.credential_letter.save(
                f"{credential_sha256[:16]}.pdf", credential_letter, save=False
            )
        delegate.save()
        audit_record(actor=user, action="forum.delegate_register", target=delegate)
        address = EmailAddress.objects.get(user=user)
        EmailConfirmationHMAC(address).send(request=None, signup=True)
    return delegate


def _new_account(*, email, password, full_name):
    if not account_email_taken(email):
        try:
            with transaction.atomic():
                return account_create(email=email, password=password, full_name=full_name)
        except IntegrityError:
            pass
    make_password(password)  # the same time as a real registration
    hour = timezone.now().strftime("%Y%m%d%H")
    digest = hashlib.sha256(email.encode()).hexdigest()[:24]
    email_queue(
        to=[email],
        template="annual_forum/email/registration_duplicate",
        context={},
        idempotency_key=f"forum-registration-duplicate:{digest}:{hour}",
    )
    return None


def _email_delegate(delegate: Delegate, *, event: str, context: dict | None = None) -> None:
    profile = getattr(delegate.user, "profile", None)
    email_queue(
        to=[delegate.user.email],
        template=f"annual_forum/email/delegate_{event}",
        context={"delegate": delegate, **(context or {})},
        idempotency_key=email_key(delegate, event, recipient=delegate.user),
        language=profile.language if profile else None,
    )


def delegate_verify(*, delegate: Delegate, by, version: int) -> Delegate:
    with transaction.atomic():
        delegate = locked(
            Delegate.objects.select_related("user", "delegation"),
            delegate.pk,
            version=version,
            allowed=(Status.PENDING, Status.REJECTED),
        )
        if not EmailAddress.objects.filter(user=delegate.user, verified=True).exists():
            raise ServiceError(
                _("%(name)s has not confirmed their email address yet.")
                % {"name": delegate.full_name}
            )
        delegate.status = Status.VERIFIED
        delegate.decided_at = timezone.now()
        delegate.decided_by = by
        delegate.rejection_reason = ""
        delegate.bump_version()
        delegate.save()
        delegate.user.groups.add(Group.objects.get_or_create(name=DELEGATE_GROUP)[0])
        audit_record(actor=by, action="forum.delegate_verify", target=delegate)
        _email_delegate(delegate, event="verified")
    return delegate


def delegate_reject(*, delegate: Delegate, by, version: int, reason: str) -> Delegate:
    if not reason.strip():
        raise ServiceError(_("A reason is required."))
    with transaction.atomic():
        delegate = locked(
            Delegate.objects.select_related("user", "delegation"),
            delegate.pk,
            version=version,
            allowed=(Status.PENDING, Status.VERIFIED),
        )
        delegate.status = Status.REJECTED
        delegate.decided_at = timezone.now()
        delegate.decided_by = by
        delegate.rejection_reason = reason.strip()
        delegate.bump_version()
        delegate.save()
        delegate.user.groups.remove(*Group.objects.filter(name=DELEGATE_GROUP))
        audit_record(actor=by, action="forum.delegate_reject", target=delegate, reason=reason)
        _email_delegate(delegate, event="rejected", context={"reason": reason.strip()})
    return delegate
