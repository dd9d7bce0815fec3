import pytest

from members.models import ExpertiseArea
from tests.members.factories import MemberProfileFactory
from topics.models import Topic
from topics.services.posts import post_reply, thread_start


@pytest.fixture
def topic(db):
    return Topic.objects.select_related("area").get(area__slug="watermarking-provenance")


@pytest.fixture
def hidden_topic(db):
    area = ExpertiseArea.objects.create(slug="closed-topic", name="Closed topic", position=9)
    return Topic.objects.create(area=area, description="Closed.", hidden=True)


@pytest.fixture
def author(db):
    return MemberProfileFactory(full_name="Alice Moreau").user


@pytest.fixture
def other(db):
    return MemberProfileFactory(full_name="Bob Okafor").user


def start(topic, by, title="Watermarks under re-encoding", source="First post.", **kw):
    return thread_start(topic=topic, by=by, title=title, source=source, ai_disclosure="none", **kw)


def reply(thread, by, source="A reply.", **kw):
    kw.setdefault("ai_disclosure", "none")
    return post_reply(thread=thread, by=by, source=source, **kw)


@pytest.fixture
def thread(topic, author):
    return start(topic, author)
