"""Reads of the topics app, shared by views and tasks. Query counts do not grow with the rows."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractBaseUser as User
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page
from django.db import connection
from django.db.models import F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.html import escape

from . import conf
from .models import Flag, Post, PostRevision, Subscription, Thread, ThreadRead, Topic
from .services.posts import searchable_source

MARK_START, MARK_END = "\u2063[[", "]]\u2063"  # unlikely in text; turned into <mark> after escaping


def topics_for_list(*, user: User) -> QuerySet[Topic]:
    """Topics `user` may see, with their thread counts and last activity (kept on the topic by
    the services), in one query."""
    return (
        Topic.objects.visible_to(user)
        .select_related("area")
        .order_by("area__position", "area__name")
    )


def topic_threads(*, topic: Topic, user: User) -> QuerySet[Thread]:
    """The threads of `topic`, pinned first then by last activity, each with `unread` (how
    many posts `user` has not seen; all of them for a thread never opened)."""
    read = ThreadRead.objects.filter(user=user, thread=OuterRef("pk")).values("last_read_number")
    return (
        Thread.objects.filter(topic=topic)
        .select_related("author__profile")
        .annotate(
            unread=F("post_count") - Coalesce(Subquery(read, output_field=IntegerField()), Value(0))
        )
        .order_by("-pinned", "-last_post_at", "-pk")
    )


def unread_watched_threads(*, user: User, limit: int) -> tuple[list[Thread], int]:
    """The threads `user` watches (the thread itself or its topic) that have posts `user` has
    not read, latest activity first: the first `limit`, each with `unread`, and how many there
    are in all. Two queries, whatever the number of threads."""
    read = ThreadRead.objects.filter(user=user, thread=OuterRef("pk")).values("last_read_number")
    mine = Subscription.objects.filter(user=user)
    # From the user's own subscriptions, not every thread: the cost follows what they watch.
    watched = Q(pk__in=mine.filter(thread__isnull=False).values("thread")) | Q(
        topic__in=mine.filter(topic__isnull=False).values("topic")
    )
    threads = (
        Thread.objects.visible_to(user)
        .filter(watched)
        .annotate(
            unread=F("post_count") - Coalesce(Subquery(read, output_field=IntegerField()), Value(0))
        )
        .filter(unread__gt=0)
    )
    shown = list(threads.select_related("topic__area").order_by("-last_post_at", "-pk")[:limit])
    total = len(shown) if len(shown) < limit else threads.count()
    return shown, total


def thread_posts(*, thread: Thread) -> QuerySet[Post]:
    return (
        Post.objects.filter(thread=thread)
        .select_related("author__profile", "author__topic_handle")
        .order_by("number")
    )


def page_of(number: int) -> int:
    """The page of the thread on which post `number` is shown."""
    return (max(number, 1) - 1) // conf.posts_per_page() + 1


def last_read_number(*, thread: Thread, user: User) -> int | None:
    return (
        ThreadRead.objects.filter(user=user, thread=thread)
        .values_list("last_read_number", flat=True)
        .first()
    )


def first_unread(*, thread: Thread, user: User) -> Post | None:
    """The first post `user` has not seen in `thread`, or None (never opened, or all seen)."""
    read = last_read_number(thread=thread, user=user)
    if read is None or read >= thread.post_count:
        return None
    return Post.objects.filter(thread=thread, number__gt=read).order_by("number").first()


def watching(*, user: User, topic: Topic | None = None, thread: Thread | None = None) -> bool:
    return Subscription.objects.filter(user=user, topic=topic, thread=thread).exists()


def post_revisions(*, post: Post) -> QuerySet[PostRevision]:
    return PostRevision.objects.filter(post=post).order_by("version")


def flag_queue(*, disclosure: str = "") -> QuerySet[Flag]:
    """Open flags, oldest first, with their posts; optionally only posts of one disclosure."""
    flags = Flag.objects.filter(resolved_at__isnull=True).select_related(
        "post__thread__topic__area", "post__author__profile", "flagged_by__profile"
    )
    if disclosure:
        flags = flags.filter(post__ai_disclosure=disclosure)
    return flags.order_by("created_at", "pk")


def open_flag_count() -> int:
    return Flag.objects.filter(resolved_at__isnull=True).count()


# --- search -----------------------------------------------------------------------------------


def _marked(text):
    """Escape a headline, then turn its markers into <mark>: the text is the member's source,
    never trusted as HTML."""
    return escape(text).replace(escape(MARK_START), "<mark>").replace(escape(MARK_END), "</mark>")


def _excerpt_around(source, query, length=240):
    """SQLite's excerpt: the text around the first match, the match marked."""
    text = " ".join(source.split())
    at = text.lower().find(query.lower())
    if at < 0:
        return escape(text[:length]) + ("…" if len(text) > length else "")
    start = max(at - length // 3, 0)
    piece = text[start : start + length]
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", piece)
    return ("…" if start else "") + _marked(marked) + ("…" if start + length < len(text) else "")


def search_posts(*, user: User, query: str) -> QuerySet[Post]:
    """The ids of the posts (and, through their first posts, threads) `user` may see that match
    `query`, best first; `search_page` then loads one page of them with excerpts.

    PostgreSQL: full-text search over the stored vector, ranked. SQLite: a plain substring
    match on the text and the thread's title, newest first. Ranking reads no other table, so
    its cost does not grow with the joins a page needs.
    """
    query = " ".join((query or "").split())[:200]
    posts = Post.objects.filter(hidden=False, thread__in=Thread.objects.visible_to(user)).only("pk")
    if not query:
        return posts.none()
    if connection.vendor == "postgresql":
        search = _search_query(query)
        return (
            posts.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-created_at", "-pk")
        )
    # A thread's title is found through its first post, as in the PostgreSQL vector.
    matches = Q(source__icontains=query) | Q(number=1, thread__title__icontains=query)
    return posts.filter(matches).order_by("-created_at", "-pk")


def _search_query(query):
    return SearchQuery(query, config=conf.search_config(), search_type="websearch")


def search_page(page: Page, query: str) -> Page:
    """Load the posts of one search page (thread, topic, author) with their `excerpt` (safe
    HTML with <mark>), in one query, keeping the page's order."""
    ids = [post.pk for post in page]
    posts = (
        Post.objects.filter(pk__in=ids)
        .select_related("thread__topic__area", "author__profile")
        .defer("html", "search_vector")
    )
    postgresql = connection.vendor == "postgresql"
    if postgresql and ids:
        posts = posts.annotate(
            headline=SearchHeadline(
                searchable_source(),
                _search_query(query),
                config=conf.search_config(),
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=40,
                min_words=15,
            )
        )
    by_id = {post.pk: post for post in posts} if ids else {}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    for post in page.object_list:
        post.excerpt = _marked(post.headline) if postgresql else _excerpt_around(post.source, query)
    return page
