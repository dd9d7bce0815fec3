"""Two secretariat users decide the same application at the same moment, on two connections."""

import threading

import pytest
from django.db import connections

from aiii.models import AuditEntry, OutboxEmail
from members.models import ApplicationEvent, MembershipApplication
from members.services.applications import (
    application_approve,
    application_reject,
)
from tests.concurrency import decisions_at_once
from tests.members.factories import ApplicationFactory, SecretariatProfileFactory


@pytest.mark.django_db(transaction=True)
def test_two_decisions_on_the_same_version_apply_exactly_once(require_postgresql):
    application = ApplicationFactory()
    first = SecretariatProfileFactory().user
    second = SecretariatProfileFactory().user
    pk = application.pk
    outcomes = decisions_at_once(
        approve=lambda: application_approve(
            application=MembershipApplication.objects.get(pk=pk), by=first, version=1
        ),
        reject=lambda: application_reject(
            application=MembershipApplication.objects.get(pk=pk),
            by=second,
            version=1,
            reason="Out of scope.",
        ),
    )

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


@pytest.mark.django_db(transaction=True)
def test_two_applications_with_one_address_at_once_make_one_account(require_postgresql):
    from django.contrib.auth import get_user_model

    from members.services.applications import application_submit

    barrier = threading.Barrier(2, timeout=10)
    results = []

    def apply(name):
        try:
            if True:
                barrier.wait()
                results.append(
                    application_submit(
                        full_name=name,
                        email="Same.Person@example.org"
                        if name == "A"
                        else "same.person@example.org",
                        password="a-long-and-unusual-passphrase-42",
                        organisation="Org",
                        stakeholder_group="academia",
                        country="CH",
                        expertise=[],
                        statement="Statement.",
                        declaration_of_interests="None.",
                    )
                )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(name,)) for name in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(results) == 2
    assert sum(result is not None for result in results) == 1
    assert get_user_model().objects.filter(email__iexact="same.person@example.org").count() == 1
    assert MembershipApplication.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_account_for_one_address_in_another_case():
    from django.contrib.auth import get_user_model
    from django.db import IntegrityError, transaction

    User = get_user_model()
    User.objects.create(username="first", email="one@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="second", email="ONE@example.org")
    # Accounts without an address (none are made by the portal, but Django allows them) coexist.
    User.objects.create(username="third", email="")
    User.objects.create(username="fourth", email="")
