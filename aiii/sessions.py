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
"""

import logging
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import DatabaseError

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


class SessionStore(DatabaseSessionStore):
    # Set when this request's session could not be read: it is then never saved, so that the
    # empty stand-in does not replace what is stored.
    unavailable = False
    # The row as this request loaded it: its encoded data and its expiry.
    _stored = None

    def _get_session_from_db(self):
        self._stored = super()._get_session_from_db()
        return self._stored

    def _unchanged_and_fresh(self):
        stored = self._stored
        if stored is None or stored.session_key != self.session_key:
            return False
        margin = timedelta(seconds=settings.AIII_SESSION_REFRESH_SECONDS)
        if self.get_expiry_date() - stored.expire_date >= margin:
            return False
        return self._get_session() == self.decode(stored.session_data)

    def load(self):
        try:
            data = super().load()
        except DatabaseError as exc:
            self.unavailable = True
            session_outage.failed(exc)
            return {}
        session_outage.answered()
        return data

    def save(self, must_create=False):
        if self.unavailable:
            return
        if not must_create and self._unchanged_and_fresh():
            return
        super().save(must_create=must_create)
        self._stored = None
