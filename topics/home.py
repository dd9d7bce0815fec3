"""The topics app's part of a signed-in user's home (see aiii/home.py): unread threads in what the
user watches, and for the secretariat the flagged posts waiting."""

from django.db.models import Count, F, FilteredRelation, Q, Value, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aiii.fragments import cached_value
from aiii.home import Action, Panel

from .models import FLAGS_DATA, READER_DATA, TOPICS_DATA, Subscription, Thread, Topic
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
            cached_value(
                request, "topics:open_flags", datasets=[FLAGS_DATA], compute=open_flag_count
            ),
            30,
        )
    ]


def panels(request):
    if not can_view_topics(request.user):
        return []
    user = request.user
    # Kept for this member until a thread or post changes, or their own reading marks or
    # subscriptions do (a personal data set: another member's reading leaves it alone).
    threads, total = cached_value(
        request,
        "topics:unread",
        datasets=[TOPICS_DATA, (READER_DATA, user.pk)],
        compute=lambda: _unread_watched_threads(user, limit=UNREAD_SHOWN),
        vary=(user.pk,),
    )
    return [Panel("topics/home/unread.html", {"threads": threads, "unread_total": total}, order=20)]


def _unread_watched_threads(user, *, limit):
    """The first `limit` threads `user` watches with posts they have not read, latest activity
    first, each with `unread`, and how many there are in all; for the first page every member
    sees, in three small queries whose plans cost little: what the user watches; the topics they
    may read, with their areas (a handful of rows: the threads' visibility and labels, not
    joined into the threads' query); the threads, looked up by those ids through their indexes,
    with the count as a window over them instead of a second query."""
    watched = list(Subscription.objects.filter(user=user).values_list("topic_id", "thread_id"))
    if not watched:
        return [], 0
    topics = {topic.pk: topic for topic in Topic.objects.visible_to(user).select_related("area")}
    shown = list(
        # Thread.objects.visible_to's rule (its topic is one the user may read), by the ids.
        Thread.objects.filter(topic_id__in=list(topics))
        .filter(
            Q(topic_id__in=[topic for topic, _thread in watched if topic is not None])
            | Q(pk__in=[thread for _topic, thread in watched if thread is not None])
        )
        # The user's read mark as an outer join: one pass over the marks, not a lookup per thread.
        .annotate(mine=FilteredRelation("reads", condition=Q(reads__user=user)))
        .annotate(unread=F("post_count") - Coalesce(F("mine__last_read_number"), Value(0)))
        .filter(unread__gt=0)
        .annotate(unread_total=Window(Count("pk")))
        .only("pk", "title", "topic_id")
        .order_by("-last_post_at", "-pk")[:limit]
    )
    for thread in shown:
        thread.topic = topics[thread.topic_id]
    return shown, shown[0].unread_total if shown else 0
