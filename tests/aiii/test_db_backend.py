"""aiii/backends/postgresql: a health check without a round trip, and the session statement
prepared once per connection. PostgreSQL only (the embedded default is SQLite's own backend)."""

import select
import time

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)

PREPARED_SESSION_READS = (
    "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%%aiii_session%%'"
)


def _prepared_session_reads():
    with connection.cursor() as cursor:
        cursor.execute(PREPARED_SESSION_READS)
        return cursor.fetchone()[0]


def test_a_connection_the_server_ended_is_replaced_before_a_request_uses_it(
    require_postgresql, member_client, member
):
    member_client.get("/about/")  # the connection is open, the statement prepared
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or None,
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    socket = connection.connection.fileno()
    deadline = time.monotonic() + 5
    while not select.select([socket], [], [], 0.1)[0] and time.monotonic() < deadline:
        pass  # the server's goodbye arrives
    connection.close_if_unusable_or_obsolete()  # what a new request does first

    response = member_client.get("/about/")
    assert response.status_code == 200
    assert f"Signed in as {member.email}" in response.content.decode()  # the session was read
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


def test_the_session_statement_is_planned_once_per_connection(
    require_postgresql, member_client, settings
):
    member_client.get(reverse("members:directory"))
    for _ in range(3):
        assert member_client.get("/about/").status_code == 200
    assert _prepared_session_reads() == 1

    connection.close()  # a new connection prepares it again, once
    settings.AIII_DB_PREPARED_STATEMENTS = False
    assert member_client.get("/about/").status_code == 200
    assert _prepared_session_reads() == 0
    settings.AIII_DB_PREPARED_STATEMENTS = True
    for _ in range(2):
        assert member_client.get("/about/").status_code == 200
    assert _prepared_session_reads() == 1


def test_a_migration_that_changes_a_column_the_statement_reads_locks_nobody_out(
    require_postgresql, member_client, member
):
    member_client.get("/about/")
    assert _prepared_session_reads() == 1  # prepared on this connection
    # A deployment's migration, from another connection, widens a column the statement reads:
    # PostgreSQL now refuses the prepared plan ("cached plan must not change result type").
    with _admin() as admin:
        admin.execute("ALTER TABLE members_profile ALTER COLUMN organisation TYPE varchar(301)")
    try:
        response = member_client.get("/members/me/")
        assert response.status_code == 200  # signed in still: prepared afresh, not an outage
        assert _prepared_session_reads() == 1
    finally:
        with _admin() as admin:
            admin.execute("ALTER TABLE members_profile ALTER COLUMN organisation TYPE varchar(300)")


def test_a_statement_the_server_forgot_is_prepared_again(require_postgresql, member_client):
    member_client.get("/about/")
    connection.connection.pgconn.exec_(b"DEALLOCATE ALL")  # behind psycopg's back
    assert member_client.get("/members/me/").status_code == 200


def _admin():
    settings_dict = connection.settings_dict
    return psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or None,
        autocommit=True,
    )


def test_the_connection_gives_up_in_seconds_on_a_database_that_cannot_be_reached(
    require_postgresql,
):
    connection.ensure_connection()
    dsn = dict(part.split("=", 1) for part in connection.connection.info.dsn.split())
    assert int(dsn["connect_timeout"]) <= 5
    assert dsn["keepalives"] == "1" and int(dsn["tcp_user_timeout"]) <= 10_000
