"""Watching a topic or a thread."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser as User
from django.db import IntegrityError, transaction

from aiii import fragments

from ..models import READER_DATA, Subscription, Thread, Topic


def subscription_add(
    *, user: User, topic: Topic | None = None, thread: Thread | None = None
) -> None:
    """`user` watches `topic` or `thread` (idempotent)."""
    if (topic is None) == (thread is None):
        raise ValueError("Watch a topic or a thread, not both or neither.")
    try:
        with transaction.atomic():
            Subscription.objects.get_or_create(user=user, topic=topic, thread=thread)
    except IntegrityError:  # a double click raced itself: it is watched either way
        pass
    fragments.changed_for(READER_DATA, user.pk)


def subscription_remove(
    *, user: User, topic: Topic | None = None, thread: Thread | None = None
) -> None:
    if (topic is None) == (thread is None):
        raise ValueError("Unwatch a topic or a thread, not both or neither.")
    Subscription.objects.filter(user=user, topic=topic, thread=thread).delete()
    fragments.changed_for(READER_DATA, user.pk)
