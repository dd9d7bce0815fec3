import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.annual_forum.factories import (
    DelegateFactory,
    MeetingFactory,
    ensure_member_states,
    member_state,
)


@pytest.fixture(autouse=True)
def _member_states(db):
    ensure_member_states()


@pytest.fixture
def meeting(db):
    return MeetingFactory()


@pytest.fixture
def delegate(db):
    """A verified delegate of Switzerland."""
    return DelegateFactory()


@pytest.fixture
def other_delegate(db):
    """A verified delegate of France."""
    return DelegateFactory(delegation=member_state("FR"))


def pdf_bytes():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def pdf_upload():
    return SimpleUploadedFile("statement.pdf", pdf_bytes(), content_type="application/pdf")


def intervention_fields(**overrides):
    fields = {
        "speaker_name": "Anna Keller",
        "speaker_title": "Ambassador",
        "title": "Provenance in practice",
        "language": "fr",
        "text_source": "Nous remercions le réseau.\n\n- point un\n- point deux",
        "mode": "room",
        "speaking_minutes": 3,
        "ai_disclosure": "assisted",
        "ai_tool": "DeepL",
    }
    fields.update(overrides)
    return fields
