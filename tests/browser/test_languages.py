"""The portal in each of its six languages, in a real browser: every page type says its language
and direction, passes axe-core at WCAG 2.2 AA, and reflows at 320 px in Arabic (right to left).
And a walk in Arabic, as an Arabic-speaking expert would make it: the switcher, an application,
the status page, a member's home. Screenshots of the Arabic pages are kept for a person to look
at (AIII_SCREENSHOTS, default var/screenshots/)."""

import os
import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from members.models import MembershipApplication, Profile
from tests.browser.support import (
    ALICE,
    axe_report,
    ensure_expertise_areas,
    ensure_role_groups,
    seed_alice,
)
from tests.members.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PUBLIC_PAGES = ["/", "/about/", "/apply/", "/accounts/login/", "/forum/"]
MEMBER_PAGES = ["/", "/members/", "/members/me/", "/meetings/", "/topics/", "/accounts/2fa/"]
SCREENSHOTS = Path(os.environ.get("AIII_SCREENSHOTS", settings.BASE_DIR / "var" / "screenshots"))


def choose_language(page, live_url, code):
    """What a visitor does: the switcher in the header, without JavaScript's help."""
    page.goto(live_url("/about/"))
    page.locator("#language-choice").select_option(code)
    page.locator(".language-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def problems_on(page, live_url, paths, code, *, narrow=False):
    direction = "rtl" if code == "ar" else "ltr"
    found = {}
    for path in paths:
        response = page.goto(live_url(path))
        html = page.locator("html")
        if response.status != 200:
            found[path] = f"answered {response.status}"
        elif (html.get_attribute("lang"), html.get_attribute("dir")) != (code, direction):
            found[path] = f"lang={html.get_attribute('lang')} dir={html.get_attribute('dir')}"
        elif report := axe_report(page):
            found[path] = report
        elif narrow and page.evaluate("document.documentElement.scrollWidth") > 320:
            found[path] = "wider than 320 px: scrolls sideways"
    return "\n\n".join(f"{code} {path}: {text}" for path, text in found.items())


@pytest.mark.parametrize("code", LANGUAGES)
def test_public_pages_in_each_language(page, live_url, code):
    choose_language(page, live_url, code)
    assert problems_on(page, live_url, PUBLIC_PAGES, code) == ""


@pytest.mark.parametrize("code", LANGUAGES)
def test_member_pages_in_each_language(page, live_url, code):
    seed_alice()
    Profile.objects.filter(user__email=ALICE).update(language=code)
    page.goto(live_url("/accounts/login/"))
    page.locator("#id_login").fill(ALICE)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(live_url("/"))
    assert problems_on(page, live_url, MEMBER_PAGES, code) == ""


def test_arabic_pages_reflow_at_320_px(page, live_url):
    seed_alice()
    page.set_viewport_size({"width": 320, "height": 720})
    choose_language(page, live_url, "ar")
    assert problems_on(page, live_url, PUBLIC_PAGES, "ar", narrow=True) == ""
    Profile.objects.filter(user__email=ALICE).update(language="ar")
    page.goto(live_url("/accounts/login/"))
    page.locator("#id_login").fill(ALICE)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    assert problems_on(page, live_url, MEMBER_PAGES, "ar", narrow=True) == ""


def test_an_arabic_speaker_applies_and_finds_their_status(page, live_url, settings, tmp_path):
    settings.EMAIL_BACKEND = "aiii.mail_backends.DirectoryEmailBackend"
    settings.AIII_EMAIL_DIR = tmp_path
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
    ensure_role_groups()
    ensure_expertise_areas()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    choose_language(page, live_url, "ar")
    page.goto(live_url("/apply/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("تقديم طلب العضوية")
    page.screenshot(path=SCREENSHOTS / "ar-apply.png", full_page=True)
    page.locator("#id_full_name").fill("نادية حداد")
    page.locator("#id_email").fill("nadia@example.net")
    page.locator("#id_password1").fill("Provenance-Graph-2026")
    page.locator("#id_password2").fill("Provenance-Graph-2026")
    page.locator("#id_organisation").fill("أرشيف الشام للإعلام")
    page.locator("#id_stakeholder_group").select_option(index=1)
    page.locator("#id_country").select_option("LB")
    # Lebanon is named in Arabic, as CLDR writes it.
    expect(page.locator("#id_country option[value=LB]")).to_have_text("لبنان")
    page.locator("input[name=expertise]").first.check()
    page.locator("#id_statement").fill("أدير أدوات تتبع المصدر لأرشيف صور.")
    page.locator("#id_declaration_of_interests").fill("لا شيء.")
    page.locator("#id_accept_code_of_conduct").check()
    page.locator("#id_accept_confidentiality").check()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(live_url("/apply/check-email/"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert axe_report(page) == ""
    application = MembershipApplication.objects.get(email="nadia@example.net")
    # The applicant's language is kept, and the verification email is written in it.
    (path,) = tmp_path.glob("*.eml")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert re.search(r"[\u0600-\u06ff]", message["Subject"]), message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", text).group(0)
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("main form button[type=submit]").click()
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING

    page.goto(live_url("/accounts/login/"))
    page.locator("#id_login").fill("nadia@example.net")
    page.locator("#id_password").fill("Provenance-Graph-2026")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(live_url("/apply/status/"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("main")).to_contain_text("في انتظار قرار")
    assert axe_report(page) == ""
    page.screenshot(path=SCREENSHOTS / "ar-status.png", full_page=True)


def test_an_arabic_member_sees_their_home(page, live_url):
    seed_alice()
    Profile.objects.filter(user__email=ALICE).update(language="ar")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_url("/accounts/login/"))
    page.locator("#id_login").fill(ALICE)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(live_url("/"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_contain_text("مرحبًا")
    assert axe_report(page) == ""
    page.screenshot(path=SCREENSHOTS / "ar-home.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=SCREENSHOTS / "ar-home-375.png", full_page=True)
