"""One way to change state: lock the row, check its version and state, change it, record it.

    with transaction.atomic():
        application = locked(
            MembershipApplication.objects, application.pk, version=version,
            allowed=MembershipApplication.OPEN_STATUSES,
        )
        ...change it...
        application.bump_version()
        application.save(update_fields=[..., "version"])
        audit_record(...)
        email_queue(..., idempotency_key=email_key(application, "approved"))

A form rendered for a decision carries the object's version (`aiii.forms.VersionField`); the
service passes it to `locked`, which refuses a decision made on a stale page or a second one.
"""

from django.db import models
from django.utils.translation import gettext as _

from .errors import Conflict, InvalidState


class Versioned(models.Model):
    """A model whose rows count their decisions: the version a page was rendered with is
    compared under a row lock, and it numbers each change's email (e.g. an iCalendar
    SEQUENCE)."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    def bump_version(self):
        self.version += 1
        return self.version


def _facts(obj):
    """What a refusal may name: the object as it is now and the label of its state."""
    getter = getattr(obj, "get_status_display", None)
    return {"status": getter() if getter else "", "name": str(obj)}


def locked(queryset, pk=None, *, version=None, allowed=None, stale=None, refused=None, **lookup):
    """The row `pk` of `queryset` (or the one row matching `lookup`), locked for this
    transaction (`select_for_update`).

    - `version`: the version the acting page was rendered with; another one raises Conflict.
    - `allowed`: the states (values of `status`) in which the change may happen, or a
      predicate `allowed(obj)`; otherwise InvalidState.
    - `stale`, `refused`: the messages for those two refusals; both may use %(status)s (the
      current state's label) and %(name)s (the object as it is now).

    Must run inside `transaction.atomic()`. A missing row raises the model's DoesNotExist.
    """
    if pk is None and not lookup:
        raise TypeError("locked() needs the row's pk or a lookup.")
    # of=("self",): only this row is locked, not the rows a select_related joins (an account,
    # a meeting), which other decisions must not queue behind.
    rows = queryset.select_for_update(of=("self",))
    obj = rows.get(**({"pk": pk} if pk is not None else lookup))
    if version is not None and obj.version != int(version):
        message = stale or _(
            "This changed after you opened the page (someone else may have acted on it). "
            "Nothing was changed: review its current state and try again."
        )
        raise Conflict(message % _facts(obj))
    if allowed is not None:
        ok = allowed(obj) if callable(allowed) else obj.status in allowed
        if not ok:
            message = refused or _("It is now “%(status)s”: that is no longer possible.")
            raise InvalidState(message % _facts(obj))
    return obj


def email_key(obj, event, *, recipient=None):
    """The outbox idempotency key of the email `event` about `obj` at its current version.

    The same call in a retried transaction gives the same key (one email); the next decision
    bumps the version and so sends its own. `recipient` tells apart one event's emails to
    several people (e.g. each participant of a meeting).
    """
    key = f"{obj._meta.label_lower}:{obj.pk}:v{obj.version}:{event}"
    if recipient is not None:
        key += f":{getattr(recipient, 'pk', recipient)}"
    return key
