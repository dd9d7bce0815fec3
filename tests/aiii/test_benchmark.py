"""The benchmark command's page lists: found in each app, and each page answers its account.

The command itself starts gunicorn on a real database (README); here the lists are kept honest,
so a renamed URL or account fails in the suite rather than in the next benchmark run.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from aiii.management.commands.benchmark import discover_benchmark_pages

pytestmark = pytest.mark.django_db


def test_each_apps_key_pages_are_found():
    year = timezone.localdate().year
    assert [(app, path, account) for app, _label, path, account in discover_benchmark_pages()] == [
        ("aiii", "/", None),
        ("aiii", "/", "alice@example.org"),
        ("aiii", "/", "secretariat@example.org"),
        ("aiii", "/secretariat/audit/", "secretariat@example.org"),
        ("members", "/members/", "alice@example.org"),
        ("members", "/members/me/", "alice@example.org"),
        ("members", "/secretariat/applications/", "secretariat@example.org"),
        ("members", "/secretariat/members/", "secretariat@example.org"),
        ("members", "/secretariat/", "secretariat@example.org"),
        ("meetings", "/meetings/", "alice@example.org"),
        ("meetings", "/secretariat/meetings/", "secretariat@example.org"),
        ("topics", "/topics/", "alice@example.org"),
        ("topics", "/topics/watermarking-provenance/", "alice@example.org"),
        ("topics", "/search/?q=watermark", "alice@example.org"),
        ("annual_forum", "/forum/", None),
        ("annual_forum", f"/forum/{year}/", None),
        ("annual_forum", f"/forum/api/years/{year}/interventions", None),
    ]


def test_each_key_page_answers_its_demo_account(client, settings):
    settings.AIII_SECRETARIAT_MFA = "optional"  # as the benchmark's server runs
    call_command("seed_demo", force=True, stdout=io.StringIO())
    User = get_user_model()
    pages = discover_benchmark_pages()
    assert ("annual_forum", "forum: intervention") in {(app, label) for app, label, *_ in pages}
    for _app, label, path, account in pages:
        client.logout()
        if account is not None:  # None: a visitor without an account
            client.force_login(User.objects.get(email=account))
        response = client.get(path)
        assert response.status_code == 200, (label, path, account, response.status_code)
