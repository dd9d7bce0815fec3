import logging
import uuid
from types import SimpleNamespace
from urllib.parse import quote, urlparse

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext

from aiii.emails import normalise_email
from aiii.outbox import email_queue_message
from aiii.permissions import landing_url

# allauth's own "login_failed" limit counts failures per address, so five wrong passwords from
# anywhere locked the real owner out. Here that limit counts per address *and* client IP, and
# this second action (configured in ACCOUNT_RATE_LIMITS) is the higher ceiling per address alone
# that keeps guessing from many addresses bounded.
LOGIN_FAILED_ACCOUNT = "login_failed_account"

logger = logging.getLogger(__name__)


def site_link(path):
    """An absolute link for an email: always on AIII_SITE_URL, never on the request's host (a
    forged Host header, or its port, must not reach a recipient)."""
    return settings.AIII_SITE_URL + path


def login_redirect_url(user):
    """Where a user lands after signing in: the place their role works from, as each app says
    (aiii.permissions.landing_url), else the portal's default."""
    return landing_url(user) or resolve_url(settings.LOGIN_REDIRECT_URL)


class AccountAdapter(DefaultAccountAdapter):
    """allauth, the portal's way: no open signup, and every email through the outbox."""

    def is_open_for_signup(self, request):
        # Accounts come only from a membership application (/apply/) or a delegation registration.
        return False

    def _login_failure_keys(self, request, **credentials):
        account = self._get_login_attempts_cache_key(request, **credentials)
        return account, f"{account}|{allauth_ratelimit.get_ip(request)}"

    def pre_authenticate(self, request, **credentials):
        account, pair = self._login_failure_keys(request, **credentials)
        consumed = []
        for action, key in (("login_failed", pair), (LOGIN_FAILED_ACCOUNT, account)):
            usage = allauth_ratelimit.consume(
                request, app="allauth.account", action=action, key=key
            )
            if not usage:
                for earlier in consumed:
                    earlier.rollback()
                self._login_failed_rl_usage = None
                raise self.validation_error("too_many_login_attempts")
            consumed.append(usage)
        # allauth rolls this back when the password was right: only failures count.
        self._login_failed_rl_usage = allauth_ratelimit.RateLimitUsage(
            usage=[single for usage in consumed for single in usage.usage]
        )

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # After a password reset (allauth calls this): the owner starts afresh.
        account, pair = self._login_failure_keys(request, **credentials)
        allauth_ratelimit.clear(request, app="allauth.account", action="login_failed", key=pair)
        allauth_ratelimit.clear(
            request, app="allauth.account", action=LOGIN_FAILED_ACCOUNT, key=account
        )

    def get_login_redirect_url(self, request):
        return login_redirect_url(request.user)

    def clean_email(self, email):
        # allauth's forms that take an address (add or change one at /accounts/email/, password
        # reset) call this (its login form does not: members.forms.accounts.LoginForm); the
        # address they keep is the normal form, or the form shows why not.
        return normalise_email(email)

    def confirm_email(self, request, email_address):
        """Confirming the address also puts the owner's application in the secretariat's queue.

        The only road to a verified address here is the confirmation link: login by code and
        password reset by code, which verify an address by other means, are off. Turning either
        on needs the same call to application_verify on that road.
        """
        from .services.applications import application_verify

        with transaction.atomic():
            confirmed = super().confirm_email(request, email_address)
            if confirmed:
                application_verify(user=email_address.user)
        return confirmed

    # Every link allauth puts in an email is built here from AIII_SITE_URL: the library's
    # defaults build them from the request (its Host header).

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_link(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return site_link(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def send_account_already_exists_mail(self, email):
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {"password_reset_url": site_link(reverse("account_reset_password"))},
        )

    def send_mail(self, template_prefix, email, context):
        # The context allauth's own send_mail builds (its templates greet with current_site.name).
        from allauth.core import context as allauth_context

        # The password reset form looks the account up by the normal form but hands on the
        # address as typed: whatever allauth sends goes to the normal form, or nowhere.
        try:
            email = normalise_email(email)
        except ValidationError:
            logger.warning("Not sending %s: the address has no normal form", template_prefix)
            return
        request = allauth_context.request
        site = SimpleNamespace(
            name=gettext("AIII Exchange"), domain=urlparse(settings.AIII_SITE_URL).netloc
        )
        context = {
            "request": request,
            "email": email,
            "current_site": site,
            **context,
            # Sign-up is closed: applying is the way in (allauth's "unknown account" and
            # "account already exists" emails would otherwise link to its closed sign-up page).
            "signup_url": site_link(reverse("members:apply")),
            "apply_url": site_link(reverse("members:apply")),
            "site_url": settings.AIII_SITE_URL,
            "contact_email": settings.AIII_CONTACT_EMAIL,
        }
        message = self.render_mail(template_prefix, email, context)
        text, html = message.body, ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        if message.content_subtype == "html":  # only an HTML template exists
            text, html = strip_tags(message.body), message.body
        email_queue_message(
            to=message.to,
            subject=message.subject,
            body_text=text,
            body_html=html,
            headers=message.extra_headers or None,
            # Each of allauth's emails is a distinct event (a new code or link each time).
            idempotency_key=f"allauth:{template_prefix}:{uuid.uuid4().hex}",
            # The library's emails are about the account itself: reset and confirmation links,
            # codes. Their rows keep no body once sent (aiii.outbox.outbox_redacted_bodies).
            sensitive=True,
        )
