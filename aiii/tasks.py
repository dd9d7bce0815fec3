import logging

from celery import shared_task

from . import outbox

logger = logging.getLogger(__name__)


@shared_task(
    name="aiii.send_outbox_email",
    bind=True,
    max_retries=7,
    acks_late=True,
)
def send_outbox_email(self, *, email_id):
    try:
        outbox.outbox_send(email_id=email_id)
    except Exception as exc:
        # 30 s, 1 min, 2 min … capped at an hour; the sweep takes over after the last retry.
        countdown = min(30 * 2**self.request.retries, 3600)
        raise self.retry(exc=exc, countdown=countdown) from exc


@shared_task(name="aiii.sweep_outbox")
def sweep_outbox():
    count = outbox.outbox_sweep()
    if count:
        logger.info("Outbox sweep re-enqueued %s emails.", count)
    return count


@shared_task(name="aiii.clear_expired_sessions")
def clear_expired_sessions():
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
