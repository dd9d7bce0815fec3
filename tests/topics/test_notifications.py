"""Immediate emails, digests and the one-click unsubscribe."""

from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from aiii.models import OutboxEmail
from members.models import NotificationPreference
from tests.members.factories import MemberProfileFactory
from topics.models import DigestSent, Post
from topics.services.handles import handle_assign
from topics.services.notifications import (
    digest_batches,
    digest_period,
    digest_send,
    digest_send_batch,
    unsubscribe_token,
)
from topics.services.subscriptions import subscription_add
from topics.tasks import send_digests

from .conftest import reply, start

pytestmark = pytest.mark.django_db


def _member(name, preference):
    profile = MemberProfileFactory(full_name=name, notification_preference=preference)
    return profile.user


def _emails_to(user):
    return list(OutboxEmail.objects.filter(to=[user.email]).order_by("pk"))


# --- at once -------------------------------------------------------------------------------------


def test_immediate_watchers_get_one_email_per_post(
    topic, author, django_capture_on_commit_callbacks
):
    watcher = _member("Ivy Immediate", NotificationPreference.IMMEDIATELY)
    daily = _member("Dan Daily", NotificationPreference.DAILY)
    for user in (watcher, daily):
        subscription_add(user=user, topic=topic)
    with django_capture_on_commit_callbacks(execute=True):
        thread = start(topic, author)
    with django_capture_on_commit_callbacks(execute=True):
        reply(thread, author, source="Second")
    emails = _emails_to(watcher)
    assert len(emails) == 2
    assert "posted in “Watermarks under re-encoding”" in emails[0].subject
    assert "Second" in emails[1].body_text
    assert _emails_to(daily) == []
    assert _emails_to(author) == []
    # The email as it went out carries the member's own one-click link, in its headers and
    # its text; the row kept once it is sent does not (aiii.outbox.TOKEN_LINK_PATHS).
    sent = next(message for message in mail.outbox if message.to == [watcher.email])
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = unsubscribe_token(watcher)
    assert sent.extra_headers["List-Unsubscribe"].endswith(f"/topics/unsubscribe/{token}/>")
    assert token in sent.body
    assert token not in emails[0].body_text + str(emails[0].headers)
    assert emails[0].headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_mention_notifies_immediately_and_a_suspended_member_never(
    thread, author, django_capture_on_commit_callbacks
):
    mentioned = _member("Mia Mention", NotificationPreference.IMMEDIATELY)
    suspended = MemberProfileFactory(
        full_name="Sam Suspended",
        status="suspended",
        notification_preference=NotificationPreference.IMMEDIATELY,
    ).user
    handle_assign(user=suspended)
    with django_capture_on_commit_callbacks(execute=True):
        reply(thread, author, source="Hello @mia-mention and @sam-suspended")
    emails = _emails_to(mentioned)
    assert len(emails) == 1 and "mentioned you" in emails[0].subject
    assert _emails_to(suspended) == []


def test_notifications_are_idempotent(thread, author, django_capture_on_commit_callbacks):
    from topics.services.notifications import post_notify

    watcher = _member("Ivy Immediate", NotificationPreference.IMMEDIATELY)
    subscription_add(user=watcher, thread=thread)
    with django_capture_on_commit_callbacks(execute=True):
        post = reply(thread, author)
    post_notify(post_id=post.pk)
    assert len(_emails_to(watcher)) == 1


# --- digests -------------------------------------------------------------------------------------


@pytest.fixture
def daily_reader(topic):
    reader = _member("Dana Digest", NotificationPreference.DAILY)
    subscription_add(user=reader, topic=topic)
    return reader


def test_the_digest_holds_exactly_the_new_items(topic, author, other, daily_reader, secretariat):
    now = timezone.now()
    old = start(topic, author, title="Old thread")
    Post.objects.filter(thread=old).update(created_at=now - timedelta(days=3))
    fresh = start(topic, author, title="Fresh thread", source="Fresh words")
    mine = reply(fresh, daily_reader, source="My own words")
    hidden = reply(fresh, other, source="Hidden words")
    from topics.services.moderation import post_hide

    post_hide(post=hidden, by=secretariat, reason="x", version=1)
    other_topic = start(
        topic.__class__.objects.get(area__slug="standards-tools"), other, title="Unwatched"
    )
    assert other_topic
    period = digest_period("daily", now + timedelta(minutes=1))
    sent = digest_send(
        user=daily_reader, kind="daily", period=period, now=now + timedelta(minutes=1)
    )
    assert sent.item_count == 1
    email = _emails_to(daily_reader)[0]
    assert "Fresh thread" in email.body_text and "Fresh words" in email.body_text
    for absent in ("Old thread", "My own words", "Hidden words", "Unwatched"):
        assert absent not in email.body_text
    assert mine.author == daily_reader
    assert email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_token(daily_reader) in email.body_text


def test_the_digest_is_sent_once_per_period_however_often_it_runs(topic, author, daily_reader):
    start(topic, author)
    for _ in range(3):
        send_digests(kind="daily")
    assert len(_emails_to(daily_reader)) == 1
    assert DigestSent.objects.filter(user=daily_reader).count() == 1
    # Something new within the same period: still no second digest.
    start(topic, author, title="Later")
    send_digests(kind="daily")
    assert len(_emails_to(daily_reader)) == 1


def test_the_next_digest_starts_where_the_last_one_ended(topic, author, daily_reader):
    start(topic, author, title="First batch")
    now = timezone.now()
    digest_send(user=daily_reader, kind="daily", period="daily:1", now=now)
    later = now + timedelta(days=1)
    start(topic, author, title="Second batch")
    Post.objects.filter(thread__title="Second batch").update(created_at=now + timedelta(hours=2))
    digest_send(user=daily_reader, kind="daily", period="daily:2", now=later)
    first, second = _emails_to(daily_reader)
    assert "First batch" in first.body_text and "Second batch" not in first.body_text
    assert "Second batch" in second.body_text and "First batch" not in second.body_text


def test_no_digest_when_nothing_is_new(topic, daily_reader):
    assert digest_send(user=daily_reader, kind="daily", period="daily:x") is None
    send_digests(kind="daily")
    assert _emails_to(daily_reader) == []
    assert DigestSent.objects.count() == 0


def test_recipients_are_split_into_batches(topic, author, settings):
    settings.AIII_TOPICS_DIGEST_BATCH = 2
    readers = [_member(f"Reader {n}", NotificationPreference.WEEKLY) for n in range(5)]
    _member("Daily Person", NotificationPreference.DAILY)
    period, batches = digest_batches(kind="weekly")
    assert period.startswith("weekly:")
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert sorted(sum(batches, [])) == sorted(u.pk for u in readers)
    for user in readers:
        subscription_add(user=user, topic=topic)
    start(topic, author)
    assert sum(digest_send_batch(kind="weekly", period=period, user_ids=b) for b in batches) == 5
    # A retried batch sends nothing more, and the next fan-out finds nobody left.
    assert digest_send_batch(kind="weekly", period=period, user_ids=batches[0]) == 0
    assert digest_batches(kind="weekly")[1] == []


def test_periods():
    moment = timezone.datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert digest_period("daily", moment) == "daily:2026-11-29"
    assert digest_period("weekly", moment) == "weekly:2026-W48"


# --- unsubscribe ---------------------------------------------------------------------------------


def test_unsubscribe_works_without_signing_in(client, daily_reader):
    url = reverse("topics:unsubscribe", kwargs={"token": unsubscribe_token(daily_reader)})
    page = client.get(url)
    assert page.status_code == 200 and "Unsubscribe</button>" in page.content.decode()
    daily_reader.profile.refresh_from_db()
    assert daily_reader.profile.notification_preference == "daily"  # a GET changes nothing
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You will receive no more emails" in response.content.decode()
    daily_reader.profile.refresh_from_db()
    assert daily_reader.profile.notification_preference == "off"


def test_one_click_post_needs_no_csrf_token(daily_reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("topics:unsubscribe", kwargs={"token": unsubscribe_token(daily_reader)})
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    daily_reader.profile.refresh_from_db()
    assert daily_reader.profile.notification_preference == "off"


def test_a_tampered_unsubscribe_link_is_refused(client, daily_reader, author):
    token = unsubscribe_token(daily_reader)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    other_user = unsubscribe_token(author).split(":")[0] + ":" + token.split(":")[-1]
    for bad in (forged, other_user, "nonsense"):
        url = reverse("topics:unsubscribe", kwargs={"token": bad})
        response = client.post(url)
        assert response.status_code == 400
        assert "This unsubscribe link is not valid." in response.content.decode()
    daily_reader.profile.refresh_from_db()
    assert daily_reader.profile.notification_preference == "daily"


def test_sent_email_carries_the_headers(topic, author, daily_reader):
    from aiii.outbox import outbox_send

    start(topic, author)
    digest_send(user=daily_reader, kind="daily", period="daily:h")
    row = _emails_to(daily_reader)[0]
    outbox_send(email_id=row.pk)
    message = mail.outbox[-1]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")


def test_beat_runs_the_daily_and_weekly_digests():
    from aiii.celery import app
    from aiii.schedules import BEAT_SCHEDULE

    digests = {
        entry["kwargs"]["kind"]
        for entry in BEAT_SCHEDULE.values()
        if entry["task"] == "topics.send_digests"
    }
    assert digests == {"daily", "weekly"}
    app.loader.import_default_modules()
    assert {"topics.send_digests", "topics.send_digest_batch"} <= set(app.tasks)


def test_a_mention_reaches_the_digest_of_a_member_who_watches_nothing(topic, author):
    reader = _member("Dora Digest", NotificationPreference.DAILY)
    handle_assign(user=reader)
    thread = start(topic, author, title="Unwatched thread", source="Plain.")
    reply(thread, author, source="What does @dora-digest think?")
    sent = digest_send(user=reader, kind="daily", period="daily:m")
    assert sent.item_count == 1
    (email,) = _emails_to(reader)
    assert "What does @dora-digest think?" in email.body_text
    assert "Plain." not in email.body_text


def test_immediate_emails_are_written_with_the_post_and_roll_back_with_it(thread, author):
    from django.db import transaction

    watcher = _member("Ivy Immediate", NotificationPreference.IMMEDIATELY)
    subscription_add(user=watcher, thread=thread)
    with pytest.raises(RuntimeError), transaction.atomic():
        reply(thread, author, source="Never posted")
        assert len(_emails_to(watcher)) == 1  # in the post's own transaction
        raise RuntimeError
    assert _emails_to(watcher) == []
    assert not thread.posts.filter(source="Never posted").exists()
