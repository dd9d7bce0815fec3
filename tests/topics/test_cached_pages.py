"""The topics' pages kept in the cache (aiii/fragments.py), with each reader's own marks in
slots filled for every request (topics/slots.py).

What matters: a kept page is read with one statement at most for its reader; a change shows
on the very next request; what is one member's own (new posts, edit links, watching, unread
counts, the reply form's key) never reaches another member; a topic hidden from members is
404 even while a copy of its pages is kept.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aiii import fragments, page_tokens
from members.services.people import profile_correct
from tests.members.factories import MemberProfileFactory
from topics import slots
from topics.models import TOPICS_DATA, Thread, ThreadRead, Topic, topic_visible_to
from topics.services.handles import handles_ensure
from topics.services.moderation import post_hide, thread_moderate
from topics.services.posts import post_edit
from topics.services.subscriptions import subscription_add

from .conftest import reply, start

pytestmark = pytest.mark.django_db

LIST = reverse("topics:list")
SEARCH = reverse("topics:search")


def _browser(user):
    browser = Client()
    browser.force_login(user)
    browser.get("/robots.txt")  # the session's first request does its own bookkeeping
    return browser


def _get(browser, url):
    """The page's <main> and how many statements it took."""
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(url)
    assert response.status_code == 200, response
    html = response.content.decode()
    assert slots._mark() not in html  # every slot filled
    return html[html.index("<main") : html.index("</main>")], len(queries)


def _page(thread, number=1):
    return f"{thread.get_absolute_url()}?page={number}"


def test_a_kept_page_is_read_with_one_statement_for_its_reader(topic, thread, other):
    reply(thread, other)
    browser = _browser(other)
    pages = {
        LIST: 1,  # the session only
        SEARCH + "?q=reply": 1,
        topic.get_absolute_url(): 2,  # and the reader's marks
        _page(thread): 2,  # (the reading mark is written once, not again)
    }
    for url, statements in pages.items():
        first, _rendered = _get(browser, url)
        again, kept = _get(browser, url)
        assert kept == statements, url
        assert _without_tokens(again) == _without_tokens(first), url


def _without_tokens(html):
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'name="token" value="[^"]+"', "", html)


def test_pages_rendered_afresh_do_not_grow_with_the_rows(topic, thread, author, other, secretariat):
    browser = _browser(other)
    urls = [LIST, SEARCH + "?q=post", topic.get_absolute_url(), _page(thread)]

    def rendered():
        counts = []
        for url in urls:
            browser.get(url)  # reads what is new (a write), so the measure writes nothing
            fragments.changed(TOPICS_DATA)
            counts.append(_get(browser, url)[1])
        return counts

    few = rendered()
    for n in range(30):
        reply(thread, author, source=f"Another post {n}.")
        start(topic, author, title=f"Thread {n}", source="A post.")
    post_hide(post=thread.posts.last(), by=secretariat, reason="x", version=1)
    assert rendered() == few


def test_a_change_shows_on_the_next_request(topic, thread, author, other, secretariat):
    browser = _browser(other)
    for url in (LIST, topic.get_absolute_url(), _page(thread), SEARCH + "?q=zebra"):
        browser.get(url)

    post = reply(thread, author, source="A zebra crossing.")
    assert "A zebra crossing." in _get(browser, _page(thread))[0]
    assert "1 post found." in _get(browser, SEARCH + "?q=zebra")[0]
    assert re.search(r"<td>2</td>", _get(browser, topic.get_absolute_url())[0])

    start(topic, author, title="A second thread")
    assert re.search(r"Watermarking and provenance</a>.*?<td>2</td>", _get(browser, LIST)[0], re.S)

    post_edit(post=post, by=author, source="A zebra, edited.", ai_disclosure="none", version=1)
    assert "A zebra, edited." in _get(browser, _page(thread))[0]
    post_hide(post=post, by=secretariat, reason="Off topic", version=2)
    assert "This post was hidden by the secretariat." in _get(browser, _page(thread))[0]
    assert "0 posts found." in _get(browser, SEARCH + "?q=zebra")[0]

    thread.refresh_from_db()
    thread_moderate(thread=thread, by=secretariat, action="lock", version=thread.version)
    html = _get(browser, _page(thread))[0]
    assert "Post the reply" not in html and "Locked: no new replies" in html
    assert "Quote post" not in html  # the posts, each kept on its own, say so too

    profile = author.profile
    profile_correct(
        profile=profile,
        by=secretariat,
        changes={"full_name": "Alice Renamed"},
        reason="Her name.",
        version=profile.version,
    )
    assert "Alice Renamed" in _get(browser, _page(thread))[0]
    assert "Started by Alice Renamed" in _get(browser, topic.get_absolute_url())[0]


def test_handles_given_out_together_show_at_once(thread, author, other):
    browser = _browser(other)
    assert "@alice-moreau" not in _get(browser, _page(thread))[0]
    handles_ensure()  # bulk_create: no signal, so it says itself what changed
    assert '<span class="handle">@alice-moreau</span>' in _get(browser, _page(thread))[0]


def test_no_reader_sees_another_readers_marks(topic, thread, author, other):
    own = thread.posts.get()
    theirs = reply(thread, other, source="Bob's reply.")
    edit, flag = "topics:post_edit", "topics:post_flag"

    def links(html, name, post):
        return f'href="{reverse(name, kwargs={"pk": post.pk})}"' in html

    author_page = _get(_browser(author), _page(thread))[0]  # the author watches their thread
    assert links(author_page, edit, own) and links(author_page, flag, theirs)
    assert not links(author_page, edit, theirs) and not links(author_page, flag, own)
    assert "Stop watching this thread" in author_page
    assert author_page.count("badge badge-ok") == 1  # Bob's reply is new to Alice

    reader = _browser(other)
    other_page, statements = _get(reader, _page(thread))
    assert statements == 2  # the session and the reader's marks (kept for everyone else)
    assert links(other_page, edit, theirs) and links(other_page, flag, own)
    assert not links(other_page, edit, own) and not links(other_page, flag, theirs)
    assert "Stop watching this thread" in other_page  # replying made Bob watch it
    assert "badge badge-ok" not in other_page  # and marked the thread read for him

    carol = MemberProfileFactory().user
    carol_browser = _browser(carol)
    carol_page = _get(carol_browser, _page(thread))[0]
    assert "Watch this thread" in carol_page and "Stop watching" not in carol_page
    assert "badge badge-ok" not in carol_page  # never opened: nothing is marked new
    assert not links(carol_page, edit, own) and not links(carol_page, edit, theirs)
    assert links(carol_page, flag, own) and links(carol_page, flag, theirs)
    subscription_add(user=carol, thread=thread)
    assert "Stop watching this thread" in _get(carol_browser, _page(thread))[0]
    tokens = {re.search(r'name="token" value="(\w+)"', html)[1] for html in (
        author_page, other_page, carol_page, _get(reader, _page(thread))[0]
    )}  # fmt: skip
    assert len(tokens) == 4  # each form its own key: two forms never post as one


def test_unread_counts_and_watching_are_each_readers_own(topic, thread, author, other):
    reply(thread, author, source="Two.")
    reply(thread, author, source="Three.")
    ThreadRead.objects.create(user=other, thread=thread, last_read_number=1)
    carol = MemberProfileFactory().user
    subscription_add(user=carol, topic=topic)
    url = topic.get_absolute_url()

    author_page = _get(_browser(author), url)[0]
    assert " new</span>" not in author_page and "Watch this topic" in author_page
    assert ">2 new</span>" in _get(_browser(other), url)[0]
    carol_page = _get(_browser(carol), url)[0]
    assert ">3 new</span>" in carol_page and "Stop watching this topic" in carol_page


def test_each_role_has_its_own_copy(thread, other, secretariat):
    moderator_page = _get(_browser(secretariat), _page(thread))[0]
    assert "Hide post 1" in moderator_page and "Lock the thread" in moderator_page
    member_page = _get(_browser(other), _page(thread))[0]
    assert "Hide post" not in member_page and "Lock the thread" not in member_page


def test_a_hidden_topic_is_404_even_while_its_pages_are_kept(topic, thread, other):
    browser = _browser(other)
    for url in (topic.get_absolute_url(), _page(thread)):
        _get(browser, url)
        _get(browser, url)
    # Hidden by a write that sends no signal: the kept copies are still current, and the
    # reader's own statement refuses them.
    Topic.objects.filter(pk=topic.pk).update(hidden=True)
    for url in (topic.get_absolute_url(), _page(thread), thread.get_absolute_url()):
        assert browser.get(url).status_code == 404, url


def test_an_unknown_thread_or_topic_is_404(other):
    browser = _browser(other)
    assert browser.get(reverse("topics:thread", kwargs={"pk": 999999})).status_code == 404
    assert browser.get(reverse("topics:topic", kwargs={"slug": "no-such-topic"})).status_code == 404


def test_one_rule_says_which_topics_each_role_sees(topic, hidden_topic, other, secretariat):
    applicant = MemberProfileFactory(status="applicant", user__groups=[]).user
    seen = {}
    for user in (other, secretariat, applicant):
        visible = set(Topic.objects.visible_to(user))
        assert visible.isdisjoint(Topic.objects.hidden_from(user))
        assert visible | set(Topic.objects.hidden_from(user)) == set(Topic.objects.all())
        for shown in (topic, hidden_topic):
            assert topic_visible_to(user, hidden=shown.hidden) == (shown in visible)
        seen[user] = {topic in visible, hidden_topic in visible}
    assert seen == {other: {True, False}, secretariat: {True}, applicant: {False}}


def test_search_pages_past_the_end_and_malformed(topic, author, other, settings):
    settings.AIII_PAGE_SIZE = 2
    thread = start(topic, author, title="Quagga one", source="quagga")
    for n in range(4):
        reply(thread, author, source=f"quagga {n}")
    browser = _browser(other)

    def shown(page):
        html = _get(browser, f"{SEARCH}?q=quagga&page={page}")[0]
        assert "5 posts found." in html
        return re.search(r"Page (\d) of 3", html)[1], html.count('<li class="card">')

    assert shown(1) == ("1", 2)
    assert shown(3) == ("3", 1)
    assert shown(9) == ("3", 1)  # past the end: the last page
    assert shown(0) == ("3", 1)  # as aiii.pagination answers
    assert shown("x") == ("1", 2)


def test_the_search_index_takes_each_post_at_once(require_postgresql):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'topics_post_search_gin'")
        assert cursor.fetchone()[0] == ["fastupdate=off"]


def test_slots_are_filled_and_a_missing_answer_fails():
    page = (
        "<p>"
        + slots.choice("own", [7], "mine", "theirs")
        + slots.value("unread", 3, 12)
        + slots.choice("new", [2], " new", "")
        + "</p>"
    )
    filled = slots.fill(
        page,
        choose=lambda kind, number: {"own": number == 7, "new": number > 5}[kind],
        put=lambda kind, pk, count: f"[{pk}:{count}]",
    )
    assert filled == "<p>mine[3:12]</p>"
    assert slots.numbers_of(page, "unread") == [(3, 12)]
    with pytest.raises(ValueError):
        slots.fill(page, choose=lambda kind, number: True)


def test_text_that_looks_like_a_slot_is_only_text(thread, other):
    source = "=own=1= ?new=1=yes:no; and " + slots._mark()[:8]
    reply(thread, other, source=source)
    html = _get(_browser(other), _page(thread))[0]
    assert source in html
    assert Thread.objects.get(pk=thread.pk).post_count == 2


def test_the_marks_no_member_can_write_come_from_the_secret_key(settings):
    # A slot's mark and the CSRF placeholder are unguessable only while they derive from the
    # site's secret: a member who could predict them could open a slot in a post.
    marks = []
    for key in ("first-secret-key-" + "x" * 40, "second-secret-key-" + "y" * 40):
        settings.SECRET_KEY = key
        slots._mark.cache_clear()
        page_tokens.csrf_placeholder.cache_clear()
        marks.append((slots._mark(), page_tokens.csrf_placeholder()))
    slots._mark.cache_clear()
    page_tokens.csrf_placeholder.cache_clear()
    (slot_a, csrf_a), (slot_b, csrf_b) = marks
    assert slot_a != slot_b and csrf_a != csrf_b
    assert len(slot_a) >= 24 and len(csrf_a) >= 32


def test_a_refused_action_shows_the_page_with_the_requests_own_token(thread, secretariat):
    browser = _browser(secretariat)
    _get(browser, _page(thread))  # kept, posts and all
    url = reverse("secretariat:topic_thread_moderate", kwargs={"pk": thread.pk})
    response = browser.post(url, {"action": "lock", "version": 99})
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="refusal"' in html and "Hide post 1" in html
    assert page_tokens.csrf_placeholder() not in html and slots._mark() not in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) > 2 and len(set(tokens)) == 1


def test_the_pages_are_the_same_without_the_shared_cache(settings, topic, thread, author, other):
    reply(thread, other, source="Bob's reply.")
    urls = [LIST, SEARCH + "?q=reply", topic.get_absolute_url(), _page(thread)]
    reads = list(ThreadRead.objects.values_list("user_id", "thread_id", "last_read_number"))

    def pages():
        browser = _browser(author)
        shown = {url: _without_tokens(_get(browser, url)[0]) for url in urls}
        ThreadRead.objects.all().delete()  # as they were, for the next round
        ThreadRead.objects.bulk_create(
            ThreadRead(user_id=user, thread_id=pk, last_read_number=number)
            for user, pk, number in reads
        )
        return shown

    settings.AIII_FRAGMENT_CACHE = False  # the embedded mode: rendered for each request
    fresh = pages()
    assert "badge badge-ok" in fresh[_page(thread)] and "1 new" in fresh[topic.get_absolute_url()]
    settings.AIII_FRAGMENT_CACHE = True
    assert pages() == fresh
    assert pages() == fresh  # and from the cache
