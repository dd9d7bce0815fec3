"""DirectoryEmailBackend: the embedded default writes each email as one .eml file."""

from email import message_from_bytes, policy

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection

from aiii.models import OutboxEmail
from aiii.outbox import email_queue_message

BACKEND = "aiii.mail_backends.DirectoryEmailBackend"


def _read(path):
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def test_each_message_is_one_eml_file(tmp_path, settings):
    settings.AIII_EMAIL_DIR = tmp_path / "mail"  # created on first use
    plain = EmailMessage("Plain", "Just text.", "from@example.org", ["a@example.org"])
    rich = EmailMultiAlternatives("Rich", "Text part.", "from@example.org", ["b@example.org"])
    rich.attach_alternative("<p>HTML part.</p>", "text/html")
    nobody = EmailMessage("Nobody", "No recipient.", "from@example.org", [])

    with get_connection(BACKEND) as connection:
        assert connection.send_messages([plain, rich, nobody]) == 2

    files = sorted((tmp_path / "mail").iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]  # no temporary files left behind
    by_subject = {m["Subject"]: m for m in map(_read, files)}
    assert set(by_subject) == {"Plain", "Rich"}
    assert by_subject["Plain"]["To"] == "a@example.org"
    assert by_subject["Plain"].get_content().strip() == "Just text."
    parts = {p.get_content_type(): p.get_content().strip() for p in by_subject["Rich"].iter_parts()}
    assert parts == {"text/plain": "Text part.", "text/html": "<p>HTML part.</p>"}


def test_directory_can_be_given_explicitly(tmp_path):
    connection = get_connection(BACKEND, directory=tmp_path)
    connection.send_messages([EmailMessage("S", "B", "f@example.org", ["t@example.org"])])
    assert len(list(tmp_path.glob("*.eml"))) == 1


def test_unwritable_directory_raises_unless_failing_silently(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    message = EmailMessage("S", "B", "f@example.org", ["t@example.org"])
    with pytest.raises(OSError):
        get_connection(BACKEND, directory=blocker).send_messages([message])
    assert (
        get_connection(BACKEND, directory=blocker, fail_silently=True).send_messages([message]) == 0
    )


@pytest.mark.django_db
def test_outbox_email_arrives_as_a_file(tmp_path, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = BACKEND
    settings.AIII_EMAIL_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        row = email_queue_message(
            to="expert@example.org",
            subject="Your application",
            body_text="Thank you.",
            body_html="<p>Thank you.</p>",
            idempotency_key="file:1",
        )

    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.SENT
    (path,) = tmp_path.glob("*.eml")
    message = _read(path)
    assert message["Subject"] == "[AIII Exchange] Your application"
    assert message["To"] == "expert@example.org"
    assert message["Message-ID"].startswith(f"<outbox-{row.pk}-")
