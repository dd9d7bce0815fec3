"""The audit log's one writer. Services call `audit_record` inside their transaction."""

from .models import AuditEntry


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
        entry.target_label = str(target)[:300]
    entry.save()
    return entry
