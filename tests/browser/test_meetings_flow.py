"""Issue 12 in a real browser: the secretariat creates a meeting, uploads its document and
invites alice; alice accepts from the link in the email the portal sent, opens the workspace and
downloads the document; bob, not invited, gets the not-found page. Every new page type of the
meetings app is checked with axe-core at WCAG 2.2 AA and for reflow at 320 px on the way.
"""

import re
from email import message_from_bytes, policy

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from meetings.models import Meeting, Participant
from meetings.services import minutes_circulate, minutes_save
from tests.browser.support import ensure_role_groups, field, sign_in, sign_in_with_code
from tests.browser.test_accessibility_members import Pages
from tests.members.factories import MemberProfileFactory, SecretariatProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)

ALICE = "alice@example.org"
BOB = "bob@example.org"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RSVP_LINK = re.compile(r"https?://\S+/meetings/rsvp/\S+/")


def mailbox(directory):
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(directory.glob("*.eml"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    ]


def sign_out(page):
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()


def test_create_invite_accept_from_email_download_and_outsider_404(
    page, live_url, settings, tmp_path
):
    settings.EMAIL_BACKEND = "aiii.mail_backends.DirectoryEmailBackend"
    settings.AIII_EMAIL_DIR = tmp_path
    ensure_role_groups()
    secretariat = SecretariatProfileFactory(
        user__email="secretariat@example.org", full_name="Sam Secretariat"
    ).user
    secret = generate_totp_secret()
    TOTP.activate(secretariat, secret)
    MemberProfileFactory(user__email=ALICE, user__username="alice", full_name="Alice Moreau")
    MemberProfileFactory(user__email=BOB, user__username="bob", full_name="Bob Okafor")
    pages = Pages(page, live_url)

    # 1. The secretariat creates the meeting.
    sign_in_with_code(page, live_url, secretariat.email, secret)
    pages.visit("/secretariat/meetings/")
    pages.visit("/secretariat/meetings/new/")
    page.get_by_label(field("Reference")).fill("TEN/5")
    page.get_by_label(field("Title")).fill("Provenance metadata in practice")
    page.get_by_label(field("Start")).fill("2030-05-01T09:00")
    page.get_by_label(field("End")).fill("2030-05-01T11:00")
    page.get_by_label(field("Venue")).fill("Geneva, Room B")
    page.get_by_label(field("Join link")).fill("https://meet.example.org/ten-5")
    page.get_by_role("button", name="Create the meeting").click()
    meeting = Meeting.objects.get(reference="TEN/5")
    expect(page).to_have_url(live_url(f"/secretariat/meetings/{meeting.pk}/"))
    expect(page.get_by_role("status")).to_have_text("The meeting TEN/5 is created.")
    pages.check("secretariat meeting page")

    # 2. It uploads the document from the workspace, then invites alice.
    pages.visit(f"/meetings/{meeting.pk}/", name="workspace (secretariat)")
    page.get_by_label(field("Title")).fill("Annotated agenda")
    page.get_by_label(field("File")).set_input_files(
        files=[{"name": "agenda.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("agenda.pdf is uploaded (version 1).")

    page.goto(live_url(f"/secretariat/meetings/{meeting.pk}/"))
    page.get_by_label(field("Email addresses")).fill(ALICE)
    page.get_by_role("button", name="Send the invitations").click()
    expect(page.get_by_role("status")).to_have_text(
        "1 person invited; the invitation is on its way."
    )
    expect(page.get_by_role("row", name=re.compile("Alice Moreau"))).to_contain_text(
        "No answer yet"
    )
    minutes = minutes_save(meeting=meeting, by=secretariat, text="[[Alice Moreau]] opened.")
    minutes_circulate(minutes=minutes, by=secretariat, version=minutes.version)
    pages.visit(f"/secretariat/meetings/{meeting.pk}/minutes/print/", name="printable minutes")
    sign_out(page)

    # 3. Alice accepts from the link in her email, without signing in.
    # Two emails by now: the invitation, and the draft minutes circulated for comment.
    assert [m["Subject"] for m in mailbox(tmp_path) if m["To"] == ALICE] == [
        "[AIII Exchange] Invitation: TEN/5 Provenance metadata in practice",
        "[AIII Exchange] Draft minutes of TEN/5 for your comments",
    ]
    invitation = next(m for m in mailbox(tmp_path) if "Invitation" in m["Subject"])
    assert [part.get_filename() for part in invitation.iter_attachments()] == ["invite.ics"]
    link = RSVP_LINK.search(invitation.get_body(preferencelist=("plain",)).get_content()).group(0)
    assert link.startswith(live_url("/meetings/rsvp/"))
    pages.visit(link.removeprefix(live_url("")), name="answer link page")
    page.get_by_label(field("Your answer")).select_option(label="Accepted")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("main")).to_contain_text("Your answer is recorded: Accepted.")
    pages.check("answer recorded")
    assert Participant.objects.get(meeting=meeting, user__email=ALICE).response == "accepted"
    pages.visit("/meetings/rsvp/not-a-real-token/", status=404, name="answer link (invalid)")

    # 4. Alice signs in, finds the meeting and downloads the document.
    sign_in(page, live_url, ALICE)
    pages.visit("/meetings/")
    page.get_by_role("link", name="TEN/5 Provenance metadata in practice").click()
    expect(page).to_have_url(live_url(f"/meetings/{meeting.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "TEN/5 Provenance metadata in practice"
    )
    expect(page.get_by_role("note")).to_contain_text("Chatham House Rule")
    expect(page.get_by_role("main")).to_contain_text("https://meet.example.org/ten-5")
    expect(page.get_by_role("main")).to_contain_text("Your current answer: Accepted.")
    pages.check("workspace (participant)")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"v1: agenda\.pdf")).click()
    download = download_info.value
    assert download.suggested_filename == "agenda.pdf"
    assert open(download.path(), "rb").read() == PDF
    pages.visit(f"/meetings/{meeting.pk}/minutes/", name="minutes (participant)")
    expect(page.get_by_role("main")).to_contain_text("A participant: opened.")
    expect(page.locator(".minutes")).not_to_contain_text("Alice")
    page.goto(live_url("/meetings/"))
    page.get_by_role("button", name="Make my feed address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your calendar feed address")
    pages.check("feed address shown once")
    sign_out(page)

    # 5. Bob is not invited: the workspace is not found, and says nothing about it.
    sign_in(page, live_url, BOB)
    pages.visit(f"/meetings/{meeting.pk}/", status=404, name="workspace (not invited)")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("main")).not_to_contain_text("Provenance metadata")

    assert pages.problems == {}, pages.report()
