"""Public pages and the error pages: friendly, accessible, and revealing nothing."""

import re

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client
from django.urls import include, path

from aiii.access import public
from tests.members.factories import UserFactory

SKIP_LINK = '<a class="skip-link" href="#main">Skip to main content</a>'
SECRET = "TEN/7 Watermarking working group: Dr. Secret Name"


def assert_accessible_frame(page, lang="en", direction="ltr"):
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert SKIP_LINK in page or 'href="#main"' in page
    assert '<main id="main" tabindex="-1">' in page
    assert len(re.findall(r"<h1[ >]", page)) == 1


@pytest.mark.django_db
def test_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert_accessible_frame(page)
    assert SKIP_LINK in page
    assert '<h1 id="hero-title">The Technical Exchange Network on IP and AI</h1>' in page
    assert "<title>Welcome · AIII Exchange</title>" in page
    assert 'href="/accounts/login/"' in page


@pytest.mark.django_db
def test_about_page(client):
    response = client.get("/about/")
    assert response.status_code == 200
    page = response.content.decode()
    assert_accessible_frame(page)
    assert SKIP_LINK in page
    assert 'id="confidentiality"' in page
    assert 'id="code-of-conduct"' in page


@pytest.mark.django_db
def test_arabic_pages_run_right_to_left(client, settings):
    settings.AIII_LANGUAGES_READY = ["en", "ar"]
    page = client.get("/", headers={"accept-language": "ar"}).content.decode()
    assert_accessible_frame(page, lang="ar", direction="rtl")


@pytest.mark.django_db
def test_a_language_not_yet_translated_is_not_claimed(client, settings):
    # Pages in English must not say lang="ar" (WCAG 3.1.1): until the Arabic catalogue is
    # complete, an Arabic browser gets the English page marked as English.
    settings.AIII_LANGUAGES_READY = ["en"]
    page = client.get("/", headers={"accept-language": "ar,fr;q=0.8"}).content.decode()
    assert_accessible_frame(page, lang="en", direction="ltr")


@pytest.mark.django_db
def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\nAllow: /$\nAllow: /about/\nAllow: /apply/\nAllow: /forum/\nDisallow: /\n"
    )


# --- errors ------------------------------------------------------------------------------------


@public
def raises_not_found(request):
    raise Http404(SECRET)


@public
def raises_permission_denied(request):
    raise PermissionDenied(SECRET)


@public
def raises_suspicious(request):
    raise SuspiciousOperation(SECRET)


@public
def raises_error(request):
    raise RuntimeError(f"database password hunter2; {SECRET}")


handler400 = "aiii.views.error_400"
handler403 = "aiii.views.error_403"
handler404 = "aiii.views.error_404"
handler500 = "aiii.views.error_500"
urlpatterns = [
    path("boom/404/", raises_not_found),
    path("boom/403/", raises_permission_denied),
    path("boom/400/", raises_suspicious),
    path("boom/500/", raises_error),
    path("", include("aiii.urls")),
]
boom = pytest.mark.urls(__name__)


def assert_reveals_nothing(page):
    for leak in (SECRET, "TEN/7", "Secret Name", "hunter2", "Traceback", "RuntimeError", "File "):
        assert leak not in page


@pytest.fixture(params=["anonymous", "member", "secretariat"])
def any_client(request, client):
    if request.param == "member":
        client.force_login(request.getfixturevalue("member"))
    elif request.param == "secretariat":
        client.force_login(request.getfixturevalue("secretariat"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/no-such-page/", "/members/1/nothing-here/", "/secretariat/x/"])
def test_an_unknown_address_is_404_for_everyone(any_client, url):
    response = any_client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert "There is no page at this address, or it is not available to you." in page
    assert url not in page
    assert_accessible_frame(page)


@boom
@pytest.mark.django_db
def test_a_404_raised_by_a_view_does_not_say_what_was_missing(any_client):
    response = any_client.get("/boom/404/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert_reveals_nothing(page)


@boom
@pytest.mark.django_db
def test_a_403_does_not_say_why(any_client):
    response = any_client.get("/boom/403/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Not allowed</h1>" in page
    assert "contact the secretariat" in page
    assert_reveals_nothing(page)
    assert_accessible_frame(page)


@boom
@pytest.mark.django_db
def test_a_bad_request_page(client):
    response = client.get("/boom/400/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Bad request</h1>" in page
    assert_reveals_nothing(page)


@pytest.mark.django_db
def test_an_unknown_host_gets_the_bad_request_page(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()
    assert "evil.example" not in response.content.decode()


@boom
@pytest.mark.django_db
def test_a_server_error_page_reveals_nothing(db):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    response = client.get("/boom/500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Something went wrong</h1>" in page
    assert "Please try again in a few minutes." in page
    assert_reveals_nothing(page)
    assert_accessible_frame(page)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_stale_form_gets_a_friendly_page(member):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": "aiii-demo-2026"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>This form has expired</h1>" in page
    assert "CSRF" not in page
    assert_accessible_frame(page)


def test_anonymous_visitors_cannot_tell_an_existing_object_from_a_missing_one(client, member):
    """Every non-public address sends anonymous visitors to sign in before any lookup, so the
    answer for an existing profile and for a missing one is the same redirect."""
    existing = f"/members/{member.profile.pk}/"
    missing = "/members/987654/"
    answers = [client.get(url) for url in (existing, missing)]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == f"/accounts/login/?next={existing}"
    assert answers[1]["Location"] == f"/accounts/login/?next={missing}"
    assert answers[0].content == answers[1].content == b""


def test_the_sign_in_librarys_pages_speak_in_sentence_case(client):
    login = client.get("/accounts/login/").content.decode()
    assert "<h1>Sign in</h1>" in login and "Sign In" not in login
    reset = client.get("/accounts/password/reset/").content.decode()
    assert "Reset my password" in reset and "Reset My Password" not in reset
