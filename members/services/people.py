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


class MembershipStateError(Exception):
    """The member is not in the state the action needs (e.g. suspended twice)."""


def profile_update(*, profile, data, expertise=None):
    """Save the member's own changes to their profile and settings.

    `data` maps fields the member may edit (Profile.MEMBER_EDITABLE_FIELDS) to cleaned values;
    anything else, the vetted name, organisation, group and country included, is refused.
    `expertise`, when given, replaces the areas of expertise. Time zone and language apply from
    the next request.
    """
    unknown = set(data) - set(Profile.MEMBER_EDITABLE_FIELDS)
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


def _membership_change(*, profile, by, reason, allowed, refusal, status, action, template):
    """Move a member between active and suspended: one locked, audited, emailed change.

    Raises MembershipStateError (with `refusal`, formatted with name and status) when `allowed`
    says no: a double submit, or someone else was quicker; nothing changes then.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required.")
    with transaction.atomic():
        locked = Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)
        if not allowed(locked):
            raise MembershipStateError(
                refusal % {"name": locked.full_name, "status": locked.get_status_display()}
            )
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        active = status == Profile.Status.ACTIVE
        # An inactive account is signed out by Django's backends from its next request on.
        get_user_model().objects.filter(pk=locked.user_id).update(is_active=active)
        data = None if active else {"sessions_ended": sessions_end_all(user=locked.user)}
        entry = audit_record(actor=by, action=action, target=locked, reason=reason, data=data)
        email_queue(
            to=[locked.user.email],
            template=f"members/email/{template}",
            context={"profile": locked, "reason": reason},
            idempotency_key=f"{template.replace('_', '-')}:{locked.pk}:{entry.pk}",
            language=locked.language,
        )
    return locked


def membership_suspend(*, profile, by, reason):
    """Suspend an active member: no access from their next request, every session ended.

    Raises MembershipStateError when the member is not active; nothing changes then.
    """
    return _membership_change(
        profile=profile,
        by=by,
        reason=reason,
        allowed=can_suspend,
        refusal=_("%(name)s is not an active member (now: %(status)s); nothing was changed."),
        status=Profile.Status.SUSPENDED,
        action="membership.suspend",
        template="membership_suspended",
    )


def membership_reinstate(*, profile, by, reason):
    """Give a suspended member their access back. Raises MembershipStateError if not suspended."""
    return _membership_change(
        profile=profile,
        by=by,
        reason=reason,
        allowed=can_reinstate,
        refusal=_("%(name)s is not suspended (now: %(status)s); nothing was changed."),
        status=Profile.Status.ACTIVE,
        action="membership.reinstate",
        template="membership_reinstated",
    )


def members_export_record(*, by, filters):
    """Record in the audit log that `by` exported the members list (personal data left the
    portal)."""
    return audit_record(
        actor=by,
        action="members.export",
        data={"filters": {k: str(v) for k, v in (filters or {}).items() if v}},
    )
