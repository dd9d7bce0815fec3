"""Django's PostgreSQL backend with two changes for the statements every request sends.

1. The health check costs no round trip. With CONN_HEALTH_CHECKS Django sends "SELECT 1" before
   the first query of every request, so that a connection the server has closed since (a restart,
   a fail-over, an idle timeout) is replaced instead of failing the request. A server that ends a
   connection says so (an error message, then the socket closes), so the socket then has something
   to read; an idle healthy connection has nothing. The check looks at the socket without waiting
   and sends "SELECT 1" only when something is there. A connection that is cut without a word (a
   network partition) fails its first query as it would without health checks: Django then marks
   it unusable and the next request reconnects.

2. `fetch_one_planned`: a fixed statement that PostgreSQL plans once per connection (a prepared
   statement) instead of on every request. Planning the signed-in user's statement (with its
   profile, roles and second-factor flag) took longer than running it. Django's own queries are
   not prepared (its default, kept: client-side binding, friendly to connection poolers); only the
   statements passed here are, through Django's cursor wrapper (errors, query logging, execute
   wrappers as usual). Behind a pooler in transaction mode that cannot keep prepared statements
   (PgBouncer before 1.21), set AIII_DB_PREPARED_STATEMENTS=0.

   A prepared statement outlives a migration on the same connection: once a column it reads
   changes type (a deployment's ALTER TABLE), PostgreSQL refuses it ("cached plan must not change
   result type") on every later run. After such a refusal the connection is replaced and the
   statement runs once more, prepared afresh.
"""

import select

import psycopg
from django.conf import settings
from django.db import DatabaseError
from django.db.backends.postgresql import base
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.utils.asyncio import async_unsafe


class _PlannedDebugCursor(CursorDebugWrapper):
    """Django's query log entry for a prepared statement: its SQL with the values in place (the
    statement sent has placeholders, which Django's own log would show as nothing)."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return CursorWrapper.execute(self, sql, params)


# A prepared statement that no longer fits the tables it reads, or that the server forgot.
_STALE_PLAN = (psycopg.errors.FeatureNotSupported, psycopg.errors.InvalidSqlStatementName)


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (
            self.pool
            or self.connection is None
            or not self.health_check_enabled
            or self.health_check_done
        ):
            return
        if not self._looks_usable():
            self.close()
        self.health_check_done = True

    def _looks_usable(self):
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            return self.is_usable()
        try:
            readable, _write, _error = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        # Something to read on an idle connection: most likely the server's goodbye.
        return self.is_usable() if readable else True

    @async_unsafe
    def fetch_one_planned(self, sql, params):
        """The first row of `sql` run as a prepared statement (see the module's docstring)."""
        if not settings.AIII_DB_PREPARED_STATEMENTS:
            with self.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()
        try:
            return self._fetch_one_prepared(sql, params)
        except DatabaseError as exc:
            # Outside a transaction the refusal changed nothing: a new connection, on which
            # the statement is prepared afresh (once per process after a migration).
            if not isinstance(exc.__cause__, _STALE_PLAN) or self.in_atomic_block:
                raise
            self.close()
            return self._fetch_one_prepared(sql, params)

    def _fetch_one_prepared(self, sql, params):
        # As Django's cursor() (health check, connection, thread check, error wrapping), with
        # a server-side binding cursor: one that can be prepared.
        self.close_if_health_check_failed()
        self.ensure_connection()
        self.validate_thread_sharing()
        connection = self.connection
        with self.wrap_database_errors:
            raw = psycopg.Cursor(connection)
        cursor = _PlannedDebugCursor(raw, self) if self.queries_logged else self.make_cursor(raw)
        # psycopg prepares a statement on its first execution with a threshold of 0; the
        # threshold is None (nothing prepared) for every other cursor, as Django sets it.
        threshold, connection.prepare_threshold = connection.prepare_threshold, 0
        try:
            cursor.execute(sql, params)
            return cursor.fetchone()
        finally:
            connection.prepare_threshold = threshold
            raw.close()
