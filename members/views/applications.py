"""The public application pages and the applicant's own pages."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from aiii.access import public, signed_in
from aiii.errors import Conflict
from aiii.languages import use_language
from aiii.ratelimit import client_ip, rate_limit_consume
from aiii.views import too_many_requests

from ..adapters import login_redirect_url
from ..forms.applications import AmendForm, ApplicationForm
from ..models import MembershipApplication
from ..selectors.applications import (
    application_history_for_applicant,
    application_latest_info_request,
    application_of,
    invitation_by_token_hash,
)
from ..services.applications import application_resubmit, application_submit
from ..services.invitations import (
    InvitationEmailMismatch,
    InvitationError,
    invitation_check,
    invitation_token_hash,
)


def _language():
    try:
        return get_supported_language_variant(get_language() or "en")
    except LookupError:
        return "en"


def _invitation_invalid(request, error):
    return render(
        request,
        "members/applications/invitation_invalid.html",
        {"message": error.message},
        status=410 if error.gone else 404,
    )


def _apply(request, *, invitation=None, token=None):
    if request.method == "POST":
        form = ApplicationForm(request.POST, invitation=invitation)
        if not rate_limit_consume(action="apply", key=client_ip(request)):
            return too_many_requests(
                request,
                _(
                    "Too many applications have been sent from your network. Please wait an "
                    "hour and try again."
                ),
            )
        if form.is_valid():
            try:
                application_submit(
                    language=_language(),
                    invitation_token=token,
                    **form.service_kwargs(),
                )
            except InvitationEmailMismatch as error:
                form.refuse_email(error.message)
            except InvitationError as error:
                return _invitation_invalid(request, error)
            else:
                return redirect("members:apply_check_email")
    else:
        form = ApplicationForm(invitation=invitation)
    return render(
        request,
        "members/applications/apply.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


@public
@require_http_methods(["GET", "POST"])
def apply(request):
    if request.user.is_authenticated:
        messages.info(request, _("You already have an account."))
        return redirect(login_redirect_url(request.user))
    return _apply(request)


@public
@never_cache  # the invitee's name and address, and a token in the address
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    found = invitation_by_token_hash(invitation_token_hash(token))
    try:
        invitation_check(found)
    except InvitationError as error:
        return _invitation_invalid(request, error)
    if request.user.is_authenticated:
        messages.info(request, _("You already have an account."))
        return redirect(login_redirect_url(request.user))
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # The language the invitation was written in, until the visitor chooses another.
        use_language(request, found.language)
    return _apply(request, invitation=found, token=token)


@public
@require_safe
def check_email(request):
    return render(request, "members/applications/check_email.html")


def _own_application(request):
    application = application_of(request.user)
    if application is None:
        raise Http404
    return application


@signed_in
@require_safe
def status(request):
    application = _own_application(request)
    return render(
        request,
        "members/applications/status.html",
        {"application": application, "events": application_history_for_applicant(application)},
    )


@signed_in
@require_http_methods(["GET", "POST"])
def amend(request):
    application = _own_application(request)
    if application.status != MembershipApplication.Status.INFO_REQUESTED:
        messages.info(request, _("Your application is not waiting for more information."))
        return redirect("members:application_status")
    if request.method == "POST":
        form = AmendForm(request.POST, instance=application)
        if form.is_valid():
            try:
                application_resubmit(
                    application=application,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    changes=form.changes(),
                    expertise=list(form.cleaned_data["expertise"]),
                    message=form.cleaned_data["message"],
                )
            except Conflict as error:
                messages.error(request, error.message)
                return redirect("members:application_status")
            messages.success(
                request, _("Thank you. Your amended application is back with the secretariat.")
            )
            return redirect("members:application_status")
    else:
        form = AmendForm(instance=application)
    return render(
        request,
        "members/applications/amend.html",
        {
            "application": application,
            "form": form,
            "request_event": application_latest_info_request(application),
        },
        status=400 if form.errors else 200,
    )
