from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEmail(models.Model):
    """An email the portal has decided to send, recorded in the transaction that decided it.

    The row is the truth: a task sends it, a retry or a redelivered task finds it already sent,
    and the sweep hands rows that were left behind to the worker again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    idempotency_key = models.CharField(max_length=200, unique=True)
    to = models.JSONField(default=list)
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # Attachments as a list of {"filename", "content" (text), "mimetype"}: iCalendar invitations.
    attachments = models.JSONField(default=list, blank=True)
    # The body carries a credential (a password-reset or confirmation link, an invitation):
    # once sent, the whole body is replaced by a note (aiii.outbox.outbox_redact).
    sensitive = models.BooleanField(default=False)
    # When the retention purge emptied the body; subject, recipients and dates stay.
    purged_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When the next attempt is due: now for a new row, later after a failure (the backoff).
    # The sweep only takes queued rows whose attempt is overdue by AIII_OUTBOX_STALE_AFTER.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    # For a row in "sending": when the current attempt started (the claim).
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "updated_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"


# The data set of the cached audit log (aiii/fragments.py): every entry recorded renews it.
AUDIT_DATA = "audit"


class AuditEntryImmutable(ValueError):
    """Raised on any attempt to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    """Entries can be read and added, never changed or removed in bulk either.

    Deleting a user still works: Django's deletion sets `actor` to NULL through the model's
    plain base manager, and the entry keeps `actor_label`.
    """

    def update(self, **kwargs):
        raise AuditEntryImmutable("Audit entries are never edited.")

    def delete(self):
        raise AuditEntryImmutable("Audit entries are never deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditEntryImmutable("Audit entries are never edited.")

    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        if update_conflicts:
            raise AuditEntryImmutable("Audit entries are never edited.")
        return super().bulk_create(objs, *args, **kwargs)


class AuditEntry(models.Model):
    """Who did what to which object, when and why. Written by services; never edited."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the entry still says who acted after an account is deleted.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"
        )

    @property
    def action_label(self):
        """The action's readable name (see aiii.audit.audit_labels), or its code."""
        from .audit import audit_labels

        return audit_labels.label(self.action)

    def save(self, *args, **kwargs):
        # Only ever an INSERT: an instance read from the database, or one given the pk of an
        # existing row, would otherwise become an UPDATE.
        if self.pk is not None or not self._state.adding:
            raise AuditEntryImmutable("Audit entries are never edited.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryImmutable("Audit entries are never deleted.")


class MfaEnrolmentGrant(models.Model):
    """A one-time code an operator issued so that a secretariat account may enrol its second
    factor (see aiii/mfa_enrolment.py). Only the code's hash is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self):
        return (
            f"second-factor enrolment code for {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"
        )


class Session(AbstractBaseSession):
    """Django's database session, with the account it is signed in to (None for a visitor).

    The column lets one statement read a request's session and its signed-in user together
    (aiii/sessions.py). The session data stays the authority on who is signed in: a row whose
    column disagrees with its data is read the usual way. Deleting an account deletes its
    sessions.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "aiii_session"

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
