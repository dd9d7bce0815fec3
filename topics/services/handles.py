"""@handles: the name a member is mentioned by, a slug of their name ("alice-moreau").

Handles are given out lazily and all at once: before mentions are resolved, every active member
or secretariat user without one gets one (usually nobody, after an approval one person), so a
member who never opened the topics can still be mentioned. A handle, once given, stays: a
mention written last year still points at the same person.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser as User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify

from aiii.fragments import changed
from aiii.permissions import SECRETARIAT_GROUP
from members.models import Profile

from ..models import TOPICS_DATA, MemberHandle


def _base(profile):
    base = slugify(profile.full_name or "")[:50].strip("-")
    if not base:
        base = slugify(profile.user.email.split("@")[0])[:50].strip("-") or "member"
    return base


def handles_ensure() -> None:
    """Give every active member and secretariat user without a handle one."""
    missing = list(
        Profile.objects.filter(
            Q(status=Profile.Status.ACTIVE) | Q(user__groups__name=SECRETARIAT_GROUP),
            user__is_active=True,
            user__topic_handle__isnull=True,
        )
        .select_related("user")
        .order_by("pk")
        .distinct()
    )
    if not missing:
        return
    taken = set(MemberHandle.objects.values_list("handle", flat=True))
    rows = []
    for profile in missing:
        candidate = _free(_base(profile), taken)
        taken.add(candidate)
        rows.append(MemberHandle(user=profile.user, handle=candidate))
    try:
        with transaction.atomic():
            MemberHandle.objects.bulk_create(rows)
        changed(TOPICS_DATA)  # the thread pages show the handles; bulk_create sends no signal
    except IntegrityError:  # someone was given a handle meanwhile: one by one, then
        for profile in missing:
            handle_assign(user=profile.user, profile=profile)


def _free(base, taken):
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def handle_assign(*, user: User, profile: Profile | None = None) -> MemberHandle:
    """The user's handle, given now if they have none."""
    existing = MemberHandle.objects.filter(user=user).first()
    if existing is not None:
        return existing
    profile = profile or Profile.objects.filter(user=user).first()
    base = _base(profile) if profile else slugify(user.email.split("@")[0]) or "member"
    taken = set(
        MemberHandle.objects.filter(handle__startswith=base).values_list("handle", flat=True)
    )
    candidate = _free(base, taken)
    try:
        with transaction.atomic():
            return MemberHandle.objects.create(user=user, handle=candidate)
    except IntegrityError:  # someone took it meanwhile: the next free one
        return handle_assign(user=user, profile=profile)


def resolve_handles(handles: list[str]) -> dict[str, User]:
    """{handle: user (with its profile)} for the handles that name someone."""
    if not handles:
        return {}
    handles_ensure()
    users = (
        get_user_model()
        .objects.filter(topic_handle__handle__in=handles)
        .select_related("profile", "topic_handle")
    )
    return {user.topic_handle.handle: user for user in users}
