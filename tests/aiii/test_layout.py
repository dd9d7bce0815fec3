"""aiii/layout.py: the header and footer are rendered once per process for each way they can
look, and each visitor still gets their own: their address, their navigation, their token.
List pages around a cached fragment are kept whole, under the same rule."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory
from django.utils import translation

from aiii import layout
from tests.members.factories import MemberProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forgotten():
    layout.memory.clear()
    layout.pages.clear()
    yield
    layout.memory.clear()
    layout.pages.clear()


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


# --- whole list pages (fragment_page) -----------------------------------------------------------

DIRECTORY = "/members/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_kept_list_page_is_the_page_a_full_render_gives(member, settings):
    MemberProfileFactory(full_name="Ida Listed")
    browser = _signed_in(member)
    first = browser.get(DIRECTORY)
    kept = browser.get(DIRECTORY)
    assert first.templates and not kept.templates  # the second came whole from memory
    assert len(layout.pages.parts) == 1
    settings.AIII_FRAGMENT_CACHE = False  # rendered afresh, with every context processor
    fresh = browser.get(DIRECTORY)
    assert fresh.templates
    strip = lambda response: TOKEN.sub("", response.content.decode())  # noqa: E731
    assert strip(kept) == strip(fresh)
    assert "Ida Listed" in strip(kept) and 'aria-current="page"' in strip(kept)


def test_each_viewer_gets_their_own_layout_around_a_kept_list(secretariat):
    alice, bob = (MemberProfileFactory().user for _ in range(2))
    headers = {}
    for user in (alice, bob, alice, secretariat):
        headers.setdefault(user.email, []).append(_header(_signed_in(user).get(DIRECTORY)))
    for user in (alice, bob, secretariat):
        assert f"Signed in as {user.email}" in headers[user.email][-1]
        assert headers[user.email][-1].count("Signed in as") == 1
    assert 'href="/secretariat/"' in headers[secretariat.email][0]
    assert 'href="/secretariat/"' not in headers[bob.email][0]
    assert len(layout.pages.parts) == 3  # alice's second page was hers, from memory
    tokens = [TOKEN.search(header)[1] for header in headers[alice.email]]
    assert tokens[0] != tokens[1] and layout.csrf_placeholder() not in tokens


def test_a_kept_list_page_carries_a_working_token(member):
    browser = _signed_in(member)
    browser.get(DIRECTORY)
    html = browser.get(DIRECTORY).content.decode()
    assert len(layout.pages.parts) == 1
    response = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": TOKEN.search(html)[1]})
    assert response.status_code == 302
    assert browser.get(DIRECTORY).status_code == 302  # signed out


def test_a_list_page_with_a_message_to_show_is_rendered_for_its_viewer(member):
    browser = _signed_in(member)
    browser.get(DIRECTORY)
    browser.get(DIRECTORY)  # kept
    # A message waiting for the next page, as a redirect after an action leaves one.
    request = RequestFactory().get(DIRECTORY)
    storage = CookieStorage(request)
    storage.add(messages.SUCCESS, "Your change is saved.")
    response = HttpResponse()
    storage.update(response)
    browser.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value

    shown = browser.get(DIRECTORY)
    assert shown.templates  # rendered for this request, with its message
    assert '<p class="message message-success">Your change is saved.</p>' in shown.content.decode()
    again = browser.get(DIRECTORY)
    assert not again.templates and "Your change is saved." not in again.content.decode()


def test_process_memory_is_bounded_by_the_length_of_what_it_keeps():
    from aiii.memory import Memory

    memory = Memory(100, max_chars=10)
    for key in "abc":
        memory.put(key, key * 4)  # 4 characters each: the third one pushes out the first
    assert list(memory.parts) == ["b", "c"] and memory.chars == 8
    memory.put("b", "b")  # replaced, not added twice
    assert memory.chars == 5
    memory.put("huge", "x" * 11)  # longer than the whole memory: not kept, nothing else is
    assert not memory.parts and memory.chars == 0
