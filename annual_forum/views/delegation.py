"""A delegate's own pages: their registration's state, their delegation's interventions, and
drafting, submitting and withdrawing them."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from aiii.access import signed_in
from aiii.actions import form_action
from aiii.errors import ServiceError
from aiii.pagination import paginate

from ..forms import DecisionForm, InterventionEditForm, InterventionForm
from ..models import Intervention
from ..selectors import current_meeting, delegate_of, delegation_interventions, intervention_history
from ..services.interventions import (
    intervention_create,
    intervention_edit,
    intervention_submit,
    intervention_withdraw,
)


def _delegate_or_404(request):
    delegate = delegate_of(request.user)
    if delegate is None:
        raise Http404
    return delegate


@signed_in
@require_safe
def delegation(request):
    delegate = _delegate_or_404(request)
    return render(
        request,
        "annual_forum/delegation/home.html",
        {
            "delegate": delegate,
            "meeting": current_meeting(),
            "page": paginate(request, delegation_interventions(user=request.user)),
        },
    )


@signed_in
@require_http_methods(["GET", "POST"])
def intervention_new(request):
    delegate = _delegate_or_404(request)
    meeting = current_meeting()
    if meeting is None:
        raise Http404
    form = InterventionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = intervention_create(
                by=request.user,
                meeting=meeting,
                delegation=delegate.delegation,
                submit="submit" in request.POST,
                **form.service_kwargs(),
            )
        except ServiceError as refused:
            form.add_error(None, refused.message)
        else:
            messages_text = (
                _("Your intervention is submitted to the secretariat.")
                if item.status == Intervention.Status.SUBMITTED
                else _("Your draft is saved. Submit it before the deadline.")
            )
            messages.success(request, messages_text)
            return redirect(item.get_manage_url())
    return render(
        request,
        "annual_forum/delegation/new.html",
        {"delegate": delegate, "meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


def _own_intervention(request, pk):
    try:
        return (
            Intervention.objects.of_delegation(request.user)
            .select_related("meeting", "delegation", "created_by")
            .get(pk=pk)
        )
    except Intervention.DoesNotExist:
        raise Http404 from None


def _manage_page(request, item, *, edit_form=None, form=None, error=None, status=200):
    return render(
        request,
        "annual_forum/delegation/manage.html",
        {
            "intervention": item,
            "history": intervention_history(intervention=item),
            "edit_form": edit_form or (InterventionEditForm(intervention=item)),
            "action_form": form
            if form is not None and edit_form is None
            else DecisionForm(obj=item),
            "error": error,
        },
        status=status,
    )


@signed_in
@require_safe
def intervention_manage(request, pk):
    return _manage_page(request, _own_intervention(request, pk))


@signed_in
@require_http_methods(["GET", "POST"])
def intervention_edit_view(request, pk):
    item = _own_intervention(request, pk)
    form = InterventionEditForm(request.POST, request.FILES, intervention=item)

    def page(*, form=form, error=None, status):
        if error:
            return _manage_page(request, _own_intervention(request, pk), error=error, status=status)
        return _manage_page(request, item, edit_form=form, status=status)

    def perform(data):
        data = dict(data)
        version = data.pop("version")
        remove_pdf = data.pop("remove_pdf", False)
        data["pdf"] = data.pop("pdf", None) or None
        return intervention_edit(
            intervention=item, by=request.user, version=version, remove_pdf=remove_pdf, **data
        )

    return form_action(
        request,
        form=form,
        perform=perform,
        page=page,
        success=_("Your changes are saved."),
        then=item.get_manage_url(),
    )


def _simple_action(request, pk, *, service, success):
    item = _own_intervention(request, pk)

    def page(*, form=None, error=None, status):
        shown = _own_intervention(request, pk) if error else item
        return _manage_page(request, shown, form=form, error=error, status=status)

    return form_action(
        request,
        form=DecisionForm(request.POST, obj=item),
        perform=lambda data: service(intervention=item, by=request.user, version=data["version"]),
        page=page,
        success=success,
        then=item.get_manage_url(),
    )


@signed_in
@require_http_methods(["GET", "POST"])
def intervention_submit_view(request, pk):
    return _simple_action(
        request,
        pk,
        service=intervention_submit,
        success=_("Your intervention is submitted to the secretariat."),
    )


@signed_in
@require_http_methods(["GET", "POST"])
def intervention_withdraw_view(request, pk):
    return _simple_action(
        request, pk, service=intervention_withdraw, success=_("Your intervention is withdrawn.")
    )


def manage_url(pk):
    return reverse("forum:intervention_manage", kwargs={"pk": pk})
