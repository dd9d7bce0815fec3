"""The secretariat's people tools: dashboard, members list, member page, corrections of the
vetted details, suspension, export."""

import csv
from datetime import date

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from aiii.access import secretariat_required
from aiii.pagination import paginate
from aiii.selectors import recent_audit_entries

from ..forms.people import MembershipActionForm, ProfileCorrectForm, SecretariatMemberFilterForm
from ..permissions import can_reinstate, can_suspend
from ..selectors.people import (
    application_counts,
    export_rows,
    member_audit_history,
    network_composition,
    secretariat_member,
    secretariat_members,
)
from ..services.people import (
    MembershipStateError,
    ProfileChangedError,
    members_export_record,
    membership_reinstate,
    membership_suspend,
    profile_correct,
)

# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@secretariat_required
@require_safe
def dashboard(request):
    return render(
        request,
        "members/secretariat/dashboard.html",
        {
            "application_counts": application_counts(),
            "composition": network_composition(),
            "recent_entries": recent_audit_entries(limit=10),
        },
    )


def _filters(data):
    form = SecretariatMemberFilterForm(data or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@secretariat_required
@require_safe
def members(request):
    form, filters = _filters(request.GET)
    page = paginate(request, secretariat_members(filters=filters))
    return render(
        request,
        "members/secretariat/members.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            # The export form carries the filters of the list it is under.
            "export_filters": [(name, value) for name, value in filters.items() if value],
        },
    )


def _member_page(
    request, profile, *, correct_form=None, suspend_form=None, reinstate_form=None, status=200
):
    return render(
        request,
        "members/secretariat/member.html",
        {
            "profile": profile,
            "history": paginate(request, member_audit_history(profile=profile)),
            "correct_form": correct_form or ProfileCorrectForm(profile=profile),
            "suspend_form": suspend_form or MembershipActionForm(prefix_action="suspend"),
            "reinstate_form": reinstate_form or MembershipActionForm(prefix_action="reinstate"),
            "can_suspend": can_suspend(profile),
            "can_reinstate": can_reinstate(profile),
        },
        status=status,
    )


@secretariat_required
@require_safe
def member(request, pk):
    return _member_page(request, secretariat_member(pk=pk))


@secretariat_required
@require_POST
def member_correct(request, pk):
    profile = secretariat_member(pk=pk)
    form = ProfileCorrectForm(request.POST, profile=profile)
    if not form.is_valid():
        return _member_page(request, profile, correct_form=form, status=400)
    try:
        profile_correct(
            profile=profile,
            by=request.user,
            changes=form.changes(),
            reason=form.cleaned_data["reason"],
            seen_updated_at=form.cleaned_data["seen_updated_at"],
        )
    except ProfileChangedError as refused:
        # Show the details as they are now, keep what was typed, and carry the new state: a
        # second submit is then a correction made knowing the other change.
        current = secretariat_member(pk=pk)
        data = request.POST.copy()
        data[form.add_prefix("seen_updated_at")] = current.updated_at.isoformat()
        form = ProfileCorrectForm(data, profile=current)
        form.is_valid()
        form.add_error(None, str(refused))
        return _member_page(request, current, correct_form=form, status=409)
    messages.success(
        request,
        _("The details of %(name)s are corrected; they have been emailed the changes.")
        % {"name": form.cleaned_data["full_name"]},
    )
    return redirect("secretariat:member", pk=profile.pk)


def _membership_action(request, pk, *, action):
    profile = secretariat_member(pk=pk)
    form = MembershipActionForm(request.POST, prefix_action=action)
    if not form.is_valid():
        return _member_page(request, profile, **{f"{action}_form": form}, status=400)
    service = membership_suspend if action == "suspend" else membership_reinstate
    try:
        service(profile=profile, by=request.user, reason=form.cleaned_data["reason"])
    except MembershipStateError as refused:
        messages.error(request, str(refused))
        return redirect("secretariat:member", pk=profile.pk)
    if action == "suspend":
        messages.success(
            request,
            _("%(name)s is suspended and signed out everywhere; they have been emailed.")
            % {"name": profile.full_name},
        )
    else:
        messages.success(
            request,
            _("%(name)s is reinstated and can sign in again; they have been emailed.")
            % {"name": profile.full_name},
        )
    return redirect("secretariat:member", pk=profile.pk)


@secretariat_required
@require_POST
def member_suspend(request, pk):
    return _membership_action(request, pk, action="suspend")


@secretariat_required
@require_POST
def member_reinstate(request, pk):
    return _membership_action(request, pk, action="reinstate")


def csv_safe(value):
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write returns the line, for csv.writer inside a generator."""

    def write(self, value):
        return value


def _csv_lines(rows):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # the byte order mark spreadsheet applications look for to read UTF-8
    for row in rows:
        yield writer.writerow([csv_safe(cell) for cell in row])


@secretariat_required
@require_POST
def members_export(request):
    # A POST with the CSRF token: exporting writes an audit entry and hands out personal data,
    # so a link from elsewhere must not be able to make a secretariat browser do it.
    _form, filters = _filters(request.POST)
    members_export_record(by=request.user, filters=filters)
    response = StreamingHttpResponse(
        _csv_lines(export_rows(filters=filters)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="aiii-members-{date.today().isoformat()}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response
