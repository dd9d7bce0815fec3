import time

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from . import access, mfa_enrolment
from .auth_backends import reading_session
from .languages import language_ready
from .permissions import can_use_members_area, is_secretariat, needs_second_factor

SESSION_STARTED_KEY = "aiii_session_started"


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, except that the user comes from the statement that read the session when it
    holds them (aiii/sessions.py, aiii/auth_backends.py): one query to know who is asking."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _signed_in_user(request))


def _signed_in_user(request):
    # As django.contrib.auth.middleware.get_user, with the session store at hand.
    if not hasattr(request, "_cached_user"):
        with reading_session(request.session):
            request._cached_user = auth.get_user(request)
    return request._cached_user


class AccessMiddleware:
    """Apply each view's access mark (see aiii/access.py); unmarked views are members-only.

    Anonymous users are sent to the login page; a signed-in user without the role gets 403.
    Objects a user may not see are the views' business: they answer 404 through selectors.

    The check runs before the view looks anything up, so an anonymous visitor gets the same
    redirect for an existing object and a missing one. An address that matches no URL pattern
    never reaches process_view and is a 404 for everyone, signed in or not: it names no object,
    and the patterns themselves are no secret.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        level = access.access_level(view_func, url_name=match.url_name if match else None)
        if level == access.PUBLIC:
            return None
        user = request.user
        if not user.is_authenticated:
            if getattr(request.session, "unavailable", False):
                # The session could not be read (aiii/sessions.py: the database is down). This
                # may well be a signed-in member: the sign-in page would mislead them.
                from .views import service_unavailable

                return service_unavailable(request)
            return redirect_to_login(request.get_full_path())
        if needs_second_factor(user):
            # The full name (with any namespace): an app's "x:mfa_index" is not allauth's page.
            refusal = self.confine_to_enrolment(request, match.view_name if match else None)
            if refusal is not None:
                return refusal
        if level == access.SIGNED_IN:
            return None
        if level == access.SECRETARIAT:
            if not is_secretariat(user):
                raise PermissionDenied
            return None
        if not can_use_members_area(user):
            raise PermissionDenied
        return None

    @staticmethod
    def confine_to_enrolment(request, view_name):
        """A secretariat account sees everything members see and more: without its second
        factor it may only enrol one (and sign out). Enrolling needs the operator's one-time
        code first (aiii/mfa_enrolment.py), so the password alone can neither enrol a factor
        nor reach any other account page (email address, password)."""
        if view_name in ("secretariat:mfa_enrolment", "account_logout"):
            return None
        if mfa_enrolment.session_has_grant(request):
            if view_name in mfa_enrolment.ENROLMENT_URL_NAMES:
                return None
            return redirect("mfa_index")
        return redirect("secretariat:mfa_enrolment")


def session_stamp_start(request):
    """Note when this session's sign-in happened: the absolute lifetime counts from here."""
    request.session[SESSION_STARTED_KEY] = time.time()


def _stamp_at_sign_in(sender, request, user, **kwargs):
    # Django's login() (which allauth calls once every step, MFA included, is done) has just
    # given the session a new key; this is the only hook into that moment.
    if request is not None and hasattr(request, "session"):
        session_stamp_start(request)


user_logged_in.connect(_stamp_at_sign_in, dispatch_uid="aiii.session_lifetime.stamp")


class SessionLifetimeMiddleware:
    """End a session that has lived longer than AIII_SESSION_MAX_AGE, however active it is.

    Inactivity expiry is Django's own (SESSION_COOKIE_AGE, re-saved on every request). The start
    is stamped at sign-in; a signed-in session without a stamp (one that began before this
    middleware, or through a path that skipped login()) is stamped on its first request.

    The check runs in process_view, after every middleware's request phase, so that the
    message about the expiry can be stored; the visitor then goes on as anonymous and the
    access rules decide (a public page stays open, anything else leads to the login page).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        started = request.session.get(SESSION_STARTED_KEY)
        if started is None:
            session_stamp_start(request)
        elif time.time() - started > settings.AIII_SESSION_MAX_AGE.total_seconds():
            logout(request)
            messages.info(request, _("Your session has expired. Please sign in again."))
        return None


class SecurityHeadersMiddleware:
    """Headers Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class PrivatePagesMiddleware:
    """Tell browsers and proxies to keep no copy of what a signed-in user is shown.

    Pages for a signed-in user carry personal data (profiles, applications, the audit log): with
    `Cache-Control: no-store` they are not kept on a shared computer's disk or in a proxy, nor
    shown again with the back button after signing out. Pages for anonymous visitors keep their
    caching, and static files never get this far (WhiteNoise answers them first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's language negotiation, limited to the languages that are ready."""

    def process_request(self, request):
        super().process_request(request)
        if not language_ready(translation.get_language()):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()
