"""Members' pages of the topic threads: topics, threads, posts, watching, flags, search, and the
one-click unsubscribe of the emails (the only public page here)."""

from .common import post_url
from .reading import post, post_history, search, thread, thread_page_for_action, topic, topic_list
from .writing import (
    post_edit_view,
    post_flag_view,
    reply,
    thread_new,
    thread_watch,
    topic_watch,
    unsubscribe,
)

__all__ = [
    "post",
    "post_edit_view",
    "post_flag_view",
    "post_history",
    "post_url",
    "reply",
    "search",
    "thread",
    "thread_new",
    "thread_page_for_action",
    "thread_watch",
    "topic",
    "topic_list",
    "topic_watch",
    "unsubscribe",
]
