"""Reads of the meetings app shared by views, tasks and other apps (the annual forum)."""

from django.db.models import Count, Q
from django.utils import timezone

from members.models import StakeholderGroup

from .models import CalendarFeed, Document, Meeting, Minutes, OutcomeSummary, Participant


def meetings_for(user, *, when):
    """The meetings `user` takes part in (all of them for the secretariat), "upcoming" (not yet
    ended, soonest first) or "past" (latest first)."""
    now = timezone.now()
    meetings = Meeting.objects.visible_to(user)
    if when == "past":
        return meetings.filter(end__lte=now).order_by("-start", "pk")
    return meetings.filter(end__gt=now).order_by("start", "pk")


def my_participations(user, meetings):
    """{meeting id: Participant} of `user` among `meetings` (one query)."""
    return {
        participant.meeting_id: participant
        for participant in Participant.objects.filter(
            user=user, meeting__in=[meeting.pk for meeting in meetings]
        )
    }


def workspace_participants(meeting):
    return meeting.participants.select_related("user__profile").order_by(
        "user__profile__full_name", "pk"
    )


def workspace_documents(meeting):
    return meeting.documents.select_related("latest__uploaded_by__profile")


def document_versions(meeting):
    """Every version of the meeting's documents, newest first, with who uploaded it."""
    from .models import DocumentVersion

    return (
        DocumentVersion.objects.filter(document__meeting=meeting)
        .select_related("uploaded_by__profile")
        .order_by("document_id", "-number")
    )


def visible_document_version(user, *, meeting_pk, version_pk):
    """The version, if its meeting is one `user` may open; else None."""
    from .models import DocumentVersion

    return (
        DocumentVersion.objects.select_related("document__meeting")
        .filter(
            pk=version_pk,
            document__meeting_id=meeting_pk,
            document__meeting__in=Meeting.objects.visible_to(user),
        )
        .first()
    )


def documents_of(meeting):
    return Document.objects.filter(meeting=meeting)


def answers_count(meeting):
    """{response: count} of the meeting's participants (one query)."""
    counts = dict(meeting.participants.order_by().values_list("response").annotate(n=Count("pk")))
    return [
        {"response": response, "label": label, "count": counts.get(response, 0)}
        for response, label in Participant.Response.choices
    ]


def stakeholder_balance(meeting):
    """How the participants divide by stakeholder group (one query): rows of label, count,
    percent, for the secretariat to balance the list."""
    rows = (
        meeting.participants.order_by()
        .values("user__profile__stakeholder_group")
        .annotate(n=Count("pk"))
    )
    counts = {row["user__profile__stakeholder_group"] or "": row["n"] for row in rows}
    total = sum(counts.values())
    labels = list(StakeholderGroup.choices) + [("", "—")]
    return [
        {
            "label": label,
            "count": counts.get(key, 0),
            "percent": round(100 * counts.get(key, 0) / total) if total else 0,
        }
        for key, label in labels
        if counts.get(key, 0) or key
    ]


def feed_for(token_hash):
    return CalendarFeed.objects.select_related("user").filter(token_hash=token_hash).first()


def feed_meetings(user):
    """The meetings in a member's calendar feed: theirs, from a year ago on."""
    since = timezone.now() - timezone.timedelta(days=365)
    return (
        Meeting.objects.visible_to(user)
        .filter(end__gte=since)
        .exclude(status=Meeting.Status.DRAFT)
        .order_by("start")
    )


def secretariat_meetings(*, filters=None):
    """Every meeting, latest first; counts per meeting come from `participant_counts` for the
    page shown, so the list does not aggregate every meeting's participants."""
    filters = filters or {}
    meetings = Meeting.objects.order_by("-start", "pk")
    if filters.get("status"):
        meetings = meetings.filter(status=filters["status"])
    if filters.get("body"):
        meetings = meetings.filter(body=filters["body"])
    return meetings


def participant_counts(meetings):
    """{meeting id: (participants, accepted)} for `meetings` (one query)."""
    rows = (
        Participant.objects.filter(meeting__in=[meeting.pk for meeting in meetings])
        .order_by()
        .values("meeting_id")
        .annotate(n=Count("pk"), accepted=Count("pk", filter=Q(response="accepted")))
    )
    return {row["meeting_id"]: (row["n"], row["accepted"]) for row in rows}


def upcoming_meetings(*, limit=5):
    return Meeting.objects.filter(
        end__gt=timezone.now(), status__in=(Meeting.Status.DRAFT, Meeting.Status.INVITED)
    ).order_by("start")[:limit]


def published_outcomes(*, year: int):
    """The published public outcome summaries of the meetings that started in `year`, newest
    meeting first. Each has .meeting (reference, title, start), .summary_html, .published_at."""
    return (
        OutcomeSummary.objects.filter(published_at__isnull=False, meeting__start__year=year)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting")
        .order_by("-meeting__start", "-meeting__pk")
    )


# --- a member's home (meetings/home.py) ---------------------------------------------------------


def next_meetings(user, *, limit):
    """The next `limit` meetings `user` takes part in (every meeting for the secretariat), not
    cancelled and not yet ended, soonest first."""
    return list(
        meetings_for(user, when="upcoming").exclude(status=Meeting.Status.CANCELLED)[:limit]
    )


def unanswered_invitations(user):
    """The meetings ahead to which `user` was invited and has not answered, soonest first."""
    return (
        Meeting.objects.visible_to(user)
        .filter(
            end__gt=timezone.now(),
            status=Meeting.Status.INVITED,
            participants__user=user,
            participants__response=Participant.Response.PENDING,
        )
        .order_by("start", "pk")
    )


def minutes_to_comment(user):
    """The meetings of `user` whose minutes are circulated for comment and that `user` has not
    commented on yet, latest first."""
    return (
        Meeting.objects.visible_to(user)
        .filter(minutes__status=Minutes.Status.CIRCULATED)
        .exclude(minutes__comments__author=user)
        .order_by("-start", "pk")
    )


def count_and_only(meetings):
    """(how many, the one meeting's pk when there is exactly one): one query, two when more."""
    first = list(meetings.values_list("pk", flat=True)[:2])
    if len(first) < 2:
        return len(first), first[0] if first else None
    return meetings.count(), None
