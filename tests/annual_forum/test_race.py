"""Two secretariat users decide the same intervention at the same moment, on two connections:
one decision applies, the other is refused (PostgreSQL row locks)."""

import pytest

from aiii.models import AuditEntry, OutboxEmail
from annual_forum.models import Intervention, InterventionEvent
from annual_forum.services.interventions import intervention_accept, intervention_decline
from tests.annual_forum.factories import InterventionFactory, ensure_member_states
from tests.concurrency import decisions_at_once
from tests.members.factories import SecretariatProfileFactory


@pytest.mark.django_db(transaction=True)
def test_two_decisions_on_one_version_apply_once(require_postgresql):
    ensure_member_states()
    item = InterventionFactory()
    first = SecretariatProfileFactory().user
    second = SecretariatProfileFactory().user
    outcomes = decisions_at_once(
        accept=lambda: intervention_accept(
            intervention=Intervention.objects.get(pk=item.pk), by=first, version=1
        ),
        decline=lambda: intervention_decline(
            intervention=Intervention.objects.get(pk=item.pk),
            by=second,
            version=1,
            reason="Off topic.",
        ),
    )

    assert sorted(outcomes) == ["accept", "decline"]
    assert sorted(o == "applied" for o in outcomes.values()) == [False, True]
    winner = next(name for name, outcome in outcomes.items() if outcome == "applied")
    item.refresh_from_db()
    assert item.version == 2
    assert item.status == {"accept": "accepted", "decline": "declined"}[winner]
    assert InterventionEvent.objects.filter(intervention=item).count() == 1
    assert AuditEntry.objects.filter(action__startswith="intervention.").count() == 1
    assert OutboxEmail.objects.count() == 1
