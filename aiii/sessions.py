"""Sessions in the database (SESSION_ENGINE = "aiii.sessions"), calm when the database is not.

Django's store loads a session from inside an `except AttributeError` (its copy of the data is
missing), so a database error there is logged chained to "'SessionStore' object has no attribute
'_session_cache'", and the session middleware, loading it again to save it, fails a second time:
two misleading tracebacks per request for the length of an outage.

This store logs the outage once when it starts (then at most once a minute while it lasts, and
once when it ends) and treats the visitor as signed out for that request: public pages still
answer; the others answer the error page with 503 (aiii/middleware.py's AccessMiddleware), not
the sign-in page, which would tell a member they were signed out. Nothing is written over the
stored session in the meantime, so a member is still signed in once the database is back.

It also skips the write of a session that did not change: SESSION_SAVE_EVERY_REQUEST pushes the
inactivity expiry forward on every request, which costs an UPDATE and a commit (a flush to disk,
about 4 ms here) on every page a signed-in person opens, more than the whole of a /robots.txt
request. The write is skipped when the data is what was loaded (compared by value, so a change
inside a nested value counts even when nobody set `modified`) and the expiry already stored is
less than AIII_SESSION_REFRESH_SECONDS older than the one it would write: the inactivity timeout
stays exact to within that margin. A new session, and any changed one, is always saved.

The read is one fixed SQL statement (aiii/rawsql.py), not an ORM query, and it reads the signed-in
account with the session: the session table is aiii.models.Session, Django's with a column for
the account, joined to the user, their profile, roles and second factor (aiii/auth_backends.py).
A signed-in request thus asks the database once to know who is asking, and the answer is always
the database's own (a suspended account, a removed role count at once). Building and compiling
`Session.objects.get(...)` and the user's queries cost about 2 ms of Python a request before.
Same table rules as Django's: a missing or expired key is no session.

Nothing is written when a request did not save the session, and then the session cookie is not
sent again either (SessionMiddleware below): the cookie's expiry moves with the stored one, to
within the same AIII_SESSION_REFRESH_SECONDS.
"""

import functools
import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, router
from django.utils import timezone

from .rawsql import ModelColumns, fetch_one

logger = logging.getLogger(__name__)


class _Outage:
    """The current outage of the session table, shared by the threads of this process."""

    REMIND_EVERY = 60  # seconds between log lines while an outage lasts

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.since = None  # time.monotonic() of the first failure
        self.last_logged = 0.0
        self.failures = 0

    def failed(self, exc):
        now = time.monotonic()
        with self.lock:
            self.failures += 1
            first = self.since is None
            if first:
                self.since = now
            elif now - self.last_logged < self.REMIND_EVERY:
                return
            self.last_logged = now
            failures, lasted = self.failures, now - self.since
        error = f"{type(exc).__name__}: {str(exc).strip()}"
        if first:
            logger.error(
                "Sessions unavailable: the database did not answer (%s); visitors are treated "
                "as signed out until it does. Logged again at most once a minute.",
                error,
            )
        else:
            logger.error(
                "Sessions still unavailable after %.0f s (%s failed loads so far): %s",
                lasted,
                failures,
                error,
            )

    def answered(self):
        if self.since is None:  # the usual case: no lock, no work
            return
        with self.lock:
            if self.since is None:
                return
            lasted, failures = time.monotonic() - self.since, self.failures
            self.reset()
        logger.warning("Sessions available again after %.0f s (%s failed loads).", lasted, failures)


session_outage = _Outage()


class _SessionStatement:
    """SELECT the session row and its signed-in account (LEFT JOINs) by key, unexpired."""

    def __init__(self, model, alias):
        from .auth_backends import user_columns

        connection = connections[alias]
        quote = connection.ops.quote_name
        meta = model._meta
        self.session = ModelColumns(model, "s", connection)
        self.user = user_columns(alias)
        self.adapt_now = connection.ops.adapt_datetimefield_value
        column = {
            name: f"s.{quote(meta.get_field(name).column)}"
            for name in ("session_key", "expire_date", "user")
        }
        self.sql = (
            f"SELECT {self.session.select}, {self.user.select} "
            f"FROM {quote(meta.db_table)} s "
            f"LEFT OUTER JOIN {self.user.user_table} u ON {self.user.user_pk} = {column['user']} "
            f"{self.user.joins} "
            f"WHERE {column['session_key']} = %s AND {column['expire_date']} > %s"
        )

    def run(self, alias, session_key):
        """(the row as a model instance, (its account id, the user or None)), or None."""
        row = fetch_one(alias, self.sql, [session_key, self.adapt_now(timezone.now())])
        if row is None:
            return None
        width = len(self.session.fields)
        stored = self.session.instance(alias, row[:width])
        return stored, (stored.user_id, self.user.read(alias, row[width:]))


@functools.cache
def _statement(model, alias):
    return _SessionStatement(model, alias)


def _account_id(value):
    """The account a session's data says is signed in, as the column stores it (or None)."""
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


class SessionStore(DatabaseSessionStore):
    # Set when this request's session could not be read: it is then never saved, so that the
    # empty stand-in does not replace what is stored.
    unavailable = False
    # The row as this request loaded it (its expiry), and its data as it would be stored.
    _stored = None
    _loaded = None
    # (account id, user or None) read with the row, until the sign-in backend takes it.
    signed_in = None
    # Whether the last save() wrote nothing (then the cookie is not sent again).
    save_skipped = False

    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        obj.user_id = _account_id(data.get(SESSION_KEY))
        return obj

    def _get_session_from_db(self):
        alias = router.db_for_read(self.model)
        found = _statement(self.model, alias).run(alias, self.session_key)
        if found is None:
            self._session_key = None  # as Django's: a missing or expired key is no session
            self._stored, self.signed_in = None, None
        else:
            self._stored, self.signed_in = found
        return self._stored

    def _unchanged_and_fresh(self):
        stored = self._stored
        if stored is None or self._loaded is None or stored.session_key != self.session_key:
            return False
        margin = timedelta(seconds=settings.AIII_SESSION_REFRESH_SECONDS)
        if self.get_expiry_date() - stored.expire_date >= margin:
            return False
        return self.serializer().dumps(self._get_session()) == self._loaded

    def load(self):
        try:
            stored = self._get_session_from_db()
        except DatabaseError as exc:
            self.unavailable = True
            session_outage.failed(exc)
            return {}
        session_outage.answered()
        if stored is None:
            return {}
        data = self.decode(stored.session_data)
        # Compared with what is there at save time: a change anywhere, even inside a nested
        # value that nobody marked as modified, makes a difference here.
        self._loaded = self.serializer().dumps(data)
        return data

    def save(self, must_create=False):
        self.save_skipped = False
        # A row that could not be read is not overwritten with the empty stand-in; a new one
        # (a sign-in's new key) has nothing to overwrite, and is saved or fails loudly.
        if not must_create and (self.unavailable or self._unchanged_and_fresh()):
            self.save_skipped = True
            return
        super().save(must_create=must_create)
        self._stored = self._loaded = None


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, without sending the session cookie again when nothing was saved.

    SESSION_SAVE_EVERY_REQUEST sets the cookie on every response so that its expiry follows
    activity; the store writes the row only every AIII_SESSION_REFRESH_SECONDS when nothing
    changed, and the cookie now follows the row: same expiry, one header fewer per request.
    """

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if getattr(getattr(request, "session", None), "save_skipped", False):
            response.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        return response
