"""Documents: the type read from the content, the size limit, nothing stored when refused,
versions with who and when, the SHA-256, and downloads only through the checking view."""

import hashlib
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aiii.errors import ServiceError
from meetings.models import Document, DocumentVersion
from meetings.services import document_upload
from tests.meetings.conftest import PDF, PNG, docx_bytes

pytestmark = pytest.mark.django_db


def stored_files():
    root = settings.AIII_PRIVATE_STORAGE_DIR
    return sorted(
        os.path.join(folder, name) for folder, _dirs, names in os.walk(root) for name in names
    )


@pytest.mark.parametrize(
    ("name", "content", "mimetype"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("figure.png", PNG, "image/png"),
        (
            "paper.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("notes.md", "# Notes\n\nÉté — ok\n".encode(), "text/markdown"),
        ("notes.txt", b"plain words\n", "text/plain"),
    ],
)
def test_accepted_types(meeting, secretariat, name, content, mimetype):
    version = document_upload(
        meeting=meeting, by=secretariat, upload=SimpleUploadedFile(name, content)
    )
    assert version.mimetype == mimetype
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.size == len(content)
    with version.file.open("rb") as stored:
        assert stored.read() == content
    # Stored under the private storage, never under MEDIA_ROOT.
    assert version.file.path.startswith(str(settings.AIII_PRIVATE_STORAGE_DIR))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"#!/bin/sh\nrm -rf ~\n", "not accepted"),
        ("report.pdf", b"plain words that are not a PDF\n", "its name says otherwise"),
        ("page.txt", b"<html><script>alert(1)</script></html>", "not accepted"),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 50, "not accepted"),
        ("figure.jpg", PNG, "its name says otherwise"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_refused_uploads_store_nothing(meeting, secretariat, name, content, message):
    before = stored_files()
    with pytest.raises(ServiceError, match=message):
        document_upload(meeting=meeting, by=secretariat, upload=SimpleUploadedFile(name, content))
    assert not Document.objects.exists()
    assert not DocumentVersion.objects.exists()
    assert stored_files() == before


def test_too_large_is_refused(meeting, secretariat, settings):
    settings.AIII_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ServiceError, match="too large"):
        document_upload(meeting=meeting, by=secretariat, upload=SimpleUploadedFile("a.pdf", PDF))
    assert not DocumentVersion.objects.exists()


def test_upload_view_refuses_a_disguised_script_with_a_message(secretariat_client, meeting):
    before = stored_files()
    response = secretariat_client.post(
        reverse("meetings:upload", kwargs={"pk": meeting.pk}),
        {"title": "Report", "file": SimpleUploadedFile("report.pdf", b"#!/bin/sh\necho hi\n")},
    )
    assert response.status_code == 400
    assert "This kind of file is not accepted." in response.content.decode()
    assert not DocumentVersion.objects.exists()
    assert stored_files() == before


def test_versions_and_download(invited, meeting, secretariat, client):
    first = document_upload(
        meeting=meeting, by=secretariat, upload=SimpleUploadedFile("a.pdf", PDF), title="Paper"
    )
    second = document_upload(
        meeting=meeting,
        by=secretariat,
        upload=SimpleUploadedFile("a.pdf", PDF + b"% v2\n"),
        document=first.document,
    )
    assert (first.number, second.number) == (1, 2)
    first.document.refresh_from_db()
    assert first.document.latest == second

    client.force_login(invited.user)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert second.sha256 in page and first.sha256 in page

    response = client.get(
        reverse("meetings:document_download", kwargs={"pk": meeting.pk, "version_pk": second.pk})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF + b"% v2\n"


def test_download_with_x_accel_redirect(invited, meeting, secretariat, client, settings):
    settings.AIII_DOCUMENT_X_ACCEL_PREFIX = "/protected/"
    version = document_upload(
        meeting=meeting, by=secretariat, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    client.force_login(invited.user)
    response = client.get(
        reverse("meetings:document_download", kwargs={"pk": meeting.pk, "version_pk": version.pk})
    )
    assert response["X-Accel-Redirect"] == "/protected/" + version.file.name
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'


def test_participant_uploads_only_when_the_meeting_allows(invited, meeting, client):
    client.force_login(invited.user)
    url = reverse("meetings:upload", kwargs={"pk": meeting.pk})
    data = {"title": "Mine", "file": SimpleUploadedFile("mine.txt", b"my notes\n")}
    assert client.post(url, data).status_code == 404
    assert not DocumentVersion.objects.exists()

    meeting.allow_participant_uploads = True
    meeting.save()
    data = {"title": "Mine", "file": SimpleUploadedFile("mine.txt", b"my notes\n")}
    response = client.post(url, data)
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    assert (version.document.title, version.uploaded_by) == ("Mine", invited.user)
