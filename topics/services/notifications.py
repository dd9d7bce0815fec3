"""Who hears about a post, and how: at once (one email per post), in a daily or weekly digest,
or not at all (members.Profile.notification_preference).

Every email carries a signed one-click unsubscribe link and the List-Unsubscribe and
List-Unsubscribe-Post headers (RFC 8058). Unsubscribing turns the member's notifications off.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser as User
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from aiii.outbox import email_queue
from aiii.permissions import MEMBER_GROUP, SECRETARIAT_GROUP
from members.models import NotificationPreference, Profile
from members.services.people import profile_update

from .. import conf
from ..models import DigestSent, Mention, Post, Subscription, Thread, Topic

UNSUBSCRIBE_SALT = "topics.unsubscribe"
DIGEST_KINDS = {
    NotificationPreference.DAILY: timedelta(days=1),
    NotificationPreference.WEEKLY: timedelta(days=7),
}
EXCERPT_CHARS = 300


# --- unsubscribe ---------------------------------------------------------------------------


def unsubscribe_token(user: User) -> str:
    # No timestamp: the same link in every email, valid until the secret key changes.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk})


def unsubscribe_user(token: str) -> User | None:
    """The user a token was made for, or None when it was tampered with (or the user is gone)."""
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return get_user_model().objects.filter(pk=data["u"]).select_related("profile").first()


def unsubscribe_url(user: User) -> str:
    from django.conf import settings

    path = reverse("topics:unsubscribe", kwargs={"token": unsubscribe_token(user)})
    return settings.AIII_SITE_URL.rstrip("/") + path


def unsubscribe_headers(url: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def notifications_off(*, user: User) -> Profile | None:
    """The member's topic emails stop (preference "off"); their watches stay for the site."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None or profile.notification_preference == NotificationPreference.OFF:
        return profile
    return profile_update(
        profile=profile, data={"notification_preference": NotificationPreference.OFF}
    )


# --- who may read a topic, as a filter over users -----------------------------------------------


def readers_of(topic: Topic) -> Q:
    """A Q over users: those who may read `topic` (active members unless it is hidden, and the
    secretariat)."""
    readers = Q(groups__name=SECRETARIAT_GROUP)
    if not topic.hidden:
        readers |= Q(groups__name=MEMBER_GROUP, profile__status=Profile.Status.ACTIVE)
    return readers & Q(is_active=True)


def excerpt(source: str, length: int = EXCERPT_CHARS) -> str:
    text = " ".join(source.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _absolute(path):
    from django.conf import settings

    return settings.AIII_SITE_URL.rstrip("/") + path


# --- at once -------------------------------------------------------------------------------------


def post_notify(*, post_id: int) -> int:
    """Queue one email per member who wants to hear of `post` at once: watchers of its thread
    or topic, and members it mentions. Idempotent (one key per post and recipient)."""
    post = (
        Post.objects.select_related("thread__topic__area", "author__profile")
        .filter(pk=post_id)
        .first()
    )
    if post is None or post.hidden:
        return 0
    thread = post.thread
    watchers = Subscription.objects.filter(Q(thread=thread) | Q(topic=thread.topic)).values(
        "user_id"
    )
    mentioned = set(Mention.objects.filter(post=post).values_list("user_id", flat=True))
    recipients = (
        get_user_model()
        .objects.filter(Q(pk__in=watchers) | Q(pk__in=mentioned))
        .filter(readers_of(thread.topic))
        .filter(profile__notification_preference=NotificationPreference.IMMEDIATELY)
        .exclude(pk=post.author_id)
        .select_related("profile")
        .distinct()
    )
    count = 0
    for user in recipients:
        url = unsubscribe_url(user)
        email_queue(
            to=[user.email],
            template="topics/email/new_post",
            context={
                "post": post,
                "thread": thread,
                "author": post.author.profile.full_name,
                "mentioned": user.pk in mentioned,
                "excerpt": excerpt(post.source),
                "post_url": _absolute(post.get_absolute_url()),
                "unsubscribe_url": url,
            },
            idempotency_key=f"topics.post:{post.pk}:new:{user.pk}",
            language=user.profile.language,
            headers=unsubscribe_headers(url),
        )
        count += 1
    return count


# --- digests -------------------------------------------------------------------------------------


def digest_period(kind: str, now: datetime | None = None) -> str:
    """The period a digest run belongs to: "daily:2026-11-29" or "weekly:2026-W48" (UTC)."""
    now = now or timezone.now()
    day = now.astimezone(UTC).date()
    if kind == NotificationPreference.DAILY:
        return f"daily:{day.isoformat()}"
    if kind == NotificationPreference.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    raise ValueError(f"Not a digest kind: {kind!r}")


def digest_recipient_ids(*, kind: str, period: str) -> list[int]:
    """Ids of the members whose preference is `kind` and who have no digest for `period` yet."""
    done = DigestSent.objects.filter(period=period).values("user_id")
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__notification_preference=kind,
            profile__status=Profile.Status.ACTIVE,
        )
        .exclude(pk__in=done)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def digest_items(*, user: User, since: datetime, until: datetime) -> list[Post]:
    """The posts new in (since, until] in what `user` watches or where they are mentioned,
    that they may read, not their own and not hidden; oldest first."""
    watched_threads = Subscription.objects.filter(user=user, thread__isnull=False).values(
        "thread_id"
    )
    watched_topics = Subscription.objects.filter(user=user, topic__isnull=False).values("topic_id")
    mentions = Mention.objects.filter(user=user).values("post_id")
    return list(
        Post.objects.filter(
            created_at__gt=since,
            created_at__lte=until,
            hidden=False,
            thread__in=Thread.objects.visible_to(user),
        )
        .filter(
            Q(thread_id__in=watched_threads)
            | Q(thread__topic_id__in=watched_topics)
            | Q(pk__in=mentions)
        )
        .exclude(author=user)
        .select_related("thread__topic__area", "author__profile")
        .order_by("created_at", "pk")[: conf.digest_max_items() + 1]
    )


def digest_send(
    *, user: User, kind: str, period: str, now: datetime | None = None
) -> DigestSent | None:
    """The digest of `user` for `period`: one email, at most once; none when nothing is new.

    Returns the DigestSent row, or None when nothing was sent (nothing new, or already sent).
    """
    now = now or timezone.now()
    with transaction.atomic():
        if DigestSent.objects.filter(user=user, period=period).exists():
            return None
        last = (
            DigestSent.objects.filter(user=user)
            .order_by("-covered_until")
            .values_list("covered_until", flat=True)
            .first()
        )
        since = last or now - DIGEST_KINDS[kind]
        items = digest_items(user=user, since=since, until=now)
        if not items:
            return None
        more = len(items) > conf.digest_max_items()
        items = items[: conf.digest_max_items()]
        try:
            with transaction.atomic():
                sent = DigestSent.objects.create(
                    user=user, period=period, covered_until=now, item_count=len(items)
                )
        except IntegrityError:  # another run of the same period got there first
            return None
        threads = {}
        for post in items:
            entry = threads.setdefault(
                post.thread_id,
                {
                    "thread": post.thread,
                    "url": _absolute(post.thread.get_absolute_url()),
                    "posts": [],
                },
            )
            entry["posts"].append(
                {
                    "post": post,
                    "author": post.author.profile.full_name,
                    "excerpt": excerpt(post.source),
                    "url": _absolute(post.get_absolute_url()),
                }
            )
        url = unsubscribe_url(user)
        email_queue(
            to=[user.email],
            template="topics/email/digest",
            context={
                "kind": kind,
                "weekly": kind == NotificationPreference.WEEKLY,
                "threads": list(threads.values()),
                "count": len(items),
                "more": more,
                "topics_url": _absolute(reverse("topics:list")),
                "unsubscribe_url": url,
            },
            idempotency_key=f"topics.digest:{user.pk}:{period}",
            language=user.profile.language,
            headers=unsubscribe_headers(url),
        )
    return sent


def digest_batches(*, kind: str, now: datetime | None = None) -> tuple[str, list[list[int]]]:
    """The recipients of this period's digest, split in batches: [(period, [ids]), ...]."""
    period = digest_period(kind, now)
    ids = digest_recipient_ids(kind=kind, period=period)
    size = conf.digest_batch_size()
    return period, [ids[start : start + size] for start in range(0, len(ids), size)]


def digest_send_batch(
    *, kind: str, period: str, user_ids: list[int], now: datetime | None = None
) -> int:
    """Send the digests of one batch; returns how many went out."""
    users = (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .select_related("profile")
        .order_by("pk")
    )
    return sum(
        1 for user in users if digest_send(user=user, kind=kind, period=period, now=now) is not None
    )
