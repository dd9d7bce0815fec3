"""The email outbox: every email is a row first, sent by a task once the transaction commits.

    email_queue(to=[...], template="members/email/approved", context={...},
                idempotency_key=f"application-approved:{application.pk}:{decision.pk}")

Templates: `<template>_subject.txt`, `<template>.txt` and, when present, `<template>.html`,
rendered at queue time in the recipient's language, so the worker needs no request or locale.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxEmail

logger = logging.getLogger(__name__)


def render_email(*, template, context, language=None):
    """Subject, plain text and HTML (or "") of an email template."""
    context = {"site_url": settings.AIII_SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = ""
    subject = " ".join(subject.split())
    return subject, text, html


def email_queue_message(
    *, to, subject, body_text, body_html="", idempotency_key, headers=None, attachments=None
):
    """Record a ready-made email; it is sent after the surrounding transaction commits.

    The same idempotency key twice records (and sends) one email: the second call returns the
    first row.
    """
    if isinstance(to, str):
        to = [to]
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    if prefix and not subject.startswith(prefix):
        subject = prefix + subject
    try:
        with transaction.atomic():
            row = OutboxEmail.objects.create(
                idempotency_key=idempotency_key,
                to=list(to),
                from_email=settings.DEFAULT_FROM_EMAIL,
                subject=subject[:300],
                body_text=body_text,
                body_html=body_html,
                headers=headers or {},
                attachments=attachments or [],
            )
    except IntegrityError:
        return OutboxEmail.objects.get(idempotency_key=idempotency_key)
    transaction.on_commit(lambda: _enqueue(row.pk))
    return row


def email_queue(
    *, to, template, context, idempotency_key, language=None, headers=None, attachments=None
):
    """Render `template` and record the email (see email_queue_message)."""
    subject, text, html = render_email(template=template, context=context, language=language)
    return email_queue_message(
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        idempotency_key=idempotency_key,
        headers=headers,
        attachments=attachments,
    )


def _enqueue(email_id):
    from .tasks import send_outbox_email

    try:
        send_outbox_email.delay(email_id=email_id)
    except Exception:  # the broker is down: the row stays queued and the sweep sends it later
        logger.warning("Could not enqueue outbox email %s; the sweep will retry.", email_id)


class AlreadyHandled(Exception):
    pass


def outbox_claim(*, email_id):
    """Move a queued row to sending; None if it is gone or already sent or being sent."""
    with transaction.atomic():
        row = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if row is None or row.status == OutboxEmail.Status.SENT:
            return None
        if row.status == OutboxEmail.Status.FAILED:
            return None
        if row.status == OutboxEmail.Status.SENDING:
            # Another worker claimed it; only a stale claim (a crashed worker) is taken over.
            if timezone.now() - row.updated_at < settings.AIII_OUTBOX_STALE_AFTER:
                return None
        row.status = OutboxEmail.Status.SENDING
        row.attempts += 1
        row.save(update_fields=["status", "attempts", "updated_at"])
        return row


def outbox_send(*, email_id):
    """Send one outbox row. Returns the row's final status, or None when there was nothing to do.

    Raises the delivery error after recording it, so the task can retry with backoff.
    """
    row = outbox_claim(email_id=email_id)
    if row is None:
        return None
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=row.from_email,
        to=row.to,
        headers=row.headers or None,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        message.send()
    except Exception as exc:
        final = row.attempts >= settings.AIII_OUTBOX_MAX_ATTEMPTS
        OutboxEmail.objects.filter(pk=row.pk).update(
            status=OutboxEmail.Status.FAILED if final else OutboxEmail.Status.QUEUED,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            updated_at=timezone.now(),
        )
        raise
    OutboxEmail.objects.filter(pk=row.pk).update(
        status=OutboxEmail.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        updated_at=timezone.now(),
    )
    return OutboxEmail.Status.SENT


def outbox_sweep():
    """Hand rows left queued or sending (broker down, crashed worker) to the worker again."""
    cutoff = timezone.now() - settings.AIII_OUTBOX_STALE_AFTER
    stale = list(
        OutboxEmail.objects.filter(
            status__in=[OutboxEmail.Status.QUEUED, OutboxEmail.Status.SENDING],
            updated_at__lt=cutoff,
        ).values_list("pk", flat=True)[:1000]
    )
    for email_id in stale:
        _enqueue(email_id)
    return len(stale)
