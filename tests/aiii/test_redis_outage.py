"""The portal with its Redis stopped, and with its Redis frozen (accepting, never answering).

Redis holds the cache (allauth's rate limits, aiii/ratelimit.py) and is the Celery broker. Neither
outage may break signing in, resetting a password or applying, nor hold a request for more than a
few seconds: the cache falls back to process memory (aiii/cache.py) and emails wait in the outbox,
due at once for the sweep (aiii/outbox.py). Nothing here needs a running Redis.
"""

import contextlib
import logging
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from aiii.models import OutboxEmail
from aiii.settings import redis_caches
from members.models import ExpertiseArea, MembershipApplication
from tests.aiii.conftest import DOWN_REDIS_URL
from tests.members.factories import DEMO_PASSWORD, ApplicationFactory, MemberProfileFactory

# transaction=True: the emails are handed to the broker on commit, which is what is under test.
pytestmark = pytest.mark.django_db(transaction=True)

# "A few seconds": the one-second Redis timeouts, paid at most a couple of times per request.
SLOW = 4.0
PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture
def redis_at(settings, celery_broker):
    """`with redis_at(url):` the production cache and broker configuration, on Redis at `url`."""

    @contextlib.contextmanager
    def use(url):
        with override_settings(CACHES=redis_caches(url), REDIS_URL=url), celery_broker(url):
            # No outage noticed yet, nothing kept from an earlier test's: the first request
            # meets the dead Redis itself.
            cache.forget_outage()
            yield

    return use


class Timed:
    """Each request through the test client, with how long it took."""

    def __init__(self, client):
        self.client = client
        self.durations = []

    def __call__(self, method, path, data=None, **kwargs):
        started = time.monotonic()
        response = getattr(self.client, method)(path, data, **kwargs)
        self.durations.append((f"{method.upper()} {path}", time.monotonic() - started))
        return response


def apply_form():
    return {
        "full_name": "Grace Hopper",
        "email": "grace@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation": "Compilers Inc",
        "stakeholder_group": "tech_company",
        "country": "US",
        # get_or_create: a transactional test flushes what the migrations seeded.
        "expertise": [
            ExpertiseArea.objects.get_or_create(
                slug="standards-tools", defaults={"name": "Standards, tools and interoperability"}
            )[0].pk
        ],
        "statement": "I standardise things.",
        "public_profile_url": "",
        "declaration_of_interests": "None.",
        "accept_code_of_conduct": "on",
        "accept_confidentiality": "on",
    }


def _sign_in_reset_and_apply(client):
    """The four requests of the issue; asserts what each must still do."""
    member = MemberProfileFactory(user__email="member@example.org").user
    request = Timed(client)
    login = reverse("account_login")

    response = request("get", login)
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()

    response = request("post", login, {"login": member.email, "password": "wrong-guess-123"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session

    response = request("post", reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    (reset,) = OutboxEmail.objects.filter(to=[member.email])
    assert reset.idempotency_key.startswith("allauth:account/email/password_reset_key:")

    response = request("post", "/apply/", apply_form())
    assert response.status_code == 302
    assert response["Location"] == reverse("members:apply_check_email")
    application = MembershipApplication.objects.get()
    assert application.status == MembershipApplication.Status.UNVERIFIED
    (verification,) = OutboxEmail.objects.filter(to=["grace@example.org"])

    # Both emails are kept, not sent, and due for the sweep at once (not after the staleness).
    for row in (reset, verification):
        row.refresh_from_db()
        assert row.status == OutboxEmail.Status.QUEUED
        assert row.attempts == 0
        assert row.last_error.startswith("Not enqueued: ")
        assert row.next_attempt_at <= timezone.now() - settings.AIII_OUTBOX_STALE_AFTER
    return request.durations


def _assert_quick(durations):
    slow = [(what, round(seconds, 1)) for what, seconds in durations if seconds > SLOW]
    assert slow == [], f"requests slower than {SLOW} s: {slow}"


def test_with_redis_stopped_sign_in_reset_and_apply_still_work(client, redis_at, caplog):
    with redis_at(DOWN_REDIS_URL), caplog.at_level(logging.WARNING):
        durations = _sign_in_reset_and_apply(client)
    _assert_quick(durations)
    outage_logs = [r for r in caplog.records if r.name == "aiii.cache"]
    # Logged once when the outage was noticed, not once per cache call.
    assert [r.levelname for r in outage_logs] == ["ERROR"]
    assert "Redis is unavailable (ConnectionError" in outage_logs[0].getMessage()


def test_with_redis_frozen_no_request_hangs(client, redis_at, frozen_redis):
    with redis_at(frozen_redis):
        durations = _sign_in_reset_and_apply(client)
    _assert_quick(durations)
    # The timeouts are paid once per outage, not once per request.
    assert sum(seconds for _, seconds in durations) < 2 * SLOW


def test_with_redis_stopped_failed_sign_ins_are_still_limited(client, redis_at):
    member = MemberProfileFactory(user__email="target@example.org").user
    login = reverse("account_login")
    with redis_at(DOWN_REDIS_URL):
        for _ in range(5):
            response = client.post(login, {"login": member.email, "password": "wrong-guess-123"})
            assert "The email address and/or password you specified are not correct." in (
                response.content.decode()
            )
        # The fallback limiter in this process's memory stops the guessing, as Redis would.
        response = client.post(login, {"login": member.email, "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_with_redis_frozen_a_decision_is_applied_and_answered_at_once(
    client, redis_at, frozen_redis, secretariat
):
    """The issue's case: the decision committed, then the request hung on the publish."""
    application = ApplicationFactory()
    client.force_login(secretariat)
    url = f"/secretariat/applications/{application.pk}/approve/"
    with redis_at(frozen_redis):
        request = Timed(client)
        response = request("post", url, {"approve-version": 1, "approve-note": "Good fit."})
    _assert_quick(request.durations)
    assert response.status_code == 302
    assert response["Location"] == f"/secretariat/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED
    (notice,) = OutboxEmail.objects.filter(to=[application.email])
    assert notice.status == OutboxEmail.Status.QUEUED
    assert notice.last_error.startswith("Not enqueued: OperationalError: Timeout")
    assert notice.next_attempt_at <= timezone.now() - settings.AIII_OUTBOX_STALE_AFTER


def test_with_redis_frozen_inviting_to_a_meeting_answers_at_once(
    redis_at, frozen_redis, secretariat
):
    """A batch of meeting invitations is handed over like any email: guarded, never hanging."""
    import time

    from meetings.services import meeting_invite
    from meetings.services.participants import InviteMode
    from tests.meetings.factories import MeetingFactory
    from tests.members.factories import MemberProfileFactory

    meeting = MeetingFactory()
    emails = [MemberProfileFactory().user.email for _ in range(3)]
    with redis_at(frozen_redis):
        started = time.monotonic()
        invited = meeting_invite(
            meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=emails
        )
        took = time.monotonic() - started
    assert invited == 3
    assert took < SLOW, took
    rows = OutboxEmail.objects.filter(to__in=[[e] for e in emails])
    assert rows.count() == 3
    assert set(rows.values_list("status", flat=True)) == {OutboxEmail.Status.QUEUED}


def _key_pages_as(client, user, paths):
    """Each of `paths` twice for `user` (the second time a kept copy would be served)."""
    client.force_login(user)
    request = Timed(client)
    for path in paths:
        for _ in range(2):
            response = request("get", path)
            assert response.status_code == 200, (path, response.status_code)
    return request.durations


MEMBER_PAGES = ("/", "/members/", "/members/me/", "/meetings/", "/topics/", "/search/?q=mark")
SECRETARIAT_PAGES = (
    "/",
    "/secretariat/",
    "/secretariat/audit/",
    "/secretariat/applications/",
    "/secretariat/members/",
    "/secretariat/meetings/",
)


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_every_cached_page_answers_at_once_whatever_redis_does(
    client, settings, redis_at, frozen_redis, secretariat, outage
):
    # The pages kept in the cache (aiii/fragments.py): with Redis gone or silent they are
    # rendered afresh, in about the time the timeouts allow, and never answer 500.
    settings.AIII_FRAGMENT_CACHE = True
    settings.AIII_SECRETARIAT_MFA = "optional"
    member = MemberProfileFactory(full_name="Olive Outage").user
    with redis_at(DOWN_REDIS_URL if outage == "stopped" else frozen_redis):
        durations = _key_pages_as(client, member, MEMBER_PAGES)
        durations += _key_pages_as(client, secretariat, SECRETARIAT_PAGES)
    _assert_quick(durations)
    if outage == "frozen":  # the timeouts are paid once per outage, not once per page
        assert sum(seconds for _, seconds in durations) < 3 * SLOW
