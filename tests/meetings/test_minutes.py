"""Minutes under the Chatham House Rule, comments, approval, the public outcome summary."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aiii.errors import Conflict, InvalidState
from meetings.models import Meeting, Minutes
from meetings.selectors import published_outcomes
from meetings.services import (
    meeting_set_status,
    minutes_approve,
    minutes_circulate,
    minutes_comment,
    minutes_save,
    outcome_publish,
    outcome_save,
)
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

DRAFT = """## Watermarking

[[Alice Moreau]] presented the robustness tests.
[[Secretary Speaker]] asked about re-encoding. Alice Moreau answered that Moreau's lab
repeats them; alice@ was cc'd. Provenance Lab will share data.
"""


def test_chatham_house_minutes_name_no_participant(invited, meeting, secretariat, client):
    user = invited.user
    minutes = minutes_save(
        meeting=meeting, by=secretariat, text=DRAFT.replace("alice@", user.email)
    )
    minutes = minutes_circulate(minutes=minutes, by=secretariat, version=minutes.version)
    minutes = minutes_approve(minutes=minutes, by=secretariat, version=minutes.version)

    client.force_login(user)
    page = client.get(reverse("meetings:minutes", kwargs={"pk": meeting.pk})).content.decode()
    minutes_section = page.split('class="prose minutes">')[1].split("</div>")[0]
    for forbidden in ("Alice", "Moreau", user.email, "Secretary Speaker"):
        assert forbidden not in minutes_section, forbidden
        assert forbidden not in minutes.public_html
    assert "<strong>A participant:</strong> presented the robustness tests." in minutes_section
    # The secretariat keeps its attributed record.
    assert "<strong>Alice Moreau:</strong>" in minutes.attributed_html


def test_printable_minutes_are_unattributed(invited, meeting, secretariat, secretariat_client):
    minutes_save(meeting=meeting, by=secretariat, text=DRAFT)
    page = secretariat_client.get(
        reverse("secretariat:meeting_minutes_print", kwargs={"pk": meeting.pk})
    ).content.decode()
    assert "A participant:" in page
    assert "Alice Moreau" not in page.split('class="prose minutes">')[1]


def test_on_the_record_minutes_name_speakers(invited, secretariat, client):
    meeting = invited.meeting
    meeting.confidentiality = Meeting.Rule.ATTRIBUTABLE
    meeting.save()
    minutes = minutes_save(meeting=meeting, by=secretariat, text=DRAFT)
    minutes_circulate(minutes=minutes, by=secretariat, version=minutes.version)
    client.force_login(invited.user)
    page = client.get(reverse("meetings:minutes", kwargs={"pk": meeting.pk})).content.decode()
    assert "<strong>Alice Moreau:</strong>" in page


def test_draft_minutes_are_not_shown_to_participants(invited, meeting, secretariat, client):
    minutes_save(meeting=meeting, by=secretariat, text="Secret draft")
    client.force_login(invited.user)
    assert client.get(reverse("meetings:minutes", kwargs={"pk": meeting.pk})).status_code == 404
    assert "Secret draft" not in client.get(meeting.get_absolute_url()).content.decode()


def test_comments_only_while_circulated_and_approval_locks(invited, meeting, secretariat, client):
    minutes = minutes_save(meeting=meeting, by=secretariat, text="Draft")
    minutes = minutes_circulate(minutes=minutes, by=secretariat, version=minutes.version)
    client.force_login(invited.user)
    response = client.post(
        reverse("meetings:comment", kwargs={"pk": meeting.pk}), {"text": "Add the date."}
    )
    assert response.status_code == 302
    assert list(minutes.comments.values_list("text", "author")) == [
        ("Add the date.", invited.user.pk)
    ]

    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    approved = minutes_approve(minutes=minutes, by=secretariat, version=minutes.version)
    assert approved.status == Minutes.Status.APPROVED
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_APPROVED
    with pytest.raises(InvalidState):
        minutes_comment(minutes=approved, by=invited.user, text="Late")
    with pytest.raises(InvalidState):
        minutes_save(meeting=meeting, by=secretariat, text="Changed", version=approved.version)
    approved.refresh_from_db()
    assert approved.text == "Draft"


def test_a_stale_minutes_form_is_refused(meeting, secretariat):
    minutes = minutes_save(meeting=meeting, by=secretariat, text="One")
    minutes_save(meeting=meeting, by=secretariat, text="Two", version=minutes.version)
    with pytest.raises(Conflict):
        minutes_save(meeting=meeting, by=secretariat, text="Three", version=minutes.version)
    assert Minutes.objects.get().text == "Two"


def test_markdown_is_sanitised(meeting, secretariat, secretariat_client):
    minutes = minutes_save(
        meeting=meeting,
        by=secretariat,
        text="<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>",
    )
    for html in (minutes.attributed_html, minutes.public_html):
        assert "<script" not in html and "<img" not in html
        assert 'href="javascript' not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, never run
    outcome = outcome_save(meeting=meeting, by=secretariat, summary="<b onmouseover=x>hi</b>")
    assert "<b" not in outcome.summary_html


def test_published_outcomes_of_a_year(secretariat):
    def at(year, month):
        return timezone.make_aware(datetime(year, month, 10, 9))

    older = MeetingFactory(start=at(2026, 3), end=at(2026, 3) + timedelta(hours=2))
    newer = MeetingFactory(start=at(2026, 9), end=at(2026, 9) + timedelta(hours=2))
    unpublished = MeetingFactory(start=at(2026, 10), end=at(2026, 10) + timedelta(hours=2))
    other_year = MeetingFactory(start=at(2025, 9), end=at(2025, 9) + timedelta(hours=2))
    for meeting in (older, newer, unpublished, other_year):
        outcome_save(meeting=meeting, by=secretariat, summary=f"Outcome of **{meeting.reference}**")
    for meeting in (older, newer, other_year):
        outcome_publish(meeting=meeting, by=secretariat)

    found = list(published_outcomes(year=2026))

    assert [o.meeting.reference for o in found] == [newer.reference, older.reference]
    assert found[0].summary_html == f"<p>Outcome of <strong>{newer.reference}</strong></p>"
    assert found[0].published_at is not None
    assert found[0].meeting.start == newer.start and found[0].meeting.title == newer.title


def test_status_moves_by_hand(invited, meeting, secretariat):
    meeting.refresh_from_db()
    held = meeting_set_status(
        meeting=meeting, by=secretariat, status=Meeting.Status.HELD, version=meeting.version
    )
    assert held.status == Meeting.Status.HELD
    with pytest.raises(InvalidState):
        meeting_set_status(
            meeting=held, by=secretariat, status=Meeting.Status.HELD, version=held.version
        )
