"""axe-core (bundled with axe-playwright-python, injected without a script tag, so the strict CSP
does not block it) on the public pages, at WCAG 2.2 AA; and the keyboard path into the page.

Every live-server test is transactional (a flush afterwards), so the public pages share one test
and the report names each page that fails.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import ALICE, axe_report, seed_alice, sign_in
from tests.members.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = [
    "/",
    "/about/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/apply/",
    "/accounts/signup/",  # signup is closed: allauth's "sign up closed" page
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",  # "verify your email address" after an application
]

# allauth's own pages for a signed-in member: security (MFA), authenticator app, passkeys,
# email addresses, password change, sign out.
ACCOUNT_PAGES = [
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/webauthn/add/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/logout/",
]


def pages_problems(page, live_url, paths):
    problems = {}
    for path in paths:
        response = page.goto(live_url(path))
        if response.status != 200 or page.url != live_url(path):
            problems[path] = f"answered {response.status} at {page.url}"
            continue
        if page.get_by_role("heading", level=1).count() != 1:
            problems[path] = "has not exactly one h1"
        if report := axe_report(page):
            problems[path] = report
    return "\n\n".join(f"{path}: {text}" for path, text in problems.items())


def test_public_pages_have_no_wcag22aa_violations(page, live_url):
    assert pages_problems(page, live_url, PUBLIC_PAGES) == ""


def test_account_pages_have_no_wcag22aa_violations(page, live_url):
    seed_alice()
    sign_in(page, live_url, ALICE)
    # allauth asks for the password again before any change to the second factors.
    page.goto(live_url("/accounts/2fa/totp/activate/"))
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/\?next="))
    problems = axe_report(page)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(live_url("/accounts/2fa/totp/activate/"))
    expect(page.get_by_role("img")).to_have_count(1)  # the QR code, with the secret as its text

    assert problems + pages_problems(page, live_url, ACCOUNT_PAGES) == ""


def test_sign_in_errors_are_linked_and_have_no_wcag22aa_violations(page, live_url):
    page.goto(live_url("/accounts/login/"))
    page.get_by_label("Email").fill("nobody@example.org")
    # Submit without a password: the browser's own check is bypassed so the server answers.
    page.get_by_label("Password").evaluate("element => element.removeAttribute('required')")
    page.get_by_role("button", name="Sign in", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Password: This field is required.")
    password = page.get_by_label("Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("This field is required."))
    summary.get_by_role("link", name="Password: This field is required.").click()
    expect(password).to_be_focused()
    assert axe_report(page) == ""


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_url):
    page.goto(live_url("/"))

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("location.hash") == "#main"
