"""Reads of the topics app, shared by views and tasks. Query counts do not grow with the rows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser as User
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Window,
)
from django.utils.html import escape

from aiii.rawsql import fetch_one
from members.models import ExpertiseArea

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


@dataclass(frozen=True)
class TopicMarks:
    """What a topic page needs besides its cached content (topics/slots.py)."""

    slug: str
    name: str
    hidden: bool
    watching: bool  # whether the reader watches the topic
    reads: dict[int, int]  # {thread id: the number of the last post the reader has seen}


@dataclass(frozen=True)
class ThreadMarks:
    """What a thread page needs besides its cached content (topics/slots.py)."""

    title: str
    post_count: int
    topic_hidden: bool
    last_read: int | None  # the number of the last post the reader has seen; None: never opened
    watching: bool  # whether the reader watches the thread


# The statements a cached topic or thread page makes for its reader are written out and
# planned once per connection (aiii.rawsql.fetch_one): building them with the ORM took 1-2 ms,
# and planning them on each request longer than running them.


def topic_marks(*, user: User, slug: str, thread_ids: list[int]) -> TopicMarks | None:
    """The topic `slug` with `user`'s own marks on it and on the threads `thread_ids` (those
    on the page: one lookup each, in the same row), in one statement; None if there is no such
    topic (whether `user` may see it is the caller's question: topic_visible_to)."""
    # `user` is named once (m.reader): a statement with fewer values is one the driver keeps
    # ready to send.
    read = (
        f"(SELECT r.last_read_number FROM {_table(ThreadRead)} r "
        "WHERE r.user_id = m.reader AND r.thread_id = %s)"
    )
    sql = (
        "SELECT a.slug, a.name, t.hidden, "
        f"EXISTS (SELECT 1 FROM {_table(Subscription)} s "
        "WHERE s.topic_id = t.area_id AND s.user_id = m.reader)"
        + "".join(f", {read}" for _pk in thread_ids)
        + " FROM (SELECT %s AS reader) m, "
        f"{_table(Topic)} t JOIN {_table(ExpertiseArea)} a ON a.id = t.area_id "
        "WHERE a.slug = %s"
    )
    row = fetch_one(DEFAULT_DB_ALIAS, sql, [*thread_ids, user.pk, slug])
    if row is None:
        return None
    return TopicMarks(
        slug=row[0],
        name=row[1],
        hidden=bool(row[2]),
        watching=bool(row[3]),
        reads={pk: number for pk, number in zip(thread_ids, row[4:], strict=True) if number},
    )


def thread_marks(*, user: User, thread_id: int) -> ThreadMarks | None:
    """The thread `thread_id` with `user`'s own marks on it, in one statement; None if there
    is no such thread (whether `user` may see it is the caller's question: topic_visible_to)."""
    sql = (
        "SELECT t.title, t.post_count, p.hidden, "
        f"(SELECT r.last_read_number FROM {_table(ThreadRead)} r "
        "WHERE r.thread_id = t.id AND r.user_id = %s), "
        f"EXISTS (SELECT 1 FROM {_table(Subscription)} s "
        "WHERE s.thread_id = t.id AND s.user_id = %s) "
        f"FROM {_table(Thread)} t JOIN {_table(Topic)} p ON p.area_id = t.topic_id "
        "WHERE t.id = %s"
    )
    row = fetch_one(DEFAULT_DB_ALIAS, sql, [user.pk, user.pk, thread_id])
    if row is None:
        return None
    title, post_count, topic_hidden, last_read, watching = row
    return ThreadMarks(
        title=title,
        post_count=post_count,
        topic_hidden=bool(topic_hidden),
        last_read=last_read,
        watching=bool(watching),
    )


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def topic_threads(*, topic: Topic) -> QuerySet[Thread]:
    """The threads of `topic`, pinned first then by last activity: what every member sees of
    them (how much each member has read is in `topic_marks`)."""
    return (
        Thread.objects.filter(topic=topic)
        .select_related("author__profile")
        .order_by("-pinned", "-last_post_at", "-pk")
    )


def thread_posts(*, thread: Thread) -> QuerySet[Post]:
    return (
        Post.objects.filter(thread=thread)
        .select_related("author__profile", "author__topic_handle")
        .order_by("number")
    )


def page_of(number: int) -> int:
    """The page of the thread on which post `number` is shown."""
    return (max(number, 1) - 1) // conf.posts_per_page() + 1


def first_unread(*, thread_id: int, marks: ThreadMarks) -> Post | None:
    """The first post of the thread its reader has not seen (`marks`: thread_marks), or None
    (never opened, or all seen)."""
    read = marks.last_read
    if read is None or read >= marks.post_count:
        return None
    return Post.objects.filter(thread_id=thread_id, number__gt=read).order_by("number").first()


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
    # Left out: the posts in topics `user` may not see. They are few (none for most members),
    # so each match is checked against that short list; checking it against every visible
    # thread instead took a third of the search's time.
    unseen = Thread.objects.filter(topic__in=Topic.objects.hidden_from(user))
    posts = Post.objects.filter(hidden=False).exclude(thread__in=unseen).only("pk")
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


def search_results(*, user: User, query: str, page: str | None, per_page: int) -> Page:
    """One page of `search_posts` for `user`, loaded by `search_page`.

    The number of matches comes with the page's ids from the same statement (a window count),
    so the matches are found and ranked once, not once to count them and again to rank them.
    A page number past the end or below 1 gives the last page, one that is not a number the
    first (as aiii.pagination does)."""
    matches = search_posts(user=user, query=query)
    paginator = Paginator(matches, per_page)
    number = _page_number(page)
    rows = _ranked_page(matches, number, per_page) if number else []
    if rows:
        paginator.count = rows[0].total
    elif number == 1:
        paginator.count = 0
    else:  # past the end: count, then the last page
        paginator.count = matches.count()
        number = paginator.num_pages
        rows = _ranked_page(matches, number, per_page) if paginator.count else []
    return search_page(Page(rows, number, paginator), query)


def _page_number(raw):
    """The page asked for; None for "the last one"."""
    try:
        number = int(raw) if raw is not None else 1
    except ValueError:
        return 1
    return number if number >= 1 else None


def _ranked_page(matches, number, per_page):
    start = (number - 1) * per_page
    return list(matches.annotate(total=Window(Count("pk")))[start : start + per_page])


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
