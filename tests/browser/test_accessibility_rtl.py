"""The portal right to left: with Arabic ready, a browser asking for Arabic (or a member who chose
it) gets `<html dir="rtl">`, and each page type stays axe-clean at WCAG 2.2 AA, fits 320 CSS
pixels without scrolling sideways on either edge, and mirrors what points a way: bars grow from
the right, tables read from the right, "forward" chevrons point left.

The text stays English until the Arabic catalogue is complete: the layout is what is tested.
"""

import re

import pytest
from playwright.sync_api import expect

from members.models import Profile, StakeholderGroup
from tests.browser.support import axe_report, ensure_expertise_areas, sign_in_with_code
from tests.browser.test_accessibility_members import Pages, people
from tests.members.factories import DEMO_PASSWORD, MemberProfileFactory
from tests.totp import fresh_totp_code

pytestmark = pytest.mark.django_db(transaction=True)

# What a page may weigh on first load: its HTML, stylesheet, images and scripts together.
FIRST_LOAD_LIMIT = 100_000


@pytest.fixture
def arabic(settings, browser):
    """Arabic ready, and a browser that asks for it."""
    settings.AIII_LANGUAGES_READY = ["en", "ar"]
    context = browser.new_context(extra_http_headers={"Accept-Language": "ar"})
    yield context.new_page()
    context.close()


class RtlPages(Pages):
    """Pages, checked right to left: the direction, axe, and reflow at 320 px on both edges
    (right to left, what overflows on the right cannot be scrolled to, so scrollWidth alone
    would not see it)."""

    def check(self, name):
        super().check(name)  # h1, axe and reflow (both edges: overflow_at_320px below)
        direction = self.page.evaluate("[document.documentElement.lang, document.dir]")
        if direction != ["ar", "rtl"]:
            earlier = self.problems.get(name)
            self.problems[name] = "\n".join(filter(None, [earlier, f"lang, dir: {direction}"]))

    def overflow_at_320px(self):
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": 320, "height": 640})
        try:
            wide = self.page.evaluate(
                """() => [...document.body.querySelectorAll('*')]
                    .filter(el => {
                        const box = el.getBoundingClientRect();
                        return box.width > 0 && (box.right > 320.5 || box.left < -0.5)
                            && !el.closest('.table-scroll, .visually-hidden, [hidden]');
                    })
                    .slice(0, 5)
                    .map(el => el.outerHTML.slice(0, 80))"""
            )
            scroll = self.page.evaluate("document.documentElement.scrollWidth")
        finally:
            self.page.set_viewport_size(size)
        if wide or scroll > 320:
            return f"wider than 320px (scrollWidth {scroll}): {wide}"
        return ""


def first_load_bytes(page):
    """What the page now open weighs with an empty cache: its HTML and every stylesheet, image,
    script and icon it uses, each fetched again (an earlier page may have cached them)."""
    document = page.evaluate("performance.getEntriesByType('navigation')[0].encodedBodySize")
    urls = page.evaluate(
        """() => [...new Set(performance.getEntriesByType('resource').map(entry => entry.name)
                  .concat([...document.querySelectorAll('link[rel~=icon]')].map(link => link.href)))]"""
    )
    return document + sum(len(page.request.get(url).body()) for url in urls)


def sign_in_in_arabic(page, live_url, email, totp_secret=None):
    """The sign-in form by its field names: allauth's own Arabic catalogue labels it."""
    page.goto(live_url("/accounts/login/"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").first.click()
    if totp_secret:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
        page.locator("input[name=code]").fill(fresh_totp_code(totp_secret))
        page.locator("form:has(input[name=code]) button[type=submit]").first.click()
    expect(page.get_by_role("banner")).to_contain_text(email)


def test_public_pages_right_to_left(arabic, live_url):
    ensure_expertise_areas()
    pages = RtlPages(arabic, live_url)

    for path in ("/", "/about/", "/apply/", "/accounts/login/"):
        pages.visit(path)
        assert first_load_bytes(arabic) < FIRST_LOAD_LIMIT, path
    arabic.goto(live_url("/apply/"))
    arabic.locator("input[name=email]").fill("not an address")
    arabic.locator("form.application-form button[type=submit]").click()
    expect(arabic.get_by_role("alert")).to_be_visible()
    pages.check("/apply/ (with errors)")
    assert pages.report() == ""

    # Addresses are typed left to right, and sit on the right like every field.
    style = "el => [getComputedStyle(el).direction, getComputedStyle(el).textAlign]"
    assert arabic.locator("input[name=email]").evaluate(style) == ["ltr", "right"]


def test_member_pages_right_to_left(arabic, live_url):
    _secretariat, _secret, members = people()
    me = members[0]
    Profile.objects.filter(pk=me.pk).update(language="ar")
    pages = RtlPages(arabic, live_url)

    sign_in_in_arabic(arabic, live_url, me.user.email)
    pages.visit("/members/", name="directory (cards)")
    assert first_load_bytes(arabic) < FIRST_LOAD_LIMIT
    # The view switch keeps the filters; the list is a table that reads from the right.
    arabic.goto(live_url("/members/?stakeholder_group=academia"))
    arabic.locator(".view-switch a[href*='view=list']").click()
    expect(arabic).to_have_url(re.compile(r"view=list"))
    expect(arabic).to_have_url(re.compile(r"stakeholder_group=academia"))
    pages.visit("/members/?view=list", name="directory (list)")
    assert first_load_bytes(arabic) < FIRST_LOAD_LIMIT
    headers = arabic.locator(".directory-table thead th")
    name_box, organisation_box = headers.nth(0).bounding_box(), headers.nth(1).bounding_box()
    assert name_box["x"] > organisation_box["x"], "the first column is not on the right"
    pages.visit(f"/members/{members[1].pk}/", name="profile")
    # "All members" goes back: its chevron points right, right to left.
    assert _points(arabic.locator(".back-link .icon")) == "right"
    pages.visit("/members/me/")

    assert pages.report() == ""


def composition_with_a_longer_bar():
    """people(), and a second academic: Academia's bar is the longest (100), the others half."""
    secretariat, secret, members = people()
    MemberProfileFactory(full_name="Member D", stakeholder_group=StakeholderGroup.ACADEMIA)
    return secretariat, secret, members


def test_secretariat_pages_right_to_left(arabic, live_url):
    secretariat, secret, _members = composition_with_a_longer_bar()
    Profile.objects.filter(user=secretariat).update(language="ar")
    pages = RtlPages(arabic, live_url)

    sign_in_in_arabic(arabic, live_url, secretariat.email, secret)
    pages.visit("/secretariat/", name="dashboard")
    assert first_load_bytes(arabic) < FIRST_LOAD_LIMIT
    # The chart of stakeholder groups, an image named by its (now Arabic) caption.
    caption = arabic.locator("#composition-groups-title").inner_text()
    chart = arabic.get_by_role("img", name=re.compile(re.escape(caption)))
    expect(chart).to_be_visible()
    assert caption and "Active members" not in caption
    # A bar grows from the right: the longest bar's rectangle ends at the right of its track.
    track = chart.locator("svg.chart-bar").filter(has=arabic.locator('rect[width="100"]')).first
    track_box, bar_box = track.bounding_box(), track.locator("rect").bounding_box()
    assert abs(bar_box["x"] + bar_box["width"] - (track_box["x"] + track_box["width"])) < 1
    shorter_track = chart.locator("svg.chart-bar").filter(has=arabic.locator('rect[width="50"]'))
    shorter_box = shorter_track.first.locator("rect").bounding_box()
    assert abs(shorter_box["x"] + shorter_box["width"] - (track_box["x"] + track_box["width"])) < 1
    assert shorter_box["x"] > track_box["x"] + 10, "a shorter bar does not start on the right"
    # The labels are on the right of their bars, the counts on the left.
    label_box = chart.locator(".chart-label").first.bounding_box()
    count_box = chart.locator(".chart-count").first.bounding_box()
    assert label_box["x"] > track_box["x"] > count_box["x"]
    # Tools lead forward: their chevrons point left.
    assert _points(arabic.locator(".tool-card .icon-forward").first) == "left"
    pages.visit("/secretariat/applications/", name="applications queue")
    pages.visit("/secretariat/audit/", name="audit log")

    assert pages.report() == ""


def test_the_same_page_left_to_right_keeps_arrows_and_bars_the_other_way(page, live_url):
    secretariat, secret, _members = composition_with_a_longer_bar()
    sign_in_with_code(page, live_url, secretariat.email, secret)
    page.goto(live_url("/secretariat/"))
    assert page.evaluate("document.dir") == "ltr"
    assert _points(page.locator(".tool-card .icon-forward").first) == "right"
    chart = page.get_by_role("img", name=re.compile("Active members by stakeholder group"))
    shorter = chart.locator('svg.chart-bar rect[width="50"]').first
    track_box, shorter_box = shorter.locator("..").bounding_box(), shorter.bounding_box()
    assert abs(shorter_box["x"] - track_box["x"]) < 1
    assert shorter_box["width"] < track_box["width"] - 10
    assert axe_report(page) == ""


def _points(icon):
    """Where a chevron icon (drawn pointing right) points on the screen, given its transform."""
    transform = icon.evaluate("el => getComputedStyle(el).transform")
    if transform in ("none", "matrix(1, 0, 0, 1, 0, 0)"):
        return "right"
    assert transform.startswith("matrix(-1, 0, 0, 1"), transform
    return "left"
