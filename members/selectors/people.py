"""Reads about people: the network's composition, the directory, the secretariat's members list
and the CSV export. Views and other apps read members through these functions only."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..countries import REGIONS, region_of
from ..models import Profile, StakeholderGroup

# Bars of the composition chart: the longest bar fills this many SVG units.
CHART_BAR_SPAN = 240


def _rows(counts, labels):
    """Chart rows for every key in `labels` (zero counts included, so the chart keeps its shape)."""
    total = sum(counts.values())
    largest = max(counts.values(), default=0)
    rows = []
    for index, (key, label) in enumerate(labels):
        count = counts.get(key, 0)
        rows.append(
            {
                "key": key,
                "label": label,
                "count": count,
                "percent": round(100 * count / total) if total else 0,
                "width": round(CHART_BAR_SPAN * count / largest) if largest else 0,
                "y": index * 24,
            }
        )
    return rows


def network_composition():
    """Active members counted by stakeholder group and by region, in two queries.

    Returns {"total": n, "groups": [row, ...], "regions": [row, ...], "height_groups": px,
    "height_regions": px}; each row has key, label, count, percent, width (SVG units) and y.
    """
    active = Profile.objects.filter(status=Profile.Status.ACTIVE)
    by_group = {
        row["stakeholder_group"]: row["n"]
        for row in active.order_by().values("stakeholder_group").annotate(n=Count("pk"))
    }
    by_region = {}
    for row in active.order_by().values("country").annotate(n=Count("pk")):
        region = region_of(row["country"]) or "other"
        by_region[region] = by_region.get(region, 0) + row["n"]
    group_labels = list(StakeholderGroup.choices)
    if by_group.get(""):
        # Members who never gave a group are shown rather than silently dropped.
        group_labels.append(("", _("Not given")))
    groups = _rows(by_group, group_labels)
    regions = _rows(by_region, list(REGIONS.items()))
    return {
        "total": sum(by_group.values()),
        "groups": groups,
        "regions": regions,
        "height_groups": len(groups) * 24,
        "height_regions": len(regions) * 24,
    }
