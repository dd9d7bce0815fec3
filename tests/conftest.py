import os

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.members.factories import (
    DEMO_PASSWORD,
    MemberProfileFactory,
    SecretariatProfileFactory,
)


def pytest_configure(config):
    """Compile the portal's message catalogues when a .po is newer than its .mo (as `make`
    does), so running pytest directly sees the same texts."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    stale = [
        po
        for po in (root / "locale").glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "compilemessages",
                "--verbosity",
                "0",
                "--ignore",
                ".venv",
                "--ignore",
                ".venv-lock",
                "--ignore",
                "var",
            ],
            cwd=root,
            env={**os.environ, "DEBUG": "1"},
            check=True,
        )
        # Django may have read the catalogues already (pytest-django sets it up early).
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


# Playwright runs its own event loop in the test thread; the ORM calls beside it are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and allauth's throttles live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def require_postgresql():
    """Tests of real concurrency need PostgreSQL; CI (AIII_REQUIRE_SERVICES) never skips them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    message = (
        "Needs PostgreSQL through DATABASE_URL: SQLite has no row locks and serialises writers, "
        "and a worker process cannot share its test database."
    )
    if os.environ.get("AIII_REQUIRE_SERVICES"):
        pytest.fail(message + " AIII_REQUIRE_SERVICES is set, so this is a failure.")
    pytest.skip(message)


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def member(db):
    return MemberProfileFactory().user


@pytest.fixture
def secretariat(db):
    """A secretariat user with TOTP set up, as AIII_SECRETARIAT_MFA=required demands."""
    user = SecretariatProfileFactory().user
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def secretariat_client(client, secretariat):
    client.force_login(secretariat)
    return client


@pytest.fixture
def world(secretariat):
    """The people and objects every app's access table is tried with (tests/access_table.py)."""
    from tests.access_table import build_world

    return build_world(secretariat)
