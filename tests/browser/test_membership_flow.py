"""Issue 3 end to end in a real browser: a visitor applies, confirms their address from the email
the portal actually sent, the secretariat approves them, and the new member signs in and sees the
member directory.

The outbox sends on commit through the eager Celery task in the live server's thread, with the
embedded default's backend: each email is a file under AIII_EMAIL_DIR by the time the page has
answered, and the test reads the link from that file, as a person would from their mailbox.
"""

import re
from email import message_from_bytes, policy

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from aiii.models import OutboxEmail
from aiii.state import email_key
from members.models import ApplicationEvent, MembershipApplication, Profile
from tests.browser.support import (
    axe_report,
    ensure_expertise_areas,
    ensure_role_groups,
    field,
    sign_in,
    sign_in_with_code,
)
from tests.members.factories import MemberProfileFactory, SecretariatProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)

APPLICANT = "nadia.haddad@example.net"
PASSWORD = "Provenance-Graph-2026"
LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def mailbox(directory):
    """The emails written so far, oldest first, as parsed messages."""
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(directory.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    ]


def fill_application(page):
    page.get_by_label(field("Name")).fill("Nadia Haddad")
    page.get_by_label(field("Email")).fill(APPLICANT)
    page.get_by_label(field("Password")).fill(PASSWORD)
    page.get_by_label(field("Password (again)")).fill(PASSWORD)
    page.get_by_label(field("Organisation")).fill("Levant Media Archive")
    page.get_by_label(field("Stakeholder group")).select_option(label="Rightsholder")
    page.get_by_label(field("Country")).select_option("LB")
    expertise = page.get_by_role("group", name="Areas of expertise")
    expertise.get_by_label("Watermarking and provenance").check()
    expertise.get_by_label("Standards, tools and interoperability").check()
    page.get_by_label(field("Statement of interest")).fill(
        "I run provenance tooling for a photo archive and want to compare practice."
    )
    page.get_by_label(field("Public profile link")).fill("https://archive.example.net/nadia")
    page.get_by_label(field("Declaration of interests")).fill("None.")
    page.get_by_label("I accept the code of conduct.").check()
    page.get_by_label("I accept the confidentiality rule of members-only meetings.").check()


def test_apply_verify_approve_and_sign_in_to_the_directory(page, live_url, settings, tmp_path):
    settings.EMAIL_BACKEND = "aiii.mail_backends.DirectoryEmailBackend"
    settings.AIII_EMAIL_DIR = tmp_path
    # allauth builds its links with https outside DEBUG; the live server speaks plain http.
    settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
    ensure_role_groups()
    ensure_expertise_areas()
    colleague = MemberProfileFactory(full_name="Bruno Keller", organisation="Keller Lab")
    secretariat = SecretariatProfileFactory(
        user__email="secretariat@example.org", full_name="Sam Secretariat"
    ).user
    secret = generate_totp_secret()
    TOTP.activate(secretariat, secret)

    # 1. The visitor applies.
    page.goto(live_url("/apply/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply for membership")
    fill_application(page)
    page.get_by_role("button", name="Send my application").click()

    expect(page).to_have_url(live_url("/apply/check-email/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("main")).to_contain_text(
        "Thank you for applying. We have sent an email to the address you gave."
    )
    assert axe_report(page) == ""
    application = MembershipApplication.objects.get(email=APPLICANT)
    assert application.status == MembershipApplication.Status.UNVERIFIED
    assert application.full_name == "Nadia Haddad"
    assert application.country == "LB"
    assert sorted(application.expertise.values_list("slug", flat=True)) == [
        "standards-tools",
        "watermarking-provenance",
    ]

    # 2. The verification email was sent (the outbox row, and the message it became).
    assert [message["To"] for message in mailbox(tmp_path)] == [APPLICANT]
    verification = mailbox(tmp_path)[0]
    assert verification["Subject"].startswith("[AIII Exchange] ")
    row = OutboxEmail.objects.get(to=[APPLICANT])
    assert row.status == OutboxEmail.Status.SENT
    link = LINK.search(verification.get_body(preferencelist=("plain",)).get_content()).group(0)
    assert link.startswith(live_url("/accounts/confirm-email/"))

    # 3. The applicant opens the link and confirms.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm email address")
    expect(page.get_by_role("main")).to_contain_text(f"Please confirm that {APPLICANT}")
    assert axe_report(page) == ""
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_contain_text(f"You have confirmed {APPLICANT}.")
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING
    assert application.submitted_at is not None

    # 4. The secretariat finds it in the queue and approves it.
    sign_in_with_code(page, live_url, secretariat.email, secret)
    # The secretariat's home lists what waits for it, with counts.
    expect(page).to_have_url(live_url("/"))
    page.get_by_role("link", name="Applications to decide 1").click()
    expect(page).to_have_url(live_url("/secretariat/applications/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Applications")
    row = page.get_by_role("row", name=re.compile("Nadia Haddad"))
    expect(row.get_by_role("cell")).to_have_text(
        [
            "Levant Media Archive",
            "Rightsholder",
            "Lebanon",
            "Awaiting a decision",
            re.compile(r"\d{4}-"),
        ]
    )
    row.get_by_role("link", name="Nadia Haddad").click()

    expect(page).to_have_url(live_url(f"/secretariat/applications/{application.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Application of Nadia Haddad")
    expect(page.get_by_role("main")).to_contain_text("Status: Awaiting a decision")
    expect(page.get_by_role("main")).to_contain_text(
        "I run provenance tooling for a photo archive and want to compare practice."
    )
    page.get_by_label("Note for the record (optional)").fill("Strong archive background.")
    page.get_by_role("button", name="Approve and make a member").click()

    expect(page).to_have_url(live_url(f"/secretariat/applications/{application.pk}/"))
    expect(page.get_by_role("status")).to_have_text(
        "Nadia Haddad is now a member. They have been told by email."
    )
    expect(page.get_by_role("main")).to_contain_text("Status: Approved")
    expect(page.get_by_role("main")).to_contain_text(
        "This application has been decided; no further decision is possible."
    )
    expect(page.get_by_role("button", name="Approve and make a member")).to_have_count(0)

    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED
    assert list(application.events.values_list("kind", "actor__email", "message")) == [
        (ApplicationEvent.Kind.SUBMITTED, APPLICANT, ""),
        (ApplicationEvent.Kind.VERIFIED, APPLICANT, ""),
        (ApplicationEvent.Kind.APPROVED, secretariat.email, "Strong archive background."),
    ]
    new_member = get_user_model().objects.get(email=APPLICANT)
    assert list(new_member.groups.values_list("name", flat=True)) == ["member"]
    assert new_member.profile.status == Profile.Status.ACTIVE
    approval = OutboxEmail.objects.get(
        idempotency_key=email_key(application, "application_approved")
    )
    assert approval.to == [APPLICANT]
    assert approval.subject == "[AIII Exchange] Welcome to the AIII Technical Exchange Network"
    assert "Dear Nadia Haddad," in approval.body_text
    assert [message["Subject"] for message in mailbox(tmp_path)][1:] == [approval.subject]

    # 5. The secretariat signs out; the new member signs in, lands on their home, and opens
    # the directory from the navigation.
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()

    sign_in(page, live_url, APPLICANT, password=PASSWORD)
    expect(page).to_have_url(live_url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nadia Haddad")
    expect(page.locator(".messages")).to_have_text(
        "Successfully signed in as nadia.haddad@example.net."
    )
    assert axe_report(page) == ""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Directory").click()
    expect(page).to_have_url(live_url("/members/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Members of the Technical Exchange Network"
    )
    expect(page.get_by_role("main").locator("p[role=status]")).to_have_text("2 members found.")
    names = page.locator(".directory").get_by_role("heading", level=2)
    expect(names).to_have_text(["Bruno Keller", "Nadia Haddad"])
    me = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="Nadia Haddad"))
    expect(me).to_contain_text("Levant Media Archive")
    assert colleague.status == Profile.Status.ACTIVE
