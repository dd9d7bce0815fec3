"""The secretariat's vetting tools: the queue, an application and its decisions, invitations."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from aiii.access import get_visible_or_404, secretariat_required
from aiii.actions import form_action
from aiii.fragments import cached_fragment
from aiii.layout import fragment_page
from aiii.pagination import paginate
from aiii.ratelimit import rate_limit_consume
from aiii.views import too_many_requests

from ..forms.applications import (
    ApproveForm,
    InvitationForm,
    QueueFilterForm,
    RejectForm,
    RequestInfoForm,
)
from ..models import APPLICATIONS_DATA, MembershipApplication
from ..selectors.applications import (
    application_details,
    application_events,
    application_queue,
    invitations_for_secretariat,
)
from ..selectors.people import network_composition
from ..services.applications import (
    application_approve,
    application_reject,
    application_request_info,
)
from ..services.invitations import invitation_create

PREFIXES = {"approve": ApproveForm, "reject": RejectForm, "info": RequestInfoForm}


@secretariat_required
@require_safe
def queue(request):
    def context():  # run only when the content is not cached (aiii/fragments.py)
        form = QueueFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        return {"form": form, "page": paginate(request, application_queue(filters=filters))}

    content = cached_fragment(
        request,
        "members/includes/queue_content.html",
        datasets=[APPLICATIONS_DATA],
        context=context,
        params=[*QueueFilterForm.base_fields, "page"],
    )
    return fragment_page(request, "members/vetting/queue.html", content)


def _get_application(request, pk):
    return get_visible_or_404(application_details(), request.user, pk=pk)


def _detail(request, application, *, form=None, error=None, status=200):
    forms = {
        prefix: form_class(prefix=prefix, obj=application)
        for prefix, form_class in PREFIXES.items()
    }
    if form is not None:
        forms[form.prefix] = form
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
    return _detail(request, _get_application(request, pk))


def _decide(request, pk, *, prefix, service, argument, done):
    application = _get_application(request, pk)

    def page(*, form=None, error=None, status):
        # After a refusal, reload: the page shows the application as it is now.
        shown = _get_application(request, pk) if error else application
        return _detail(request, shown, form=form, error=error, status=status)

    def perform(data):
        extra = {argument: data[argument]} if argument else {}
        return service(application=application, by=request.user, version=data["version"], **extra)

    return form_action(
        request,
        form=PREFIXES[prefix](request.POST, prefix=prefix, obj=application),
        perform=perform,
        page=page,
        success=done % {"name": application.full_name},
        then=reverse("secretariat:application", kwargs={"pk": pk}),
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
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
@require_http_methods(["GET", "POST"])
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
@require_http_methods(["GET", "POST"])
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
        status=400 if form.errors else 200,
    )
