"""Writes about people: one's own profile, the secretariat's corrections of the vetted details,
suspension and reinstatement, session tracking."""

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


class ProfileChangedError(Exception):
    """The profile changed after the form was opened: a correction made on what the secretariat
    saw then could silently undo someone else's. Nothing was changed."""


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


def _shown(profile, name):
    """What the member reads for a field: the label of a choice (translated when the email is
    rendered, in their language), or the text itself."""
    value = getattr(profile, name)
    choices = dict(profile._meta.get_field(name).flatchoices)
    return choices.get(value, value) if value else ""


def profile_correct(*, profile, by, changes, reason, seen_updated_at):
    """The secretariat corrects a member's vetted details (Profile.VETTED_FIELDS).

    `changes` maps vetted fields to cleaned values; fields whose value is the same as now are
    left alone. `seen_updated_at` is the profile's `updated_at` when the form was opened: if the
    profile changed since, ProfileChangedError is raised and nothing changes. The correction,
    its audit entry (the before and after values) and the email to the member are one
    transaction. Returns the saved profile.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required.")
    unknown = set(changes) - set(Profile.VETTED_FIELDS)
    if unknown:
        raise ValueError(f"Not a vetted field: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)
        if locked.updated_at != seen_updated_at:
            raise ProfileChangedError(
                _(
                    "The details of %(name)s changed since you opened the page; nothing was "
                    "changed. Check the details as they are now and correct them again."
                )
                % {"name": locked.full_name}
            )
        # In the model's order, so the audit entry and the email list them as the page does.
        changed = [
            name
            for name in Profile.VETTED_FIELDS
            if name in changes and changes[name] != getattr(locked, name)
        ]
        if not changed:
            raise ValueError("Nothing to correct: every value is the same as now.")
        before = {name: getattr(locked, name) for name in changed}
        shown_before = {name: _shown(locked, name) for name in changed}
        for name in changed:
            setattr(locked, name, changes[name])
        locked.save(update_fields=[*changed, "updated_at"])
        if "full_name" in changed:
            # The account's names come from the profile's name when it is created (e.g. for
            # the password similarity check): keep them the same person.
            first, _sep, last = locked.full_name.strip().partition(" ")
            get_user_model().objects.filter(pk=locked.user_id).update(
                first_name=first[:150], last_name=last[:150]
            )
        entry = audit_record(
            actor=by,
            action="member.correct",
            target=locked,
            reason=reason,
            data={"before": before, "after": {name: getattr(locked, name) for name in changed}},
        )
        email_queue(
            to=[locked.user.email],
            template="members/email/profile_corrected",
            context={
                "profile": locked,
                "reason": reason,
                "changes": [
                    {
                        "label": Profile._meta.get_field(name).verbose_name,
                        "before": shown_before[name],
                        "after": _shown(locked, name),
                    }
                    for name in changed
                ],
            },
            idempotency_key=f"profile-corrected:{locked.pk}:{entry.pk}",
            language=locked.language,
        )
    return locked


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
