"""axe-core (bundled with axe-playwright-python, injected without a script tag, so the strict CSP
does not block it) on the public pages, at WCAG 2.2 AA; and the keyboard path into the page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WCAG22AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    }
}

PUBLIC_PAGES = [
    "/",
    "/about/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/apply/",
]


def apply_page_built():
    try:
        return reverse("members:apply") == "/apply/"
    except NoReverseMatch:
        return False


def assert_no_violations(page):
    result = Axe().run(page, options=WCAG22AA)
    assert result.violations_count == 0, result.generate_report()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_wcag22aa_violations(page, live_url, path):
    if path == "/apply/" and not apply_page_built():
        pytest.skip("members:apply (/apply/) is not built yet")
    response = page.goto(live_url(path))

    assert response.status == 200, f"{path} answered {response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_no_violations(page)


def test_sign_in_errors_have_no_wcag22aa_violations(page, live_url):
    page.goto(live_url("/accounts/login/"))
    page.get_by_label("Email").fill("nobody@example.org")
    # Submit without a password: the browser's own check is bypassed so the server answers.
    page.get_by_label("Password").evaluate("element => element.removeAttribute('required')")
    page.get_by_role("button", name="Sign In", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Password: This field is required.")
    password = page.get_by_label("Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("This field is required."))
    assert_no_violations(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_url):
    page.goto(live_url("/"))

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("location.hash") == "#main"
