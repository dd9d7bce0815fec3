"""The secretariat's moderation: flags from members, hiding and restoring posts, locking and
pinning threads. Every decision is locked against its version and audit-logged."""

from django.contrib.auth.models import AbstractBaseUser as User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aiii import fragments
from aiii.audit import audit_record
from aiii.errors import ServiceError
from aiii.state import locked

from ..models import FLAGS_DATA, Flag, Post, Thread


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("A reason is required."))
    return reason


def post_flag(*, post: Post, by: User, reason: str) -> Flag:
    """A member asks the secretariat to look at `post`; one open flag per member and post."""
    reason = _require_reason(reason)
    if post.author_id == by.pk:
        raise ServiceError(_("You cannot flag your own post; edit it instead."))
    try:
        with transaction.atomic():
            flag = Flag.objects.create(post=post, flagged_by=by, reason=reason[:2000])
            audit_record(actor=by, action="post.flag", target=post, reason=reason)
    except IntegrityError:
        raise ServiceError(
            _("You have already flagged this post; the secretariat will look at it.")
        ) from None
    return flag


def _resolve_flags(post, by, now):
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=now, resolved_by=by)
    fragments.changed(FLAGS_DATA)  # an update sends no signal


def post_hide(*, post: Post, by: User, reason: str, version: int) -> Post:
    """Hide a post: members see "hidden by the secretariat"; its open flags are resolved."""
    reason = _require_reason(reason)
    with transaction.atomic():
        current = locked(
            Post.objects.select_related("thread"),
            post.pk,
            version=version,
            allowed=lambda p: not p.hidden,
            refused=_("This post is already hidden."),
        )
        current.hidden = True
        current.hidden_reason = reason
        current.bump_version()
        current.save(update_fields=["hidden", "hidden_reason", "version"])
        _resolve_flags(current, by, timezone.now())
        audit_record(actor=by, action="post.hide", target=current, reason=reason)
    return current


def post_restore(*, post: Post, by: User, reason: str = "", version: int) -> Post:
    with transaction.atomic():
        current = locked(
            Post.objects.select_related("thread"),
            post.pk,
            version=version,
            allowed=lambda p: p.hidden,
            refused=_("This post is not hidden."),
        )
        current.hidden = False
        current.hidden_reason = ""
        current.bump_version()
        current.save(update_fields=["hidden", "hidden_reason", "version"])
        audit_record(actor=by, action="post.restore", target=current, reason=reason)
    return current


def flag_dismiss(*, flag: Flag, by: User) -> Flag:
    """The secretariat looked at a flag and leaves the post as it is."""
    with transaction.atomic():
        current = locked(
            Flag.objects.all(),
            flag.pk,
            allowed=lambda f: f.resolved_at is None,
            refused=_("This flag was already dealt with."),
        )
        current.resolved_at = timezone.now()
        current.resolved_by = by
        current.save(update_fields=["resolved_at", "resolved_by"])
        audit_record(actor=by, action="flag.dismiss", target=current.post, reason=current.reason)
    return current


# action: (field, value, the state it must not already be in)
THREAD_ACTIONS = {
    "lock": ("locked", True),
    "unlock": ("locked", False),
    "pin": ("pinned", True),
    "unpin": ("pinned", False),
}


def thread_moderate(
    *, thread: Thread, by: User, action: str, version: int, reason: str = ""
) -> Thread:
    """Lock, unlock, pin or unpin a thread."""
    if action not in THREAD_ACTIONS:
        raise ValueError(f"Unknown thread action {action!r}")
    field, value = THREAD_ACTIONS[action]
    with transaction.atomic():
        current = locked(
            Thread.objects.all(),
            thread.pk,
            version=version,
            allowed=lambda t: getattr(t, field) != value,
            refused=_("Nothing to do: the thread is already in that state."),
        )
        setattr(current, field, value)
        current.bump_version()
        current.save(update_fields=[field, "version"])
        audit_record(actor=by, action=f"thread.{action}", target=current, reason=reason)
    return current
