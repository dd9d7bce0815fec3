"""axe-core at WCAG 2.2 AA (and reflow at 320px) on every page type of the members app (issue 3), in the states that
matter: an applicant asked for more information, forms showing their errors, a decision refused
because the page was stale, the 403 and 404 pages; and the keyboard path through the
application form.

Every live-server test is transactional (a flush afterwards), so each role's pages share one test
and one sign-in; the report names each page that fails.
"""

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from playwright.sync_api import expect

from members.models import ExpertiseArea, Invitation, StakeholderGroup
from members.services.applications import application_approve, application_request_info
from members.services.invitations import invitation_create
from members.services.people import membership_suspend
from tests.browser.support import (
    axe_report,
    ensure_expertise_areas,
    ensure_role_groups,
    field,
    sign_in,
    sign_in_with_code,
)
from tests.members.factories import (
    ApplicationFactory,
    MemberProfileFactory,
    SecretariatProfileFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


class Pages:
    """Visits pages and collects what is wrong with each: status, h1 count, axe's report."""

    def __init__(self, page, live_url):
        self.page = page
        self.live_url = live_url
        self.problems = {}

    def visit(self, path, *, status=200, name=None):
        response = self.page.goto(self.live_url(path))
        if response.status != status or self.page.url != self.live_url(path):
            self.problems[name or path] = f"answered {response.status} at {self.page.url}"
            return
        self.check(name or path)

    def check(self, name):
        """The page as it is now (after a form was sent, say)."""
        found = []
        if (count := self.page.get_by_role("heading", level=1).count()) != 1:
            found.append(f"has {count} h1 elements")
        if report := axe_report(self.page):
            found.append(report)
        if overflow := self.overflow_at_320px():
            found.append(overflow)
        if found:
            self.problems[name] = "\n".join(found)

    def overflow_at_320px(self):
        """Reflow (WCAG 1.4.10), which axe does not test: at 320 CSS pixels wide nothing but a
        table in its own scrolling box may make the page scroll sideways."""
        size = self.page.viewport_size
        self.page.set_viewport_size({"width": 320, "height": 640})
        try:
            wide = self.page.evaluate(
                """() => document.documentElement.scrollWidth <= 320 ? [] :
                    [...document.body.querySelectorAll('*')]
                        .filter(el => el.getBoundingClientRect().right > 320.5
                                      && !el.closest('.table-scroll'))
                        .slice(0, 5)
                        .map(el => el.outerHTML.slice(0, 80))"""
            )
        finally:
            self.page.set_viewport_size(size)
        return f"scrolls sideways at 320px wide: {wide}" if wide else ""

    def report(self):
        return "\n\n".join(f"{name}: {text}" for name, text in self.problems.items())


def people():
    """A secretariat user with TOTP, and a small varied membership for charts and lists."""
    ensure_role_groups()
    ensure_expertise_areas()
    areas = list(ExpertiseArea.objects.order_by("position"))
    secretariat = SecretariatProfileFactory(
        user__email="secretariat@example.org", full_name="Sam Secretariat"
    ).user
    secret = generate_totp_secret()
    TOTP.activate(secretariat, secret)
    groups = [StakeholderGroup.ACADEMIA, StakeholderGroup.TECH_COMPANY, StakeholderGroup.CREATOR]
    countries = ["CH", "JP", "BR"]
    members = []
    for number, (group, country) in enumerate(zip(groups, countries, strict=True)):
        profile = MemberProfileFactory(
            full_name=f"Member {'ABC'[number]}",
            stakeholder_group=group,
            country=country,
            bio="Works on content credentials.",
            public_profile_url="https://example.org/people/member",
        )
        profile.expertise.set(areas[number : number + 2])
        members.append(profile)
    return secretariat, secret, members


def test_applicant_and_invitation_pages_have_no_wcag22aa_violations(page, live_url):
    secretariat, _secret, _members = people()
    _invitation, token = invitation_create(
        by=secretariat,
        full_name="Ines Invited",
        email="ines@example.net",
        note="We met at the provenance workshop.",
    )
    expired, expired_token = invitation_create(
        by=secretariat, full_name="Olaf Late", email="olaf@example.net"
    )
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    application = ApplicationFactory(full_name="Paula Pending", user__email="paula@example.net")
    pages = Pages(page, live_url)

    pages.visit("/apply/")
    page.get_by_label(field("Email")).fill("not an address")
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter an email address in the form name@example.org."
    )
    pages.check("/apply/ (with errors)")

    pages.visit(f"/apply/invitation/{token}/", name="invitation (valid)")
    expect(page.get_by_role("main")).to_contain_text("Welcome, Ines Invited.")
    expect(page.get_by_label(field("Email"))).to_have_value("ines@example.net")
    pages.visit(f"/apply/invitation/{expired_token}/", status=410, name="invitation (expired)")
    expect(page.get_by_role("main")).to_contain_text("This invitation has expired.")

    sign_in(page, live_url, "paula@example.net")
    expect(page).to_have_url(live_url("/apply/status/"))
    pages.visit("/apply/status/", name="status (pending)")
    expect(page.get_by_role("main")).to_contain_text("Status: Awaiting a decision")

    application_request_info(
        application=application,
        by=secretariat,
        version=application.version,
        message="Please name the standards bodies you work with.",
    )
    pages.visit("/apply/status/", name="status (more information requested)")
    expect(page.get_by_role("main")).to_contain_text(
        "The secretariat needs more information before it decides."
    )
    expect(page.get_by_role("link", name="Amend my application")).to_be_visible()

    pages.visit("/apply/amend/")
    expect(page.get_by_role("main")).to_contain_text(
        "Please name the standards bodies you work with."
    )
    page.get_by_label(field("Statement of interest")).fill("")
    page.get_by_role("button", name="Send my amended application").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following")
    pages.check("amend (with errors)")

    assert pages.report() == ""


def test_member_pages_have_no_wcag22aa_violations(page, live_url):
    _secretariat, _secret, members = people()
    me = members[0]
    pages = Pages(page, live_url)

    sign_in(page, live_url, me.user.email)
    pages.visit("/members/", name="directory")
    expect(page.get_by_text("3 members found.")).to_be_visible()
    pages.visit(
        "/members/?q=Member&stakeholder_group=academia&country=CH&expertise=identifying-ai-outputs",
        name="directory (filtered)",
    )
    expect(page.get_by_text("1 member found.")).to_be_visible()
    pages.visit("/members/?country=FR", name="directory (nobody found)")
    expect(page.get_by_text("0 members found.")).to_be_visible()
    pages.visit(f"/members/{members[1].pk}/", name="profile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Member B")

    pages.visit("/members/me/")
    page.get_by_role("textbox", name="Public profile link").fill("not a link at all")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter a full web address for “Public profile link”, such as https://example.org/."
    )
    pages.check("/members/me/ (with errors)")

    pages.visit("/secretariat/", status=403, name="403 (member on a secretariat page)")
    pages.visit("/members/999999/", status=404, name="404 (no such member)")

    assert pages.report() == ""


def test_secretariat_pages_have_no_wcag22aa_violations(page, live_url):
    secretariat, secret, members = people()
    other = SecretariatProfileFactory(full_name="Other Secretary").user
    pending = ApplicationFactory(full_name="Quentin Queue")
    ApplicationFactory(full_name="Rosa Request", stakeholder_group=StakeholderGroup.RIGHTSHOLDER)
    approved = ApplicationFactory(full_name="Ada Approved")
    application_approve(application=approved, by=other, version=approved.version)
    invitation_create(by=other, full_name="Ines Invited", email="ines@example.net")
    membership_suspend(profile=members[2], by=other, reason="Breach of the confidentiality rule.")
    pages = Pages(page, live_url)

    sign_in_with_code(page, live_url, secretariat.email, secret)
    pages.visit("/secretariat/", name="dashboard")
    expect(
        page.get_by_role("img", name=re.compile("Active members by stakeholder group"))
    ).to_be_visible()
    pages.visit("/secretariat/applications/", name="queue")
    expect(page.get_by_role("link", name="Quentin Queue")).to_be_visible()
    pages.visit("/secretariat/applications/?status=all&region=europe", name="queue (filtered)")
    pages.visit(f"/secretariat/applications/{approved.pk}/", name="application (decided)")

    pages.visit(f"/secretariat/applications/{pending.pk}/", name="application (open)")
    page.get_by_role("button", name="Reject the application").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter the reason the applicant will receive by email."
    )
    pages.check("application (reject without a reason)")

    # Someone else decides while this page is open: the decision from it is refused.
    page.goto(live_url(f"/secretariat/applications/{pending.pk}/"))
    pending.refresh_from_db()
    application_request_info(
        application=pending, by=other, version=pending.version, message="Which employer?"
    )
    page.get_by_role("button", name="Approve and make a member").click()
    expect(page.get_by_role("alert")).to_contain_text("Decision not applied")
    expect(page.get_by_role("alert")).to_contain_text(
        "This application changed after you opened the page"
    )
    pages.check("application (stale decision refused)")

    pages.visit("/secretariat/invitations/new/", name="invite")
    page.get_by_role("button", name=re.compile("invitation", re.IGNORECASE)).click()
    pages.check("invite (with errors)")
    pages.visit("/secretariat/members/", name="members")
    pages.visit("/secretariat/members/?status=suspended&region=americas", name="members (filtered)")
    pages.visit(f"/secretariat/members/{members[0].pk}/", name="member (active)")
    pages.visit(f"/secretariat/members/{members[2].pk}/", name="member (suspended)")
    pages.visit("/secretariat/audit/", name="audit log")
    pages.visit("/no-such-page/", status=404, name="404")

    assert pages.report() == ""


def test_the_application_form_is_usable_with_the_keyboard(page, live_url):
    """Tab reaches every field and the submit button in order, and each shows a focus outline."""
    ensure_expertise_areas()
    page.goto(live_url("/apply/"))
    form = page.locator("form.application-form")
    controls = form.locator("input:not([type=hidden]), select, textarea, button")
    expected = controls.evaluate_all("els => els.map(el => el.id || el.textContent.trim())")
    # 4 account fields; organisation, group, country, 5 areas, statement, link, declaration;
    # the 2 rules; the submit button.
    assert len(expected) == 18

    page.get_by_label(field("Name")).focus()
    reached = []
    for _step in range(40):
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {
                    key: el.id || el.textContent.trim(),
                    control: el.matches('input, select, textarea, button'),
                    inForm: !!el.closest('form.application-form'),
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                };
            }"""
        )
        if focused["control"] and focused["inForm"]:
            reached.append(focused["key"])
            assert focused["outline"], f"{focused['key']} has no visible focus outline"
        if focused["key"] == "Send my application":
            break
        page.keyboard.press("Tab")
    assert reached == expected
