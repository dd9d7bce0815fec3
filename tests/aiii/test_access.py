"""Deny by default: every URL is members-only unless its view is deliberately marked public."""

import re
import uuid

import pytest
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path, resolve, reverse
from django.utils.regex_helper import normalize
from django.views import View

from aiii import access
from aiii.access import member_required, public, secretariat_required, signed_in
from tests.members.factories import SecretariatProfileFactory, UserFactory

# Views anyone may open. A new public view must be added here on purpose; the resolver walk
# fails on any public view that is not listed.
EXPECTED_PUBLIC = {
    # the portal's own pages
    "landing",
    "about",
    # the language switcher (a visitor's choice is only a cookie)
    "members:language",
    "robots_txt",
    "healthz",
    # allauth's entrance pages: signing in (and its second step), signing out, password reset,
    # email verification, and the closed-signup notice
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_request_login_code",
    "account_confirm_login_code",
    "mfa_authenticate",
    "mfa_login_webauthn",
    "mfa_signup_webauthn",
    "mfa_trust",
    # the membership application and the invitation link that leads to it
    "members:apply",
    "members:apply_check_email",
    "members:invitation",
    # a meeting invitation's answer link (the signed token names the one participation it
    # answers for) and a member's private calendar feed (a secret token, stored hashed)
    "meetings:rsvp_link",
    "meetings:feed",
    # the one-click unsubscribe of topic emails (RFC 8058: no sign-in; a signed token)
    "topics:unsubscribe",
    # the annual public meeting: its pages (published things only, unpublished ones 404 for
    # all but their delegation and the secretariat), the delegate registration, the Atom feed
    "forum:current",
    "forum:year",
    "forum:speakers",
    "forum:record",
    "forum:intervention",
    "forum:intervention_pdf",
    "forum:feed",
    "forum:register",
    "forum:register_done",
    # and its read-only JSON API with the OpenAPI document (django-ninja, annual_forum/api.py)
    "forum_api:openapi-json",
    "forum_api:api-root",
    "forum_api:years",
    "forum_api:year_interventions",
    "forum_api:intervention",
    "forum_api:speakers",
    "forum_api:outcomes",
}
# These must exist and be public whatever else the project adds.
REQUIRED_PUBLIC = {
    "landing",
    "about",
    "robots_txt",
    "healthz",
    "account_login",
    "account_logout",
    "account_reset_password",
    "account_reset_password_from_key",
    "account_confirm_email",
    "mfa_authenticate",
}

# Values tried, in order, for a URL parameter until one fits the pattern.
SAMPLE_VALUES = ["1", "2026", "sample", str(uuid.UUID(int=1)), "sample/path"]


def _fill(pattern):
    """A concrete piece of path for one level of `pattern` (a RoutePattern or RegexPattern)."""
    regex = pattern.regex
    converters = getattr(pattern, "converters", {})
    for template, params in normalize(regex.pattern):
        for sample in SAMPLE_VALUES:
            values = {}
            for name in params:
                converter = converters.get(name)
                if converter is None:
                    values[name] = sample
                else:
                    values[name] = next(
                        (s for s in SAMPLE_VALUES if re.fullmatch(converter.regex, s)), None
                    )
            if None in values.values():
                continue
            candidate = template % values
            found = regex.search(candidate)
            if found and found.start() == 0 and found.end() == len(candidate):
                return candidate
    raise AssertionError(f"No sample value fits the URL pattern {pattern!r}: extend SAMPLE_VALUES")


def _walk(patterns, prefix="/", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + _fill(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"<unnamed {entry.pattern}>"
            yield name, prefix + _fill(entry.pattern), entry


def all_url_patterns():
    """(qualified name, concrete path, pattern) for every pattern the project serves."""
    found = list(_walk(get_resolver().url_patterns))
    for name, url, entry in found:
        # The sample path must reach the very pattern it was built for.
        assert resolve(url).func is entry.callback, (name, url)
    return found


def _is_public(entry):
    return access.access_level(entry.callback, url_name=entry.name) == access.PUBLIC


@pytest.mark.django_db
def test_every_url_that_is_not_public_sends_anonymous_visitors_to_the_login_page(client):
    patterns = all_url_patterns()
    assert len(patterns) > 20  # the walk really went into the includes
    leaks = []
    for name, url, entry in patterns:
        if _is_public(entry):
            continue
        expected = redirect_to_login(url).url
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code != 302 or response["Location"] != expected:
                leaks.append(f"{method.upper()} {url} ({name}): {response.status_code}")
    assert leaks == []


@pytest.mark.django_db
def test_only_the_expected_views_are_public(client):
    public_names = {name for name, _url, entry in all_url_patterns() if _is_public(entry)}
    assert public_names - EXPECTED_PUBLIC == set(), "public by accident? list it deliberately"
    assert REQUIRED_PUBLIC - public_names == set()
    for name, url, _entry in all_url_patterns():
        if name in public_names:
            assert client.get(url).status_code < 500, url


def test_the_walk_fills_every_kind_of_parameter():
    found = dict(
        (name, url)
        for name, url, _entry in _walk(
            [
                path("a/<int:pk>/", _plain, name="int"),
                path("b/<slug:slug>/<uuid:key>/", _plain, name="slug_uuid"),
                path("c/<path:rest>", _plain, name="path"),
                path("d/", include(([path("<str:token>/", _plain, name="inner")], "ns"))),
            ]
        )
    )
    assert found == {
        "int": "/a/1/",
        "slug_uuid": f"/b/1/{uuid.UUID(int=1)}/",
        "path": "/c/1",
        "ns:inner": "/d/1/",
    }


# --- roles, with probe views of each access level -------------------------------------------


def _plain(request, **kwargs):
    return HttpResponse("the page")


@public
def public_probe(request):
    return HttpResponse("public page")


@signed_in
def signed_in_probe(request):
    return HttpResponse("signed-in page")


@member_required
def member_probe(request):
    return HttpResponse("members page")


def unmarked_probe(request):
    return HttpResponse("unmarked page")


@secretariat_required
def secretariat_probe(request):
    return HttpResponse("secretariat page")


@public
class PublicClassProbe(View):
    def get(self, request):
        return HttpResponse("public class page")


handler403 = "aiii.views.error_403"
handler404 = "aiii.views.error_404"
urlpatterns = [
    path("probe/public/", public_probe),
    path("probe/public-class/", PublicClassProbe.as_view()),
    path("probe/signed-in/", signed_in_probe),
    path("probe/member/", member_probe),
    path("probe/unmarked/", unmarked_probe),
    path("probe/secretariat/", secretariat_probe),
    path("", include("aiii.urls")),
]
probes = pytest.mark.urls(__name__)


@probes
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "text"),
    [("/probe/public/", "public page"), ("/probe/public-class/", "public class page")],
)
def test_public_views_answer_anonymous_visitors(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode() == text


@probes
@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/probe/signed-in/", "/probe/member/", "/probe/unmarked/", "/probe/secretariat/"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@probes
@pytest.mark.django_db
def test_a_signed_in_user_without_a_role_is_refused_members_pages(client):
    client.force_login(UserFactory())
    assert client.get("/probe/signed-in/").content == b"signed-in page"
    for url in ("/probe/member/", "/probe/unmarked/", "/probe/secretariat/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Not allowed" in response.content.decode()
        assert "members page" not in response.content.decode()


@probes
@pytest.mark.django_db
def test_a_delegate_is_not_a_member(client):
    client.force_login(UserFactory(groups=["delegate"]))
    assert client.get("/probe/member/").status_code == 403
    assert client.get("/probe/signed-in/").status_code == 200


@probes
def test_a_member_enters_members_pages_but_not_the_secretariat(member_client):
    assert member_client.get("/probe/member/").content == b"members page"
    assert member_client.get("/probe/unmarked/").content == b"unmarked page"
    assert member_client.get("/probe/secretariat/").status_code == 403
    assert member_client.get(reverse("secretariat:audit_log")).status_code == 403


@probes
def test_the_secretariat_with_a_second_factor_enters_everything(secretariat_client):
    for url in ("/probe/member/", "/probe/signed-in/", "/probe/secretariat/"):
        assert secretariat_client.get(url).status_code == 200, url


@probes
@pytest.mark.django_db
def test_secretariat_without_a_second_factor_is_sent_to_set_one_up(client, settings):
    settings.AIII_SECRETARIAT_MFA = "required"
    client.force_login(SecretariatProfileFactory().user)
    response = client.get("/probe/secretariat/", follow=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("secretariat:mfa_enrolment")
    # Setting one up needs the operator's one-time code first (tests/aiii/test_mfa_enrolment.py).
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Secretariat accounts need two-factor authentication" in page
    # A secretariat account sees more than a member: without its second factor it reaches no
    # members' page, signed-in page or POST endpoint either, nor allauth's account pages.
    for url in ("/probe/member/", "/probe/unmarked/", "/probe/signed-in/", reverse("mfa_index")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (
            302,
            reverse("secretariat:mfa_enrolment"),
        ), url
    response = client.post(reverse("members:directory"))
    assert response["Location"] == reverse("secretariat:mfa_enrolment")
    assert client.post(reverse("account_logout")).status_code == 302


@probes
@pytest.mark.django_db
def test_optional_mfa_lets_the_demo_secretariat_in(client, settings):
    settings.AIII_SECRETARIAT_MFA = "optional"
    client.force_login(SecretariatProfileFactory().user)
    assert client.get("/probe/secretariat/").content == b"secretariat page"
    assert client.get(reverse("secretariat:audit_log")).status_code == 200


def test_third_party_views_are_members_only_unless_listed(settings):
    from allauth.account import views as account_views

    assert access.access_level(account_views.login, url_name="account_login") == access.PUBLIC
    assert access.access_level(account_views.email, url_name="account_email") == access.SIGNED_IN
    assert access.access_level(account_views.reauthenticate, "account_reauthenticate") == (
        access.SIGNED_IN
    )
    assert access.access_level(unmarked_probe) == access.MEMBER
