"""Database sessions without a write for a request that changes nothing.

SESSION_SAVE_EVERY_REQUEST pushes the inactivity expiry forward on every request, which costs an
UPDATE and a commit (a flush to disk, about 4 ms here) on every page a signed-in person opens:
more than the whole of a /robots.txt request. This store skips that write while the expiry
already stored is less than AIII_SESSION_REFRESH_SECONDS older than the one it would write, so
the inactivity timeout stays exact to within that margin. A session whose data changed is
always saved, and so is a new one.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    _stored_expiry = None

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self._stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def _expiry_is_fresh(self):
        if self._stored_expiry is None:
            return False
        margin = timedelta(seconds=settings.AIII_SESSION_REFRESH_SECONDS)
        return self.get_expiry_date() - self._stored_expiry < margin

    def save(self, must_create=False):
        if not must_create and not self.modified and self.session_key and self._expiry_is_fresh():
            return
        super().save(must_create=must_create)
        self._stored_expiry = self.get_expiry_date()
