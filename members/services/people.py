"""Writes about people: one's own profile, the secretariat's corrections of the vetted details,
suspension and reinstatement, session tracking."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser as User
from django.db import IntegrityError, transaction
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from aiii.audit import audit_record
from aiii.countries import country_name
from aiii.errors import ServiceError
from aiii.models import AuditEntry
from aiii.outbox import email_queue
from aiii.state import email_key, locked

from ..models import Profile, UserSession


def profile_update(*, profile: Profile, data: dict, expertise: Iterable | None = None) -> Profile:
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
    if not value:
        return ""
    if name == "country":  # plain names in the active language: look it up when rendered
        return lazy(country_name, str)(value)
    choices = dict(profile._meta.get_field(name).flatchoices)
    return choices.get(value, value)


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("A reason is required."))
    return reason


def profile_correct(*, profile: Profile, by, changes: dict, reason: str, version: int) -> Profile:
    """The secretariat corrects a member's vetted details (Profile.VETTED_FIELDS).

    `changes` maps vetted fields to cleaned values; fields whose value is the same as now are
    left alone. `version` is the profile's version when the form was opened: if the secretariat
    changed the profile since, Conflict is raised and nothing changes. The correction, its
    audit entry (the before and after values) and the email to the member are one transaction.
    """
    reason = _require_reason(reason)
    unknown = set(changes) - set(Profile.VETTED_FIELDS)
    if unknown:  # a programming error, not a user's
        raise ValueError(f"Not a vetted field: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = locked(
            Profile.objects.select_related("user"),
            profile.pk,
            version=version,
            stale=_(
                "The details of %(name)s changed since you opened the page; nothing was "
                "changed. Check the details as they are now and correct them again."
            ),
        )
        changed = _changed_fields(current, changes)
        before = {name: getattr(current, name) for name in changed}
        shown_before = {name: _shown(current, name) for name in changed}
        _apply_correction(current, changes, changed)
        audit_record(
            actor=by,
            action="member.correct",
            target=current,
            reason=reason,
            data={"before": before, "after": {name: getattr(current, name) for name in changed}},
        )
        _email_member(
            current,
            "profile_corrected",
            reason=reason,
            changes=[
                {
                    "label": Profile._meta.get_field(name).verbose_name,
                    "before": shown_before[name],
                    "after": _shown(current, name),
                }
                for name in changed
            ],
        )
    return current


def _changed_fields(profile, changes):
    # In the model's order, so the audit entry and the email list them as the page does.
    changed = [
        name
        for name in Profile.VETTED_FIELDS
        if name in changes and changes[name] != getattr(profile, name)
    ]
    if not changed:
        raise ServiceError(_("Nothing to correct: every value is the same as now."))
    return changed


def _apply_correction(profile, changes, changed):
    for name in changed:
        setattr(profile, name, changes[name])
    profile.bump_version()
    profile.save(update_fields=[*changed, "version", "updated_at"])
    if "full_name" in changed:
        # The account's names come from the profile's name when it is created (e.g. for the
        # password similarity check): keep them the same person.
        first, _sep, last = profile.full_name.strip().partition(" ")
        get_user_model().objects.filter(pk=profile.user_id).update(
            first_name=first[:150], last_name=last[:150]
        )


def _email_member(profile, template, **context):
    email_queue(
        to=[profile.user.email],
        template=f"members/email/{template}",
        context={"profile": profile, **context},
        idempotency_key=email_key(profile, template),
        language=profile.language,
    )


def session_track(*, user: User, session_key: str) -> None:
    """Remember that `user` is signed in with `session_key`, so suspension can end it."""
    try:
        with transaction.atomic():
            UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})
    except IntegrityError:
        pass  # two requests of the same new session raced; one row is all we need


def sessions_end_all(*, user: User) -> int:
    """End every session `user` is signed in with; returns how many were tracked."""
    engine = import_module(settings.SESSION_ENGINE)
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        engine.SessionStore(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    # And any the tracking has not seen yet (a request that signed in again or changed the
    # password while the suspension committed): the portal's session rows name their user.
    model = getattr(engine.SessionStore, "get_model_class", lambda: None)()
    if model is not None and any(f.name == "user" for f in model._meta.get_fields()):
        model.objects.filter(user=user).delete()
    return len(keys)


def _membership_change(*, profile, by, reason, version, allowed, refused, status, action, template):
    """Move a member between active and suspended: one locked, audited, emailed change.

    Raises InvalidState (with `refused`) when the member is not in an `allowed` state, and
    Conflict when the page was stale: a double submit, or someone else was quicker.
    """
    reason = _require_reason(reason)
    with transaction.atomic():
        current = locked(
            Profile.objects.select_related("user"),
            profile.pk,
            version=version,
            allowed=allowed,
            stale=_(
                "%(name)s changed since you opened the page (now: %(status)s); nothing was changed."
            ),
            refused=refused,
        )
        current.status = status
        current.bump_version()
        current.save(update_fields=["status", "version", "updated_at"])
        active = status == Profile.Status.ACTIVE
        # An inactive account is signed out by Django's backends from its next request on.
        get_user_model().objects.filter(pk=current.user_id).update(is_active=active)
        data = None if active else {"sessions_ended": sessions_end_all(user=current.user)}
        audit_record(actor=by, action=action, target=current, reason=reason, data=data)
        _email_member(current, template, reason=reason)
    return current


def membership_suspend(*, profile: Profile, by, reason: str, version: int | None = None) -> Profile:
    """Suspend an active member: no access from their next request, every session ended.

    `version`: the profile's version on the acting page (None: no page, e.g. a script); the
    state is checked either way.
    """
    return _membership_change(
        profile=profile,
        by=by,
        reason=reason,
        version=version,
        allowed=(Profile.Status.ACTIVE,),
        refused=_("%(name)s is not an active member (now: %(status)s); nothing was changed."),
        status=Profile.Status.SUSPENDED,
        action="membership.suspend",
        template="membership_suspended",
    )


def membership_reinstate(
    *, profile: Profile, by, reason: str, version: int | None = None
) -> Profile:
    """Give a suspended member their access back."""
    return _membership_change(
        profile=profile,
        by=by,
        reason=reason,
        version=version,
        allowed=(Profile.Status.SUSPENDED,),
        refused=_("%(name)s is not suspended (now: %(status)s); nothing was changed."),
        status=Profile.Status.ACTIVE,
        action="membership.reinstate",
        template="membership_reinstated",
    )


def members_export_record(*, by: User, filters: dict | None) -> AuditEntry:
    """Record in the audit log that `by` exported the members list (personal data left the
    portal)."""
    return audit_record(
        actor=by,
        action="members.export",
        data={"filters": {k: str(v) for k, v in (filters or {}).items() if v}},
    )
