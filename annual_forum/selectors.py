"""Reads shared by the forum's pages, feed, API and services. Public readers go through
`Intervention.objects.published()`; nothing here raises HTTP errors."""

import importlib
import logging
from collections.abc import Iterator
from datetime import date, datetime

from django.db.models import Count, F, Max, QuerySet
from django.utils import timezone

from aiii.countries import collation_key

from .models import AnnualMeeting, Delegate, Delegation, Intervention, InterventionEvent

logger = logging.getLogger(__name__)


def meeting_for_year(year: int) -> AnnualMeeting | None:
    return AnnualMeeting.objects.filter(year=year).first()


def current_meeting(*, today: date | None = None) -> AnnualMeeting | None:
    """This year's meeting; else the next one announced; else the most recent one."""
    year = (today or timezone.localdate()).year
    meetings = AnnualMeeting.objects.all()
    return (
        meetings.filter(year=year).first()
        or meetings.filter(year__gt=year).order_by("year").first()
        or meetings.order_by("-year").first()
    )


def meeting_years() -> list[int]:
    return list(AnnualMeeting.objects.order_by("-year").values_list("year", flat=True))


def published_interventions(*, meeting: AnnualMeeting | None = None) -> QuerySet:
    """Published interventions, per delegation (Member States first), as the public sees them."""
    queryset = Intervention.objects.published().select_related("delegation", "meeting")
    if meeting is not None:
        queryset = queryset.filter(meeting=meeting)
    return queryset.order_by("delegation__kind", "delegation__name", "published_at", "pk")


# What a list of interventions shows (the year page): not the texts themselves.
LIST_FIELDS = (
    "pk",
    "meeting_id",
    "delegation__name",
    "delegation__kind",
    "delegation__code",
    "title",
    "language",
    "speaker_name",
    "speaker_title",
    "ai_disclosure",
    "published_at",
)


def published_interventions_list(*, meeting: AnnualMeeting) -> list:
    """The year page's list: published interventions without their texts, no join to the
    meeting (the page knows it), per kind of delegation and then by the delegation's name as
    the reader's language writes it ("Allemagne" among the A's in French). One meeting has at
    most a few hundred, read in one query and sorted here."""
    interventions = (
        Intervention.objects.published()
        .filter(meeting=meeting)
        .select_related("delegation")
        .only(*LIST_FIELDS)
        .order_by("published_at", "pk")
    )
    return sorted(
        interventions,
        key=lambda item: (item.delegation.kind, collation_key(str(item.delegation))),
    )


def latest_published(*, limit: int = 50) -> QuerySet:
    return (
        Intervention.objects.published()
        .select_related("delegation", "meeting")
        .order_by("-published_at", "-pk")[:limit]
    )


def published_stamp(*, meeting: AnnualMeeting | None = None) -> tuple[int, datetime | None]:
    """(count, latest change) of what the public sees: the API's ETag and Last-Modified."""
    queryset = Intervention.objects.published()
    if meeting is not None:
        queryset = queryset.filter(meeting=meeting)
    facts = queryset.aggregate(latest=Max("updated_at"), count=Count("pk"))
    if meeting is not None:
        meeting_latest = meeting.updated_at
    else:
        meeting_latest = AnnualMeeting.objects.aggregate(latest=Max("updated_at"))["latest"]
    latest = max(filter(None, [facts["latest"], meeting_latest]), default=None)
    return facts["count"], latest


def speakers_list(*, meeting: AnnualMeeting) -> QuerySet:
    """Accepted (and published) interventions that are spoken, in speaking order: the
    secretariat's order where it set one, else Member States, then intergovernmental
    organisations, then other observers, each in order of submission."""
    return (
        Intervention.objects.filter(meeting=meeting, status__in=Intervention.ON_SPEAKERS_LIST)
        .exclude(mode=Intervention.Mode.WRITTEN)
        .select_related("delegation")
        .order_by(
            F("speaker_position").asc(nulls_last=True),
            "delegation__kind",
            "submitted_at",
            "pk",
        )
    )


def public_speakers(*, meeting: AnnualMeeting) -> dict | None:
    """The published speakers list with who is speaking and who is next, or None."""
    if not meeting.speakers_list_published:
        return None
    entries = list(speakers_list(meeting=meeting))
    current_index = next(
        (i for i, entry in enumerate(entries) if entry.pk == meeting.current_speaker_id), None
    )
    next_entry = None
    if current_index is not None and current_index + 1 < len(entries):
        next_entry = entries[current_index + 1]
    return {
        "entries": entries,
        "current": entries[current_index] if current_index is not None else None,
        "next": next_entry,
    }


# --- Outcome summaries from the meetings app -------------------------------------------------

OUTCOMES_MODULE = "meetings.selectors"
OUTCOMES_FUNCTION = "published_outcomes"


def outcome_summaries(*, year: int) -> list:
    """The published outcome summaries of the year's TEN meetings, from the meetings app.

    Items have .meeting.reference, .meeting.title, .meeting.start, .summary_html and
    .published_at. Until the meetings app provides `published_outcomes`, there are none.
    """
    try:
        module = importlib.import_module(OUTCOMES_MODULE)
    except ImportError:
        return []
    function = getattr(module, OUTCOMES_FUNCTION, None)
    if function is None:
        return []
    return list(function(year=year))


# --- Delegations and delegates ---------------------------------------------------------------


def member_states() -> QuerySet:
    return Delegation.objects.filter(kind=Delegation.Kind.MEMBER_STATE, active=True)


def registrable_delegations() -> QuerySet:
    return Delegation.objects.filter(active=True).order_by("kind", "name")


def observer_organisations() -> QuerySet:
    return Delegation.objects.filter(kind__in=Delegation.OBSERVER_KINDS).order_by("kind", "name")


def delegate_of(user) -> Delegate | None:
    """The user's delegate registration (any state), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Delegate.objects.select_related("delegation").filter(user=user).first()


def secretariat_delegates(*, status: str | None = None) -> QuerySet:
    queryset = Delegate.objects.select_related("delegation", "user")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("status", "-created_at")


# --- Interventions for their delegation and the secretariat ----------------------------------


def delegation_interventions(*, user) -> QuerySet:
    return (
        Intervention.objects.of_delegation(user)
        .select_related("meeting", "delegation")
        .order_by("-meeting__year", "-created_at")
    )


def intervention_history(*, intervention: Intervention) -> QuerySet:
    return InterventionEvent.objects.filter(intervention=intervention).select_related("actor")


def secretariat_interventions(*, filters: dict) -> QuerySet:
    queryset = Intervention.objects.select_related("meeting", "delegation").exclude(
        status=Intervention.Status.DRAFT
    )
    if filters.get("year"):
        queryset = queryset.filter(meeting__year=filters["year"])
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("kind"):
        queryset = queryset.filter(delegation__kind=filters["kind"])
    if filters.get("language"):
        queryset = queryset.filter(language=filters["language"])
    return queryset.order_by("submitted_at", "pk")


def intervention_counts() -> dict[str, int]:
    rows = (
        Intervention.objects.exclude(status=Intervention.Status.DRAFT)
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


EXPORT_HEADER = (
    "id",
    "year",
    "delegation",
    "delegation kind",
    "speaker",
    "speaker title",
    "title",
    "language",
    "mode",
    "speaking minutes",
    "AI contribution",
    "AI tool",
    "state",
    "submitted at",
    "published at",
    "text SHA-256",
    "PDF SHA-256",
)


def export_rows(*, filters: dict) -> Iterator[tuple]:
    yield EXPORT_HEADER
    for item in secretariat_interventions(filters=filters).iterator(chunk_size=500):
        yield (
            item.pk,
            item.meeting.year,
            item.delegation.name,
            item.delegation.get_kind_display(),
            item.speaker_name,
            item.speaker_title,
            item.title,
            item.get_language_display(),
            item.get_mode_display(),
            item.speaking_minutes,
            item.get_ai_disclosure_display(),
            item.ai_tool,
            item.get_status_display(),
            item.submitted_at.isoformat() if item.submitted_at else "",
            item.published_at.isoformat() if item.published_at else "",
            item.text_sha256,
            item.pdf_sha256,
        )


def secretariat_queue_counts() -> dict[str, int]:
    """What waits for the secretariat's decision: submitted interventions and delegates waiting
    for verification."""
    return {
        "interventions": Intervention.objects.filter(status=Intervention.Status.SUBMITTED).count(),
        "delegates": Delegate.objects.filter(status=Delegate.Status.PENDING).count(),
    }
