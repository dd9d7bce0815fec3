"""The public record, machine-readable: a read-only JSON API of the annual meeting, with its
OpenAPI document generated from this code by django-ninja (at /forum/api/openapi.json).

Only published things: interventions through `published()`, the speakers list once the
secretariat published it, meeting outcomes as the meetings app publishes them. Every answer is
rate-limited per address and carries an ETag and Last-Modified (a 304 when unchanged); for
clients without cookies the body is kept rendered until the public record changes
(annual_forum/cache.py).
"""

from datetime import date, datetime
from functools import wraps

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from ninja import NinjaAPI, Schema
from ninja.decorators import decorate_view
from ninja.pagination import PageNumberPagination, paginate

from aiii.access import public
from aiii.ratelimit import client_ip, rate_limit_consume

from .cache import cached_public_page, kept
from .models import AnnualMeeting, Intervention
from .selectors import (
    meeting_for_year,
    outcome_summaries,
    public_speakers,
    published_interventions,
    published_stamp,
)

PAGE_SIZE = 25

api = NinjaAPI(
    title="AIII annual public meeting",
    version="1",
    description="The published record of the annual public meeting of the Artificial "
    "Intelligence Infrastructure Interchange: years, interventions, speakers lists and "
    "meeting outcomes. Read-only; nothing unpublished.",
    urls_namespace="forum_api",
    docs_url=None,  # the interactive page loads scripts from a CDN, which the CSP forbids
)


def rate_limited(run):
    @wraps(run)
    def wrapper(request, *args, **kwargs):
        if not rate_limit_consume(action="forum_api", key=client_ip(request)):
            return JsonResponse(
                {"detail": _("Too many requests. Please wait a minute and try again.")},
                status=429,
            )
        return run(request, *args, **kwargs)

    return wrapper


def _stamp(request, year=None, **kwargs):
    # Asked twice per request (ETag and Last-Modified): computed once, and kept while the
    # public record does not change.
    if not hasattr(request, "_forum_stamp"):
        request._forum_stamp = kept(f"stamp:{year}", lambda: _compute_stamp(year))
    return request._forum_stamp


def _compute_stamp(year):
    if year is None:
        return published_stamp()
    meeting = meeting_for_year(year)
    return published_stamp(meeting=meeting) if meeting is not None else False


def _etag(request, **kwargs):
    stamp = _stamp(request, **kwargs)
    if not stamp:
        return None
    count, latest = stamp
    return f"{request.path}:{count}:{latest.timestamp() if latest else 0}"


def _last_modified(request, **kwargs):
    stamp = _stamp(request, **kwargs)
    return stamp[1] if stamp else None


cacheable = condition(etag_func=_etag, last_modified_func=_last_modified)


class YearOut(Schema):
    year: int
    date: date
    venue: str
    hybrid_access: str
    submission_deadline: datetime
    deadline_time_zone: str
    speakers_list_published: bool
    url: str

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class DelegationOut(Schema):
    name: str
    kind: str
    code: str

    @staticmethod
    def resolve_kind(obj):
        return {1: "member_state", 2: "intergovernmental", 3: "non_governmental"}[obj.kind]


class InterventionOut(Schema):
    id: int
    year: int
    url: str
    delegation: DelegationOut
    speaker_name: str
    speaker_title: str
    title: str
    language: str
    mode: str
    text_html: str
    text_sha256: str
    pdf_url: str | None
    pdf_sha256: str | None
    ai_disclosure: str
    ai_tool: str
    published_at: datetime

    @staticmethod
    def resolve_year(obj):
        return obj.meeting.year

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_pdf_url(obj):
        return obj.get_pdf_url() if obj.pdf else None

    @staticmethod
    def resolve_pdf_sha256(obj):
        return obj.pdf_sha256 or None


class SpeakerOut(Schema):
    position: int
    delegation: DelegationOut
    speaker_name: str
    speaker_title: str
    mode: str
    speaking_minutes: int
    intervention_url: str | None
    speaking_now: bool


class SpeakersOut(Schema):
    year: int
    published_at: datetime | None
    speakers: list[SpeakerOut]


class OutcomeOut(Schema):
    reference: str
    title: str
    start: datetime
    summary_html: str
    published_at: datetime | None


@api.get("/years", response=list[YearOut], tags=["years"], summary="Years with a meeting")
@decorate_view(cached_public_page, cacheable, rate_limited)
def years(request):
    return list(AnnualMeeting.objects.order_by("-year"))


@api.get(
    "/years/{int:year}/interventions",
    response=list[InterventionOut],
    tags=["interventions"],
    summary="Published interventions of a year",
)
@decorate_view(cached_public_page, cacheable, rate_limited)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def year_interventions(request, year: int):
    meeting = meeting_for_year(year)
    if meeting is None:
        raise Http404
    return published_interventions(meeting=meeting)


@api.get(
    "/interventions/{int:intervention_id}",
    response=InterventionOut,
    tags=["interventions"],
    summary="One published intervention",
)
@decorate_view(cached_public_page, cacheable, rate_limited)
def intervention(request, intervention_id: int):
    try:
        return (
            Intervention.objects.published()
            .select_related("meeting", "delegation")
            .get(pk=intervention_id)
        )
    except Intervention.DoesNotExist:
        raise Http404 from None


@api.get(
    "/years/{int:year}/speakers",
    response=SpeakersOut,
    tags=["speakers"],
    summary="The published speakers list of a year",
)
@decorate_view(cached_public_page, cacheable, rate_limited)
def speakers(request, year: int):
    meeting = meeting_for_year(year)
    listing = public_speakers(meeting=meeting) if meeting else None
    if listing is None:
        raise Http404
    return {
        "year": meeting.year,
        "published_at": meeting.speakers_list_published_at,
        "speakers": [
            {
                "position": position,
                "delegation": entry.delegation,
                "speaker_name": entry.speaker_name,
                "speaker_title": entry.speaker_title,
                "mode": entry.mode,
                "speaking_minutes": entry.speaking_minutes,
                "intervention_url": entry.get_absolute_url() if entry.is_published else None,
                "speaking_now": entry.pk == meeting.current_speaker_id,
            }
            for position, entry in enumerate(listing["entries"], start=1)
        ],
    }


@api.get(
    "/years/{int:year}/outcomes",
    response=list[OutcomeOut],
    tags=["outcomes"],
    summary="Published outcome summaries of the year's TEN meetings",
)
@decorate_view(cached_public_page, rate_limited)
def outcomes(request, year: int):
    if meeting_for_year(year) is None:
        raise Http404
    return [
        {
            "reference": item.meeting.reference,
            "title": item.meeting.title,
            "start": item.meeting.start,
            "summary_html": item.summary_html,
            "published_at": item.published_at,
        }
        for item in outcome_summaries(year=year)
    ]


def api_urlpatterns():
    """The API's routes, each marked public for the access middleware (aiii/access.py)."""
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        public(pattern.callback)
    return patterns
