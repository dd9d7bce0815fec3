"""Thin tasks: ids in, one service call; idempotent through unique keys and DigestSent rows."""

import logging

from celery import shared_task

from .services import notifications

logger = logging.getLogger(__name__)


@shared_task(name="topics.send_digests", acks_late=True)
def send_digests(*, kind):
    """Beat: split this period's recipients of `kind` ("daily" or "weekly") into batches."""
    period, batches = notifications.digest_batches(kind=kind)
    for user_ids in batches:
        send_digest_batch.delay(kind=kind, period=period, user_ids=user_ids)
    logger.info("Digest %s: %s batches queued.", period, len(batches))
    return len(batches)


@shared_task(name="topics.send_digest_batch", acks_late=True)
def send_digest_batch(*, kind, period, user_ids):
    return notifications.digest_send_batch(kind=kind, period=period, user_ids=user_ids)
