"""The secretariat's vetting tools: the queue, an application and its decisions, invitations."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from aiii.access import secretariat_required
from aiii.pagination import paginate
from aiii.ratelimit import rate_limit_consume

from ..forms.applications import (
    ApproveForm,
    InvitationForm,
    QueueFilterForm,
    RejectForm,
    RequestInfoForm,
)
from ..models import MembershipApplication
from ..selectors.applications import (
    application_events,
    application_for_secretariat,
    application_queue,
    invitations_for_secretariat,
)
from ..selectors.people import network_composition
from ..services.applications import (
    ApplicationError,
    application_approve,
    application_reject,
    application_request_info,
)
from ..services.invitations import invitation_create
from .common import too_many_requests

PREFIXES = {"approve": ApproveForm, "reject": RejectForm, "info": RequestInfoForm}


@secretariat_required
@require_safe
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = paginate(request, application_queue(filters=filters))
    return render(request, "members/vetting/queue.html", {"form": form, "page": page})


def _get_application(pk):
    try:
        return application_for_secretariat(pk=pk)
    except MembershipApplication.DoesNotExist:
        raise Http404 from None


def _detail(request, application, *, bound=None, error=None, status=200):
    forms = {
        prefix: form_class(prefix=prefix, application=application)
        for prefix, form_class in PREFIXES.items()
    }
    if bound is not None:
        forms[bound.prefix] = bound
    return render(
        request,
        "members/vetting/application.html",
        {
            "application": application,
            "events": application_events(application),
            "approve_form": forms["approve"],
            "reject_form": forms["reject"],
            "info_form": forms["info"],
            "decision_error": error,
            "composition": network_composition(),
            "is_open": application.status in MembershipApplication.OPEN_STATUSES,
        },
        status=status,
    )


@secretariat_required
@require_safe
def application(request, pk):
    return _detail(request, _get_application(pk))


def _decide(request, pk, *, prefix, service, argument, done):
    application = _get_application(pk)
    form = PREFIXES[prefix](request.POST, prefix=prefix, application=application)
    if not form.is_valid():
        return _detail(request, application, bound=form)
    kwargs = {"version": form.cleaned_data["version"]}
    if argument:
        kwargs[argument] = form.cleaned_data[argument]
    try:
        service(application=application, by=request.user, **kwargs)
    except ApplicationError as error:
        # Refused as a whole: reload the application so the page shows its current state.
        return _detail(request, _get_application(pk), error=error.message, status=409)
    messages.success(request, done % {"name": application.full_name})
    return redirect("secretariat:application", pk=pk)


@secretariat_required
@require_POST
def approve(request, pk):
    return _decide(
        request,
        pk,
        prefix="approve",
        service=application_approve,
        argument="note",
        done=_("%(name)s is now a member. They have been told by email."),
    )


@secretariat_required
@require_POST
def reject(request, pk):
    return _decide(
        request,
        pk,
        prefix="reject",
        service=application_reject,
        argument="reason",
        done=_("The application of %(name)s was rejected. They have been told by email."),
    )


@secretariat_required
@require_POST
def request_info(request, pk):
    return _decide(
        request,
        pk,
        prefix="info",
        service=application_request_info,
        argument="message",
        done=_("More information was requested from %(name)s by email."),
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def invite(request):
    if request.method == "POST":
        form = InvitationForm(request.POST)
        if not rate_limit_consume(action="invitation", key=f"user:{request.user.pk}"):
            return too_many_requests(
                request,
                _("You have sent many invitations in a short time. Please wait and try again."),
            )
        if form.is_valid():
            invitation, _token = invitation_create(by=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("The invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("secretariat:invite")
    else:
        form = InvitationForm()
    return render(
        request,
        "members/vetting/invite.html",
        {
            "form": form,
            "invitations": paginate(request, invitations_for_secretariat()),
            "invitation_days": settings.AIII_INVITATION_DAYS,
        },
    )
