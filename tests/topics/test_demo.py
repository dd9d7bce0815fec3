import pytest

from members import demo as members_demo
from topics import demo
from topics.models import Flag, Post, PostRevision, Subscription, Thread

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Thread.objects.count(),
        Post.objects.count(),
        PostRevision.objects.count(),
        Flag.objects.count(),
        Subscription.objects.count(),
    )


def test_small_demo_has_threads_in_every_topic_and_is_idempotent():
    members_demo.seed(size="small", log=lambda m: None)
    demo.seed(size="small", log=lambda m: None)
    first = _counts()
    assert first[0] == 5 and first[1] == 14 and first[3] == 1
    assert Thread.objects.filter(pinned=True).count() == 1
    assert Thread.objects.filter(locked=True).count() == 1
    assert Post.objects.filter(edited_at__isnull=False).count() == 1
    alice_mention = Post.objects.get(source__startswith="@lucas-martin")
    assert 'class="mention"' in alice_mention.html
    demo.seed(size="small", log=lambda m: None)
    assert _counts() == first


def test_large_demo_counts(monkeypatch):
    monkeypatch.setattr(demo, "LARGE_THREADS", 30)
    monkeypatch.setattr(demo, "LONG_THREAD_POSTS", 7)
    members_demo.seed(size="small", log=lambda m: None)
    demo.seed(size="large", log=lambda m: None)
    large = Thread.objects.filter(title__startswith=demo.LARGE_PREFIX)
    assert large.count() == 31
    assert Post.objects.filter(thread__in=large).count() == 30 * 20 + 7
    assert PostRevision.objects.filter(post__thread__in=large).count() == 30 * 20 + 7
    long = large.get(title=demo.LONG_THREAD_TITLE)
    assert list(long.posts.values_list("number", flat=True)) == list(range(1, 8))
    from django.db.models import Sum

    from topics.models import Topic

    assert Topic.objects.aggregate(n=Sum("thread_count"))["n"] == Thread.objects.count()
    before = _counts()
    demo.seed(size="large", log=lambda m: None)
    assert _counts() == before
