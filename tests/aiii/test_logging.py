"""The development server's log: each line once, and a 403 in one line (no traceback)."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]

# A development process (DEBUG on, the real settings and LOGGING) answering a 403, a 404 and a
# 500 through Django's own request handling, and logging one line of its own.
SCRIPT = """
import logging
import django
from django.urls import path

django.setup()
from django.conf import settings
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

call_command("migrate", verbosity=0)
user = get_user_model().objects.create_user("m", "m@example.org", "x")
user.groups.add(Group.objects.get_or_create(name="member")[0])
client = Client(raise_request_exception=False)
client.force_login(user)
logging.getLogger("aiii.probe").info("probe line")
print(client.get("/secretariat/").status_code, client.get("/no-such-page/").status_code)

import aiii.urls
from aiii.access import public

@public
def broken(request):
    raise RuntimeError("probe failure")

aiii.urls.urlpatterns.append(path("broken/", broken))
print(client.get("/broken/").status_code)
"""


def _run(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIII_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="aiii.settings",
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'log.sqlite3'}",
        AIII_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(PROJECT_DIR),
    )
    env.pop("SECRET_KEY", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split(), result.stderr


def test_each_line_once_and_a_refusal_without_traceback(tmp_path):
    statuses, log = _run(tmp_path)
    assert statuses == ["403", "404", "500"]
    assert log.count("probe line") == 1
    assert log.count("Forbidden (Permission denied): /secretariat/") == 1
    assert log.count("Not Found: /no-such-page/") == 1
    # Only the real fault carries a traceback, once.
    assert log.count("Internal Server Error: /broken/") == 1
    assert log.count("Traceback (most recent call last)") == 1
    assert "PermissionDenied" not in log
    assert log.count("RuntimeError: probe failure") == 1
