"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers here, so the tests use /usr/bin/chromium (Debian's
package, which `make test` installs). Without it the tests are skipped with a loud message at the
end of the run; with AIII_REQUIRE_SERVICES=1 (CI) they fail instead.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING = (
    f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing. Install Debian's Chromium "
    "(`sudo apt-get install -y chromium`) or run `make test`, which does it for you."
)
HERE = Path(__file__).resolve().parent

# Playwright runs its own event loop in the test thread; the ORM calls beside it are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_available():
    return os.access(CHROMIUM, os.X_OK)


def services_required():
    return os.environ.get("AIII_REQUIRE_SERVICES", "") in {"1", "true", "yes", "on"}


def _is_browser_test(item):
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if _is_browser_test(item)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
        if not chromium_available() and not services_required():
            item.add_marker(pytest.mark.skip(reason=MISSING))
    config._aiii_browser_tests = len(browser_items)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if getattr(config, "_aiii_browser_tests", 0) and not chromium_available():
        terminalreporter.section("BROWSER TESTS NOT RUN", sep="!", red=True, bold=True)
        terminalreporter.write_line(MISSING, red=True, bold=True)
        terminalreporter.write_line(
            f"{config._aiii_browser_tests} browser test(s) did not run.", red=True, bold=True
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not chromium_available():
        pytest.fail(MISSING + " (AIII_REQUIRE_SERVICES is set, so this is an error.)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(autouse=True)
def _emails_link_to_the_live_server(request, settings):
    """Emailed links use AIII_SITE_URL: in a browser test, the live server is the portal."""
    if "live_server" in request.fixturenames:
        settings.AIII_SITE_URL = request.getfixturevalue("live_server").url


@pytest.fixture
def live_url(live_server, settings):
    """The live server's address, for `page.goto(live_url("/about/"))`.

    Emailed links are built on AIII_SITE_URL, never on the request's host: here the site is the
    live server."""
    settings.AIII_SITE_URL = live_server.url
    return lambda path="/": live_server.url + path
