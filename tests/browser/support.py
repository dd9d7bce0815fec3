"""What the browser tests share: the demo people, signing in, and axe-core at WCAG 2.2 AA."""

import importlib
import importlib.util
import re

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from aiii.permissions import ROLE_GROUPS
from tests.members.factories import DEMO_PASSWORD, MemberProfileFactory
from tests.totp import fresh_totp_code

ALICE = "alice@example.org"

# axe-playwright-python bundles axe-core and injects it with evaluate(), so the strict CSP
# (no inline scripts) does not block it.
WCAG22AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    }
}


def ensure_role_groups():
    # The role groups come from a data migration, which an earlier transactional test's flush
    # may have removed.
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


def ensure_expertise_areas():
    """The areas of expertise, from their data migration (a transactional test's flush may have
    removed them)."""
    from django.apps import apps

    migration = importlib.import_module("members.migrations.0002_expertise_areas")
    migration.add_areas(apps, None)


def seed_alice():
    """alice@example.org, the demo member: from members' demo data once that module exists."""
    ensure_role_groups()
    if importlib.util.find_spec("members.demo") is not None:
        from members import demo

        demo.seed(size="small", log=lambda message: None)
    else:
        MemberProfileFactory(user__email=ALICE, user__username="alice")
    return get_user_model().objects.get(email=ALICE)


def field(label):
    """A form field's label for get_by_label: the label text, which ends in a star (hidden from
    screen readers) when the field is required."""
    return re.compile(rf"^{re.escape(label)}( \*)?$")


def sign_in(page, live_url, email, password=DEMO_PASSWORD):
    page.goto(live_url("/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("banner")).to_contain_text(f"Signed in as {email}")


def sign_in_with_code(page, live_url, email, totp_secret, password=DEMO_PASSWORD):
    """Sign in through the login form and the authenticator-code step (secretariat users)."""
    page.goto(live_url("/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.get_by_label("Code").fill(fresh_totp_code(totp_secret))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("banner")).to_contain_text(f"Signed in as {email}")


def axe_report(page):
    """'' when axe finds no violation on the page as it is now, else axe's report."""
    result = Axe().run(page, options=WCAG22AA)
    return "" if result.violations_count == 0 else result.generate_report()
