from .models import AuditEntry


def audit_entries(*, filters=None):
    """Audit entries, newest first, narrowed by the audit page's filters."""
    filters = filters or {}
    entries = AuditEntry.objects.all()
    if filters.get("action"):
        entries = entries.filter(action__startswith=filters["action"])
    if filters.get("actor"):
        entries = entries.filter(actor_label__icontains=filters["actor"])
    if filters.get("target"):
        entries = entries.filter(target_label__icontains=filters["target"])
    if filters.get("since"):
        entries = entries.filter(created_at__date__gte=filters["since"])
    if filters.get("until"):
        entries = entries.filter(created_at__date__lte=filters["until"])
    return entries


def recent_audit_entries(*, limit=10):
    return AuditEntry.objects.all()[:limit]
