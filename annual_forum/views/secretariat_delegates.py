"""The secretariat's delegate verification and observer organisations."""

from allauth.account.models import EmailAddress
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from aiii.access import get_visible_or_404, secretariat_required
from aiii.actions import form_action
from aiii.errors import ServiceError
from aiii.pagination import paginate

from ..forms import DecisionForm, MessageDecisionForm, ObserverForm
from ..models import Delegate, Delegation
from ..selectors import observer_organisations, secretariat_delegates
from ..services.delegates import (
    delegate_reject,
    delegate_verify,
    delegation_create,
    delegation_set_active,
)

# --- Delegates and observer organisations ----------------------------------------------------


@secretariat_required
@require_safe
def delegates(request):
    status = request.GET.get("status") or ""
    if status not in Delegate.Status.values:
        status = ""
    return render(
        request,
        "annual_forum/secretariat/delegates.html",
        {
            "page": paginate(request, secretariat_delegates(status=status)),
            "status": status,
            "statuses": Delegate.Status.choices,
        },
    )


def _delegate(request, pk):
    return get_visible_or_404(
        Delegate.objects.select_related("delegation", "user"), request.user, pk=pk
    )


def _delegate_page(request, delegate, *, forms=None, error=None, status=200):
    forms = forms or {}
    return render(
        request,
        "annual_forum/secretariat/delegate.html",
        {
            "delegate": delegate,
            "email_confirmed": EmailAddress.objects.filter(
                user=delegate.user, verified=True
            ).exists(),
            "verify_form": forms.get("verify") or DecisionForm(obj=delegate),
            "reject_form": forms.get("reject")
            or MessageDecisionForm(obj=delegate, prefix="reject"),
            "error": error,
        },
        status=status,
    )


@secretariat_required
@require_safe
def delegate(request, pk):
    return _delegate_page(request, _delegate(request, pk))


@secretariat_required
@require_http_methods(["GET", "POST"])
def delegate_verify_view(request, pk):
    item = _delegate(request, pk)

    def page(*, form=None, error=None, status):
        shown = _delegate(request, pk) if error else item
        return _delegate_page(
            request, shown, forms={"verify": form} if form else None, error=error, status=status
        )

    return form_action(
        request,
        form=DecisionForm(request.POST, obj=item),
        perform=lambda data: delegate_verify(
            delegate=item, by=request.user, version=data["version"]
        ),
        page=page,
        success=_("The delegate is verified and has been emailed."),
        then=item.get_secretariat_url(),
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def delegate_reject_view(request, pk):
    item = _delegate(request, pk)

    def page(*, form=None, error=None, status):
        shown = _delegate(request, pk) if error else item
        return _delegate_page(
            request, shown, forms={"reject": form} if form else None, error=error, status=status
        )

    return form_action(
        request,
        form=MessageDecisionForm(request.POST, obj=item, prefix="reject"),
        perform=lambda data: delegate_reject(
            delegate=item, by=request.user, version=data["version"], reason=data["message"]
        ),
        page=page,
        success=_("The delegate is rejected and has been emailed."),
        then=item.get_secretariat_url(),
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def delegations(request):
    form = ObserverForm(request.POST or None)
    if request.method == "POST":
        toggle = request.POST.get("toggle")
        if toggle:
            found = get_object_or_404(Delegation, pk=toggle, kind__in=Delegation.OBSERVER_KINDS)
            delegation_set_active(delegation=found, active=not found.active, by=request.user)
            return redirect("secretariat:forum_delegations")
        if form.is_valid():
            try:
                delegation_create(by=request.user, **form.cleaned_data)
            except ServiceError as refused:
                form.add_error(None, refused.message)
            else:
                return redirect("secretariat:forum_delegations")
    return render(
        request,
        "annual_forum/secretariat/delegations.html",
        {"form": form, "observers": observer_organisations()},
        status=400 if form.errors else 200,
    )


@secretariat_required
@require_safe
def delegate_letter(request, pk):
    """The credential letter, for the secretariat only (it is not public)."""
    item = _delegate(request, pk)
    if not item.credential_letter:
        raise Http404
    return FileResponse(
        item.credential_letter.open("rb"),
        content_type="application/pdf",
        filename=f"credential-letter-{item.pk}.pdf",
    )
