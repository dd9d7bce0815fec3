import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from tests.browser.support import ALICE, axe_report, ensure_role_groups, seed_alice
from tests.members.factories import DEMO_PASSWORD, SecretariatProfileFactory
from tests.totp import fresh_totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_from_the_landing_page(page, live_url):
    seed_alice()

    page.goto(live_url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The Technical Exchange Network on IP and AI"
    )
    page.get_by_role("banner").get_by_role("link", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email").fill(ALICE)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    # Where a member lands after signing in is the members app's choice; the header is ours.
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("banner")).to_contain_text(f"Signed in as {ALICE}")
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_have_count(0)


def test_a_wrong_password_is_announced_and_keeps_the_visitor_out(page, live_url):
    seed_alice()

    page.goto(live_url("/accounts/login/"))
    page.get_by_label("Email").fill(ALICE)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "The email address and/or password you specified are not correct."
    )
    expect(page.get_by_role("banner")).not_to_contain_text("Signed in as")


def test_secretariat_signs_in_with_the_second_factor(page, live_url):
    """The authenticator-code step is accessible and its errors are announced."""
    ensure_role_groups()
    user = SecretariatProfileFactory(user__email="secretariat@example.org").user
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    page.goto(live_url("/accounts/login/"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Incorrect code.")
    assert axe_report(page) == ""

    page.get_by_label("Code").fill(fresh_totp_code(secret))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("banner")).to_contain_text(f"Signed in as {user.email}")
