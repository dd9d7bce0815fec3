"""Reads shared by the portal's own pages."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEntry


def _start_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(*, filters: dict | None = None) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, narrowed by the audit page's filters.

    `filters` may hold: action (a prefix: "application." finds every application decision),
    actor (part of the email), target (part of the object's label, or its exact id), since and
    until (dates, both included, in the viewer's time zone).
    """
    filters = filters or {}
    entries = AuditEntry.objects.all()
    if filters.get("action"):
        entries = entries.filter(action__startswith=filters["action"])
    if filters.get("actor"):
        entries = entries.filter(actor_label__icontains=filters["actor"])
    if filters.get("target"):
        target = filters["target"]
        entries = entries.filter(Q(target_label__icontains=target) | Q(target_id=target))
    # Ranges on the column itself (not on its date) so the index serves them.
    if filters.get("since"):
        entries = entries.filter(created_at__gte=_start_of_day(filters["since"]))
    if filters.get("until"):
        entries = entries.filter(created_at__lt=_start_of_day(filters["until"] + timedelta(days=1)))
    return entries


def recent_audit_entries(*, limit: int = 10) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.all()[:limit]
