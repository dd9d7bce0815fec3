"""Parts of the topics' pages rendered once per process for what they show: the posts of a
thread page, the empty reply form, the "3 new" of a thread in a topic's list.

A thread page's content is kept in the cache (aiii/fragments.py) until anything in the topics
changes; then all of it is rendered again, and its 25 posts were most of that time (10-15 ms).
Yet a post looks the same as long as what it shows is the same: its own fields, its author's
name and handle, whether the thread takes replies, the viewer's role, language and time zone.
Under exactly those values (`_key`) its HTML is kept in this process's memory, so a new reply
renders one post, not the page's 25.

A post's HTML holds nothing about its reader: their marks are slots (topics/slots.py), and a
form's CSRF token is the placeholder every kept page has (aiii.page_tokens.csrf_placeholder), which
each request's own token replaces.
"""

import functools
import hashlib

from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from aiii.memory import Memory
from aiii.page_tokens import csrf_placeholder

from . import conf, slots
from .forms import ReplyForm

TEMPLATE = "topics/includes/post.html"
POST_MEMORY = 2048  # posts kept: a few KB each
POST_MEMORY_CHARS = 16_000_000  # and never more than this much text in all

memory = Memory(POST_MEMORY, max_chars=POST_MEMORY_CHARS)


def _key(post, *, thread, moderator, can_post):
    profile = post.author.profile
    handle = getattr(post.author, "topic_handle", None)
    return (
        post.pk,
        post.version,
        post.number,
        # What the post says, as a digest: the key does not hold a second copy of the text.
        hashlib.blake2b(post.html.encode(), digest_size=16).digest(),
        post.hidden,
        post.hidden_reason,
        post.ai_disclosure,
        post.ai_tool,
        post.created_at,
        post.edited_at,
        post.author_id,
        profile.pk,
        profile.full_name,
        handle.handle if handle else None,
        thread.pk,
        thread.locked,
        can_post,
        moderator,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )


def render_posts(posts, *, thread, moderator, can_post):
    """Give each of `posts` its HTML as `rendered` (each with `moderate_form` set for a
    moderator, as the template shows it)."""
    for post in posts:
        key = _key(post, thread=thread, moderator=moderator, can_post=can_post)
        html = None if settings.DEBUG else memory.get(key)  # templates change on disk
        if html is None:
            context = {
                "post": post,
                "thread": thread,
                "moderator": moderator,
                "can_post": can_post,
                "csrf_token": csrf_placeholder(),
            }
            html = render_to_string(TEMPLATE, context)
            if not settings.DEBUG:
                memory.put(key, html)
        post.rendered = mark_safe(html)
    return posts


@functools.lru_cache(maxsize=64)
def _reply_form_in(language, max_chars):
    # A slot for its one-time key: each request fills in its own (forms._OneTimeToken).
    return mark_safe(str(ReplyForm(initial={"token": slots.value("token")})))


def reply_form():
    """The empty reply form of a thread page: the same markup for every thread (rendering its
    fields took a millisecond), kept per language and length limit."""
    if settings.DEBUG:  # templates change on disk
        _reply_form_in.cache_clear()
    return _reply_form_in(translation.get_language(), conf.post_max_chars())


@functools.lru_cache(maxsize=1024)
def _unread_badge_in(language, unread):
    html = render_to_string("topics/includes/unread_badge.html", {"unread": unread})
    return mark_safe(html.rstrip("\n"))


def unread_badge(language, unread):
    """The "3 new" of a thread in a topic's list (nothing for 0), kept per language and number
    rather than rendered for each row of each request."""
    if settings.DEBUG:  # templates change on disk
        _unread_badge_in.cache_clear()
    return _unread_badge_in(language, unread) if unread > 0 else ""


def _forget(**kwargs):
    # A test changed a setting a part may depend on.
    memory.clear()
    _reply_form_in.cache_clear()
    _unread_badge_in.cache_clear()


setting_changed.connect(_forget, dispatch_uid="topics.rendering.forget")
