"""/healthz: database and broker status as JSON; 503 naming what is down."""

import time

import pytest
from django.db import connections

from tests.aiii.conftest import DOWN_REDIS_URL, SPARE_REDIS_URL, require_redis

pytestmark = pytest.mark.django_db


def test_all_up(client, settings):
    require_redis(SPARE_REDIS_URL)
    settings.REDIS_URL = SPARE_REDIS_URL
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
        "down": [],
    }


def test_embedded_mode_has_no_broker_to_check(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "in-process"}


def test_broker_down(client, settings):
    settings.REDIS_URL = DOWN_REDIS_URL
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "broker": "down"},
        "down": ["broker"],
    }
    assert b"6399" not in response.content  # says what is down, not where


def test_broker_frozen_is_down_within_the_timeout(client, settings, frozen_redis):
    settings.REDIS_URL = frozen_redis
    client.get("/healthz")  # the first request of a process also imports and loads a lot
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "broker": "down"}
    # One try within AIII_REDIS_TIMEOUT (1 s).
    assert elapsed < settings.AIII_REDIS_TIMEOUT + 0.9


def test_database_down(client, settings):
    settings.REDIS_URL = ""
    real = connections["default"]
    # The same database settings, pointing at a database that does not exist.
    if real.vendor == "sqlite":
        missing = {"NAME": "/nonexistent-aiii-dir/aiii.sqlite3"}
    else:
        missing = {"NAME": "aiii_h1_no_such_database"}
    broken = real.__class__({**real.settings_dict, **missing}, alias="default")
    connections["default"] = broken
    try:
        response = client.get("/healthz")
    finally:
        connections["default"] = real
        broken.close()
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "down", "broker": "in-process"},
        "down": ["database"],
    }


def test_only_safe_methods(client):
    assert client.post("/healthz").status_code == 405
