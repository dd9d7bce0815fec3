"""Time the portal's key pages over HTTP against the /robots.txt floor of the same server.

aiii imports no app (STYLE.md), so each app lists its own key pages in an optional module
`<app>.benchmark` with a function `pages()` returning [(label, path, account email or None)];
this command finds those modules as seed_demo finds each app's `demo` (aiii.discovery).

It seeds the demo data (and the large set with `--size large`), starts a production-like server
(gunicorn, one worker, DEBUG off) on the same database in a subprocess, signs each account in
through the real login form, then requests every page and /robots.txt in turn and prints the
median time of each and its ratio to /robots.txt's.
"""

import http.cookiejar
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from aiii.discovery import app_modules

from .seed_demo import SIZES

DEMO_PASSWORD = "aiii-demo-2026"
FLOOR_PATH = "/robots.txt"


def discover_benchmark_pages():
    """[(app label, page label, path, account email or None)] from every `<app>.benchmark`."""
    return [
        (label, page_label, path, account)
        for label, module in app_modules("benchmark")
        for page_label, path, account in module.pages()
    ]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One browser-like visitor: a cookie jar, no redirects followed while timing."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path, data=None):
        """(status, body) of one request; a redirect is returned, not followed."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)
        request.add_header("Referer", self.base_url + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def sign_in(self, email):
        status, body = self.request("/accounts/login/")
        token = self.cookie("csrftoken")
        if status != 200 or not token:
            raise CommandError(f"The login page answered {status} without a CSRF cookie.")
        status, body = self.request(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "login": email, "password": DEMO_PASSWORD},
        )
        if status not in (301, 302, 303) or not self.cookie("sessionid"):
            raise CommandError(f"Could not sign in as {email} (HTTP {status}).")


class Command(BaseCommand):
    help = (
        "Seed the demo data, start a production-like server (gunicorn, DEBUG off) on the same "
        "database and time each app's key pages against /robots.txt over HTTP."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=SIZES, default="small", help="Demo data size.")
        parser.add_argument(
            "--force", action="store_true", help="Passed to seed_demo (needed with DEBUG off)."
        )
        parser.add_argument("--no-seed", action="store_true", help="Use the data as it is.")
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page.")
        parser.add_argument("--warmup", type=int, default=5, help="Untimed requests per page.")
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="TEXT",
            help="Time only the pages whose label or path contains TEXT (repeatable).",
        )
        parser.add_argument(
            "--max-ratio",
            type=float,
            default=None,
            help="Exit with an error when a page's ratio to /robots.txt is above this.",
        )

    def handle(self, *args, size, force, no_seed, repeat, warmup, max_ratio, only, **options):
        if not no_seed:
            # A new database needs its tables before demo data (as `make run` does).
            call_command("migrate", interactive=False, verbosity=0)
            call_command("seed_demo", size=size, force=force, stdout=self.stdout)
        # After seeding: an app's list may name pages of its demo data (e.g. one intervention).
        pages = discover_benchmark_pages()
        if only:
            wanted = [text.lower() for text in only]
            pages = [
                page
                for page in pages
                if any(text in page[1].lower() or text in page[2].lower() for text in wanted)
            ]
        if not pages:
            raise CommandError("No page to time (no <app>.benchmark, or none matches --only).")
        if connection.vendor == "postgresql":
            # Fresh bulk inserts leave the planner without statistics until autovacuum comes by;
            # time the pages on a settled database, as production would be.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryFile() as log, self._server(port, log):
            self._wait_until_up(base_url, log)
            clients = {None: Client(base_url)}
            for account in sorted({a for _app, _label, _path, a in pages if a}):
                clients[account] = Client(base_url)
                clients[account].sign_in(account)
            targets = [("robots.txt", FLOOR_PATH, None)] + [
                (label, path, account) for _app, label, path, account in pages
            ]
            timings = self._measure(targets, clients, repeat=repeat, warmup=warmup)
        self._report(
            targets, timings, size="as found (--no-seed)" if no_seed else size, max_ratio=max_ratio
        )

    def _server(self, port, log):
        env = dict(os.environ)
        env.update(
            DEBUG="0",
            AIII_HTTPS="off",
            AIII_SECRETARIAT_MFA="optional",
            ALLOWED_HOSTS="127.0.0.1",
            # Static files are not timed: serve them from the finders, no collectstatic needed.
            AIII_MANIFEST_STATIC="0",
            SECRET_KEY=os.environ.get("SECRET_KEY") or "benchmark-only-" + os.urandom(16).hex(),
        )
        if not env.get("REDIS_URL"):
            # Without Redis the cache is each process's memory; one worker is one process, so
            # it is shared by every request, as Redis would be (aiii/fragments.py).
            env["AIII_FRAGMENT_CACHE"] = "1"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "aiii.wsgi:application",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ]
        return _Server(command, env, settings.BASE_DIR, log)

    def _wait_until_up(self, base_url, log):
        client = Client(base_url)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if client.request(FLOOR_PATH)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        log.seek(0)
        raise CommandError("The server did not answer within 30 s:\n" + log.read().decode())

    def _measure(self, targets, clients, *, repeat, warmup):
        """Median milliseconds per target (one path may be several targets: the home as a
        visitor, a member and the secretariat), the targets taken in turn so noise hits all
        alike."""
        samples = {target: [] for target in targets}
        self.stdout.write(f"Timing {len(targets)} pages, {repeat} requests each…")
        for round_number in range(warmup + repeat):
            for label, path, account in targets:
                client = clients[account]
                started = time.perf_counter()
                status, body = client.request(path)
                elapsed = (time.perf_counter() - started) * 1000
                if status != 200:
                    raise CommandError(f"{label} ({path}) answered HTTP {status} for {account}.")
                if round_number >= warmup:
                    samples[(label, path, account)].append(elapsed)
        return {target: statistics.median(values) for target, values in samples.items()}

    def _report(self, targets, timings, *, size, max_ratio):
        floor = next(ms for (_label, path, _account), ms in timings.items() if path == FLOOR_PATH)
        width = max(len(label) for label, _path, _account in targets)
        path_width = max(len(path) for _label, path, _account in targets)
        cache = "Redis" if os.environ.get("REDIS_URL") else "local memory (one worker)"
        self.stdout.write(
            f"\nSize {size}; cache: {cache}; median of each page; ratio to {FLOOR_PATH}."
        )
        self.stdout.write(f"{'page':<{width}}  {'path':<{path_width}}  {'ms':>7}  {'ratio':>6}")
        too_slow = []
        for label, path, account in targets:
            ms = timings[(label, path, account)]
            ratio = ms / floor
            self.stdout.write(f"{label:<{width}}  {path:<{path_width}}  {ms:>7.1f}  {ratio:>5.1f}x")
            if max_ratio is not None and ratio > max_ratio:
                too_slow.append(f"{label} ({ratio:.1f}x)")
        if too_slow:
            raise CommandError(f"Above {max_ratio}x the floor: {', '.join(too_slow)}.")


class _Server:
    """The gunicorn subprocess, stopped (by its own pid) when the block ends."""

    def __init__(self, command, env, cwd, log):
        self.command, self.env, self.cwd, self.log = command, env, cwd, log

    def __enter__(self):
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=self.cwd, stdout=self.log, stderr=self.log
        )
        return self.process

    def __exit__(self, *exc_info):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
