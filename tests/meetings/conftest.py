import io

import pytest

from meetings.services import meeting_invite
from meetings.services.participants import InviteMode
from tests.meetings.factories import MeetingFactory
from tests.members.factories import MemberProfileFactory


@pytest.fixture
def meeting(db):
    return MeetingFactory()


@pytest.fixture
def participant_user(db):
    return MemberProfileFactory(full_name="Alice Moreau", organisation="Provenance Lab").user


@pytest.fixture
def outsider(db):
    return MemberProfileFactory(full_name="Bob Okafor").user


@pytest.fixture
def invited(meeting, participant_user, secretariat):
    """`meeting` with `participant_user` invited; returns the Participant."""
    meeting_invite(
        meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[participant_user.email]
    )
    return meeting.participants.get(user=participant_user)


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20


def docx_bytes():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
