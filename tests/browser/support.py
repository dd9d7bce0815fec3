"""What the browser tests share: the demo people, signing in, and axe-core at WCAG 2.2 AA."""

import importlib.util

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from aiii.permissions import ROLE_GROUPS
from tests.factories import DEMO_PASSWORD, MemberProfileFactory

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


def seed_alice():
    """alice@example.org, the demo member: from members' demo data once that module exists."""
    ensure_role_groups()
    if importlib.util.find_spec("members.demo") is not None:
        from members import demo

        demo.seed(size="small", log=lambda message: None)
    else:
        MemberProfileFactory(user__email=ALICE, user__username="alice")
    return get_user_model().objects.get(email=ALICE)


def sign_in(page, live_url, email, password=DEMO_PASSWORD):
    page.goto(live_url("/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("banner")).to_contain_text(f"Signed in as {email}")


def axe_report(page):
    """'' when axe finds no violation on the page as it is now, else axe's report."""
    result = Axe().run(page, options=WCAG22AA)
    return "" if result.violations_count == 0 else result.generate_report()
