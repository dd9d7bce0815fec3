"""The portal's own tasks. Thin: ids in, one service call, idempotent through the row's state."""

import logging

from celery import shared_task
from django.conf import settings

from . import outbox

logger = logging.getLogger(__name__)


@shared_task(
    name="aiii.send_outbox_email",
    bind=True,
    acks_late=True,
    # The row counts the attempts (AIII_OUTBOX_MAX_ATTEMPTS); Celery need not.
    max_retries=None,
    # Below AIII_OUTBOX_STALE_AFTER (settings.py checks it), so a hung attempt has ended before
    # the sweep takes its row back: the soft limit raises inside the attempt (the row goes back
    # to queued with a backoff), the hard one kills the worker process.
    soft_time_limit=settings.AIII_OUTBOX_SEND_TIME_LIMIT - settings.EMAIL_TIMEOUT,
    time_limit=settings.AIII_OUTBOX_SEND_TIME_LIMIT,
)
def send_outbox_email(self, *, email_id):
    attempt = outbox.outbox_send(email_id=email_id)
    if attempt is None:
        logger.info("Outbox email %s: nothing to do (gone, sent, failed or being sent).", email_id)
        return None
    if attempt.retry_in is not None and not self.request.is_eager:
        # In-process (eager) mode would retry at once, without the backoff: there the row stays
        # queued with its next_attempt_at and the sweep sends it.
        raise self.retry(countdown=attempt.retry_in)
    return attempt.status


@shared_task(name="aiii.sweep_outbox")
def sweep_outbox():
    count = outbox.outbox_sweep()
    if count:
        logger.info("Outbox sweep handed %s emails to the worker.", count)
    return count


@shared_task(name="aiii.purge_outbox")
def purge_outbox():
    count = outbox.outbox_purge()
    if count:
        logger.info("Outbox purge emptied %s sent emails.", count)
    return count


@shared_task(name="aiii.clear_expired_sessions")
def clear_expired_sessions():
    from django.utils import timezone

    from .models import Session

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
