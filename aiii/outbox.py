"""The email outbox: every email is a row first, sent by a task once the transaction commits.

    email_queue(to=[...], template="members/email/approved", context={...},
                idempotency_key=f"application-approved:{application.pk}:{decision.pk}")

Templates: `<template>_subject.txt`, `<template>.txt` and, when present, `<template>.html`,
rendered at queue time in the recipient's language, so the worker needs no request or locale.
The subject and the plain-text part are rendered without HTML escaping (an "&" stays "&");
the HTML part is escaped as usual.

A row moves queued → sending → sent, or back to queued after a failed attempt (with a backoff
in next_attempt_at), or to failed after AIII_OUTBOX_MAX_ATTEMPTS attempts. The status is the
guard that makes the task idempotent: a retried, redelivered or swept task that finds the row
anything but queued does nothing.

Secrets at rest: an email that carries a credential (a password-reset or confirmation link, an
invitation) is queued with sensitive=True, and once sent its body is replaced by a note; in any
other sent email, links under TOKEN_LINK_PATHS are removed. The daily purge (outbox_purge)
empties the bodies of all emails sent or given up more than AIII_OUTBOX_RETENTION_DAYS ago.
"""

import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from .languages import served_language
from .models import OutboxEmail

logger = logging.getLogger(__name__)

# Publishing a task must not hold the user's request for long when the broker is down: the row
# is safe in the database and the sweep hands it over later. One retry, at once, covers a pooled
# connection that a Redis restart has closed; each try is bounded by the broker's one-second
# socket timeouts (CELERY_BROKER_TRANSPORT_OPTIONS).
ENQUEUE_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0,
    "interval_max": 0,
}
# After a failed publish this process does not try that broker again for this many seconds: during
# an outage (or with Redis frozen) each request would otherwise wait for the timeouts again.
ENQUEUE_PAUSE_AFTER_FAILURE = 10
BACKOFF_FIRST = 30  # seconds before the second attempt; doubled for each one after it
BACKOFF_MAX = 3600

# Paths of links whose address is a credential: whoever reads the link can use it. Once an email
# is sent, links under these paths are removed from its row (also from rows not flagged
# sensitive, as a safety net). A new kind of signed link belongs here, and its email is queued
# with sensitive=True.
TOKEN_LINK_PATHS = (
    "/accounts/password/reset/key/",
    "/accounts/confirm-email/",
    "/apply/invitation/",
    "/meetings/rsvp/",
    "/topics/unsubscribe/",
    "/meetings/feed/",
)
LINK_REMOVED = "[link removed after sending]"
_TOKEN_LINK = re.compile(
    r"(?:https?://[^\s\"'<>/]+)?(?:"
    + "|".join(re.escape(path) for path in TOKEN_LINK_PATHS)
    + r")[^\s\"'<>]*"
)


def _render_plain(name, context):
    """Render a text template with autoescaping off: plain text is not HTML."""
    template = get_template(name)
    inner = getattr(template, "template", None)  # the Django engine's own Template
    if inner is None:
        return template.render(context)
    return inner.render(Context(context, autoescape=False))


def render_email(*, template, context, language=None):
    """Subject, plain text and HTML (or "") of an email template."""
    context = {
        "site_url": settings.AIII_SITE_URL,
        "contact_email": settings.AIII_CONTACT_EMAIL,
        **context,
    }
    # An email, like a page, never claims a language it is not written in (see
    # AIII_LANGUAGES_READY): the recipient's choice applies once its translation is done.
    with translation.override(served_language(language)):
        subject = _render_plain(f"{template}_subject.txt", context)
        text = _render_plain(f"{template}.txt", context)
        try:
            html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = ""
    subject = " ".join(subject.split())
    return subject, text, html


def email_queue_message(
    *,
    to,
    subject,
    body_text,
    body_html="",
    idempotency_key,
    headers=None,
    attachments=None,
    sensitive=False,
):
    """Record a ready-made email; it is sent after the surrounding transaction commits.

    `sensitive`: the body carries a credential (a link that signs in, resets a password,
    confirms an address or opens an invitation); once sent, the row keeps only a note.

    The same idempotency key twice records (and sends) one email: the second call returns the
    first row and enqueues nothing. If the surrounding transaction rolls back, the row and the
    enqueueing go with it.
    """
    if isinstance(to, str):
        to = [to]
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    if prefix and not subject.startswith(prefix):
        subject = prefix + subject
    try:
        # A savepoint, so a duplicate key does not break the caller's transaction.
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
                sensitive=sensitive,
            )
    except IntegrityError:
        existing = OutboxEmail.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:  # not a duplicate key: some other constraint failed
            raise
        if existing.to != list(to) or existing.subject != subject[:300]:
            # Two different emails under one key: a caller's key is not specific enough.
            logger.error(
                "Outbox key %r reused for a different email (%s); the first one stands.",
                idempotency_key,
                subject,
            )
        return existing
    email_id = row.pk
    transaction.on_commit(lambda: outbox_enqueue(email_id=email_id))
    return row


def email_queue(
    *,
    to,
    template,
    context,
    idempotency_key,
    language=None,
    headers=None,
    attachments=None,
    sensitive=False,
):
    """Render `template` and record the email (see email_queue_message)."""
    subject, text, html = render_email(template=template, context=context, language=language)
    # Mail clients (and screen readers in them) read the language from this header.
    headers = {"Content-Language": served_language(language), **(headers or {})}
    return email_queue_message(
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        idempotency_key=idempotency_key,
        headers=headers,
        attachments=attachments,
        sensitive=sensitive,
    )


class _BrokerPause:
    """The last publish failure per broker URL, shared by the threads of this process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.failures = {}  # broker URL -> (time.monotonic() of the failure, error text)

    def current(self, url):
        """The error of a failure less than ENQUEUE_PAUSE_AFTER_FAILURE seconds ago, or None."""
        with self.lock:
            failure = self.failures.get(url)
        if failure is None or time.monotonic() - failure[0] >= ENQUEUE_PAUSE_AFTER_FAILURE:
            return None
        return failure[1]

    def failed(self, url, error):
        with self.lock:
            self.failures[url] = (time.monotonic(), error)

    def reset(self):
        with self.lock:
            self.failures.clear()


broker_pause = _BrokerPause()


def _mark_due(email_id, error):
    # Due at once for the sweep (its cutoff is a staleness period back), instead of after it.
    OutboxEmail.objects.filter(pk=email_id, status=OutboxEmail.Status.QUEUED).update(
        next_attempt_at=timezone.now() - settings.AIII_OUTBOX_STALE_AFTER,
        last_error=f"Not enqueued: {error}"[:2000],
    )


def outbox_redacted_bodies(row):
    """The bodies and headers a sent row keeps: a note for a sensitive email, otherwise the
    bodies without their credential links; headers (List-Unsubscribe) without them either."""
    headers = {
        name: _TOKEN_LINK.sub(LINK_REMOVED, value) if isinstance(value, str) else value
        for name, value in (row.headers or {}).items()
    }
    if row.sensitive:
        note = gettext(
            "[The text of this email was removed after sending: it contained a personal link.]"
        )
        return {"body_text": note, "body_html": "", "headers": headers}
    return {
        "body_text": _TOKEN_LINK.sub(LINK_REMOVED, row.body_text),
        "body_html": _TOKEN_LINK.sub(LINK_REMOVED, row.body_html),
        "headers": headers,
    }


def task_publish(task, **kwargs):
    """Publish `task` with `kwargs` without holding the request when the broker is down or
    frozen: one quick retry, the broker's one-second timeouts, and after a failure this process
    leaves the broker alone for ENQUEUE_PAUSE_AFTER_FAILURE seconds. Returns None when the
    broker took it, else the error (nothing is raised: what was to be sent is in the outbox)."""
    url = task.app.conf.broker_url
    error = broker_pause.current(url)
    if error is not None:
        return error
    try:
        task.apply_async(kwargs=kwargs, retry=True, retry_policy=ENQUEUE_RETRY_POLICY)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        broker_pause.failed(url, error)
        logger.warning(
            "Could not hand %s to the worker (%s); the outbox sweep takes it over, and this "
            "process publishes nothing for %s s.",
            task.name,
            error,
            ENQUEUE_PAUSE_AFTER_FAILURE,
        )
        return error
    return None


def outbox_enqueue(*, email_id):
    """Hand one row to the worker. True if the broker took it.

    A broker outage is not the user's problem: the row stays queued, is marked due for the
    next sweep, and nothing is raised (see task_publish).
    """
    from .tasks import send_outbox_email

    error = task_publish(send_outbox_email, email_id=email_id)
    if error is not None:
        _mark_due(email_id, error)
        return False
    return True


def outbox_backoff(*, attempts):
    """Seconds to wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min … 1 h."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def outbox_claim(*, email_id):
    """Move a queued row to sending and count the attempt; None if there is nothing to do.

    The row lock makes two workers holding the same task (a redelivery, a sweep) take turns:
    the second finds the row sending or sent and leaves it.
    """
    with transaction.atomic():
        row = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if row is None or row.status != OutboxEmail.Status.QUEUED:
            return None
        row.status = OutboxEmail.Status.SENDING
        row.attempts += 1
        row.save(update_fields=["status", "attempts", "updated_at"])
        return row


def outbox_message(row):
    """The EmailMultiAlternatives for an outbox row."""
    headers = dict(row.headers or {})
    if not any(name.lower() == "message-id" for name in headers):
        # The same Message-ID on every attempt, so a rare duplicate (see outbox_send) is the
        # same message to mail clients and archives, not a second one.
        domain = urlparse(settings.AIII_SITE_URL).hostname or "aiii.invalid"
        headers["Message-ID"] = f"<outbox-{row.pk}-{row.created_at:%Y%m%d%H%M%S}@{domain}>"
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=row.from_email,
        to=row.to,
        headers=headers,
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


@dataclass(frozen=True)
class OutboxAttempt:
    status: str  # the row's status after the attempt
    retry_in: int | None = None  # seconds until the next attempt, when one is due
    error: str = ""


def outbox_send(*, email_id):
    """Make one attempt at sending a row. Returns an OutboxAttempt, or None when there was
    nothing to do (gone, already sent or failed, or another worker is sending it)."""
    row = outbox_claim(email_id=email_id)
    if row is None:
        return None
    # The attempt number is the claim's token: a stale claim that the sweep took back and
    # handed to another worker must not overwrite what that worker recorded.
    mine = OutboxEmail.objects.filter(pk=row.pk, attempts=row.attempts)
    try:
        outbox_message(row).send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        now = timezone.now()
        if row.attempts >= settings.AIII_OUTBOX_MAX_ATTEMPTS:
            mine.filter(status=OutboxEmail.Status.SENDING).update(
                status=OutboxEmail.Status.FAILED, last_error=error, updated_at=now
            )
            logger.error(
                "Outbox email %s failed for good after %s attempts: %s", row.pk, row.attempts, error
            )
            return OutboxAttempt(status=OutboxEmail.Status.FAILED, error=error)
        delay = outbox_backoff(attempts=row.attempts)
        mine.filter(status=OutboxEmail.Status.SENDING).update(
            status=OutboxEmail.Status.QUEUED,
            next_attempt_at=now + timedelta(seconds=delay),
            last_error=error,
            updated_at=now,
        )
        logger.warning("Outbox email %s attempt %s failed: %s", row.pk, row.attempts, error)
        return OutboxAttempt(status=OutboxEmail.Status.QUEUED, retry_in=delay, error=error)
    # The window between "the mail server accepted it" and "the row says sent": a crash here
    # (worker killed, database gone) leaves the row in sending; the sweep takes it back after
    # AIII_OUTBOX_STALE_AFTER and it goes out a second time. We choose at-least-once on
    # purpose: marking the row sent *before* sending would turn the same crash into a lost
    # email, and a lost password reset or vetting decision is worse than a rare duplicate
    # (which carries the same Message-ID). The window is one UPDATE long.
    now = timezone.now()
    mine.update(
        status=OutboxEmail.Status.SENT,
        sent_at=now,
        last_error="",
        updated_at=now,
        # No live credential stays in the database once the email is out.
        **outbox_redacted_bodies(row),
    )
    return OutboxAttempt(status=OutboxEmail.Status.SENT)


def outbox_sweep(*, limit=500):
    """Hand rows that were left behind to the worker again; returns how many were handed over.

    Left behind: queued rows whose attempt is overdue by AIII_OUTBOX_STALE_AFTER (the broker
    was down, or the task was lost), and rows in sending for that long (the worker that claimed
    them died). Stops at the first broker failure: the next sweep tries again.
    """
    now = timezone.now()
    cutoff = now - settings.AIII_OUTBOX_STALE_AFTER
    with transaction.atomic():
        abandoned = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxEmail.Status.SENDING, updated_at__lt=cutoff)
            .values_list("pk", flat=True)[:limit]
        )
        if abandoned:
            logger.warning("Outbox sweep: taking back abandoned claims %s.", abandoned)
            OutboxEmail.objects.filter(pk__in=abandoned).update(
                status=OutboxEmail.Status.QUEUED,
                next_attempt_at=cutoff,
                last_error="The worker sending it stopped before recording the result.",
                updated_at=now,
            )
    due = list(
        OutboxEmail.objects.filter(status=OutboxEmail.Status.QUEUED, next_attempt_at__lte=cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    handed = []
    for email_id in due:
        if not outbox_enqueue(email_id=email_id):
            break
        handed.append(email_id)
    # Not due again for another staleness period, so a slow queue is not flooded with copies.
    # Only rows no worker touched meanwhile: a failed attempt has set its own backoff since.
    OutboxEmail.objects.filter(
        pk__in=handed, status=OutboxEmail.Status.QUEUED, next_attempt_at__lte=cutoff
    ).update(next_attempt_at=now)
    return len(handed)


def outbox_purge(*, now=None):
    """Empty the bodies of emails sent, or given up, more than AIII_OUTBOX_RETENTION_DAYS ago.

    Subject, recipients, status and dates stay, so the outbox still says what was sent to whom
    and when. Returns how many rows were emptied; a second run finds nothing more to do.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AIII_OUTBOX_RETENTION_DAYS)
    return OutboxEmail.objects.filter(
        Q(status=OutboxEmail.Status.SENT, sent_at__lt=cutoff)
        | Q(status=OutboxEmail.Status.FAILED, updated_at__lt=cutoff),
        purged_at__isnull=True,
    ).update(body_text="", body_html="", attachments=[], purged_at=now)
