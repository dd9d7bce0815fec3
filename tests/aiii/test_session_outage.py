"""Sessions while their table cannot be read (the database down, or failing over).

Django loads a session inside an `except AttributeError` (its cache of the data is missing), so a
database error there used to be logged as "During handling of 'SessionStore' object has no
attribute '_session_cache' ...", twice per request (the session middleware loads it again to
save it). The portal's session store logs the outage once, clearly, treats the visitor as signed
out for that request and leaves the stored session as it was.

The database error here is real: the session table is renamed away for a moment, so every
query of it fails as with the database gone.
"""

import logging

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection

from aiii import sessions
from aiii.models import Session

# Outside a transaction, so that a failed query does not abort the test's own (PostgreSQL).
pytestmark = pytest.mark.django_db(transaction=True)

SIGNED_IN_PAGE = "/accounts/email/"


@pytest.fixture
def sessions_unreadable():
    """Call it to make the session table unreadable; it is back after the test in any case."""
    state = {"away": False}

    def rename(away):
        old, new = (Session._meta.db_table, Session._meta.db_table + "_away")[:: 1 if away else -1]
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {old} RENAME TO {new}")
        state["away"] = away

    sessions.session_outage.reset()
    yield rename
    if state["away"]:
        rename(False)
    sessions.session_outage.reset()


def _log_text(records):
    formatter = logging.Formatter()
    return "\n".join(
        record.getMessage()
        + (formatter.formatException(record.exc_info) if record.exc_info else "")
        for record in records
    )


def test_an_unreadable_session_logs_once_and_the_visitor_is_signed_out_for_now(
    client, member, caplog, sessions_unreadable
):
    client.force_login(member)
    sessions_unreadable(True)
    with caplog.at_level(logging.INFO):
        about = [client.get("/about/") for _ in range(3)]
        members_only = client.get(SIGNED_IN_PAGE)

    for response in about:
        assert response.status_code == 200
        assert "Sign out" not in response.content.decode()
    # Not the sign-in page (a member is not signed out): the error page, try again later.
    assert members_only.status_code == 503
    assert members_only["Retry-After"] == "60"
    assert "Please try again in a few minutes." in members_only.content.decode()

    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.levelname) for r in problems] == [
        ("aiii.sessions", "ERROR"),
        ("django.request", "ERROR"),
    ]
    # Django's own line for the 503: a line, not a traceback.
    assert problems[1].getMessage() == f"Service Unavailable: {SIGNED_IN_PAGE}"
    assert not problems[1].exc_info
    assert (
        problems[0].getMessage().startswith("Sessions unavailable: the database did not answer (")
    )
    assert "visitors are treated as signed out" in problems[0].getMessage()
    assert "_session_cache" not in _log_text(caplog.records)

    # Nothing was written over the stored session: back, the member is still signed in.
    sessions_unreadable(False)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        response = client.get(SIGNED_IN_PAGE)
    assert response.status_code == 200
    assert client.session[SESSION_KEY] == str(member.pk)
    (recovered,) = [r for r in caplog.records if r.name == "aiii.sessions"]
    assert recovered.levelname == "WARNING"
    assert recovered.getMessage().startswith("Sessions available again after ")
    assert recovered.getMessage().endswith(" s (4 failed loads).")  # one per request


def test_a_sign_in_after_an_unreadable_session_stores_its_new_key(sessions_unreadable, member):
    old = sessions.SessionStore()
    old["kept"] = "value"
    old.create()
    store = sessions.SessionStore(old.session_key)
    sessions_unreadable(True)
    assert store.load() == {} and store.unavailable  # read during the outage
    sessions_unreadable(False)  # the database answers again, within the same request
    store[SESSION_KEY] = str(member.pk)
    store.cycle_key()  # what login() does
    assert store.session_key != old.session_key
    assert Session.objects.filter(session_key=store.session_key).exists()
    store.save()  # the middleware's save at the end; the old key is ended, as a sign-in ends it
    assert not Session.objects.filter(session_key=old.session_key).exists()
