import types
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from aiii.management.commands import seed_demo

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def fake_demo(monkeypatch):
    """Two tiny demo modules standing in for the apps' own, the second depending on the first."""
    calls = []

    def seed_people(*, size, log):
        calls.append(("people", size))
        Group.objects.get_or_create(name="demo-people")
        log("1 group")

    def seed_threads(*, size, log):
        calls.append(("threads", size))
        Group.objects.get_or_create(name=f"demo-threads-{size}")
        log("1 more group")

    people = types.SimpleNamespace(seed=seed_people)
    threads = types.SimpleNamespace(seed=seed_threads, DEPENDS_ON=("people",))
    monkeypatch.setattr(
        seed_demo,
        "discover_demo_modules",
        lambda: seed_demo._dependencies_first(
            ["threads", "people"], {"threads": threads, "people": people}
        ),
    )
    return calls


def test_refuses_with_debug_off(settings, fake_demo):
    settings.DEBUG = False
    before = row_counts()

    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        run()

    assert fake_demo == []
    assert row_counts() == before


def test_refusal_is_a_non_zero_exit(settings, fake_demo, capsys):
    settings.DEBUG = False
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "seed_demo"]).execute()

    assert exit_info.value.code == 1
    assert "refuses to run with DEBUG off" in capsys.readouterr().err
    assert fake_demo == []


def test_force_runs_with_debug_off(settings, fake_demo):
    settings.DEBUG = False

    output = run("--force")

    assert fake_demo == [("people", "small"), ("threads", "small")]
    assert "Demo data ready (small, 2 app(s)" in output


def test_runs_dependencies_first_with_size_and_progress(settings, fake_demo):
    settings.DEBUG = True

    output = run("--size", "large")

    assert fake_demo == [("people", "large"), ("threads", "large")]
    lines = output.splitlines()
    assert lines[0] == "[people] seeding (large)…"
    assert lines[1] == "[people] 1 group"
    assert lines[2].startswith("[people] done in ")
    assert lines[3] == "[threads] seeding (large)…"
    assert lines[4] == "[threads] 1 more group"
    assert Group.objects.filter(name__in=["demo-people", "demo-threads-large"]).count() == 2


def test_unknown_size_is_refused(settings, fake_demo):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="invalid choice"):
        run("--size", "huge")
    assert fake_demo == []


def test_a_failing_app_leaves_its_own_data_unchanged(settings, monkeypatch):
    settings.DEBUG = True

    def seed_broken(*, size, log):
        Group.objects.create(name="half-written")
        raise RuntimeError("broken demo data")

    broken = types.SimpleNamespace(seed=seed_broken)
    monkeypatch.setattr(seed_demo, "discover_demo_modules", lambda: [("broken", broken)])

    with pytest.raises(RuntimeError, match="broken demo data"):
        run()

    assert not Group.objects.filter(name="half-written").exists()


def test_circular_dependencies_are_reported():
    a = types.SimpleNamespace(seed=None, DEPENDS_ON=("b",))
    b = types.SimpleNamespace(seed=None, DEPENDS_ON=("a",))
    with pytest.raises(CommandError, match="circle"):
        seed_demo._dependencies_first(["a", "b"], {"a": a, "b": b})


def test_discovery_finds_only_installed_apps_demo_modules():
    modules = seed_demo.discover_demo_modules()
    labels = [label for label, _ in modules]
    installed = {config.label for config in apps.get_app_configs()}
    assert set(labels) <= installed
    assert all(callable(module.seed) for _, module in modules)
    assert len(labels) == len(set(labels))


def test_the_real_demo_data_is_idempotent(settings):
    """With every app's real demo module: a second run changes no row count and sends no mail."""
    settings.DEBUG = True

    run()
    after_first = row_counts()
    output = run()
    after_second = row_counts()

    assert after_second == after_first
    assert "Demo data ready" in output or "No installed app has demo data" in output
