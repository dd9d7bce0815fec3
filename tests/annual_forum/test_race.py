"""Two secretariat users decide the same intervention at the same moment, on two connections:
one decision applies, the other is refused (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connections

from aiii.errors import Conflict
from aiii.models import AuditEntry, OutboxEmail
from annual_forum.models import Intervention, InterventionEvent
from annual_forum.services.interventions import intervention_accept, intervention_decline
from tests.annual_forum.factories import InterventionFactory, ensure_member_states
from tests.members.factories import SecretariatProfileFactory


@pytest.mark.django_db(transaction=True)
def test_two_decisions_on_one_version_apply_once(require_postgresql):
    ensure_member_states()
    item = InterventionFactory()
    first = SecretariatProfileFactory().user
    second = SecretariatProfileFactory().user
    barrier = threading.Barrier(2, timeout=10)
    outcomes = {}

    def decide(name, service, user, **kwargs):
        try:
            target = Intervention.objects.get(pk=item.pk)
            barrier.wait()
            service(intervention=target, by=user, version=1, **kwargs)
            outcomes[name] = "applied"
        except Conflict as error:
            outcomes[name] = error.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=("accept", intervention_accept, first)),
        threading.Thread(
            target=decide,
            args=("decline", intervention_decline, second),
            kwargs={"reason": "Off topic."},
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["accept", "decline"]
    assert sorted(o == "applied" for o in outcomes.values()) == [False, True]
    winner = next(name for name, outcome in outcomes.items() if outcome == "applied")
    item.refresh_from_db()
    assert item.version == 2
    assert item.status == {"accept": "accepted", "decline": "declined"}[winner]
    assert InterventionEvent.objects.filter(intervention=item).count() == 1
    assert AuditEntry.objects.filter(action__startswith="intervention.").count() == 1
    assert OutboxEmail.objects.count() == 1
