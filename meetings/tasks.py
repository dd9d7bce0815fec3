"""The meetings app's tasks: thin, ids in, idempotent through the rows' own state."""

import logging

from celery import shared_task

from aiii.outbox import outbox_enqueue

logger = logging.getLogger(__name__)


@shared_task(name="meetings.enqueue_emails")
def enqueue_emails(*, email_ids):
    """Hand a batch of outbox rows (e.g. 500 invitations) to the sending task, one by one; a row
    already sent is skipped by the sending task itself."""
    handed = 0
    for email_id in email_ids:
        if not outbox_enqueue(email_id=email_id):
            break  # the broker is down: the outbox sweep takes the rest later
        handed += 1
    return handed


@shared_task(name="meetings.send_reminders")
def send_reminders():
    from .services import meetings_remind

    count = meetings_remind()
    if count:
        logger.info("Queued %s meeting reminders.", count)
    return count
