"""aiii.fragments, what the meetings pages and the home added: a fragment or a value that is out
of date at a moment (`until`) even if no data changes, and values kept as fragments are
(`cached_value`), which a Redis outage never keeps in one process's memory."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.utils import timezone

from aiii import fragments
from meetings.models import MEETINGS_DATA
from tests.aiii.conftest import DOWN_REDIS_URL
from tests.members.factories import MemberProfileFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "meetings/home/next_meetings.html"  # renders with no rows


@pytest.fixture
def request_of(member):
    def make(user=member):
        request = RequestFactory().get("/")
        request.user = user
        return request

    return make


def _fragment(request, calls, until=None):
    def context():
        calls.append(1)
        return {"rows": []}

    return fragments.cached_fragment(
        request, TEMPLATE, datasets=[MEETINGS_DATA], context=context, params=[], until=until
    )


def test_a_fragment_is_served_until_its_moment_and_not_after(request_of, monkeypatch):
    calls = []
    now = timezone.now()
    moment = now + timedelta(minutes=5)
    first = _fragment(request_of(), calls, until=lambda context: moment)
    again = _fragment(request_of(), calls, until=lambda context: moment)
    assert calls == [1] and again.identity == first.identity is not None
    monkeypatch.setattr(timezone, "now", lambda: moment)
    _fragment(request_of(), calls, until=lambda context: moment + timedelta(minutes=5))
    assert calls == [1, 1]


def test_a_fragment_out_of_date_already_is_not_kept(request_of):
    calls = []
    past = timezone.now() - timedelta(seconds=1)
    for _ in range(2):
        assert _fragment(request_of(), calls, until=lambda context: past).identity is None
    assert calls == [1, 1]


def test_a_value_is_kept_until_its_data_set_changes_or_its_moment(request_of, monkeypatch):
    calls = []

    def value(request, until=None, vary=()):
        def compute():
            calls.append(1)
            return {"answer": len(calls)}

        return fragments.cached_value(
            request, "test:value", datasets=[MEETINGS_DATA], compute=compute, vary=vary, until=until
        )

    assert value(request_of()) == value(request_of()) == {"answer": 1}
    fragments.changed(MEETINGS_DATA)
    assert value(request_of()) == {"answer": 2}
    # What it varies by is its own key: another member's value is not this one.
    other = MemberProfileFactory().user
    assert value(request_of(other), vary=(other.pk,)) == {"answer": 3}
    assert value(request_of()) == {"answer": 2}
    # Out of date at a moment.
    moment = timezone.now() + timedelta(minutes=1)
    assert value(request_of(), until=lambda kept: moment, vary=("timed",)) == {"answer": 4}
    assert value(request_of(), until=lambda kept: moment, vary=("timed",)) == {"answer": 4}
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert value(request_of(), until=lambda kept: None, vary=("timed",)) == {"answer": 5}


def test_with_redis_down_a_value_is_computed_and_not_kept_in_memory(request_of, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "aiii.cache.FailSoftRedisCache",
            "LOCATION": DOWN_REDIS_URL,
            "KEY_PREFIX": "aiii-fragments-test",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "retry_after": 0},
        }
    }
    caches["default"].forget_outage()
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    for expected in (1, 2):
        value = fragments.cached_value(
            request_of(), "test:value", datasets=[MEETINGS_DATA], compute=compute
        )
        assert value == expected
    fallback = caches["default"]._fallback._cache
    assert not [key for key in fallback if "fragment" in key]
