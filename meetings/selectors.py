"""Reads of the meetings app shared by views, tasks and other apps (the annual forum)."""

import functools
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from aiii.permissions import is_secretariat
from aiii.rawsql import fetch_one
from members.models import StakeholderGroup

from .models import (
    CalendarFeed,
    Document,
    Meeting,
    Minutes,
    MinutesComment,
    OutcomeSummary,
    Participant,
    _granted_meeting_ids,
)
from .permissions import can_use_meetings


def meetings_for(user, *, when):
    """The meetings `user` takes part in (all of them for the secretariat), "upcoming" (not yet
    ended, soonest first) or "past" (latest first)."""
    now = timezone.now()
    meetings = Meeting.objects.visible_to(user)
    if when == "past":
        return meetings.filter(end__lte=now).order_by("-start", "pk")
    return meetings.filter(end__gt=now).order_by("start", "pk")


def first_end_ahead(user):
    """When the first meeting `user` may open that has not ended yet ends (None: none): until
    then, which of their meetings are upcoming and which past stays the same."""
    return meetings_for(user, when="upcoming").aggregate(first=Min("end"))["first"]


def my_participations(user, meetings):
    """{meeting id: Participant} of `user` among `meetings` (one query)."""
    return {
        participant.meeting_id: participant
        for participant in Participant.objects.filter(
            user=user, meeting__in=[meeting.pk for meeting in meetings]
        )
    }


def visible_heading(user, pk):
    """(reference, title) of meeting `pk` if `user` may open it (Meeting.objects.visible_to),
    else None: the check a workspace makes on every request, before its cached content.

    For a member it is the queryset's own statement, compiled once per process and sent with
    the member's and the meeting's ids as a fixed statement that PostgreSQL plans once per
    connection (aiii/rawsql.py): building the grants' subquery and planning it cost more than
    the rest of a cached workspace."""
    if is_secretariat(user) or not can_use_meetings(user):
        return (
            Meeting.objects.visible_to(user).filter(pk=pk).values_list("reference", "title").first()
        )
    sql, params, user_at, meeting_at = _member_heading_statement()
    params = list(params)
    params[user_at], params[meeting_at] = user.pk, pk
    return fetch_one(Meeting.objects.db, sql, params)


# Stand-ins for the member's and the meeting's ids while the statement is compiled: negative
# numbers, which no constant of the query (an app label, a codename) can be taken for.
_USER_MARK, _MEETING_MARK = -913_402_117, -913_402_118


@functools.cache
def _member_heading_statement():
    """(SQL, its parameters, where the member's id goes, where the meeting's id goes)."""
    member = SimpleNamespace(pk=_USER_MARK)
    queryset = Meeting.objects.filter(pk__in=_granted_meeting_ids(member)).filter(pk=_MEETING_MARK)
    sql, params = queryset.values_list("reference", "title").query.sql_with_params()
    if params.count(_USER_MARK) != 1 or params.count(_MEETING_MARK) != 1:
        raise ValueError("The member's heading statement does not take each id once.")
    return sql, tuple(params), params.index(_USER_MARK), params.index(_MEETING_MARK)


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


@dataclass(frozen=True)
class HomeMeetings:
    """What the home shows of a user's meetings, read in one query."""

    rows: list  # [(meeting, the user's Participant or None)]: the next ones, soonest first
    answers: int  # invitations ahead still to answer
    answer_pk: int | None  # the one meeting to answer, when there is exactly one
    comments: int  # minutes circulated for comment that the user has not commented on
    comment_pk: int | None
    # When the first of these meetings ends, and the lists with it (None: none ahead).
    until: datetime | None = None


def home_meetings(user, *, limit):
    """The next `limit` meetings `user` may open (not cancelled, not yet ended; every meeting
    for the secretariat, who answers no invitation and comments no minutes), with the user's
    answer; the invitations ahead still to answer; the circulated minutes not yet commented.

    A member's meetings ahead and their minutes open for comment are few (a member is invited
    to some meetings, and minutes stay open for comment a few weeks): one query reads them all,
    with the user's answer and whether they commented, instead of one query per question,
    each planning the grants' subquery again."""
    now = timezone.now()
    if is_secretariat(user):
        meetings = (
            Meeting.objects.visible_to(user)
            .filter(end__gt=now)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("start", "pk")[:limit]
        )
        rows = [(meeting, None) for meeting in meetings]
        # The first five by start change only when one of them ends.
        return HomeMeetings(rows, 0, None, 0, None, until=_first_end(meetings))
    commented = MinutesComment.objects.filter(minutes=OuterRef("minutes"), author=user)
    to_comment = Q(minutes__status=Minutes.Status.CIRCULATED) & ~Exists(commented)
    answer = (
        Participant.objects.filter(meeting=OuterRef("pk"), user=user).order_by().values("response")
    )
    meetings = list(
        Meeting.objects.visible_to(user)
        .filter(Q(end__gt=now) | to_comment)
        .annotate(
            my_response=Subquery(answer[:1]),
            to_comment=ExpressionWrapper(to_comment, output_field=BooleanField()),
        )
        .order_by("start", "pk")
    )
    ahead = [meeting for meeting in meetings if meeting.end > now]
    unanswered = [
        meeting.pk
        for meeting in ahead
        if meeting.status == Meeting.Status.INVITED
        and meeting.my_response == Participant.Response.PENDING
    ]
    uncommented = [meeting.pk for meeting in meetings if meeting.to_comment]
    shown = [meeting for meeting in ahead if meeting.status != Meeting.Status.CANCELLED][:limit]
    return HomeMeetings(
        rows=[(meeting, _answer(meeting, user)) for meeting in shown],
        answers=len(unanswered),
        answer_pk=_only(unanswered),
        comments=len(uncommented),
        comment_pk=_only(uncommented),
        until=_first_end(ahead),
    )


def _first_end(meetings):
    return min((meeting.end for meeting in meetings), default=None)


def _answer(meeting, user):
    if meeting.my_response is None:
        return None
    return Participant(meeting=meeting, user_id=user.pk, response=meeting.my_response)


def _only(pks):
    return pks[0] if len(pks) == 1 else None
