"""Membership applications: submission, email verification, the secretariat's decisions.

Every decision locks the application row, checks its state and the version the deciding page
was rendered with (aiii.state.locked), and writes the event, the audit entry and the
applicant's email in one transaction: two people deciding at once, or a decision from a stale
page, is refused with a Conflict.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser as User
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aiii.audit import audit_record
from aiii.emails import normalise_email
from aiii.errors import InvalidState, ServiceError
from aiii.outbox import email_queue
from aiii.permissions import MEMBER_GROUP
from aiii.state import email_key, locked

from ..models import ApplicationEvent, MembershipApplication, Profile
from ..selectors.accounts import account_email_taken, account_owner
from .accounts import account_create
from .invitations import invitation_claim, invitation_mark_used

Status = MembershipApplication.Status
Kind = ApplicationEvent.Kind

# What an applicant may change when asked for more information.
AMENDABLE_FIELDS = (
    "organisation",
    "stakeholder_group",
    "country",
    "statement",
    "public_profile_url",
    "declaration_of_interests",
)


def _language(user):
    profile = getattr(user, "profile", None)
    return profile.language if profile is not None else None


def _email_applicant(application, *, template, context=None):
    email_queue(
        to=[application.email],
        template=template,
        context={"application": application, **(context or {})},
        # The new version makes each decision's email distinct, and a retried call the same.
        idempotency_key=email_key(application, template.rsplit("/", 1)[-1]),
        language=_language(application.user),
    )


def application_submit(
    *,
    full_name: str,
    email: str,
    password: str,
    organisation: str,
    stakeholder_group: str,
    country: str,
    expertise: Iterable,
    statement: str,
    declaration_of_interests: str,
    public_profile_url: str = "",
    language: str = "en",
    invitation_token: str | None = None,
) -> MembershipApplication | None:
    """Create the account, profile and application, and send the verification email.

    Returns the application, or None when the address already has an account: then nothing is
    created and the owner of the address is told instead, so the response to the visitor is the
    same either way (no account enumeration).
    With `invitation_token`, raises InvitationError when the link cannot be used, and
    InvitationEmailMismatch when `email` is not the invited address; nothing is created then.
    """
    email = normalise_email(email)  # the form did it already; a script may not have
    with transaction.atomic():
        # The invitation first: whoever holds a link must not learn from the answer whether
        # some other address has an account. It is marked used only with the application.
        invitation = (
            invitation_claim(token=invitation_token, email=email) if invitation_token else None
        )
        user = _account_for_application(email=email, password=password, full_name=full_name)
        if user is None:
            return None
        if invitation is not None:
            invitation_mark_used(invitation)
        application = _application_create(
            user=user,
            email=email,
            full_name=full_name,
            organisation=organisation,
            stakeholder_group=stakeholder_group,
            country=country,
            expertise=expertise,
            statement=statement,
            declaration_of_interests=declaration_of_interests,
            public_profile_url=public_profile_url,
            language=language,
            invitation=invitation,
        )
        _send_verification(user)
    return application


def _account_for_application(*, email, password, full_name):
    """A new account for the address, or None (the owner told) when it has one already."""
    if account_email_taken(email):
        _refuse_as_duplicate(email=email, password=password)
        return None
    try:
        with transaction.atomic():
            return account_create(email=email, password=password, full_name=full_name)
    except IntegrityError:
        # Two applications with one address at the same moment: the unique index on the
        # address let one through; this one is answered like any duplicate.
        _refuse_as_duplicate(email=email, password=password)
        return None


def _refuse_as_duplicate(*, email, password):
    # Hash anyway so the answer takes as long as a real application's.
    make_password(password)
    _notify_duplicate(email=email)


def _application_create(*, user, email, invitation, language, expertise, **answers):
    """The applicant's profile, application, first event and audit entry."""
    now = timezone.now()
    profile = Profile.objects.create(
        user=user,
        full_name=answers["full_name"].strip(),
        organisation=answers["organisation"].strip(),
        stakeholder_group=answers["stakeholder_group"],
        country=answers["country"],
        public_profile_url=answers["public_profile_url"],
        status=Profile.Status.APPLICANT,
        language=language,
    )
    application = MembershipApplication.objects.create(
        user=user,
        status=Status.UNVERIFIED,
        email=email,
        **{**answers, "full_name": profile.full_name, "organisation": profile.organisation},
        accepted_code_of_conduct_at=now,
        accepted_confidentiality_at=now,
        invitation=invitation,
    )
    application.expertise.set(expertise)
    ApplicationEvent.objects.create(application=application, kind=Kind.SUBMITTED, actor=user)
    audit_record(
        actor=user,
        action="application.submit",
        target=application,
        data={"nominated": invitation is not None},
    )
    return application


def _send_verification(user):
    # allauth's confirmation email (its key and link), written to the outbox by our adapter.
    address = EmailAddress.objects.get(user=user)
    EmailConfirmationHMAC(address).send(request=None, signup=True)


def _notify_duplicate(*, email):
    # Nothing the visitor typed goes into it but the address itself: the portal must not carry
    # chosen text to whichever address someone enters.
    owner = account_owner(email)
    # One notice per address and hour at most, however often someone tries.
    hour = timezone.now().strftime("%Y%m%d%H")
    digest = hashlib.sha256(email.encode()).hexdigest()[:24]
    email_queue(
        to=[email],
        template="members/email/application_duplicate",
        context={},
        idempotency_key=f"application-duplicate:{digest}:{hour}",
        language=_language(owner) if owner else None,
    )


def application_verify(*, user: User) -> MembershipApplication | None:
    """The applicant confirmed their email: the application enters the queue (PENDING).

    Returns the application, or None when there is nothing to verify.
    """
    with transaction.atomic():
        try:
            application = locked(
                MembershipApplication.objects, user=user, allowed=(Status.UNVERIFIED,)
            )
        except (MembershipApplication.DoesNotExist, InvalidState):
            return None
        application.status = Status.PENDING
        application.bump_version()
        application.submitted_at = timezone.now()
        application.save(update_fields=["status", "version", "submitted_at", "updated_at"])
        ApplicationEvent.objects.create(application=application, kind=Kind.VERIFIED, actor=user)
        audit_record(actor=user, action="application.verify", target=application)
    return application


STALE = _(
    "This application changed after you opened the page (someone else may have decided it). "
    "Nothing was changed: review its current state and try again."
)
REFUSED = _("This application is “%(status)s”: that decision is no longer possible.")


def _lock(application, *, version, allowed):
    """The application's row, locked; refused if its state or version moved on."""
    return locked(
        MembershipApplication.objects,
        application.pk,
        version=version,
        allowed=allowed,
        stale=STALE,
        refused=REFUSED,
    )


def _record(application, *, kind, by, message="", status, action):
    application.status = status
    application.bump_version()
    fields = ["status", "version", "updated_at"]
    if status in (Status.APPROVED, Status.REJECTED):
        application.decided_at = timezone.now()
        fields.append("decided_at")
    application.save(update_fields=fields)
    ApplicationEvent.objects.create(application=application, kind=kind, actor=by, message=message)
    audit_record(
        actor=by,
        action=action,
        target=application,
        reason=message,
        data={"version": application.version},
    )


def application_approve(
    *, application: MembershipApplication, by: User, version: int, note: str = ""
) -> MembershipApplication:
    """Approve: the applicant becomes an active member with the profile they applied with."""
    with transaction.atomic():
        application = _lock(
            application, version=version, allowed=MembershipApplication.OPEN_STATUSES
        )
        _record(
            application,
            kind=Kind.APPROVED,
            by=by,
            message=note.strip(),
            status=Status.APPROVED,
            action="application.approve",
        )
        user = application.user
        profile, _created = Profile.objects.get_or_create(
            user=user, defaults={"full_name": application.full_name}
        )
        profile.full_name = application.full_name
        profile.organisation = application.organisation
        profile.stakeholder_group = application.stakeholder_group
        profile.country = application.country
        profile.public_profile_url = application.public_profile_url
        profile.status = Profile.Status.ACTIVE
        profile.member_since = application.decided_at
        profile.save(
            update_fields=[
                "full_name",
                "organisation",
                "stakeholder_group",
                "country",
                "public_profile_url",
                "status",
                "member_since",
                "updated_at",
            ]
        )
        profile.expertise.set(application.expertise.all())
        # `user` was loaded with the locked row here, so no cached roles need forgetting; the
        # applicant's own requests read their groups afresh.
        user.groups.add(Group.objects.get_or_create(name=MEMBER_GROUP)[0])
        _email_applicant(application, template="members/email/application_approved")
    return application


def application_reject(
    *, application: MembershipApplication, by: User, version: int, reason: str
) -> MembershipApplication:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("A reason is required to reject an application."))
    with transaction.atomic():
        application = _lock(
            application, version=version, allowed=MembershipApplication.OPEN_STATUSES
        )
        _record(
            application,
            kind=Kind.REJECTED,
            by=by,
            message=reason,
            status=Status.REJECTED,
            action="application.reject",
        )
        profile = Profile.objects.filter(user=application.user).first()
        if profile is not None and profile.status == Profile.Status.APPLICANT:
            profile.status = Profile.Status.NONE
            profile.save(update_fields=["status", "updated_at"])
        _email_applicant(
            application, template="members/email/application_rejected", context={"reason": reason}
        )
    return application


def application_request_info(
    *, application: MembershipApplication, by: User, version: int, message: str
) -> MembershipApplication:
    message = (message or "").strip()
    if not message:
        raise ServiceError(_("Say what information you need from the applicant."))
    with transaction.atomic():
        application = _lock(application, version=version, allowed=(Status.PENDING,))
        _record(
            application,
            kind=Kind.INFO_REQUESTED,
            by=by,
            message=message,
            status=Status.INFO_REQUESTED,
            action="application.request_info",
        )
        _email_applicant(
            application,
            template="members/email/application_info_requested",
            context={"message": message},
        )
    return application


def application_resubmit(
    *,
    application: MembershipApplication,
    by: User,
    version: int,
    changes: dict,
    expertise: Iterable | None = None,
    message: str = "",
) -> MembershipApplication:
    """The applicant amends their application as asked; it returns to the queue (PENDING)."""
    if application.user_id != by.pk:
        raise ServiceError(_("Only the applicant can amend an application."))
    unknown = set(changes) - set(AMENDABLE_FIELDS)
    if unknown:  # a programming error, not a user's
        raise ValueError(f"Not amendable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        application = _lock(application, version=version, allowed=(Status.INFO_REQUESTED,))
        for field, value in changes.items():
            setattr(application, field, value)
        application.save(update_fields=[*changes, "updated_at"])
        if expertise is not None:
            application.expertise.set(expertise)
        _record(
            application,
            kind=Kind.RESUBMITTED,
            by=by,
            message=message.strip(),
            status=Status.PENDING,
            action="application.resubmit",
        )
    return application
