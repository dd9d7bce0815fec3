"""The speakers list: its default order, the secretariat's reordering, publication and the
current speaker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aiii.errors import Conflict
from annual_forum.models import Delegation, Intervention
from annual_forum.selectors import public_speakers, speakers_list
from annual_forum.services.meetings import (
    speakers_list_mark_current,
    speakers_list_move,
    speakers_list_publish,
)
from tests.annual_forum.factories import InterventionFactory, ObserverFactory, member_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(meeting):
    """Accepted interventions submitted in an order that mixes the kinds of delegation."""
    start = timezone.now() - timedelta(days=5)
    ngo = ObserverFactory(name="Creators Alliance", kind=Delegation.Kind.NON_GOVERNMENTAL)
    igo = ObserverFactory(name="Regional Patent Office", kind=Delegation.Kind.INTERGOVERNMENTAL)
    order = [
        ("ngo", ngo, Intervention.Status.ACCEPTED, Intervention.Mode.ROOM),
        ("fr", member_state("FR"), Intervention.Status.ACCEPTED, Intervention.Mode.ONLINE),
        ("igo", igo, Intervention.Status.PUBLISHED, Intervention.Mode.ROOM),
        ("ch", member_state("CH"), Intervention.Status.PUBLISHED, Intervention.Mode.ROOM),
        ("jp-written", member_state("JP"), Intervention.Status.ACCEPTED, Intervention.Mode.WRITTEN),
        ("br-submitted", member_state("BR"), Intervention.Status.SUBMITTED, Intervention.Mode.ROOM),
        ("de-declined", member_state("DE"), Intervention.Status.DECLINED, Intervention.Mode.ROOM),
        ("ke", member_state("KE"), Intervention.Status.ACCEPTED, Intervention.Mode.ROOM),
    ]
    items = {}
    for minutes, (label, delegation, status, mode) in enumerate(order):
        items[label] = InterventionFactory(
            meeting=meeting,
            delegation=delegation,
            status=status,
            mode=mode,
            submitted_at=start + timedelta(minutes=minutes),
            title=label,
        )
    return items


def _titles(meeting):
    return [entry.title for entry in speakers_list(meeting=meeting)]


def test_default_order_member_states_then_intergovernmental_then_others(meeting, mixed):
    # Member States by submission (FR, CH, KE), then the IGO, then the NGO; written-only,
    # submitted and declined interventions do not speak.
    assert _titles(meeting) == ["fr", "ch", "ke", "igo", "ngo"]


def test_the_secretariat_moves_a_speaker_and_the_order_is_kept(meeting, mixed, secretariat):
    meeting = speakers_list_move(
        meeting=meeting, intervention=mixed["ngo"], direction="up", by=secretariat, version=1
    )
    assert _titles(meeting) == ["fr", "ch", "ke", "ngo", "igo"]
    meeting = speakers_list_move(
        meeting=meeting,
        intervention=mixed["fr"],
        direction="down",
        by=secretariat,
        version=meeting.version,
    )
    assert _titles(meeting) == ["ch", "fr", "ke", "ngo", "igo"]
    # moving the first one up changes nothing
    meeting = speakers_list_move(
        meeting=meeting,
        intervention=mixed["ch"],
        direction="up",
        by=secretariat,
        version=meeting.version,
    )
    assert _titles(meeting) == ["ch", "fr", "ke", "ngo", "igo"]


def test_a_stale_reorder_is_refused(meeting, mixed, secretariat):
    speakers_list_move(
        meeting=meeting, intervention=mixed["ngo"], direction="up", by=secretariat, version=1
    )
    with pytest.raises(Conflict):
        speakers_list_move(
            meeting=meeting, intervention=mixed["ke"], direction="up", by=secretariat, version=1
        )
    assert _titles(meeting) == ["fr", "ch", "ke", "ngo", "igo"]


def test_published_list_shows_who_speaks_and_who_is_next(meeting, mixed, secretariat):
    assert public_speakers(meeting=meeting) is None
    meeting = speakers_list_publish(meeting=meeting, by=secretariat, version=meeting.version)
    listing = public_speakers(meeting=meeting)
    assert listing["current"] is None and listing["next"] is None
    meeting = speakers_list_mark_current(
        meeting=meeting, intervention=mixed["ch"], by=secretariat, version=meeting.version
    )
    listing = public_speakers(meeting=meeting)
    assert listing["current"].title == "ch"
    assert listing["next"].title == "ke"


def test_declining_the_current_speaker_clears_it(meeting, mixed, secretariat):
    from annual_forum.services.interventions import intervention_decline

    meeting = speakers_list_mark_current(
        meeting=meeting, intervention=mixed["fr"], by=secretariat, version=meeting.version
    )
    fr = mixed["fr"]
    fr.refresh_from_db()
    intervention_decline(intervention=fr, by=secretariat, version=fr.version, reason="Off topic.")
    meeting.refresh_from_db()
    assert meeting.current_speaker is None
    assert _titles(meeting) == ["ch", "ke", "igo", "ngo"]
