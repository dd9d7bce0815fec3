"""Watching a topic or a thread."""

from django.db import IntegrityError, transaction

from ..models import Subscription


def subscription_add(*, user, topic=None, thread=None):
    """`user` watches `topic` or `thread` (idempotent)."""
    if (topic is None) == (thread is None):
        raise ValueError("Watch a topic or a thread, not both or neither.")
    try:
        with transaction.atomic():
            Subscription.objects.get_or_create(user=user, topic=topic, thread=thread)
    except IntegrityError:  # a double click raced itself: it is watched either way
        pass


def subscription_remove(*, user, topic=None, thread=None):
    if (topic is None) == (thread is None):
        raise ValueError("Unwatch a topic or a thread, not both or neither.")
    Subscription.objects.filter(user=user, topic=topic, thread=thread).delete()
