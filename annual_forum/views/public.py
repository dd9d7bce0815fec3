"""The public pages of the annual meeting: no sign-in, published things only."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from aiii.access import get_visible_or_404, public
from aiii.errors import ServiceError
from aiii.pagination import paginate
from aiii.ratelimit import client_ip, rate_limit_consume
from aiii.views import too_many_requests

from ..cache import cached_public_page
from ..forms import RegistrationForm
from ..models import Intervention
from ..selectors import (
    current_meeting,
    meeting_for_year,
    meeting_years,
    outcome_summaries,
    public_speakers,
    published_interventions,
    published_interventions_list,
)
from ..services.delegates import delegate_register
from .common import language_code


def _meeting_or_404(year):
    meeting = meeting_for_year(year)
    if meeting is None:
        raise Http404
    return meeting


def _year_page(request, meeting, *, is_current):
    return render(
        request,
        "annual_forum/year.html",
        {
            "meeting": meeting,
            "is_current": is_current,
            "years": meeting_years(),
            "outcomes": outcome_summaries(year=meeting.year),
            "speakers": public_speakers(meeting=meeting),
            "page": paginate(request, published_interventions_list(meeting=meeting)),
        },
    )


@public
@require_safe
@cached_public_page
def current(request):
    meeting = current_meeting()
    if meeting is None:
        return render(request, "annual_forum/none_yet.html")
    return _year_page(request, meeting, is_current=True)


@public
@require_safe
@cached_public_page
def year(request, year):
    return _year_page(request, _meeting_or_404(year), is_current=False)


def _intervention(request, year, pk):
    """Published interventions for everyone; unpublished ones only for their delegation and the
    secretariat (anyone else: 404, as if there were none)."""
    return get_visible_or_404(
        Intervention.objects.select_related("meeting", "delegation"),
        request.user,
        pk=pk,
        meeting__year=year,
    )


@public
@require_safe
@cached_public_page
def intervention(request, year, pk):
    item = _intervention(request, year, pk)
    return render(request, "annual_forum/intervention.html", {"intervention": item})


@public
@require_safe
def intervention_pdf(request, year, pk):
    item = _intervention(request, year, pk)
    if not item.pdf:
        raise Http404
    response = FileResponse(
        item.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=item.pdf_filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not item.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


@public
@require_safe
@cached_public_page
def speakers(request, year):
    meeting = _meeting_or_404(year)
    listing = public_speakers(meeting=meeting)
    if listing is None:
        raise Http404
    return render(request, "annual_forum/speakers.html", {"meeting": meeting, "speakers": listing})


@public
@require_safe
@cached_public_page
def record(request, year):
    """The year's published interventions as one printable document (for the meeting report)."""
    meeting = _meeting_or_404(year)
    return render(
        request,
        "annual_forum/record.html",
        {"meeting": meeting, "interventions": published_interventions(meeting=meeting)},
    )


@public
@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("forum:delegation")
    if request.method == "POST":
        form = RegistrationForm(request.POST, request.FILES)
        if not rate_limit_consume(action="forum_register", key=client_ip(request)):
            return too_many_requests(
                request,
                _(
                    "Too many registrations have been sent from your network. Please wait an "
                    "hour and try again."
                ),
            )
        if form.is_spam:
            # Answer as if it worked: a robot learns nothing, and nothing is stored.
            return redirect("forum:register_done")
        if form.is_valid():
            try:
                delegate_register(language=language_code(), **form.service_kwargs())
            except ServiceError as refused:
                form.add_error(None, refused.message)
            else:
                return redirect("forum:register_done")
    else:
        form = RegistrationForm()
    return render(
        request,
        "annual_forum/register.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@public
@require_safe
def register_done(request):
    return render(request, "annual_forum/register_done.html")
