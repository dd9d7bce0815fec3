"""Two secretariat users decide the same application at the same moment, on two connections."""

import threading

import pytest
from django.db import connection, connections

from aiii.models import AuditEntry, OutboxEmail
from members.models import ApplicationEvent, MembershipApplication
from members.services.applications import (
    ApplicationConflict,
    application_approve,
    application_reject,
)
from tests.factories import ApplicationFactory, SecretariatProfileFactory


@pytest.mark.django_db(transaction=True)
def test_two_decisions_on_the_same_version_apply_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op) and "
            "serialises writers on the whole database, so there is no race to test."
        )
    application = ApplicationFactory()
    first = SecretariatProfileFactory().user
    second = SecretariatProfileFactory().user
    barrier = threading.Barrier(2, timeout=10)
    outcomes = {}

    def decide(name, service, user, **kwargs):
        try:
            target = MembershipApplication.objects.get(pk=application.pk)
            barrier.wait()
            service(application=target, by=user, version=1, **kwargs)
            outcomes[name] = "applied"
        except ApplicationConflict as error:
            outcomes[name] = error.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=("approve", application_approve, first)),
        threading.Thread(
            target=decide,
            args=("reject", application_reject, second),
            kwargs={"reason": "Out of scope."},
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["approve", "reject"]
    assert sorted(o == "applied" for o in outcomes.values()) == [False, True]
    winner = next(name for name, outcome in outcomes.items() if outcome == "applied")
    loser_message = next(str(o) for o in outcomes.values() if o != "applied")
    assert "changed after you opened the page" in loser_message
    application.refresh_from_db()
    assert application.version == 2
    assert application.status == {"approve": "approved", "reject": "rejected"}[winner]
    decisions = ApplicationEvent.objects.filter(application=application).exclude(
        kind=ApplicationEvent.Kind.SUBMITTED
    )
    assert decisions.count() == 1
    assert AuditEntry.objects.filter(action__startswith="application.").count() == 1
    assert OutboxEmail.objects.count() == 1
