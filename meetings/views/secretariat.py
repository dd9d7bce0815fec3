"""The secretariat's meeting pages (/secretariat/meetings/...): create and edit, invite and
remove, agenda, minutes, outcome summary, exports."""

import csv

from django import forms
from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from aiii.access import secretariat_required
from aiii.actions import form_action
from aiii.errors import ServiceError
from aiii.fragments import cached_fragment
from aiii.layout import fragment_page
from aiii.pagination import paginate

from ..forms import (
    AgendaItemForm,
    InviteForm,
    MeetingForm,
    MinutesForm,
    MoveForm,
    OutcomeForm,
    ReasonForm,
    StatusForm,
)
from ..models import MEETINGS_DATA, AgendaItem, Meeting, Minutes, OutcomeSummary, Participant
from ..selectors import (
    answers_count,
    participant_counts,
    secretariat_meetings,
    stakeholder_balance,
    workspace_participants,
)
from ..services import (
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    meeting_cancel,
    meeting_create,
    meeting_invite,
    meeting_set_status,
    meeting_update,
    minutes_approve,
    minutes_circulate,
    minutes_save,
    outcome_publish,
    outcome_save,
    outcome_withdraw,
    participant_remove,
    participants_export_record,
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@secretariat_required
@require_safe
def meetings(request):
    def context():  # run only when the content is not cached (aiii/fragments.py)
        page = paginate(request, secretariat_meetings())
        counts = participant_counts(page.object_list)
        rows = [(meeting, *counts.get(meeting.pk, (0, 0))) for meeting in page]
        return {"page": page, "rows": rows}

    content = cached_fragment(
        request,
        "meetings/includes/secretariat_meetings_content.html",
        datasets=[MEETINGS_DATA],
        context=context,
        params=["page"],
    )
    return fragment_page(request, "meetings/secretariat/meetings.html", content)


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_create(by=request.user, data=form.cleaned_data)
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The meeting %(reference)s is created.") % {"reference": meeting.reference},
            )
            return redirect(meeting.get_secretariat_url())
    return render(
        request,
        "meetings/secretariat/meeting_new.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _meeting(pk):
    return get_object_or_404(Meeting, pk=pk)


def _page(request, pk, *, bound=None, error=None, status=200):
    bound = bound or {}
    meeting = _meeting(pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    outcome = OutcomeSummary.objects.filter(meeting=meeting).first()
    participants = paginate(request, workspace_participants(meeting), per_page=100)
    return render(
        request,
        "meetings/secretariat/meeting.html",
        {
            "meeting": meeting,
            "participants": participants,
            "answers": answers_count(meeting),
            "balance": stakeholder_balance(meeting),
            "agenda": meeting.agenda_items.select_related("thread"),
            "minutes": minutes,
            "outcome": outcome,
            "edit_form": bound.get("edit") or MeetingForm(instance=meeting, prefix="edit"),
            "invite_form": bound.get("invite") or InviteForm(prefix="invite"),
            "cancel_form": bound.get("cancel") or ReasonForm(obj=meeting, prefix="cancel"),
            "held_form": StatusForm(
                obj=meeting, initial={"status": Meeting.Status.HELD}, prefix="status"
            ),
            "archive_form": StatusForm(
                obj=meeting, initial={"status": Meeting.Status.ARCHIVED}, prefix="status"
            ),
            "agenda_form": bound.get("agenda") or AgendaItemForm(prefix="agenda"),
            "minutes_form": bound.get("minutes")
            or MinutesForm(
                obj=minutes, initial={"text": minutes.text if minutes else ""}, prefix="minutes"
            ),
            "outcome_form": bound.get("outcome")
            or OutcomeForm(
                initial={"summary": outcome.summary if outcome else ""}, prefix="outcome"
            ),
            "action_error": error,
            "can_hold": meeting.status == Meeting.Status.INVITED,
            "can_archive": meeting.status in (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED),
            "can_cancel": meeting.status in Meeting.OPEN_STATUSES,
        },
        status=status,
    )


def _action(request, pk, *, name, form, perform, success, anchor=""):
    return form_action(
        request,
        form=form,
        perform=perform,
        page=lambda **kw: _page(
            request, pk, bound={name: kw.get("form")}, error=kw.get("error"), status=kw["status"]
        ),
        success=success,
        then=reverse("secretariat:meeting", kwargs={"pk": pk}) + anchor,
    )


@secretariat_required
@require_safe
def meeting(request, pk):
    return _page(request, pk)


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = _meeting(pk)
    form = MeetingForm(request.POST, instance=_meeting(pk), prefix="edit")
    return _action(
        request,
        pk,
        name="edit",
        form=form,
        perform=lambda data: meeting_update(
            meeting=meeting, by=request.user, data=data, version=data.get("version") or 0
        ),
        success=_(
            "The meeting is saved; participants get an updated invitation if its time or place changed."
        ),
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_invite_view(request, pk):
    meeting = _meeting(pk)
    return _action(
        request,
        pk,
        name="invite",
        form=InviteForm(request.POST, prefix="invite"),
        perform=lambda data: meeting_invite(
            meeting=meeting, by=request.user, mode=data["mode"], emails=data["emails"]
        ),
        success=lambda count: (
            ngettext(
                "%(count)s person invited; the invitation is on its way.",
                "%(count)s people invited; their invitations are on their way.",
                count,
            )
            % {"count": count}
        ),
        anchor="#participants",
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def participant_remove_view(request, pk, participant_pk):
    meeting = _meeting(pk)
    participant = get_object_or_404(Participant, pk=participant_pk, meeting=meeting)
    return _action(
        request,
        pk,
        name="remove",
        form=forms.Form(request.POST),
        perform=lambda data: participant_remove(participant=participant, by=request.user),
        success=_("The participant is removed and can no longer open the meeting."),
        anchor="#participants",
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_status(request, pk):
    meeting = _meeting(pk)
    return _action(
        request,
        pk,
        name="status",
        form=StatusForm(request.POST, obj=meeting, prefix="status"),
        perform=lambda data: meeting_set_status(
            meeting=meeting, by=request.user, status=data["status"], version=data["version"]
        ),
        success=lambda changed: (
            _("The meeting is now “%(status)s”.") % {"status": changed.get_status_display()}
        ),
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_cancel_view(request, pk):
    meeting = _meeting(pk)
    return _action(
        request,
        pk,
        name="cancel",
        form=ReasonForm(request.POST, obj=meeting, prefix="cancel"),
        perform=lambda data: meeting_cancel(
            meeting=meeting, by=request.user, reason=data["reason"], version=data["version"]
        ),
        success=_("The meeting is cancelled; the participants are told."),
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def agenda_add(request, pk):
    meeting = _meeting(pk)
    return _action(
        request,
        pk,
        name="agenda",
        form=AgendaItemForm(request.POST, prefix="agenda"),
        perform=lambda data: agenda_item_add(meeting=meeting, by=request.user, **data),
        success=_("The agenda item is added."),
        anchor="#agenda",
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def agenda_move(request, pk, item_pk):
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting_id=pk)
    return _action(
        request,
        pk,
        name="move",
        form=MoveForm(request.POST),
        perform=lambda data: agenda_item_move(
            item=item, by=request.user, direction=data["direction"]
        ),
        success=_("The agenda is reordered."),
        anchor="#agenda",
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def agenda_delete(request, pk, item_pk):
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting_id=pk)
    return _action(
        request,
        pk,
        name="agenda_delete",
        form=forms.Form(request.POST),
        perform=lambda data: agenda_item_delete(item=item, by=request.user),
        success=_("The agenda item is removed."),
        anchor="#agenda",
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    meeting = _meeting(pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    action = request.POST.get("action", "save")
    form = MinutesForm(request.POST, obj=minutes, prefix="minutes")

    def perform(data):
        current = minutes_save(
            meeting=meeting,
            by=request.user,
            text=data["text"],
            version=data["version"] if minutes else None,
        )
        if action == "circulate":
            return minutes_circulate(minutes=current, by=request.user, version=current.version)
        if action == "approve":
            return minutes_approve(minutes=current, by=request.user, version=current.version)
        return current

    return _action(
        request,
        pk,
        name="minutes",
        form=form,
        perform=perform,
        success=lambda saved: {
            "save": _("The minutes are saved."),
            "circulate": _("The minutes are circulated to the participants for comment."),
            "approve": _("The minutes are approved and locked."),
        }.get(action, _("The minutes are saved.")),
        anchor="#minutes",
    )


@secretariat_required
@require_safe
def minutes_print(request, pk):
    meeting = _meeting(pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404
    return render(
        request,
        "meetings/secretariat/minutes_print.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            # An export is what participants read: under the Chatham House Rule, nobody named.
            "html": minutes.public_html if meeting.is_chatham_house else minutes.attributed_html,
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request, pk):
    meeting = _meeting(pk)
    action = request.POST.get("action", "save")

    def perform(data):
        if action == "withdraw":
            return outcome_withdraw(meeting=meeting, by=request.user)
        saved = outcome_save(meeting=meeting, by=request.user, summary=data["summary"])
        if action == "publish":
            return outcome_publish(meeting=meeting, by=request.user)
        return saved

    return _action(
        request,
        pk,
        name="outcome",
        form=OutcomeForm(request.POST, prefix="outcome"),
        perform=perform,
        success={
            "publish": _("The outcome summary is published."),
            "withdraw": _("The outcome summary is no longer public."),
        }.get(action, _("The outcome summary is saved.")),
        anchor="#outcome",
    )


def csv_safe(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value):
        return value


@secretariat_required
@require_POST
def participants_export(request, pk):
    meeting = _meeting(pk)
    participants_export_record(meeting=meeting, by=request.user)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow(
            [
                _("Name"),
                _("Email"),
                _("Organisation"),
                _("Stakeholder group"),
                _("Country"),
                _("Answer"),
            ]
        )
        for participant in workspace_participants(meeting).iterator():
            profile = getattr(participant.user, "profile", None)
            yield writer.writerow(
                [
                    csv_safe(getattr(profile, "full_name", "")),
                    csv_safe(participant.user.email),
                    csv_safe(getattr(profile, "organisation", "")),
                    csv_safe(profile.get_stakeholder_group_display() if profile else ""),
                    csv_safe(getattr(profile, "country", "")),
                    csv_safe(participant.get_response_display()),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = meeting.reference.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="participants-{name}.csv"'
    return response
