"""The secretariat's tools for the annual meeting: the meeting, the interventions queue and
its decisions, the speakers list, the CSV export (delegates: secretariat_delegates.py)."""

from datetime import date

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from aiii.access import get_visible_or_404, secretariat_required
from aiii.actions import form_action
from aiii.csv_export import csv_lines
from aiii.errors import ServiceError
from aiii.pagination import paginate

from ..forms import (
    CurrentSpeakerForm,
    DecisionForm,
    InterventionFilterForm,
    MeetingForm,
    MessageDecisionForm,
    SpeakerMoveForm,
)
from ..models import AnnualMeeting, Intervention
from ..selectors import (
    export_rows,
    intervention_history,
    secretariat_interventions,
    speakers_list,
)
from ..services.interventions import (
    intervention_accept,
    intervention_decline,
    intervention_publish,
    intervention_return,
    interventions_export_record,
)
from ..services.meetings import (
    annual_meeting_create,
    annual_meeting_update,
    speakers_list_mark_current,
    speakers_list_move,
    speakers_list_publish,
)

# --- The annual meeting ----------------------------------------------------------------------


@secretariat_required
@require_safe
def meetings(request):
    return render(
        request,
        "annual_forum/secretariat/meetings.html",
        {"meetings": AnnualMeeting.objects.order_by("-year")},
    )


def _meeting_form_page(request, form, meeting=None, error=None, status=200):
    return render(
        request,
        "annual_forum/secretariat/meeting_form.html",
        {"form": form, "meeting": meeting, "error": error},
        status=status,
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = annual_meeting_create(by=request.user, **form.service_kwargs())
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("secretariat:forum_speakers", year=meeting.year)
    return _meeting_form_page(request, form, status=400 if form.errors else 200)


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, year):
    meeting = get_object_or_404(AnnualMeeting, year=year)
    if request.method != "POST":
        return _meeting_form_page(request, MeetingForm(meeting=meeting), meeting)
    form = MeetingForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            meeting = annual_meeting_update(
                meeting=meeting,
                by=request.user,
                version=form.cleaned_data["version"] or 0,
                **form.service_kwargs(),
            )
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            from django.contrib import messages

            messages.success(request, _("The meeting is saved."))
            return redirect("secretariat:forum_meetings")
    return _meeting_form_page(request, form, meeting, status=400)


# --- Interventions queue and decisions -------------------------------------------------------


def _filters(data):
    form = InterventionFilterForm(data or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@secretariat_required
@require_safe
def interventions(request):
    form, filters = _filters(request.GET)
    return render(
        request,
        "annual_forum/secretariat/interventions.html",
        {
            "form": form,
            "page": paginate(request, secretariat_interventions(filters=filters)),
            "filtered": any(value not in (None, "") for value in filters.values()),
            "export_filters": [
                (name, value) for name, value in filters.items() if value not in (None, "")
            ],
        },
    )


def _intervention(request, pk):
    return get_visible_or_404(
        Intervention.objects.select_related("meeting", "delegation", "created_by"),
        request.user,
        pk=pk,
    )


def _intervention_page(request, item, *, forms=None, error=None, status=200):
    forms = forms or {}
    return render(
        request,
        "annual_forum/secretariat/intervention.html",
        {
            "intervention": item,
            "history": intervention_history(intervention=item),
            "plain_form": forms.get("plain") or DecisionForm(obj=item),
            "return_form": forms.get("return") or MessageDecisionForm(obj=item, prefix="return"),
            "decline_form": forms.get("decline") or MessageDecisionForm(obj=item, prefix="decline"),
            "error": error,
        },
        status=status,
    )


@secretariat_required
@require_safe
def intervention(request, pk):
    return _intervention_page(request, _intervention(request, pk))


DECISIONS = {
    "accept": (intervention_accept, None, gettext_lazy("The intervention is accepted.")),
    "publish": (intervention_publish, None, gettext_lazy("The intervention is published.")),
    "return": (
        intervention_return,
        "message",
        gettext_lazy("The intervention is returned for revision."),
    ),
    "decline": (intervention_decline, "reason", gettext_lazy("The intervention is declined.")),
}


@secretariat_required
@require_http_methods(["GET", "POST"])
def intervention_decide(request, pk, action):
    if action not in DECISIONS:
        raise Http404
    item = _intervention(request, pk)
    service, text_argument, success = DECISIONS[action]
    if text_argument:
        form = MessageDecisionForm(request.POST, obj=item, prefix=action)
        key = action
    else:
        form = DecisionForm(request.POST, obj=item)
        key = "plain"

    def perform(data):
        kwargs = {"intervention": item, "by": request.user, "version": data["version"]}
        if text_argument:
            kwargs[text_argument] = data["message"]
        return service(**kwargs)

    def page(*, form=None, error=None, status):
        shown = _intervention(request, pk) if error else item
        return _intervention_page(
            request, shown, forms={key: form} if form else None, error=error, status=status
        )

    return form_action(
        request,
        form=form,
        perform=perform,
        page=page,
        success=success,
        then=item.get_secretariat_url(),
    )


@secretariat_required
@require_POST
def interventions_export(request):
    _form, filters = _filters(request.POST)
    interventions_export_record(by=request.user, filters=filters)
    response = StreamingHttpResponse(
        csv_lines(export_rows(filters=filters)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="aiii-interventions-{date.today().isoformat()}.csv"'
    )
    return response


# --- The speakers list -----------------------------------------------------------------------


def _speakers_page(request, meeting, *, error=None, status=200):
    return render(
        request,
        "annual_forum/secretariat/speakers.html",
        {
            "meeting": meeting,
            "entries": list(speakers_list(meeting=meeting)),
            "form": DecisionForm(obj=meeting),
            "error": error,
        },
        status=status,
    )


@secretariat_required
@require_safe
def speakers(request, year):
    return _speakers_page(request, get_object_or_404(AnnualMeeting, year=year))


def _speakers_action(request, year, *, form, perform, success):
    meeting = get_object_or_404(AnnualMeeting, year=year)

    def page(*, form=None, error=None, status):
        shown = get_object_or_404(AnnualMeeting, year=year)
        message = error or "; ".join(
            str(e) for errors in (form.errors.values() if form else []) for e in errors
        )
        return _speakers_page(request, shown, error=message, status=status)

    return form_action(
        request,
        form=form(meeting),
        perform=lambda data: perform(meeting, data),
        page=page,
        success=success,
        then=reverse("secretariat:forum_speakers", kwargs={"year": year}),
    )


def _entry(meeting, pk):
    if pk is None:
        return None
    try:
        return speakers_list(meeting=meeting).get(pk=pk)
    except Intervention.DoesNotExist:
        raise ServiceError(_("This intervention is not on the speakers list.")) from None


@secretariat_required
@require_http_methods(["GET", "POST"])
def speakers_move(request, year):
    return _speakers_action(
        request,
        year,
        form=lambda meeting: SpeakerMoveForm(request.POST, obj=meeting),
        perform=lambda meeting, data: speakers_list_move(
            meeting=meeting,
            intervention=_entry(meeting, data["intervention"]),
            direction=data["direction"],
            by=request.user,
            version=data["version"],
        ),
        success=_("The speakers list is reordered."),
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def speakers_publish(request, year):
    return _speakers_action(
        request,
        year,
        form=lambda meeting: DecisionForm(request.POST, obj=meeting),
        perform=lambda meeting, data: speakers_list_publish(
            meeting=meeting, by=request.user, version=data["version"]
        ),
        success=_("The speakers list is published."),
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def speakers_current(request, year):
    return _speakers_action(
        request,
        year,
        form=lambda meeting: CurrentSpeakerForm(request.POST, obj=meeting),
        perform=lambda meeting, data: speakers_list_mark_current(
            meeting=meeting,
            intervention=_entry(meeting, data.get("intervention")),
            by=request.user,
            version=data["version"],
        ),
        success=_("The current speaker is marked."),
    )
