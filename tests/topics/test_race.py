"""A double click that reaches two workers at once, and two members replying at the same moment,
on two database connections (PostgreSQL)."""

import pytest

from members.models import ExpertiseArea
from tests.concurrency import run_together
from tests.members.factories import MemberProfileFactory
from topics.models import Post, Thread, Topic
from topics.services.posts import post_reply, thread_start


def _thread():
    # A transactional test's flush removes the migrations' rows: the topic is made here.
    area, _ = ExpertiseArea.objects.get_or_create(slug="race-topic", defaults={"name": "Race"})
    topic, _ = Topic.objects.get_or_create(area=area)
    author = MemberProfileFactory().user
    return thread_start(topic=topic, by=author, title="Race", source="Go.", ai_disclosure="none")


@pytest.mark.django_db(transaction=True)
def test_the_same_reply_submitted_twice_at_once_is_one_post(require_postgresql):
    thread = _thread()
    member = MemberProfileFactory().user

    def submit():
        fresh = Thread.objects.get(pk=thread.pk)
        return post_reply(
            thread=fresh, by=member, source="Once.", ai_disclosure="none", client_token="k1"
        ).pk

    first, second = run_together(submit, submit)
    assert isinstance(first, int) and first == second
    assert Post.objects.filter(thread=thread, author=member).count() == 1
    thread.refresh_from_db()
    assert thread.post_count == 2


@pytest.mark.django_db(transaction=True)
def test_replies_at_the_same_moment_get_consecutive_numbers(require_postgresql):
    thread = _thread()
    members = [MemberProfileFactory().user for _ in range(4)]

    def submit(member):
        def call():
            fresh = Thread.objects.get(pk=thread.pk)
            return post_reply(thread=fresh, by=member, source="Hi.", ai_disclosure="none").number

        return call

    numbers = run_together(*[submit(m) for m in members])
    assert sorted(numbers) == [2, 3, 4, 5]
    thread.refresh_from_db()
    assert thread.post_count == 5
