"""Emails to many participants at once: rendered per recipient (their language, their RSVP
link), written to the outbox with one INSERT, handed to the worker by one task after commit."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.html import escape

from aiii.models import OutboxEmail
from aiii.outbox import render_email, task_publish

logger = logging.getLogger(__name__)


def queue_many(messages):
    """`messages`: dicts with to, template, context, idempotency_key and optionally language,
    attachments, sensitive and `fill`. Returns how many rows are new.

    Messages that share one context object (and template and language) are rendered once: the
    per-recipient parts are placeholders in that context, and `fill` ({placeholder: value})
    puts each recipient's values in the rendered text. So 500 invitations cost one rendering
    per language, not 500.

    A key already in the outbox (a retried transaction) is skipped, as email_queue does, so
    nothing goes out twice; the rows commit or roll back with the caller's transaction.
    """
    if not messages:
        return 0
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    rendered = {}
    rows = []
    for message in messages:
        cache_key = (message["template"], message.get("language"), id(message["context"]))
        if cache_key not in rendered:
            rendered[cache_key] = render_email(
                template=message["template"],
                context=message["context"],
                language=message.get("language"),
            )
        subject, text, html = rendered[cache_key]
        for placeholder, value in (message.get("fill") or {}).items():
            subject = subject.replace(placeholder, value)
            text = text.replace(placeholder, value)
            html = html.replace(placeholder, escape(value))
        if prefix and not subject.startswith(prefix):
            subject = prefix + subject
        rows.append(
            OutboxEmail(
                idempotency_key=message["idempotency_key"],
                to=[message["to"]],
                from_email=settings.DEFAULT_FROM_EMAIL,
                subject=subject[:300],
                body_text=text,
                body_html=html,
                attachments=message.get("attachments") or [],
                sensitive=message.get("sensitive", False),
            )
        )
    keys = [row.idempotency_key for row in rows]
    existing = set(
        OutboxEmail.objects.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
    OutboxEmail.objects.bulk_create(
        [row for row in rows if row.idempotency_key not in existing],
        batch_size=500,
        ignore_conflicts=True,
    )
    new_ids = list(
        OutboxEmail.objects.filter(
            idempotency_key__in=[key for key in keys if key not in existing],
            status=OutboxEmail.Status.QUEUED,
        ).values_list("pk", flat=True)
    )
    if new_ids:
        transaction.on_commit(lambda: _enqueue(new_ids))
    return len(new_ids)


def _enqueue(email_ids):
    from ..tasks import enqueue_emails

    # Guarded like every publish: a broker that is down or frozen costs the request at most
    # its one-second timeouts; the rows are safe in the outbox and the sweep sends them.
    task_publish(enqueue_emails, email_ids=email_ids)
