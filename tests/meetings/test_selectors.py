import pytest

from meetings.selectors import answers_count, stakeholder_balance
from meetings.services import meeting_create, meeting_invite, participant_respond
from meetings.services.participants import InviteMode
from members.models import StakeholderGroup
from tests.members.factories import MemberProfileFactory

pytestmark = pytest.mark.django_db


def test_answers_and_stakeholder_balance(meeting, secretariat):
    people = [
        MemberProfileFactory(stakeholder_group=StakeholderGroup.ACADEMIA).user,
        MemberProfileFactory(stakeholder_group=StakeholderGroup.ACADEMIA).user,
        MemberProfileFactory(stakeholder_group=StakeholderGroup.CREATOR).user,
        MemberProfileFactory(stakeholder_group=StakeholderGroup.AI_DEVELOPER).user,
    ]
    meeting_invite(
        meeting=meeting, by=secretariat, mode=InviteMode.CHOSEN, emails=[u.email for u in people]
    )
    participant_respond(participant=meeting.participants.get(user=people[0]), response="accepted")
    participant_respond(participant=meeting.participants.get(user=people[2]), response="declined")

    assert [(row["response"], row["count"]) for row in answers_count(meeting)] == [
        ("pending", 2),
        ("accepted", 1),
        ("tentative", 0),
        ("declined", 1),
    ]
    balance = {row["label"]: (row["count"], row["percent"]) for row in stakeholder_balance(meeting)}
    assert balance["Academia"] == (2, 50)
    assert balance["Individual creator"] == (1, 25)
    assert balance["AI developer"] == (1, 25)
    assert balance["Civil society"] == (0, 0)


def test_description_markdown_is_sanitised_at_save(secretariat):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=3)
    meeting = meeting_create(
        by=secretariat,
        data={
            "reference": "TEN/70",
            "title": "X",
            "body": "TEN",
            "description": "<script>alert(1)</script>\n\n[click](javascript:alert(1)) **ok**",
            "start": start,
            "end": start + timedelta(hours=1),
            "format": "virtual",
            "venue": "",
            "join_link": "",
            "confidentiality": "chatham_house",
            "allow_participant_uploads": False,
        },
    )
    assert "<script" not in meeting.description_html
    assert 'href="javascript' not in meeting.description_html
    assert "<strong>ok</strong>" in meeting.description_html
