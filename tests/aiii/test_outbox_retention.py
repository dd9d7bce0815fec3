"""Secrets at rest: a sent email's row keeps no live credential, and old bodies are purged."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import get_resolver, reverse
from django.utils import timezone

from aiii.models import OutboxEmail
from aiii.outbox import LINK_REMOVED, TOKEN_LINK_PATHS, email_queue_message, outbox_purge
from aiii.schedules import BEAT_SCHEDULE
from aiii.tasks import purge_outbox, send_outbox_email
from members.models import Invitation
from members.services.invitations import invitation_create, invitation_token_hash
from tests.members.factories import SecretariatProfileFactory, UserFactory


def _row_text(row):
    return row.body_text + row.body_html + str(row.attachments) + str(row.headers)


def test_the_token_link_paths_are_the_portals_own():
    assert set(TOKEN_LINK_PATHS) == {
        reverse("account_reset_password_from_key", kwargs={"uidb36": "0", "key": "k"})[:-4],
        reverse("account_confirm_email", args=["k"])[:-2],
        reverse("members:invitation", args=["k"])[:-2],
        reverse("meetings:rsvp_link", args=["k"])[:-2],
        reverse("topics:unsubscribe", args=["k"])[:-2],
        reverse("meetings:feed", args=["k"])[:-5],
    }


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        if hasattr(entry, "url_patterns"):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


def test_every_link_that_carries_a_token_is_removed_from_sent_emails():
    # A path with a key or token in it is a credential that an email may carry: a new one must
    # be added to TOKEN_LINK_PATHS, or sent rows would keep it.
    token = re.compile(r"<(?:\w+:)?\w*(?:token|key)>")
    prefixes = [
        "/" + re.split(r"[<(]", pattern.replace("^", ""))[0]
        for pattern in _patterns(get_resolver().url_patterns)
        if token.search(pattern)
    ]
    assert "/meetings/rsvp/" in prefixes and "/accounts/confirm-email/" in prefixes
    assert [prefix for prefix in prefixes if not prefix.startswith(TOKEN_LINK_PATHS)] == []


@pytest.mark.django_db
def test_a_sent_password_reset_keeps_no_key_in_the_database(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="forgetful@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})

    sent = mail.outbox[0]
    path = re.search(r"(/accounts/password/reset/key/(\S+))/", sent.body)
    key = path.group(2)
    row = OutboxEmail.objects.get()
    assert row.status == OutboxEmail.Status.SENT
    assert row.sensitive is True
    assert key not in _row_text(row)
    assert path.group(1) not in _row_text(row)
    assert row.body_html == ""
    assert row.body_text.startswith("[The text of this email was removed after sending")
    # What the row is for stays.
    assert row.to == ["forgetful@example.org"]
    assert row.subject == sent.subject
    # The key itself still works: only the copy in the outbox is gone.
    response = client.get(path.group(0), follow=True)
    assert b'name="password1"' in response.content


@pytest.mark.django_db
def test_a_sent_invitation_keeps_no_token_in_the_database(django_capture_on_commit_callbacks):
    clerk = SecretariatProfileFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invitation_create(
            by=clerk, full_name="Ada Expert", email="ada@example.org"
        )

    assert token in mail.outbox[0].body
    row = OutboxEmail.objects.get()
    assert row.status == OutboxEmail.Status.SENT
    assert token not in _row_text(row)
    assert Invitation.objects.get().token_hash == invitation_token_hash(token)
    assert token not in str(list(Invitation.objects.values()))


@pytest.mark.django_db
def test_a_credential_link_in_an_email_not_flagged_sensitive_is_removed_once_sent(
    django_capture_on_commit_callbacks,
):
    link = "https://aiii.example.org/accounts/confirm-email/MQ:secret-key/"
    with django_capture_on_commit_callbacks(execute=True):
        email_queue_message(
            to=["x@example.org"],
            subject="Confirm",
            body_text=f"Confirm here: {link}\nThanks.",
            body_html=f'<p><a href="{link}">Confirm</a> or see https://aiii.example.org/about/</p>',
            idempotency_key="confirm:1",
        )

    assert link in mail.outbox[0].body
    row = OutboxEmail.objects.get()
    assert row.status == OutboxEmail.Status.SENT
    assert row.body_text == f"Confirm here: {LINK_REMOVED}\nThanks."
    assert row.body_html == (
        f'<p><a href="{LINK_REMOVED}">Confirm</a> or see https://aiii.example.org/about/</p>'
    )


@pytest.mark.django_db
def test_an_unsent_row_keeps_its_body_for_the_next_attempt(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        email_queue_message(
            to=["x@example.org"],
            subject="Reset",
            body_text="https://testserver/accounts/password/reset/key/1-abc/",
            idempotency_key="reset:queued",
            sensitive=True,
        )
    row = OutboxEmail.objects.get()
    assert row.body_text == "https://testserver/accounts/password/reset/key/1-abc/"
    send_outbox_email.apply(kwargs={"email_id": row.pk}).get()
    assert mail.outbox[0].body == "https://testserver/accounts/password/reset/key/1-abc/"
    row.refresh_from_db()
    assert "abc" not in row.body_text


def _aged(key, *, status, days, settings):
    row = OutboxEmail.objects.create(
        idempotency_key=key,
        to=["x@example.org"],
        subject=key,
        body_text=f"Text of {key}",
        body_html=f"<p>HTML of {key}</p>",
        attachments=[{"filename": "a.ics", "content": "BEGIN", "mimetype": "text/calendar"}],
        status=status,
    )
    when = timezone.now() - timedelta(days=days)
    OutboxEmail.objects.filter(pk=row.pk).update(
        updated_at=when, sent_at=when if status == OutboxEmail.Status.SENT else None
    )
    return row


@pytest.mark.django_db
def test_purge_empties_old_bodies_and_leaves_recent_and_unsent_ones(settings):
    settings.AIII_OUTBOX_RETENTION_DAYS = 7
    sent_old = _aged("sent-old", status="sent", days=8, settings=settings)
    failed_old = _aged("failed-old", status="failed", days=8, settings=settings)
    sent_recent = _aged("sent-recent", status="sent", days=6, settings=settings)
    queued_old = _aged("queued-old", status="queued", days=30, settings=settings)
    sending_old = _aged("sending-old", status="sending", days=30, settings=settings)

    assert purge_outbox.apply().get() == 2

    rows = {row.idempotency_key: row for row in OutboxEmail.objects.all()}
    for row in (sent_old, failed_old):
        purged = rows[row.idempotency_key]
        assert (purged.body_text, purged.body_html, purged.attachments) == ("", "", [])
        assert purged.purged_at is not None
        assert (purged.subject, purged.to, purged.status) == (row.subject, row.to, row.status)
    for row in (sent_recent, queued_old, sending_old):
        kept = rows[row.idempotency_key]
        assert kept.body_text == f"Text of {row.idempotency_key}"
        assert kept.body_html == f"<p>HTML of {row.idempotency_key}</p>"
        assert len(kept.attachments) == 1
        assert kept.purged_at is None


@pytest.mark.django_db
def test_purge_is_idempotent(settings):
    _aged("sent-old", status="sent", days=8, settings=settings)
    assert outbox_purge() == 1
    first = OutboxEmail.objects.get().purged_at
    assert outbox_purge() == 0
    assert purge_outbox.apply().get() == 0
    assert OutboxEmail.objects.get().purged_at == first


@pytest.mark.django_db
def test_the_retention_is_a_setting(settings):
    _aged("sent-3-days", status="sent", days=3, settings=settings)
    settings.AIII_OUTBOX_RETENTION_DAYS = 7
    assert outbox_purge() == 0
    settings.AIII_OUTBOX_RETENTION_DAYS = 2
    assert outbox_purge() == 1


@pytest.mark.django_db
def test_outbox_purge_command_for_the_embedded_default(settings):
    _aged("sent-old", status="sent", days=8, settings=settings)
    output = io.StringIO()
    call_command("outbox_purge", stdout=output)
    assert output.getvalue().strip() == "1 email body(ies) older than 7 day(s) emptied."
    assert OutboxEmail.objects.get().body_text == ""


def test_beat_runs_the_purge_daily():
    entry = BEAT_SCHEDULE["purge-outbox"]
    assert entry["task"] == "aiii.purge_outbox"
    assert entry["schedule"].hour == {3}
    assert entry["schedule"].minute == {7}


@pytest.mark.django_db
def test_rows_sent_before_this_release_lose_their_unsubscribe_and_feed_links():
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "aiii.migrations.0008_redact_sent_unsubscribe_and_feed_links"
    )
    link = "https://aiii.example.org/topics/unsubscribe/eyJ1Ijo1NH0:abc/"
    sent = OutboxEmail.objects.create(
        idempotency_key="old-digest",
        to=["x@example.org"],
        subject="Digest",
        body_text=f"Stop these emails: {link}\nSee https://aiii.example.org/about/",
        body_html='<a href="https://aiii.example.org/meetings/feed/tok.ics">Feed</a>',
        headers={"List-Unsubscribe": f"<{link}>", "Content-Language": "fr"},
        status=OutboxEmail.Status.SENT,
    )
    queued = OutboxEmail.objects.create(
        idempotency_key="not-yet", to=["x@example.org"], subject="Digest", body_text=link
    )
    migration.redact(apps, None)
    sent.refresh_from_db()
    assert (
        sent.body_text == f"Stop these emails: {LINK_REMOVED}\nSee https://aiii.example.org/about/"
    )
    assert sent.body_html == f'<a href="{LINK_REMOVED}">Feed</a>'
    assert sent.headers == {"List-Unsubscribe": f"<{LINK_REMOVED}>", "Content-Language": "fr"}
    queued.refresh_from_db()
    assert queued.body_text == link  # still to be sent: it needs its link
