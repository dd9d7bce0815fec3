import importlib.util
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import DEMO_PASSWORD, MemberProfileFactory

# serialized_rollback: the role groups and expertise areas come from data migrations, which a
# transactional test's flush would otherwise remove.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ALICE = "alice@example.org"


def seed_alice():
    """alice@example.org, the demo member: from members' demo data once that module exists."""
    if importlib.util.find_spec("members.demo") is not None:
        from members import demo

        demo.seed(size="small", log=lambda message: None)
    else:
        MemberProfileFactory(user__email=ALICE, user__username="alice")
    return get_user_model().objects.get(email=ALICE)


def test_sign_in_from_the_landing_page(page, live_url):
    seed_alice()

    page.goto(live_url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The Technical Exchange Network on IP and AI"
    )
    page.get_by_role("banner").get_by_role("link", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign In")
    page.get_by_label("Email").fill(ALICE)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()

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
    page.get_by_role("button", name="Sign In", exact=True).click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "The email address and/or password you specified are not correct."
    )
    expect(page.get_by_role("banner")).not_to_contain_text("Signed in as")
