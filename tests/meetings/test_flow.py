"""The browser test's flow through the test client, reading the email the portal wrote to
disk: create, upload, invite, accept from the emailed link signed out, open and download;
an outsider gets 404."""

import re
from email import message_from_bytes, policy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting, Participant
from tests.meetings.conftest import PDF
from tests.members.factories import MemberProfileFactory

pytestmark = pytest.mark.django_db


def test_flow(secretariat_client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "aiii.mail_backends.DirectoryEmailBackend"
    settings.AIII_EMAIL_DIR = tmp_path
    alice = MemberProfileFactory(user__email="alice@example.org", full_name="Alice Moreau").user
    bob = MemberProfileFactory(user__email="bob@example.org", full_name="Bob Okafor").user
    secretariat_client.post(
        reverse("secretariat:meeting_create"),
        {
            "reference": "TEN/5",
            "title": "Provenance",
            "body": "TEN",
            "start": "2030-05-01T09:00",
            "end": "2030-05-01T11:00",
            "format": "hybrid",
            "confidentiality": "chatham_house",
            "join_link": "https://meet.example.org/ten-5",
        },
    )
    meeting = Meeting.objects.get(reference="TEN/5")
    secretariat_client.post(
        reverse("meetings:upload", kwargs={"pk": meeting.pk}),
        {"title": "Annotated agenda", "file": SimpleUploadedFile("agenda.pdf", PDF)},
    )
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(
            reverse("secretariat:meeting_invite", kwargs={"pk": meeting.pk}),
            {"invite-mode": "chosen", "invite-emails": alice.email},
        )

    (path,) = tmp_path.glob("*.eml")
    email = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert email["To"] == alice.email
    body = email.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://testserver(/meetings/rsvp/\S+/)", body).group(1)

    anonymous = Client()
    form = anonymous.get(link).content.decode()
    assert '<label for="id_response">Your answer' in form
    done = anonymous.post(link, {"response": "accepted"}).content.decode()
    assert "Your answer is recorded: Accepted." in done
    assert Participant.objects.get(meeting=meeting, user=alice).response == "accepted"

    client = Client()
    client.force_login(alice)
    listing = client.get(reverse("meetings:list")).content.decode()
    assert f'<a href="/meetings/{meeting.pk}/">TEN/5 Provenance</a>' in listing
    workspace = client.get(meeting.get_absolute_url()).content.decode()
    download = re.search(
        r'href="(/meetings/\d+/documents/versions/\d+/download/)"', workspace
    ).group(1)
    assert re.search(r"v1: agenda\.pdf \(\d+", workspace)
    response = client.get(download)
    assert b"".join(response.streaming_content) == PDF

    client.force_login(bob)
    assert client.get(meeting.get_absolute_url()).status_code == 404
