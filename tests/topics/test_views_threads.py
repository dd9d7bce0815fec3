import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.members.factories import MemberProfileFactory
from topics.models import Flag, Post, Thread, Topic
from topics.services.moderation import post_hide, thread_moderate
from topics.services.posts import thread_mark_read

from .conftest import reply, start

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_topic_list_shows_counts_and_last_activity(client, author, topic):
    thread = start(topic, author)
    start(topic, author, title="Second")
    response = _login(client, author).get(reverse("topics:list"))
    row = re.search(
        r"Watermarking and provenance</a>.*?</th>\s*<td>(\d+)</td>\s*<td>(.*?)</td>",
        response.content.decode(),
        re.S,
    )
    assert row.group(1) == "2"
    assert "<time" in row.group(2)
    assert thread.title not in response.content.decode()


def _count_queries(client, url):
    client.get(url)  # the session's first request does its own bookkeeping
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response
    return len(queries)


def test_topic_list_and_topic_page_queries_do_not_grow(client, author, topic):
    _login(client, author)
    start(topic, author)
    list_few = _count_queries(client, reverse("topics:list"))
    topic_few = _count_queries(client, topic.get_absolute_url())
    for n in range(8):
        start(Topic.objects.get(area__slug="standards-tools"), author, title=f"T{n}")
        start(topic, author, title=f"W{n}")
    assert _count_queries(client, reverse("topics:list")) == list_few
    assert _count_queries(client, topic.get_absolute_url()) == topic_few


def test_thread_page_queries_do_not_grow(client, author, other, thread, secretariat):
    reply(thread, other)
    _login(client, author)
    url = thread.get_absolute_url() + "?page=1"
    few = _count_queries(client, url)
    for n in range(30):
        reply(thread, other, source=f"Reply {n} @alice-moreau")
        reply(thread, author, source=f"My answer {n}")  # the author's own: edit links
    post_hide(post=thread.posts.last(), by=secretariat, reason="x", version=1)
    assert _count_queries(client, url) == few
    _login(client, secretariat)
    secretariat_few = _count_queries(client, url)
    reply(thread, other)
    assert _count_queries(client, url) == secretariat_few


def test_a_hidden_topic_is_404_for_members_and_open_to_the_secretariat(
    client, hidden_topic, secretariat, author
):
    thread = Thread.objects.create(topic=hidden_topic, title="Secret", author=secretariat)
    post = Post.objects.create(
        thread=thread, number=1, author=secretariat, source="s", html="<p>s</p>", source_sha256="x"
    )
    _login(client, author)
    for url in (
        hidden_topic.get_absolute_url(),
        thread.get_absolute_url(),
        post.get_absolute_url(),
        reverse("topics:reply", kwargs={"pk": thread.pk}),
    ):
        assert client.get(url).status_code == 404, url
    assert "Closed topic" not in client.get(reverse("topics:list")).content.decode()
    _login(client, secretariat)
    assert client.get(thread.get_absolute_url()).status_code == 200
    assert "Closed topic" in client.get(reverse("topics:list")).content.decode()


def test_start_a_thread_and_reply_with_a_quote(client, topic, author, other):
    _login(client, author)
    response = client.post(
        reverse("topics:thread_new", kwargs={"slug": topic.slug}),
        {"title": "Robust marks", "source": "Line one\nLine two", "ai_disclosure": "none",
         "token": "tok-1"},
    )  # fmt: skip
    thread = Thread.objects.get(title="Robust marks")
    assert response["Location"] == thread.get_absolute_url()
    first = thread.posts.get()
    _login(client, other)
    page = client.get(reverse("topics:reply", kwargs={"pk": thread.pk}) + f"?quote={first.pk}")
    text = page.content.decode()
    assert "&gt; Line one\n&gt; Line two" in text
    response = client.post(
        reverse("topics:reply", kwargs={"pk": thread.pk}),
        {"source": "> Line one\n\nAgreed.", "ai_disclosure": "assisted", "ai_tool": "Helper",
         "token": "tok-2"},
    )  # fmt: skip
    second = thread.posts.get(number=2)
    assert response["Location"] == f"/topics/thread/{thread.pk}/?page=1#post-{second.pk}"
    assert second.html == "<blockquote>\n<p>Line one</p>\n</blockquote>\n<p>Agreed.</p>"
    shown = client.get(response["Location"]).content.decode()
    assert "Written with AI assistance (Helper)" in shown


def test_double_submission_posts_once(client, thread, other):
    _login(client, other)
    data = {"source": "Once", "ai_disclosure": "none", "token": "same-token"}
    url = reverse("topics:reply", kwargs={"pk": thread.pk})
    first = client.post(url, data)
    second = client.post(url, data)
    assert first["Location"] == second["Location"]
    assert thread.posts.filter(source="Once").count() == 1


def test_a_locked_thread_refuses_with_a_message(client, thread, other, secretariat):
    thread_moderate(thread=thread, by=secretariat, action="lock", version=thread.version)
    _login(client, other)
    response = client.post(
        reverse("topics:reply", kwargs={"pk": thread.pk}),
        {"source": "Late", "ai_disclosure": "none", "token": "t"},
    )
    assert response.status_code == 400
    assert "This thread is locked by the secretariat: no new replies." in response.content.decode()
    assert thread.posts.count() == 1


def test_an_oversized_post_is_a_form_error(client, thread, other, settings):
    settings.AIII_TOPICS_POST_MAX_CHARS = 50
    _login(client, other)
    response = client.post(
        reverse("topics:reply", kwargs={"pk": thread.pk}),
        {"source": "y" * 51, "ai_disclosure": "none", "token": "t"},
    )
    assert response.status_code == 400
    assert "The post is 51 characters long; the limit is 50." in response.content.decode()
    assert thread.posts.count() == 1


def test_a_hidden_post_shows_as_hidden_to_members_only(client, thread, other, secretariat):
    post = reply(thread, other, source="Rude words here")
    post_hide(post=post, by=secretariat, reason="Rude", version=post.version)
    member = MemberProfileFactory().user
    text = _login(client, member).get(thread.get_absolute_url() + "?page=1").content.decode()
    assert "This post was hidden by the secretariat." in text
    assert "Rude words here" not in text
    text = _login(client, secretariat).get(thread.get_absolute_url() + "?page=1").content.decode()
    assert "Rude words here" in text and "Reason: Rude" in text


def test_permalink_leads_to_the_page_and_anchor(client, thread, other, settings):
    settings.AIII_TOPICS_POSTS_PER_PAGE = 5
    posts = [reply(thread, other, source=f"n{n}") for n in range(7)]
    response = _login(client, other).get(posts[5].get_absolute_url())
    assert response["Location"] == f"/topics/thread/{thread.pk}/?page=2#post-{posts[5].pk}"


def test_unread_markers_and_jump_to_the_first_unread(client, thread, author, other, settings):
    settings.AIII_TOPICS_POSTS_PER_PAGE = 2
    thread_mark_read(thread=thread, user=other, number=1)
    second = reply(thread, author, source="two")
    reply(thread, author, source="three")
    _login(client, other)
    listing = client.get(thread.topic.get_absolute_url()).content.decode()
    assert "2 new" in listing
    response = client.get(thread.get_absolute_url())
    assert response["Location"] == f"/topics/thread/{thread.pk}/?page=1#post-{second.pk}"
    client.get(response["Location"])
    client.get(thread.get_absolute_url() + "?page=2")
    assert client.get(thread.get_absolute_url()).status_code == 200
    assert "new</span>" not in client.get(thread.topic.get_absolute_url()).content.decode()


def test_edit_shows_edited_and_history_with_sha(client, thread, author, secretariat):
    post = thread.posts.get()
    _login(client, author)
    response = client.post(
        reverse("topics:post_edit", kwargs={"pk": post.pk}),
        {"source": "Better.", "ai_disclosure": "none", "version": post.version},
    )
    assert response.status_code == 302
    page = client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert "<p>Better.</p>" in page and "edited" in page
    history = _login(client, secretariat).get(
        reverse("topics:post_history", kwargs={"pk": post.pk})
    )
    text = history.content.decode()
    import hashlib

    for source in ("First post.", "Better."):
        assert hashlib.sha256(source.encode()).hexdigest() in text


def test_others_cannot_edit_or_see_history(client, thread, other):
    post = thread.posts.get()
    _login(client, other)
    assert client.get(reverse("topics:post_edit", kwargs={"pk": post.pk})).status_code == 404
    assert client.get(reverse("topics:post_history", kwargs={"pk": post.pk})).status_code == 404


def test_flag_and_the_queue_filtered_by_disclosure(client, thread, author, other, secretariat):
    assisted = reply(thread, author, source="With help", ai_disclosure="assisted")
    plain = thread.posts.get(number=1)
    _login(client, other)
    for post in (assisted, plain):
        response = client.post(
            reverse("topics:post_flag", kwargs={"pk": post.pk}), {"reason": f"flag {post.pk}"}
        )
        assert response.status_code == 302
    assert Flag.objects.count() == 2
    _login(client, secretariat)
    queue = client.get(reverse("secretariat:topic_flags") + "?disclosure=assisted")
    text = queue.content.decode()
    assert f"flag {assisted.pk}" in text and f"flag {plain.pk}" not in text
    response = client.post(
        reverse("secretariat:topic_post_hide", kwargs={"pk": assisted.pk}),
        {f"p{assisted.pk}-reason": "Misleading", f"p{assisted.pk}-version": 1, "from": "flags"},
    )
    assert response["Location"] == reverse("secretariat:topic_flags")
    assisted.refresh_from_db()
    assert assisted.hidden and assisted.flags.get().resolved_at is not None


def test_secretariat_locks_and_pins_from_the_thread_page(client, thread, secretariat):
    _login(client, secretariat)
    url = reverse("secretariat:topic_thread_moderate", kwargs={"pk": thread.pk})
    client.post(url, {"action": "pin", "version": 1})
    client.post(url, {"action": "lock", "version": 2})
    stale = client.post(url, {"action": "unlock", "version": 2})
    assert stale.status_code == 409
    thread.refresh_from_db()
    assert (thread.pinned, thread.locked, thread.version) == (True, True, 3)


def test_secretariat_adds_and_edits_topics(client, secretariat):
    _login(client, secretariat)
    client.post(reverse("secretariat:topics"), {"name": "Synthetic data", "description": "d"})
    topic = Topic.objects.get(area__slug="synthetic-data")
    response = client.post(
        reverse("secretariat:topic_edit", kwargs={"slug": "synthetic-data"}),
        {"name": "Synthetic datasets", "description": "e", "position": 0, "version": 1},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.area.name, topic.area.position, topic.description) == (
        "Synthetic datasets",
        0,
        "e",
    )


def test_line_breaks_count_once_toward_the_limit(client, thread, other, settings):
    settings.AIII_TOPICS_POST_MAX_CHARS = 10
    _login(client, other)
    response = client.post(
        reverse("topics:reply", kwargs={"pk": thread.pk}),
        {"source": "ab\r\ncd\r\nef", "ai_disclosure": "none", "token": "crlf"},
    )
    assert response.status_code == 302
    assert thread.posts.get(number=2).source == "ab\ncd\nef"


def test_a_title_with_direction_controls_is_refused(client, topic, author):
    _login(client, author)
    response = client.post(
        reverse("topics:thread_new", kwargs={"slug": topic.slug}),
        {"title": "Invoice \u202egnp.exe", "source": "x", "ai_disclosure": "none", "token": "d"},
    )
    assert response.status_code == 400
    assert "text-direction control characters" in response.content.decode()
    assert not Thread.objects.exists()


def test_flag_queue_and_topics_admin_queries_do_not_grow(client, thread, author, secretariat):
    from topics.services.moderation import post_flag

    flaggers = [MemberProfileFactory().user for _ in range(6)]
    post_flag(post=thread.posts.get(), by=flaggers[0], reason="one")
    _login(client, secretariat)
    queue_few = _count_queries(client, reverse("secretariat:topic_flags"))
    topics_few = _count_queries(client, reverse("secretariat:topics"))
    for n, flagger in enumerate(flaggers[1:]):
        post_flag(post=reply(thread, author, source=f"p{n}"), by=flagger, reason=f"r{n}")
    assert _count_queries(client, reverse("secretariat:topic_flags")) == queue_few
    assert _count_queries(client, reverse("secretariat:topics")) == topics_few


def test_watch_and_unwatch_a_topic_and_a_thread(client, topic, thread, other):
    from topics.models import Subscription

    _login(client, other)
    topic_url = reverse("topics:topic_watch", kwargs={"slug": topic.slug})
    thread_url = reverse("topics:thread_watch", kwargs={"pk": thread.pk})
    assert client.post(topic_url, {"watch": "on"})["Location"] == topic.get_absolute_url()
    client.post(thread_url, {"watch": "on"})
    client.post(thread_url, {"watch": "on"})  # twice: still one
    assert set(Subscription.objects.filter(user=other).values_list("topic_id", "thread_id")) == {
        (topic.pk, None),
        (None, thread.pk),
    }
    assert "Stop watching this topic" in client.get(topic.get_absolute_url()).content.decode()
    client.post(topic_url, {})
    client.post(thread_url, {})
    assert not Subscription.objects.filter(user=other).exists()


def test_the_dashboard_shows_the_flags_waiting(client, thread, other, secretariat):
    from topics.services.moderation import post_flag

    post_flag(post=thread.posts.get(), by=other, reason="Look")
    text = _login(client, secretariat).get(reverse("secretariat:dashboard")).content.decode()
    assert "1 flagged post waiting" in text
    home = client.get("/").content.decode()
    assert re.search(r"Flagged posts to moderate\s*<span[^>]*>1</span>", home)


def test_the_flag_counts_follow_each_flag_and_each_resolution(client, thread, other, secretariat):
    from topics.services.moderation import post_flag, post_hide

    _login(client, secretariat)
    dashboard = reverse("secretariat:dashboard")
    assert "0 flagged posts waiting" in client.get(dashboard).content.decode()
    assert "Flagged posts to moderate" not in client.get("/").content.decode()  # kept: none
    post = thread.posts.get()
    post_flag(post=post, by=other, reason="Look")
    assert "1 flagged post waiting" in client.get(dashboard).content.decode()
    assert "Flagged posts to moderate" in client.get("/").content.decode()
    # Hiding the post resolves its flags in one UPDATE, which sends no signal.
    post_hide(post=post, by=secretariat, reason="Off topic.", version=post.version)
    assert "0 flagged posts waiting" in client.get(dashboard).content.decode()
    assert "Flagged posts to moderate" not in client.get("/").content.decode()
