"""The language switcher on every page: a form that works without JavaScript, each choice named
in its own language; a visitor's choice is a cookie, a member's is kept in their profile (their
emails follow it); visitors without a choice get their browser's Accept-Language."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from members.models import Profile
from tests.members.factories import MemberProfileFactory

SIX = ["ar", "zh-hans", "en", "fr", "ru", "es"]


@pytest.fixture(autouse=True)
def _all_languages(settings):
    settings.AIII_LANGUAGES_READY = SIX


def html_lang(page):
    return re.search(r'<html lang="([^"]+)" dir="([^"]+)">', page).groups()


@pytest.mark.django_db
def test_every_page_offers_each_language_named_in_itself(client):
    page = client.get("/about/").content.decode()
    assert '<form method="post" action="/language/" class="language-form">' in page
    assert '<option value="fr" lang="fr" dir="ltr">Français</option>' in page
    assert '<option value="ar" lang="ar" dir="rtl">العربيّة</option>' in page
    assert '<option value="zh-hans" lang="zh-hans" dir="ltr">简体中文</option>' in page
    assert '<option value="en" lang="en" dir="ltr" selected>English</option>' in page
    # A visitor's page carries no CSRF token: the forum's public pages stay cacheable.
    assert "csrfmiddlewaretoken" not in page


@pytest.mark.django_db
def test_a_visitor_chooses_a_language_and_keeps_it(client):
    response = client.post("/language/", {"language": "fr", "next": "/about/"})
    assert response.status_code == 302
    assert response["Location"] == "/about/"
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert html_lang(client.get("/about/").content.decode()) == ("fr", "ltr")
    client.post("/language/", {"language": "ar", "next": "/"})
    assert html_lang(client.get("/").content.decode()) == ("ar", "rtl")


@pytest.mark.django_db
def test_visitors_without_a_choice_get_their_browsers_language(client):
    page = client.get("/", headers={"accept-language": "ru,en;q=0.5"}).content.decode()
    assert html_lang(page) == ("ru", "ltr")


@pytest.mark.django_db
def test_a_language_not_ready_and_a_foreign_next_are_refused(client, settings):
    settings.AIII_LANGUAGES_READY = ["en", "fr"]
    response = client.post("/language/", {"language": "ar", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert django_settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_a_members_choice_is_kept_in_their_profile():
    member = MemberProfileFactory(language="en").user
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    page = client.get("/about/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/language/", {"language": "es", "next": "/about/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=member).language == "es"
    # The profile decides, on any device: a new session without the cookie shows Spanish.
    other_device = Client()
    other_device.force_login(member)
    assert html_lang(other_device.get("/about/").content.decode()) == ("es", "ltr")


@pytest.mark.django_db
def test_a_forged_switch_cannot_change_a_members_profile():
    member = MemberProfileFactory(language="en").user
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post("/language/", {"language": "ru", "next": "/"})
    assert response.status_code == 403
    assert Profile.objects.get(user=member).language == "en"
