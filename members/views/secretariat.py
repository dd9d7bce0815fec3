"""The secretariat's people tools: dashboard, members list, member page, corrections of the
vetted details, suspension, export."""

from datetime import date

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from aiii.access import get_visible_or_404, secretariat_required
from aiii.actions import form_action
from aiii.csv_export import csv_lines
from aiii.fragments import cached_fragment
from aiii.layout import fragment_page
from aiii.pagination import paginate

from ..forms.people import MembershipActionForm, ProfileCorrectForm, SecretariatMemberFilterForm
from ..models import MEMBERS_DATA
from ..permissions import can_reinstate, can_suspend
from ..selectors.people import (
    export_rows,
    member_audit_history,
    secretariat_member_details,
    secretariat_members,
)
from ..services.people import (
    members_export_record,
    membership_reinstate,
    membership_suspend,
    profile_correct,
)


def _filters(data):
    form = SecretariatMemberFilterForm(data or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@secretariat_required
@require_safe
def members(request):
    def context():  # run only when the content is not cached (aiii/fragments.py)
        form, filters = _filters(request.GET)
        return {
            "form": form,
            "page": paginate(request, secretariat_members(filters=filters)),
            "filtered": any(filters.values()),
            # The export form carries the filters of the list it is under.
            "export_filters": [(name, value) for name, value in filters.items() if value],
        }

    content = cached_fragment(
        request,
        "members/includes/members_content.html",
        datasets=[MEMBERS_DATA],
        context=context,
        params=[*SecretariatMemberFilterForm.base_fields, "page"],
    )
    return fragment_page(request, "members/secretariat/members.html", content)


def _member(request, pk):
    return get_visible_or_404(secretariat_member_details(), request.user, pk=pk)


def _member_page(request, profile, *, forms=None, error=None, status=200):
    forms = forms or {}
    return render(
        request,
        "members/secretariat/member.html",
        {
            "profile": profile,
            "history": paginate(request, member_audit_history(profile=profile)),
            "correct_form": forms.get("correct") or ProfileCorrectForm(profile=profile),
            "suspend_form": forms.get("suspend")
            or MembershipActionForm(prefix_action="suspend", profile=profile),
            "reinstate_form": forms.get("reinstate")
            or MembershipActionForm(prefix_action="reinstate", profile=profile),
            "can_suspend": can_suspend(request.user, profile),
            "can_reinstate": can_reinstate(request.user, profile),
            "action_error": error,
        },
        status=status,
    )


@secretariat_required
@require_safe
def member(request, pk):
    return _member_page(request, _member(request, pk))


@secretariat_required
@require_http_methods(["GET", "POST"])
def member_correct(request, pk):
    profile = _member(request, pk)
    form = ProfileCorrectForm(request.POST, profile=profile)

    def page(*, form=form, error=None, status):
        if error is None:
            return _member_page(request, profile, forms={"correct": form}, status=status)
        # Show the details as they are now, keep what was typed, and carry the new version:
        # a second submit is then a correction made knowing the other change.
        current = _member(request, pk)
        data = request.POST.copy()
        data[form.add_prefix("version")] = current.version
        again = ProfileCorrectForm(data, profile=current)
        again.is_valid()
        again.add_error(None, error)
        return _member_page(request, current, forms={"correct": again}, status=status)

    return form_action(
        request,
        form=form,
        perform=lambda data: profile_correct(
            profile=profile,
            by=request.user,
            changes=form.changes(),
            reason=data["reason"],
            version=data["version"],
        ),
        page=page,
        success=lambda corrected: (
            _("The details of %(name)s are corrected; they have been emailed the changes.")
            % {"name": corrected.full_name}
        ),
        then=reverse("secretariat:member", kwargs={"pk": profile.pk}),
    )


DONE = {
    "suspend": gettext_lazy(
        "%(name)s is suspended and signed out everywhere; they have been emailed."
    ),
    "reinstate": gettext_lazy(
        "%(name)s is reinstated and can sign in again; they have been emailed."
    ),
}


def _membership_action(request, pk, *, action):
    profile = _member(request, pk)
    service = membership_suspend if action == "suspend" else membership_reinstate

    def page(*, form=None, error=None, status):
        shown = _member(request, pk) if error else profile
        forms = {action: form} if form is not None else {}
        return _member_page(request, shown, forms=forms, error=error, status=status)

    return form_action(
        request,
        form=MembershipActionForm(request.POST, prefix_action=action, profile=profile),
        perform=lambda data: service(
            profile=profile, by=request.user, reason=data["reason"], version=data["version"]
        ),
        page=page,
        success=DONE[action] % {"name": profile.full_name},
        then=reverse("secretariat:member", kwargs={"pk": profile.pk}),
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def member_suspend(request, pk):
    return _membership_action(request, pk, action="suspend")


@secretariat_required
@require_http_methods(["GET", "POST"])
def member_reinstate(request, pk):
    return _membership_action(request, pk, action="reinstate")


@secretariat_required
@require_POST
def members_export(request):
    # A POST with the CSRF token: exporting writes an audit entry and hands out personal data,
    # so a link from elsewhere must not be able to make a secretariat browser do it.
    _form, filters = _filters(request.POST)
    members_export_record(by=request.user, filters=filters)
    response = StreamingHttpResponse(
        csv_lines(export_rows(filters=filters)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="aiii-members-{date.today().isoformat()}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response
