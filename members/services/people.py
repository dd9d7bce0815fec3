"""Writes about people: one's own profile, suspension and reinstatement, session tracking."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from aiii.audit import audit_record
from aiii.outbox import email_queue

from ..models import Profile, UserSession
from ..permissions import can_reinstate, can_suspend

PROFILE_FIELDS = (
    "full_name",
    "organisation",
    "stakeholder_group",
    "country",
    "bio",
    "public_profile_url",
    "show_email",
    "show_organisation",
    "show_country",
    "show_stakeholder_group",
    "show_expertise",
    "show_bio",
    "show_profile_url",
    "time_zone",
    "language",
    "notification_preference",
)


class MembershipStateError(Exception):
    """The member is not in the state the action needs (e.g. suspended twice)."""


def profile_update(*, profile, data, expertise=None):
    """Save the member's own changes to their profile and settings.

    `data` maps profile field names (PROFILE_FIELDS) to cleaned values; `expertise`, when given,
    replaces the areas of expertise. Time zone and language apply from the next request.
    """
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable by the member: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        for name, value in data.items():
            setattr(profile, name, value)
        profile.save(update_fields=[*data, "updated_at"])
        if expertise is not None:
            profile.expertise.set(expertise)
    return profile


def session_track(*, user, session_key):
    """Remember that `user` is signed in with `session_key`, so suspension can end it."""
    try:
        with transaction.atomic():
            UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})
    except IntegrityError:
        pass  # two requests of the same new session raced; one row is all we need


def sessions_end_all(*, user):
    """End every session `user` is signed in with; returns how many were tracked."""
    engine = import_module(settings.SESSION_ENGINE)
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        engine.SessionStore(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def _locked_profile(profile):
    return Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)


def membership_suspend(*, profile, by, reason):
    """Suspend an active member: no access from their next request, every session ended.

    Raises MembershipStateError when the member is not active (a double submit, or someone else
    was quicker); nothing changes then.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required.")
    with transaction.atomic():
        locked = _locked_profile(profile)
        if not can_suspend(locked):
            raise MembershipStateError(
                _("%(name)s is not an active member (now: %(status)s); nothing was changed.")
                % {"name": locked.full_name, "status": locked.get_status_display()}
            )
        locked.status = Profile.Status.SUSPENDED
        locked.save(update_fields=["status", "updated_at"])
        # An inactive account is signed out by Django's backends from its next request on.
        get_user_model().objects.filter(pk=locked.user_id).update(is_active=False)
        ended = sessions_end_all(user=locked.user)
        entry = audit_record(
            actor=by,
            action="membership.suspend",
            target=locked,
            reason=reason,
            data={"sessions_ended": ended},
        )
        email_queue(
            to=[locked.user.email],
            template="members/email/membership_suspended",
            context={"profile": locked, "reason": reason},
            idempotency_key=f"membership-suspended:{locked.pk}:{entry.pk}",
            language=locked.language,
        )
    return locked


def membership_reinstate(*, profile, by, reason):
    """Give a suspended member their access back. Raises MembershipStateError if not suspended."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required.")
    with transaction.atomic():
        locked = _locked_profile(profile)
        if not can_reinstate(locked):
            raise MembershipStateError(
                _("%(name)s is not suspended (now: %(status)s); nothing was changed.")
                % {"name": locked.full_name, "status": locked.get_status_display()}
            )
        locked.status = Profile.Status.ACTIVE
        locked.save(update_fields=["status", "updated_at"])
        get_user_model().objects.filter(pk=locked.user_id).update(is_active=True)
        entry = audit_record(actor=by, action="membership.reinstate", target=locked, reason=reason)
        email_queue(
            to=[locked.user.email],
            template="members/email/membership_reinstated",
            context={"profile": locked, "reason": reason},
            idempotency_key=f"membership-reinstated:{locked.pk}:{entry.pk}",
            language=locked.language,
        )
    return locked


def members_export_record(*, by, filters):
    """Record in the audit log that `by` exported the members list (personal data left the
    portal)."""
    return audit_record(
        actor=by,
        action="members.export",
        data={"filters": {k: str(v) for k, v in (filters or {}).items() if v}},
    )
