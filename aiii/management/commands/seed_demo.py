"""Demo data for the embedded default and for benchmarks.

aiii imports no app (STYLE.md), so each app that has demo data provides an optional module
`<app>.demo` with a function `seed(*, size, log)`; this command finds those modules and runs
them in dependency order. A module may name the apps whose demo data it builds on in
`DEPENDS_ON = ("members", ...)`; otherwise INSTALLED_APPS order decides.

Every `seed` must be idempotent: running the command twice leaves the same rows.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aiii import fragments
from aiii.discovery import app_modules

SIZES = ("small", "large")


def discover_demo_modules():
    """[(app label, module)] for every installed app with a `demo` module, dependencies first."""
    found = dict(app_modules("demo"))
    return _dependencies_first(list(found), found)


def _dependencies_first(order, modules):
    result, visiting, done = [], set(), set()

    def visit(label):
        if label in done:
            return
        if label in visiting:
            raise CommandError(f"The demo modules depend on each other in a circle at {label!r}.")
        visiting.add(label)
        for dependency in getattr(modules[label], "DEPENDS_ON", ()):
            if dependency in modules:
                visit(dependency)
        visiting.discard(label)
        done.add(label)
        result.append((label, modules[label]))

    for label in order:
        visit(label)
    return result


class Command(BaseCommand):
    help = (
        "Create the demo data (idempotent). All demo accounts have the password aiii-demo-2026, "
        "so the command refuses to run with DEBUG off unless given --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=SIZES,
            default="small",
            help="small: the demo accounts and a little of everything (default); "
            "large: adds a data set for benchmarks.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (for benchmarks on a production-like server).",
        )

    def handle(self, *args, size, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates accounts with a published "
                "password. Set DEBUG=1 for a development database, or pass --force if you really "
                "mean to seed this one."
            )
        modules = discover_demo_modules()
        if not modules:
            self.stdout.write("No installed app has demo data (no <app>.demo module).")
            return
        started = time.monotonic()
        for label, module in modules:
            app_started = time.monotonic()
            self.stdout.write(f"[{label}] seeding ({size})…")
            self.stdout.flush()

            def log(message, label=label):
                self.stdout.write(f"[{label}] {message}")
                self.stdout.flush()

            # One transaction per app: a failure leaves that app's demo data as it was.
            with transaction.atomic():
                module.seed(size=size, log=log)
            self.stdout.write(f"[{label}] done in {time.monotonic() - app_started:.1f} s")
        # Bulk inserts send no signals: no page part cached before shows (aiii/fragments.py).
        fragments.changed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({size}, {len(modules)} app(s), "
                f"{time.monotonic() - started:.1f} s)."
            )
        )
