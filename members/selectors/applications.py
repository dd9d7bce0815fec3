"""Reads of membership applications: the secretariat's queue, an applicant's own application."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser as User
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from aiii.countries import countries_in_region

from ..models import ApplicationEvent, Invitation, MembershipApplication

STATUS_OPEN = "open"
STATUS_ALL = "all"


def applications_for_secretariat() -> QuerySet[MembershipApplication]:
    """Every application the secretariat works with: verified ones (unverified are not in it)."""
    return MembershipApplication.objects.exclude(status=MembershipApplication.Status.UNVERIFIED)


def application_queue(*, filters: dict | None = None) -> QuerySet[MembershipApplication]:
    """The queue's rows, narrowed by its filters; open applications unless a status is asked."""
    filters = filters or {}
    applications = applications_for_secretariat()
    status = filters.get("status") or STATUS_OPEN
    if status == STATUS_OPEN:
        applications = applications.filter(status__in=MembershipApplication.OPEN_STATUSES)
    elif status != STATUS_ALL:
        applications = applications.filter(status=status)
    if filters.get("stakeholder_group"):
        applications = applications.filter(stakeholder_group=filters["stakeholder_group"])
    if filters.get("country"):
        applications = applications.filter(country=filters["country"])
    if filters.get("region"):
        applications = applications.filter(country__in=countries_in_region(filters["region"]))
    query = (filters.get("q") or "").strip()
    if query:
        applications = applications.filter(
            Q(full_name__icontains=query)
            | Q(organisation__icontains=query)
            | Q(email__icontains=query)
        )
    return applications.order_by("submitted_at", "pk")


def application_details() -> QuerySet[MembershipApplication]:
    """Applications with what the secretariat's application page shows; the view narrows it to
    what the viewer may see (`get_visible_or_404`)."""
    return MembershipApplication.objects.select_related(
        "invitation", "invitation__created_by"
    ).prefetch_related("expertise")


def application_events(application: MembershipApplication) -> QuerySet[ApplicationEvent]:
    """The application's whole history, notes included: for the secretariat."""
    return ApplicationEvent.objects.filter(application=application).select_related(
        "actor", "actor__profile"
    )


# The only messages an applicant sees: the request they must answer and the reason they were
# sent anyway. Everything else (an approval's note for the record) is the secretariat's.
# What the applicant sees of the history's messages: the secretariat's requests, the
# applicant's own answers, and a rejection's reason (emailed anyway). Approval notes are internal.
APPLICANT_MESSAGE_KINDS = (
    ApplicationEvent.Kind.INFO_REQUESTED,
    ApplicationEvent.Kind.RESUBMITTED,
    ApplicationEvent.Kind.REJECTED,
)


def application_history_for_applicant(
    application: MembershipApplication,
) -> QuerySet[ApplicationEvent]:
    """The applicant's view of their application's history: other kinds' messages left out."""
    events = list(application_events(application))
    for event in events:
        if event.kind not in APPLICANT_MESSAGE_KINDS:
            event.message = ""
    return events


def application_latest_info_request(
    application: MembershipApplication,
) -> ApplicationEvent | None:
    """The secretariat's latest request for more information, or None."""
    return (
        application.events.filter(kind=ApplicationEvent.Kind.INFO_REQUESTED)
        .order_by("-created_at", "-pk")
        .first()
    )


def application_of(user: User) -> MembershipApplication | None:
    """The signed-in user's own application, or None: nobody reaches anyone else's."""
    if not user.is_authenticated:
        return None
    return (
        MembershipApplication.objects.filter(user=user)
        .prefetch_related("expertise")
        .select_related("invitation")
        .first()
    )


def invitation_by_token_hash(token_hash: str) -> Invitation | None:
    return Invitation.objects.filter(token_hash=token_hash).first()


def invitations_for_secretariat() -> QuerySet[Invitation]:
    """Every invitation, newest first, each with `is_expired` (unused and past its date)."""
    expired = Q(used_at__isnull=True, expires_at__lte=timezone.now())
    return (
        Invitation.objects.select_related("created_by")
        .annotate(is_expired=ExpressionWrapper(expired, output_field=BooleanField()))
        .order_by("-created_at", "-pk")
    )


def applications_waiting_count() -> int:
    """How many verified applications wait for the secretariat's decision."""
    return MembershipApplication.objects.filter(status=MembershipApplication.Status.PENDING).count()
