"""The audit log: who did what to which object, when and why; append-only; the secretariat's page."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aiii.audit import audit_record
from aiii.models import AuditEntry, AuditEntryImmutable
from tests.members.factories import MemberProfileFactory, SecretariatProfileFactory, UserFactory

AUDIT_URL = "/secretariat/audit/"


def _backdate(entry, when):
    # Test set-up only: the model's own manager refuses updates; the base manager is the
    # plain one Django uses for deletion cascades. On PostgreSQL the append-only trigger
    # refuses it too, so it is switched off for this one statement (superuser set-up).
    from django.db import connection

    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:
            cursor.execute("SET LOCAL session_replication_role = replica")
        AuditEntry._base_manager.filter(pk=entry.pk).update(created_at=when)
        if postgresql:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


# --- writing -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_record_writes_who_what_which_when_and_why():
    actor = UserFactory(email="officer@example.org")
    target = UserFactory(username="expert-7", email="expert7@example.org")
    before = timezone.now()
    entry = audit_record(
        actor=actor,
        action="member.suspend",
        target=target,
        reason="Breach of the confidentiality rule",
        data={"previous_status": "active"},
    )
    stored = AuditEntry.objects.get()
    assert stored.pk == entry.pk
    assert stored.actor == actor
    assert stored.actor_label == "officer@example.org"
    assert stored.action == "member.suspend"
    assert (stored.target_type, stored.target_id) == ("auth.user", str(target.pk))
    assert stored.target_label == "expert-7"
    assert stored.reason == "Breach of the confidentiality rule"
    assert stored.data == {"previous_status": "active"}
    assert before <= stored.created_at <= timezone.now()


@pytest.mark.django_db
def test_the_portal_itself_acts_as_system_and_targets_are_optional():
    entry = audit_record(actor=None, action="outbox.sweep")
    assert (entry.actor, entry.actor_label) == (None, "system")
    assert (entry.target_type, entry.target_id, entry.target_label) == ("", "", "")
    assert (entry.reason, entry.data) == ("", {})


@pytest.mark.django_db
def test_a_long_target_label_is_cut_to_fit():
    target = get_user_model()(pk=999, username="x" * 400)
    entry = audit_record(actor=None, action="a", target=target)
    assert AuditEntry.objects.get(pk=entry.pk).target_label == "x" * 300
    assert entry.target_id == "999"


# --- never edited, never deleted -----------------------------------------------------------------


@pytest.fixture
def entry(db):
    return audit_record(
        actor=UserFactory(email="a@example.org"), action="application.approve", reason="ok"
    )


def test_an_entry_cannot_be_edited(entry):
    entry.reason = "changed later"
    with pytest.raises(AuditEntryImmutable):
        entry.save()
    loaded = AuditEntry.objects.get(pk=entry.pk)
    loaded.action = "application.reject"
    with pytest.raises(AuditEntryImmutable):
        loaded.save()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "ok"


def test_an_entry_cannot_be_overwritten_through_a_new_instance_with_its_pk(entry):
    with pytest.raises(AuditEntryImmutable):
        AuditEntry(pk=entry.pk, action="forged").save()
    assert AuditEntry.objects.get(pk=entry.pk).action == "application.approve"


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AuditEntryImmutable):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_changed_or_removed_in_bulk(entry):
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.filter(action__startswith="application").delete()
    entry.reason = "rewritten"
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.bulk_update([entry], ["reason"])
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.bulk_create(
            [AuditEntry(pk=entry.pk, action="forged")],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["action"],
        )
    with pytest.raises(AuditEntryImmutable):
        AuditEntry.objects.update(reason="rewritten")
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.reason) == ("application.approve", "ok")


def test_deleting_the_actor_keeps_the_entry_and_who_it_was(entry):
    entry.actor.delete()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor is None
    assert stored.actor_label == "a@example.org"


@pytest.mark.django_db
def test_entries_can_still_be_added_in_bulk():
    AuditEntry.objects.bulk_create(
        [AuditEntry(action="import.one"), AuditEntry(action="import.two")]
    )
    assert sorted(AuditEntry.objects.values_list("action", flat=True)) == [
        "import.one",
        "import.two",
    ]


# --- the page ------------------------------------------------------------------------------------


def test_the_page_address():
    assert reverse("secretariat:audit_log") == AUDIT_URL


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, entry):
    response = client.get(AUDIT_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={AUDIT_URL}"


def test_members_are_refused(member_client, entry):
    response = member_client.get(AUDIT_URL)
    assert response.status_code == 403
    assert "application.approve" not in response.content.decode()


@pytest.mark.django_db
def test_secretariat_without_a_second_factor_is_sent_to_set_one_up(client, entry, settings):
    settings.AIII_SECRETARIAT_MFA = "required"
    client.force_login(SecretariatProfileFactory().user)
    response = client.get(AUDIT_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("secretariat:mfa_enrolment")


def _rows(response):
    return [(e.actor_label, e.action, e.target_label, e.reason) for e in response.context["page"]]


@pytest.fixture
def history(db):
    """Three entries on three days (UTC), oldest first."""
    officer = UserFactory(email="officer@example.org")
    head = UserFactory(email="head@example.org")
    alice = UserFactory(username="alice-expert")
    bob = UserFactory(username="bob-expert")
    entries = [
        audit_record(actor=officer, action="application.approve", target=alice, reason="fits"),
        audit_record(actor=head, action="member.suspend", target=alice, reason="breach"),
        audit_record(actor=officer, action="application.reject", target=bob, reason="out of scope"),
    ]
    for day, item in zip((1, 2, 3), entries, strict=True):
        _backdate(item, datetime(2026, 3, day, 12, 0, tzinfo=UTC))
    return {"alice": alice, "bob": bob, "entries": entries}


def test_the_page_lists_entries_newest_first(secretariat_client, history):
    response = secretariat_client.get(AUDIT_URL)
    assert response.status_code == 200
    assert _rows(response) == [
        ("officer@example.org", "application.reject", "bob-expert", "out of scope"),
        ("head@example.org", "member.suspend", "alice-expert", "breach"),
        ("officer@example.org", "application.approve", "alice-expert", "fits"),
    ]
    page = response.content.decode()
    assert "<h1>Audit log</h1>" in page
    assert '<time datetime="2026-03-03T12:00:00+00:00">2026-03-03 12:00 UTC</time>' in page
    assert "<td>out of scope</td>" in page
    assert '<label for="id_action">Action starts with</label>' in page


@pytest.mark.parametrize(
    ("query", "actions"),
    [
        ({"action": "application."}, ["application.reject", "application.approve"]),
        ({"action": "member.suspend"}, ["member.suspend"]),
        ({"actor": "HEAD@"}, ["member.suspend"]),
        ({"target": "alice"}, ["member.suspend", "application.approve"]),
        ({"since": "2026-03-02"}, ["application.reject", "member.suspend"]),
        ({"until": "2026-03-02"}, ["member.suspend", "application.approve"]),
        ({"since": "2026-03-02", "until": "2026-03-02"}, ["member.suspend"]),
        ({"action": "application.", "actor": "officer", "target": "bob"}, ["application.reject"]),
        ({"action": "meeting."}, []),
    ],
)
def test_filters(secretariat_client, history, query, actions):
    response = secretariat_client.get(AUDIT_URL, query)
    assert [row[1] for row in _rows(response)] == actions
    if not actions:
        assert "No entries match." in response.content.decode()


def test_the_object_filter_also_takes_the_object_number(secretariat_client, history):
    response = secretariat_client.get(AUDIT_URL, {"target": str(history["bob"].pk)})
    assert [row[1] for row in _rows(response)] == ["application.reject"]


def test_a_reversed_date_range_is_an_error(secretariat_client, history):
    response = secretariat_client.get(AUDIT_URL, {"since": "2026-03-03", "until": "2026-03-01"})
    page = response.content.decode()
    assert "The end of the range is before its start." in page
    assert 'class="error-summary"' in page


def test_the_page_is_paginated(secretariat_client, settings):
    settings.AIII_PAGE_SIZE = 25
    for number in range(30):
        audit_record(actor=None, action=f"bulk.{number:02d}")
    first = secretariat_client.get(AUDIT_URL, {"action": "bulk."})
    assert len(first.context["page"]) == 25
    assert "Page 1 of 2 (30 in all)" in first.content.decode()
    assert 'href="?action=bulk.&amp;page=2" rel="next"' in first.content.decode()
    second = secretariat_client.get(AUDIT_URL, {"action": "bulk.", "page": 2})
    assert [row[1] for row in _rows(second)] == [f"bulk.{n:02d}" for n in range(4, -1, -1)]


def test_the_page_costs_the_same_queries_for_one_entry_or_thirty(secretariat_client):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            response = secretariat_client.get(AUDIT_URL)
        assert response.status_code == 200
        return len(queries), len(response.context["page"])

    secretariat_client.get(AUDIT_URL)  # the session's first request stamps its start
    audit_record(actor=MemberProfileFactory().user, action="one", target=UserFactory())
    one, shown = count_queries()
    assert shown == 1
    for number in range(29):
        audit_record(actor=MemberProfileFactory().user, action=f"n{number}", target=UserFactory())
    many, shown = count_queries()
    assert shown == 25
    assert one == many


@pytest.mark.django_db
def test_the_database_refuses_to_change_or_delete_an_entry(require_postgresql):
    from django.db import DatabaseError, connection, transaction

    from aiii.audit import audit_record

    actor = UserFactory(email="clerk@example.org")
    entry = audit_record(actor=actor, action="application.approve", reason="fits")
    table = entry._meta.db_table
    for statement in (
        f"UPDATE {table} SET reason = 'rewritten' WHERE id = %s",
        f"UPDATE {table} SET actor_id = NULL, reason = 'rewritten' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [entry.pk])
    # Deleting the account still works: the entry loses the link, keeps the name.
    actor.delete()
    entry = type(entry).objects.get(pk=entry.pk)
    assert (entry.actor_id, entry.actor_label, entry.reason) == (None, "clerk@example.org", "fits")


@pytest.mark.django_db
def test_the_database_refuses_to_truncate_the_log(require_postgresql):
    from django.db import DatabaseError, connection, transaction

    entry = audit_record(actor=None, action="application.approve")
    table = entry._meta.db_table
    with pytest.raises(DatabaseError, match=r"append-only \(TRUNCATE refused\)"):
        with transaction.atomic(), connection.cursor() as cursor:
            # The test run's own permission to empty the database (settings_test.py) is off
            # here, as it is on every production connection.
            cursor.execute("SET LOCAL aiii.audit_truncate = ''")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE needs no pending checks
            cursor.execute(f"TRUNCATE {table}")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_the_test_runs_permission_to_truncate_needs_a_test_database(require_postgresql):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_setting('aiii.audit_truncate', true)")
        name, setting = cursor.fetchone()
    assert name.startswith("test_")
    assert setting == "allow"


@pytest.mark.django_db
def test_the_database_refuses_to_unlink_the_actor_of_an_existing_account(require_postgresql):
    from django.db import DatabaseError, connection, transaction

    actor = UserFactory(email="clerk@example.org")
    entry = audit_record(actor=actor, action="member.suspend", reason="conduct")
    table = entry._meta.db_table
    with pytest.raises(DatabaseError, match="actor may only be unlinked"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET actor_id = NULL WHERE id = %s", [entry.pk])
            # The check is deferred to the commit (see the migration); the test's transaction
            # never commits, so it asks for the deferred checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_id == actor.pk


@pytest.mark.django_db
def test_deleting_an_account_still_unlinks_its_entries(require_postgresql):
    from django.db import connection, transaction

    actor = UserFactory(email="leaver@example.org")
    kept = UserFactory(email="stayer@example.org")
    gone = audit_record(actor=actor, action="member.suspend", reason="conduct")
    other = audit_record(actor=kept, action="member.reinstate")
    with transaction.atomic():
        actor.delete()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as at the commit

    gone = AuditEntry.objects.get(pk=gone.pk)
    assert (gone.actor_id, gone.actor_label, gone.reason) == (
        None,
        "leaver@example.org",
        "conduct",
    )
    assert AuditEntry.objects.get(pk=other.pk).actor_id == kept.pk
    assert not get_user_model().objects.filter(email="leaver@example.org").exists()


@pytest.mark.parametrize(
    "query",
    [{"until": "9999-12-31"}, {"since": "0001-01-01"}, {"since": "3000-01-01"}],
)
def test_a_date_out_of_range_is_an_error_not_a_crash(secretariat_client, history, query):
    response = secretariat_client.get(AUDIT_URL, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Enter a date between Jan. 1, 1900 and Dec. 31, 2999." in page
    # The filter is not applied: the page lists every entry.
    assert len(_rows(response)) == 3


def test_the_date_filters_tell_the_browser_their_range(secretariat_client):
    page = secretariat_client.get(AUDIT_URL).content.decode()
    assert 'min="1900-01-01"' in page and 'max="2999-12-31"' in page


# --- readable action names ---------------------------------------------------------------------


def test_every_action_the_portal_records_has_a_readable_name():
    import re
    from pathlib import Path

    from aiii.audit import audit_labels

    root = Path(__file__).resolve().parents[2]
    recorded = set()
    for app in ("aiii", "members", "meetings", "topics", "annual_forum"):
        for path in (root / app).rglob("*.py"):
            text = path.read_text()
            if "audit_record" in text:
                recorded |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
    assert "application.request_info" in recorded
    assert recorded <= audit_labels.codes(), recorded - audit_labels.codes()


def test_an_unknown_action_shows_its_code():
    from aiii.audit import AuditLabels

    labels = AuditLabels()
    labels.register({"thing.do": "Thing done"})
    assert labels.label("thing.do") == "Thing done"
    assert labels.label("thing.other") == "thing.other"
    labels.register({"thing.do": "Thing done"})  # the same twice is fine
    with pytest.raises(ValueError, match="already has another label"):
        labels.register({"thing.do": "Something else"})


def test_the_audit_log_shows_readable_action_names(secretariat_client, history):
    audit_record(actor=None, action="application.request_info", reason="Which lab?")
    audit_record(actor=None, action="made.up")
    page = secretariat_client.get(AUDIT_URL).content.decode()
    assert (
        '<td>More information requested <code class="audit-code">application.request_info</code>'
        "</td>"
    ) in page
    assert '<td>Application rejected <code class="audit-code">application.reject</code></td>' in (
        page
    )
    assert "<td><code>made.up</code></td>" in page


def test_the_action_names_are_translated(history):
    from django.utils import translation

    from aiii.models import AuditEntry

    entry = AuditEntry.objects.get(action="application.approve")
    with translation.override("en"):
        assert str(entry.action_label) == "Application approved"
    assert type(entry.action_label).__name__ == "__proxy__"  # lazy: translated when shown


def test_the_dashboard_and_member_history_show_readable_action_names(secretariat_client):
    profile = MemberProfileFactory()
    audit_record(actor=None, action="membership.suspend", target=profile, reason="conduct")
    shown = '<td>Membership suspended <code class="audit-code">membership.suspend</code></td>'
    for url in (reverse("secretariat:dashboard"), reverse("secretariat:member", args=[profile.pk])):
        assert shown in secretariat_client.get(url).content.decode(), url


def test_the_log_is_served_from_the_cache_and_a_new_entry_shows_at_once(secretariat_client):
    audit_record(actor=None, action="first.entry")
    secretariat_client.get(AUDIT_URL)  # the session's first request stamps its start
    secretariat_client.get(AUDIT_URL)
    with CaptureQueriesContext(connection) as queries:
        kept = secretariat_client.get(AUDIT_URL)
    assert len(queries) == 1  # the session and its user: the page came from the cache
    assert kept.context is None and "first.entry" in kept.content.decode()
    audit_record(actor=None, action="second.entry")
    page = secretariat_client.get(AUDIT_URL).content.decode()
    assert -1 < page.find("second.entry") < page.find("first.entry")
