"""The topics app's part of a signed-in user's home (see aiii/home.py): unread threads in what the
user watches, and for the secretariat the flagged posts waiting."""

from django.db.models import Count, F, FilteredRelation, Q, Value, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aiii.home import Action, Panel

from .models import Subscription, Thread
from .permissions import can_moderate, can_view_topics
from .selectors import open_flag_count

UNREAD_SHOWN = 5


def actions(request):
    if not can_moderate(request.user):
        return []
    return [
        Action(
            _("Flagged posts to moderate"),
            reverse("secretariat:topic_flags"),
            open_flag_count(),
            30,
        )
    ]


def panels(request):
    if not can_view_topics(request.user):
        return []
    threads, total = _unread_watched_threads(request.user, limit=UNREAD_SHOWN)
    return [Panel("topics/home/unread.html", {"threads": threads, "unread_total": total}, order=20)]


def _unread_watched_threads(user, *, limit):
    """What topics.selectors.unread_watched_threads gives (the first `limit` threads `user`
    watches with posts they have not read, latest activity first, each with `unread`; how many
    there are in all), for the first page every member sees: the count comes with the rows (a
    window over them) instead of a second query, and the threads are looked up by the ids of
    what the user watches, read first, so an index finds them instead of a scan of every
    thread with the subscriptions as subqueries."""
    topics, threads = [], []
    for topic_id, thread_id in Subscription.objects.filter(user=user).values_list(
        "topic_id", "thread_id"
    ):
        if topic_id is not None:
            topics.append(topic_id)
        else:
            threads.append(thread_id)
    if not topics and not threads:
        return [], 0
    shown = list(
        Thread.objects.visible_to(user)
        .filter(Q(topic_id__in=topics) | Q(pk__in=threads))
        # The user's read mark as an outer join: one pass over the marks, not a lookup per thread.
        .annotate(mine=FilteredRelation("reads", condition=Q(reads__user=user)))
        .annotate(unread=F("post_count") - Coalesce(F("mine__last_read_number"), Value(0)))
        .filter(unread__gt=0)
        .annotate(unread_total=Window(Count("pk")))
        .select_related("topic__area")
        .only("pk", "title", "topic__area__slug", "topic__area__name")
        .order_by("-last_post_at", "-pk")[:limit]
    )
    return shown, shown[0].unread_total if shown else 0
