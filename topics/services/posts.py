"""Writes of threads and posts: start a thread, reply, edit, mark as read.

A post's Markdown is rendered once here (aiii.markdown: sanitised with an allow-list), and the
source, the clean HTML and the SHA-256 of the source are stored together, with a revision per
version. @mentions are resolved at the same time and become links in the stored HTML.
"""

from __future__ import annotations

import hashlib
import re

from django.contrib.auth.models import AbstractBaseUser as User
from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, Greatest, Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from aiii import fragments
from aiii.audit import audit_record
from aiii.errors import ServiceError
from aiii.markdown import render_markdown
from aiii.state import locked

from .. import conf
from ..models import READER_DATA, AIDisclosure, Post, PostRevision, Thread, ThreadRead, Topic
from ..permissions import can_see_topic
from .handles import resolve_handles
from .notifications import post_notify
from .subscriptions import subscription_add

MENTION = re.compile(r"(?<![\w@/.])@([A-Za-z0-9][A-Za-z0-9-]{0,59})")
_TAG = re.compile(r"(<[^>]*>)")
# Text inside these elements is code or already a link: mentions there stay text.
_NO_LINK_TAGS = ("a", "code", "pre")


def source_sha256(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _clean_source(source):
    source = (source or "").replace("\r\n", "\n").strip()
    if not source:
        raise ServiceError(_("Write something first: the post is empty."))
    limit = conf.post_max_chars()
    if len(source) > limit:
        raise ServiceError(
            _("The post is %(length)s characters long; the limit is %(limit)s.")
            % {"length": len(source), "limit": limit}
        )
    return source


def _clean_disclosure(ai_disclosure, ai_tool):
    if ai_disclosure not in AIDisclosure.values:
        raise ServiceError(_("Say how the post was written."))
    ai_tool = (ai_tool or "").strip()[:100]
    return ai_disclosure, ai_tool if ai_disclosure != AIDisclosure.NONE else ""


def mentioned_handles(source: str) -> list[str]:
    """The @handles in a post's source, lower-cased, in order, without repeats."""
    seen = []
    for match in MENTION.finditer(source):
        handle = match.group(1).lower().rstrip("-")
        if handle not in seen:
            seen.append(handle)
    return seen


def _link_mentions(html, links):
    """Turn @handle into a link to the member's profile, outside links and code."""
    if not links:
        return html
    depth = 0
    parts = _TAG.split(html)
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in _NO_LINK_TAGS:
                depth += -1 if part.startswith("</") else 1
            continue
        if depth > 0 or "@" not in part:
            continue

        def link(match):
            handle = match.group(1).lower().rstrip("-")
            url = links.get(handle)
            if url is None:
                return match.group(0)
            return f'<a class="mention" href="{escape(url)}">@{escape(handle)}</a>'

        parts[index] = MENTION.sub(link, part)
    return "".join(parts)


def render_post(source: str, *, links: dict[str, str] | None = None) -> str:
    """The stored HTML of a post's source (sanitised, mentions linked)."""
    try:
        html = render_markdown(source)
    except RecursionError:
        raise ServiceError(
            _("The post is nested too deeply (lists or quotes inside each other): simplify it.")
        ) from None
    return _link_mentions(html, links or {})


def _mentions(source):
    """{handle: user} of the members the source mentions."""
    return resolve_handles(mentioned_handles(source))


def _profile_links(mentioned):
    links = {}
    for handle, user in mentioned.items():
        profile = getattr(user, "profile", None)
        if profile is not None:
            links[handle] = reverse("members:profile", kwargs={"pk": profile.pk})
    return links


def searchable_source() -> Replace:
    """The source as the search reads it: PostgreSQL's parser drops what looks like an HTML
    element (`<script>x</script>` loses x), and a post's source is text, not HTML."""
    text = TextField()
    inner = Replace("source", Value("<"), Value(" "), output_field=text)
    return Replace(inner, Value(">"), Value(" "), output_field=text)


def _update_search_vector(post, title=None):
    """Keep the post's full-text vector (PostgreSQL) in step with its source; the first post
    of a thread carries the thread's title too, weighted above the text."""
    if connection.vendor != "postgresql":
        return
    config = conf.search_config()
    vector = SearchVector(searchable_source(), config=config, weight="B")
    if title is not None:
        vector = SearchVector(Value(title, output_field=TextField()), config=config, weight="A") + (
            vector
        )
    Post.objects.filter(pk=post.pk).update(search_vector=vector)


def _record_mentions(post, thread, mentioned):
    from ..models import Mention

    notify = [
        user
        for user in mentioned.values()
        if user.pk != post.author_id and can_see_topic(user, thread.topic)
    ]
    Mention.objects.bulk_create(
        [Mention(post=post, user=user) for user in notify], ignore_conflicts=True
    )
    return notify


def _add_post(*, thread, by, source, ai_disclosure, ai_tool, client_token, title=None):
    """Inside the caller's transaction, with `thread` locked: the next post of the thread."""
    if client_token:
        existing = Post.objects.filter(author=by, client_token=client_token).first()
        if existing is not None:
            return existing
    mentioned = _mentions(source)
    html = render_post(source, links=_profile_links(mentioned))
    digest = source_sha256(source)
    number = thread.post_count + 1
    try:
        with transaction.atomic():
            post = Post.objects.create(
                thread=thread,
                number=number,
                author=by,
                source=source,
                html=html,
                source_sha256=digest,
                ai_disclosure=ai_disclosure,
                ai_tool=ai_tool,
                client_token=client_token or "",
            )
    except IntegrityError:
        existing = (
            client_token and Post.objects.filter(author=by, client_token=client_token).first()
        )
        if existing:
            return existing
        raise
    PostRevision.objects.create(
        post=post,
        version=post.version,
        source=source,
        source_sha256=digest,
        ai_disclosure=ai_disclosure,
        ai_tool=ai_tool,
    )
    thread.post_count = number
    thread.last_post_at = post.created_at
    thread.save(update_fields=["post_count", "last_post_at"])
    Topic.objects.filter(pk=thread.topic_id).update(
        last_activity=Greatest(
            Coalesce("last_activity", Value(post.created_at)), Value(post.created_at)
        ),
        thread_count=F("thread_count") + (1 if number == 1 else 0),
    )
    _update_search_vector(post, title=title)
    _record_mentions(post, thread, mentioned)
    subscription_add(user=by, thread=thread)
    thread_mark_read(thread=thread, user=by, number=number)
    # The emails of members who want each post at once are outbox rows of this same
    # transaction (DESIGN.md: every email is written with the change that causes it), so a
    # broker outage delays them but loses none.
    post_notify(post_id=post.pk)
    return post


def _refuse_if_closed(thread):
    if thread.topic.hidden:
        raise ServiceError(_("This topic is closed: nothing can be posted in it."))
    if thread.locked:
        raise ServiceError(_("This thread is locked by the secretariat: no new replies."))


def thread_start(
    *,
    topic: Topic,
    by: User,
    title: str,
    source: str,
    ai_disclosure: str,
    ai_tool: str = "",
    client_token: str = "",
) -> Thread:
    """A new thread in `topic`, with its first post; its author watches it."""
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError(_("Give the thread a title."))
    source = _clean_source(source)
    ai_disclosure, ai_tool = _clean_disclosure(ai_disclosure, ai_tool)
    with transaction.atomic():
        if client_token:
            existing = (
                Post.objects.filter(author=by, client_token=client_token)
                .select_related("thread")
                .first()
            )
            if existing is not None:
                return existing.thread
        if topic.hidden:
            raise ServiceError(_("This topic is closed: nothing can be posted in it."))
        thread = Thread.objects.create(topic=topic, title=title[:200], author=by)
        thread.topic = topic
        _add_post(
            thread=thread,
            by=by,
            source=source,
            ai_disclosure=ai_disclosure,
            ai_tool=ai_tool,
            client_token=client_token,
            title=thread.title,
        )
    return thread


def post_reply(
    *,
    thread: Thread,
    by: User,
    source: str,
    ai_disclosure: str,
    ai_tool: str = "",
    client_token: str = "",
) -> Post:
    """A reply at the end of `thread`. The same form submitted twice (same `client_token`)
    gives the one post; a locked thread or a hidden topic refuses it."""
    source = _clean_source(source)
    ai_disclosure, ai_tool = _clean_disclosure(ai_disclosure, ai_tool)
    with transaction.atomic():
        # The thread's row lock numbers the posts one after another.
        current = locked(Thread.objects.select_related("topic__area"), thread.pk)
        if client_token:
            existing = Post.objects.filter(author=by, client_token=client_token).first()
            if existing is not None:
                return existing
        _refuse_if_closed(current)
        return _add_post(
            thread=current,
            by=by,
            source=source,
            ai_disclosure=ai_disclosure,
            ai_tool=ai_tool,
            client_token=client_token,
        )


def post_edit(
    *, post: Post, by: User, source: str, ai_disclosure: str, ai_tool: str = "", version: int
) -> Post:
    """The author changes their post: a new revision (with its SHA-256), the HTML rendered
    again, "edited" shown. An edit on a stale page (someone else's change, a hide) is refused."""
    source = _clean_source(source)
    ai_disclosure, ai_tool = _clean_disclosure(ai_disclosure, ai_tool)
    with transaction.atomic():
        current = locked(
            Post.objects.select_related("thread__topic__area"),
            post.pk,
            version=version,
            stale=_("The post changed since you opened it; nothing was saved. Edit it again."),
        )
        if current.author_id != by.pk:
            raise ServiceError(_("Only the author may edit a post."))
        if current.hidden:
            raise ServiceError(_("The secretariat has hidden this post: it cannot be edited."))
        _refuse_if_closed(current.thread)
        if source == current.source and (ai_disclosure, ai_tool) == (
            current.ai_disclosure,
            current.ai_tool,
        ):
            return current
        mentioned = _mentions(source)
        current.source = source
        current.html = render_post(source, links=_profile_links(mentioned))
        current.source_sha256 = source_sha256(source)
        current.ai_disclosure = ai_disclosure
        current.ai_tool = ai_tool
        current.edited_at = timezone.now()
        current.bump_version()
        current.save(
            update_fields=[
                "source",
                "html",
                "source_sha256",
                "ai_disclosure",
                "ai_tool",
                "edited_at",
                "version",
            ]
        )
        PostRevision.objects.create(
            post=current,
            version=current.version,
            source=source,
            source_sha256=current.source_sha256,
            ai_disclosure=ai_disclosure,
            ai_tool=ai_tool,
        )
        _update_search_vector(current, title=current.thread.title if current.number == 1 else None)
        # Only members not mentioned before hear about it (no second notice for an edit).
        _record_mentions(current, current.thread, mentioned)
        audit_record(
            actor=by,
            action="post.edit",
            target=current,
            data={"version": current.version, "sha256": current.source_sha256},
        )
    return current


def thread_mark_read(*, thread: Thread, user: User, number: int) -> None:
    """Remember that `user` has seen `thread` up to post `number` (never moves back)."""
    if not getattr(user, "is_authenticated", False) or number <= 0:
        return
    updated = ThreadRead.objects.filter(user=user, thread=thread).update(
        last_read_number=Greatest("last_read_number", Value(number))
    )
    if not updated:
        ThreadRead.objects.bulk_create(
            [ThreadRead(user=user, thread=thread, last_read_number=number)],
            ignore_conflicts=True,
        )
    fragments.changed_for(READER_DATA, user.pk)  # what is unread on their home
