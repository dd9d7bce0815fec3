"""aiii/layout.py: the header and footer are rendered once per process for each way they can
look, and each visitor still gets their own: their address, their navigation, their token."""

import re

import pytest
from django.template import Context, RequestContext, Template
from django.test import Client
from django.utils import translation

from aiii import layout
from tests.members.factories import MemberProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forgotten():
    layout.memory.clear()
    yield
    layout.memory.clear()


def _header(response):
    html = response.content.decode()
    return html[html.index("<header") : html.index("</header>")]


def _signed_in(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def test_each_visitor_gets_their_own_header_from_the_remembered_ones(secretariat):
    alice, bob = (MemberProfileFactory().user for _ in range(2))
    pages = {}
    for user in (alice, bob, secretariat, alice):
        pages.setdefault(user.email, []).append(_header(_signed_in(user).get("/about/")))
    anonymous = _header(Client().get("/about/"))

    for user in (alice, bob, secretariat):
        header = pages[user.email][0]
        assert f"Signed in as {user.email}" in header
        assert header.count("Signed in as") == 1
    assert 'href="/secretariat/"' in pages[secretariat.email][0]
    assert 'href="/secretariat/"' not in pages[alice.email][0]
    assert "Sign out" not in anonymous and 'href="/apply/"' in anonymous
    # Alice's second page came from memory: the same header but for a new token (a fresh mask
    # of her secret on every page, as Django's own {% csrf_token %} gives).
    first, again = (re.sub(r'value="[^"]+"', "", h) for h in pages[alice.email])
    assert first == again
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', h)[1] for h in pages[alice.email]
    ]
    assert tokens[0] != tokens[1] and layout.csrf_placeholder() not in tokens
    assert len(layout.memory.parts) == 4 + 1  # four headers (alice twice), one footer


def test_the_navigation_marks_the_section_of_each_page(member):
    browser = _signed_in(member)
    for path in ("/members/", "/topics/"):
        header = _header(browser.get(path))
        assert re.findall(r'href="([^"]+)" aria-current="page"', header) == [path]


def test_the_remembered_sign_out_form_carries_a_working_token(member):
    browser = _signed_in(member)
    browser.get("/about/")
    html = browser.get("/about/").content.decode()  # the header from memory
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    assert token != layout.csrf_placeholder()
    response = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert browser.get("/members/").status_code == 302  # signed out


def test_a_part_shows_only_what_its_function_gives(rf, member):
    request = rf.get("/private/path/")
    request.user = member
    template = Template(
        "{% load aiii %}{% remembered 'site-header' %}"
        "[{{ user.email }}|{{ user.username }}|{{ request.path }}|{{ secret }}]"
        "{% endremembered %}"
    )
    html = template.render(RequestContext(request, {"user": member, "secret": "not for you"}))
    assert html == f"[{member.email}|||]"


def test_each_language_has_its_own_copy(rf, member):
    request = rf.get("/about/")
    request.user = member
    nodelist = Template("{% load i18n %}{% translate 'About AIII' %}").nodelist
    for language in ("en", "fr", "en"):
        with translation.override(language):
            layout.render_part("site-footer", nodelist, RequestContext(request, {}))
    assert sorted(key[1] for key in layout.memory.parts) == ["en", "fr"]


def test_without_a_request_a_part_renders_as_it_is():
    template = Template(
        "{% load aiii %}{% remembered 'site-footer' %}{{ contact_email }}{% endremembered %}"
    )
    assert template.render(Context({"contact_email": "x@example.org"})) == "x@example.org"
    assert not layout.memory.parts


def test_with_debug_on_nothing_is_kept(member, settings):
    settings.DEBUG = True
    _signed_in(member).get("/about/")
    assert not layout.memory.parts


def test_only_plain_data_may_make_a_key():
    with pytest.raises(TypeError, match="plain data"):
        layout._frozen({"user": object()})
