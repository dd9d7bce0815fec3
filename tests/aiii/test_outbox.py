"""The outbox service: a row in the caller's transaction, sent after commit, once per key."""

import io
import re
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aiii.models import OutboxEmail
from aiii.outbox import email_queue, email_queue_message, outbox_sweep, render_email
from tests.aiii.conftest import DOWN_REDIS_URL
from tests.members.factories import UserFactory


def _notice(key, **context):
    return email_queue(
        to=["expert@example.org"],
        template="email/notice",
        context={"heading": "Welcome", "message": "Hello.", **context},
        idempotency_key=key,
    )


@pytest.mark.django_db(transaction=True)
def test_email_is_recorded_in_the_transaction_and_sent_after_commit():
    with transaction.atomic():
        row = _notice("welcome:1")
        # Recorded, but nothing leaves while the transaction is open.
        assert OutboxEmail.objects.get().status == OutboxEmail.Status.QUEUED
        assert mail.outbox == []

    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT
    assert row.attempts == 1
    assert row.sent_at is not None
    assert row.last_error == ""
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["expert@example.org"]
    assert mail.outbox[0].subject == "[AIII Exchange] Welcome"


@pytest.mark.django_db(transaction=True)
def test_nothing_is_recorded_or_sent_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        _notice("welcome:rolled-back")
        raise RuntimeError("the change that caused the email failed")

    assert OutboxEmail.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_rolled_back_savepoint_drops_the_enqueue(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _notice("welcome:savepoint")
            raise RuntimeError
        _notice("welcome:kept")

    assert len(callbacks) == 1
    assert list(OutboxEmail.objects.values_list("idempotency_key", flat=True)) == ["welcome:kept"]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_same_key_twice_is_one_row_and_one_email():
    first = _notice("decision:7:v2")
    with transaction.atomic():
        second = _notice("decision:7:v2", heading="A different heading")

    assert second.pk == first.pk
    assert OutboxEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[AIII Exchange] Welcome"


@pytest.mark.django_db
def test_duplicate_key_does_not_break_the_callers_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            _notice("dup")
            _notice("dup")
            # The transaction is still usable after the duplicate insert was refused.
            _notice("other")

    assert OutboxEmail.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["expert@example.org"] * 2


@pytest.mark.django_db
def test_html_and_plain_text_parts_come_from_the_templates(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(
            to="expert@example.org",
            template="email/notice",
            context={
                "heading": "Minutes & agenda <TEN/3>",
                "message": "First paragraph.\n\nSecond paragraph.",
                "action_url": "http://testserver/meetings/3/",
                "action_label": "Open the meeting",
            },
            idempotency_key="minutes:3",
        )

    row = OutboxEmail.objects.get()
    # Subject and plain text are not HTML: nothing is escaped in them.
    assert row.subject == "[AIII Exchange] Minutes & agenda <TEN/3>"
    assert row.body_text.startswith("Minutes & agenda <TEN/3>\n\nFirst paragraph.\n\nSecond")
    assert "Open the meeting: http://testserver/meetings/3/" in row.body_text
    assert "AIII Exchange, http://testserver" in row.body_text
    # The HTML part is escaped and laid out by email/base.html.
    assert "<h1>Minutes &amp; agenda &lt;TEN/3&gt;</h1>" in row.body_html
    assert '<a class="action" href="http://testserver/meetings/3/">Open the meeting</a>' in (
        row.body_html
    )
    assert '<html lang="en" dir="ltr">' in row.body_html

    sent = mail.outbox[0]
    assert sent.body == row.body_text
    assert sent.alternatives[0].content == row.body_html
    assert sent.alternatives[0].mimetype == "text/html"
    parsed = message_from_bytes(sent.message().as_bytes())
    assert parsed.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in parsed.get_payload()] == [
        "text/plain",
        "text/html",
    ]


def test_email_is_rendered_in_the_recipients_language(settings):
    settings.AIII_LANGUAGES_READY = ["en", "ar"]
    subject, text, html = render_email(
        template="email/notice",
        context={"heading": "مرحبا", "message": "..."},
        language="ar",
    )
    assert subject == "مرحبا"
    assert '<html lang="ar" dir="rtl">' in html


def test_text_only_template_has_no_html_part(tmp_path, settings):
    (tmp_path / "plain_subject.txt").write_text("Plain {{ n }}\n")
    (tmp_path / "plain.txt").write_text("Body & {{ n }}\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]

    assert render_email(template="plain", context={"n": "<1>"}) == (
        "Plain <1>",
        "Body & <1>\n",
        "",
    )


@pytest.mark.django_db
def test_attachments_and_headers_reach_the_message(django_capture_on_commit_callbacks):
    ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        row = email_queue_message(
            to=["a@example.org", "b@example.org"],
            subject="Invitation: TEN/3",
            body_text="You are invited.",
            idempotency_key="invite:3",
            headers={"List-Unsubscribe": "<http://testserver/u/x>"},
            attachments=[{"filename": "invite.ics", "content": ics, "mimetype": "text/calendar"}],
        )

    sent = mail.outbox[0]
    assert sent.to == ["a@example.org", "b@example.org"]
    assert sent.attachments[0][0] == "invite.ics"
    assert sent.attachments[0][2] == "text/calendar"
    assert sent.extra_headers["List-Unsubscribe"] == "<http://testserver/u/x>"
    # A Message-ID of its own that every attempt repeats (see outbox_send on duplicates).
    assert re.fullmatch(rf"<outbox-{row.pk}-\d{{14}}@testserver>", sent.extra_headers["Message-ID"])


@pytest.mark.django_db(transaction=True)
def test_broker_down_keeps_the_email_queued_without_troubling_the_user(celery_broker, settings):
    with celery_broker(DOWN_REDIS_URL):
        with transaction.atomic():
            row = _notice("while-the-broker-is-down")
        # No exception reached the caller; the row is committed and waits for the sweep.
        row.refresh_from_db()
        assert row.status == OutboxEmail.Status.QUEUED
        assert row.attempts == 0
        assert row.last_error.startswith("Not enqueued: OperationalError")
        assert row.next_attempt_at <= timezone.now() - settings.AIII_OUTBOX_STALE_AFTER
        # The sweep, with the broker still down, hands over nothing and raises nothing.
        assert outbox_sweep() == 0

    assert OutboxEmail.objects.get().status == OutboxEmail.Status.QUEUED
    assert mail.outbox == []
    # Broker back (in-process here; tests/aiii/test_worker.py does it with a real worker).
    assert outbox_sweep() == 1
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_password_reset_email_goes_through_the_outbox(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="forgetful@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302

    row = OutboxEmail.objects.get()
    assert row.to == ["forgetful@example.org"]
    assert row.status == OutboxEmail.Status.QUEUED
    assert row.idempotency_key.startswith("allauth:account/email/password_reset_key:")
    assert mail.outbox == []

    for callback in callbacks:  # what the commit would do: the task sends it
        callback()
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == row.subject
    assert sent.subject.startswith("[AIII Exchange] ")
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", sent.body)
    assert link, sent.body
    assert sent.body.startswith("Hello from AIII Exchange!")

    # The link works: it leads to the form that sets a new password.
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    assert b'name="password1"' in response.content


@pytest.mark.django_db
def test_sweep_leaves_fresh_and_finished_rows_alone(settings):
    now = timezone.now()
    stale = now - settings.AIII_OUTBOX_STALE_AFTER - timedelta(seconds=1)
    for key, status in [("fresh", "queued"), ("sent", "sent"), ("failed", "failed")]:
        OutboxEmail.objects.create(
            idempotency_key=key, to=["x@example.org"], subject=key, body_text=".", status=status
        )
    OutboxEmail.objects.filter(status__in=["sent", "failed"]).update(next_attempt_at=stale)
    assert outbox_sweep() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_outbox_sweep_command_sends_what_the_embedded_default_left_behind(settings):
    from django.core.management import call_command

    stale = timezone.now() - settings.AIII_OUTBOX_STALE_AFTER - timedelta(seconds=1)
    row = OutboxEmail.objects.create(
        idempotency_key="left-behind", to=["x@example.org"], subject="Left", body_text="Hello."
    )
    OutboxEmail.objects.filter(pk=row.pk).update(next_attempt_at=stale)
    output = io.StringIO()

    call_command("outbox_sweep", stdout=output)

    assert output.getvalue().strip() == "1 email(s) handed over for sending."
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Left"]
