"""The audit log's one writer, and the readable names of its actions.

Services call `audit_record` inside their transaction. Each app names the actions it records,
from its AppConfig.ready():

    audit_labels.register({"application.approve": _("Application approved"), ...})

Pages show `AuditEntry.action_label`; an action no app has named shows its code.
"""

from django.conf import settings
from django.utils import translation

from .models import AuditEntry


class AuditLabels:
    """Action code → readable, translatable label (lazy strings, translated when shown)."""

    def __init__(self):
        self._labels = {}

    def register(self, labels):
        for code, label in labels.items():
            if self._labels.get(code, label) != label:
                raise ValueError(f"The audit action {code!r} already has another label.")
            self._labels[code] = label

    def label(self, code):
        return self._labels.get(code, code)

    def __contains__(self, code):
        return code in self._labels

    def codes(self):
        return set(self._labels)


audit_labels = AuditLabels()


def audit_record(*, actor, action, target=None, reason="", data=None):
    """Record that `actor` did `action` (a dotted verb, e.g. "application.approve") to `target`."""
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(getattr(actor, "email", "") or str(actor)) if actor else "system",
        action=action,
        reason=reason or "",
        data=data or {},
    )
    if target is not None:
        entry.target_type = target._meta.label_lower
        entry.target_id = str(target.pk)
        # The log reads the same whoever acted: labels in the portal's own language.
        with translation.override(settings.LANGUAGE_CODE):
            entry.target_label = str(target)[:300]
    entry.save()
    return entry
