import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aiii.errors import Conflict, ServiceError
from aiii.models import AuditEntry
from members.models import ExpertiseArea
from tests.members.factories import MemberProfileFactory, ProfileFactory
from topics.models import Mention, Post, PostRevision, Subscription, Thread, Topic
from topics.services.handles import handle_assign
from topics.services.moderation import post_flag, post_hide, post_restore, thread_moderate
from topics.services.posts import post_edit, thread_mark_read
from topics.services.topics import topic_add, topic_edit

from .conftest import reply, start

pytestmark = pytest.mark.django_db


def test_every_area_has_its_topic_with_a_description():
    topics = Topic.objects.select_related("area").order_by("area__position")
    assert [t.area.slug for t in topics] == [
        "identifying-ai-outputs",
        "human-ai-contributions",
        "watermarking-provenance",
        "standards-tools",
        "ip-office-practice",
    ]
    assert all(t.description for t in topics)


def test_topic_add_creates_the_area_and_its_topic(secretariat):
    topic = topic_add(by=secretariat, name="Synthetic data", description="Data made by models.")
    area = ExpertiseArea.objects.get(slug="synthetic-data")
    assert topic.pk == area.pk and topic.description == "Data made by models."
    assert area.position == 5
    assert AuditEntry.objects.filter(action="topic.add", target_id=str(topic.pk)).count() == 1
    with pytest.raises(ServiceError):
        topic_add(by=secretariat, name="synthetic data")


def test_topic_edit_renames_orders_hides_and_refuses_a_stale_version(secretariat, topic):
    topic_edit(
        topic=topic, by=secretariat, name="Provenance", description="d", position=0,
        hidden=True, version=topic.version,
    )  # fmt: skip
    topic.refresh_from_db()
    topic.area.refresh_from_db()
    assert (topic.area.name, topic.area.position, topic.hidden) == ("Provenance", 0, True)
    assert topic.area.slug == "watermarking-provenance"
    with pytest.raises(Conflict):
        topic_edit(
            topic=topic, by=secretariat, name="X", description="", position=1, hidden=False,
            version=1,
        )  # fmt: skip


def test_thread_start_stores_source_html_and_sha_and_watches(thread, author):
    post = thread.posts.get()
    assert post.number == 1 and post.source == "First post."
    assert post.html == "<p>First post.</p>"
    assert post.source_sha256 == hashlib.sha256(b"First post.").hexdigest()
    assert thread.post_count == 1 and thread.last_post_at == post.created_at
    assert Subscription.objects.filter(user=author, thread=thread).count() == 1
    assert list(PostRevision.objects.values_list("version", "source_sha256")) == [
        (1, post.source_sha256)
    ]


def test_replies_are_numbered_and_watch_the_thread(thread, other):
    second = reply(thread, other)
    third = reply(thread, other, source="Another.")
    thread.refresh_from_db()
    assert (second.number, third.number, thread.post_count) == (2, 3, 3)
    assert Subscription.objects.filter(user=other, thread=thread).count() == 1


def test_the_same_form_submitted_twice_makes_one_post(thread, other):
    first = reply(thread, other, client_token="abc123")
    again = reply(thread, other, client_token="abc123")
    assert first.pk == again.pk
    assert thread.posts.count() == 2


def test_the_same_thread_form_twice_makes_one_thread(topic, author):
    first = start(topic, author, client_token="t1")
    again = start(topic, author, client_token="t1")
    assert first.pk == again.pk and Thread.objects.count() == 1


def test_a_locked_thread_refuses_replies(thread, other, secretariat):
    thread_moderate(thread=thread, by=secretariat, action="lock", version=thread.version)
    with pytest.raises(ServiceError, match="locked"):
        reply(thread, other)
    assert thread.posts.count() == 1


def test_a_hidden_topic_refuses_threads_and_replies(hidden_topic, secretariat, author):
    with pytest.raises(ServiceError, match="closed"):
        start(hidden_topic, author)
    visible = Topic.objects.get(area__slug="standards-tools")
    thread = start(visible, author)
    visible.hidden = True
    visible.save()
    with pytest.raises(ServiceError, match="closed"):
        reply(thread, secretariat)


def test_a_post_over_the_limit_is_refused(thread, other, settings):
    settings.AIII_TOPICS_POST_MAX_CHARS = 100
    with pytest.raises(ServiceError, match="limit is 100"):
        reply(thread, other, source="x" * 101)


def test_edit_keeps_each_version_with_its_sha(thread, author):
    post = thread.posts.get()
    edited = post_edit(
        post=post, by=author, source="Corrected **text**.", ai_disclosure="assisted",
        ai_tool="Helper 2", version=post.version,
    )  # fmt: skip
    assert edited.html == "<p>Corrected <strong>text</strong>.</p>"
    assert edited.edited_at is not None and edited.version == 2
    assert list(PostRevision.objects.filter(post=post).values_list("version", "source_sha256")) == [
        (1, hashlib.sha256(b"First post.").hexdigest()),
        (2, hashlib.sha256(b"Corrected **text**.").hexdigest()),
    ]
    with pytest.raises(Conflict):
        post_edit(post=post, by=author, source="Again", ai_disclosure="none", version=1)


def test_only_the_author_edits(thread, other):
    post = thread.posts.get()
    with pytest.raises(ServiceError, match="Only the author"):
        post_edit(post=post, by=other, source="Mine now", ai_disclosure="none", version=1)


def test_mentions_link_the_profile_and_are_recorded(thread, author, other):
    handle = handle_assign(user=other).handle
    assert handle == "bob-okafor"
    post = reply(thread, author, source="What do you think, @bob-okafor? `@bob-okafor` in code.")
    profile_url = f"/members/{other.profile.pk}/"
    assert f'<a class="mention" href="{profile_url}">@bob-okafor</a>?' in post.html
    assert "<code>@bob-okafor</code>" in post.html
    assert list(Mention.objects.values_list("user_id", flat=True)) == [other.pk]


def test_a_mention_of_someone_who_cannot_see_the_thread_records_nothing(thread, author):
    suspended = MemberProfileFactory(full_name="Viktor Sokolov", status="suspended").user
    applicant = ProfileFactory(full_name="Carol Nguyen", status="applicant").user
    handle_assign(user=suspended)
    handle_assign(user=applicant)
    reply(thread, author, source="Ping @viktor-sokolov and @carol-nguyen")
    assert Mention.objects.count() == 0


def test_handles_are_unique():
    users = [MemberProfileFactory(full_name="Same Name").user for _ in range(3)]
    assert [handle_assign(user=u).handle for u in users] == [
        "same-name",
        "same-name-2",
        "same-name-3",
    ]


def test_flag_hide_restore_are_audited(thread, author, other, secretariat):
    post = thread.posts.get()
    post_flag(post=post, by=other, reason="Off topic")
    with pytest.raises(ServiceError, match="already flagged"):
        post_flag(post=post, by=other, reason="Again")
    hidden = post_hide(post=post, by=secretariat, reason="Off topic", version=post.version)
    assert hidden.hidden and post.flags.get().resolved_by == secretariat
    with pytest.raises(Conflict):
        post_hide(post=post, by=secretariat, reason="Twice", version=post.version)
    restored = post_restore(post=hidden, by=secretariat, version=hidden.version)
    assert not restored.hidden
    assert list(
        AuditEntry.objects.filter(target_id=str(post.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["post.flag", "post.hide", "post.restore"]


def test_thread_moderation_is_audited_and_refuses_a_second_click(thread, secretariat):
    pinned = thread_moderate(thread=thread, by=secretariat, action="pin", version=thread.version)
    assert pinned.pinned
    with pytest.raises(Conflict):
        thread_moderate(thread=thread, by=secretariat, action="pin", version=thread.version)
    thread_moderate(thread=pinned, by=secretariat, action="lock", version=pinned.version)
    assert list(
        AuditEntry.objects.filter(target_id=str(thread.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["thread.pin", "thread.lock"]


def test_mark_read_never_moves_back(thread, other):
    thread_mark_read(thread=thread, user=other, number=3)
    thread_mark_read(thread=thread, user=other, number=1)
    assert thread.reads.get(user=other).last_read_number == 3


def test_deeply_nested_markdown_is_refused_or_rendered(thread, other):
    nested = "".join("  " * depth + "- item\n" for depth in range(120))
    try:
        post = reply(thread, other, source=nested)
    except ServiceError as refused:
        assert "nested too deeply" in refused.message
    else:
        assert "<script" not in post.html
    quotes = ">" * 5000 + " deep"
    try:
        reply(thread, other, source=quotes)
    except ServiceError as refused:
        assert "nested too deeply" in refused.message
    assert Post.objects.filter(thread=thread).count() >= 1


def test_reply_queries_do_not_depend_on_the_thread_length(thread, other):
    reply(thread, other)
    with CaptureQueriesContext(connection) as few:
        reply(thread, other)
    for _ in range(10):
        reply(thread, other)
    with CaptureQueriesContext(connection) as many:
        reply(thread, other)
    assert len(few) == len(many)


def test_handles_are_given_to_every_active_member_at_once():
    from topics.models import MemberHandle
    from topics.services.handles import handles_ensure

    people = [MemberProfileFactory(full_name=name).user for name in ("Ana Silva", "Ana Silva")]
    handle_assign(user=MemberProfileFactory(full_name="Ana Silva").user)
    applicant = ProfileFactory(full_name="Not Yet", status="applicant").user
    handles_ensure()
    assert sorted(
        MemberHandle.objects.filter(user__in=people).values_list("handle", flat=True)
    ) == [
        "ana-silva-2",
        "ana-silva-3",
    ]
    assert not MemberHandle.objects.filter(user=applicant).exists()


def test_the_topic_counts_its_threads_and_knows_its_last_activity(topic, author, other):
    thread = start(topic, author)
    start(topic, author, title="Second")
    last = reply(thread, other)
    topic.refresh_from_db()
    assert (topic.thread_count, topic.last_activity) == (2, last.created_at)
