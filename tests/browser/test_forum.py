"""Issue 14 in a real browser: a delegate submits an intervention, the secretariat accepts and
publishes it, and an anonymous visitor finds it on the public page. On the way, axe-core at
WCAG 2.2 AA and the 320px reflow check run on every page type of the forum, and the public
pages stay under 100 KB on first load (they need no JavaScript: there is none).
"""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from annual_forum.models import Intervention
from tests.annual_forum.conftest import pdf_bytes
from tests.annual_forum.factories import (
    DelegateFactory,
    InterventionFactory,
    MeetingFactory,
    ObserverFactory,
    PendingDelegateFactory,
    ensure_member_states,
    member_state,
)
from tests.browser.support import ensure_role_groups, field, sign_in, sign_in_with_code
from tests.browser.test_accessibility_members import Pages
from tests.members.factories import ProfileFactory, SecretariatProfileFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Switzerland on provenance metadata"
PUBLIC_LIMIT = 100_000


def _world():
    ensure_role_groups()
    ensure_member_states()
    secretariat = SecretariatProfileFactory(user__email="secretariat@example.org").user
    secret = generate_totp_secret()
    TOTP.activate(secretariat, secret)
    delegate = DelegateFactory(
        user=ProfileFactory(
            user=UserFactory(email="delegate@example.org", groups=["delegate"])
        ).user,
        full_name="Anna Keller",
    )
    meeting = MeetingFactory()
    egypt = InterventionFactory(
        meeting=meeting,
        delegation=member_state("EG"),
        published=True,
        language="ar",
        title="مداخلة مصر",
        text_source="نشكر الشبكة على **تقريرها**.",
    )
    egypt.pdf.save("eg.pdf", ContentFile(pdf_bytes()), save=False)
    egypt.pdf_sha256 = "b" * 64
    egypt.pdf_size = len(pdf_bytes())
    egypt.save()
    InterventionFactory(
        meeting=meeting,
        delegation=ObserverFactory(name="Global Creators Alliance"),
        status=Intervention.Status.ACCEPTED,
    )
    meeting.speakers_list_published = True
    meeting.current_speaker = egypt
    meeting.save()
    pending = PendingDelegateFactory(full_name="Samuel Otieno", delegation=member_state("KE"))
    return secretariat, secret, delegate, meeting, egypt, pending


def _size(page, path, live_url):
    response = page.request.get(live_url(path))
    return len(response.body())


def test_a_delegate_submits_the_secretariat_publishes_and_the_public_reads(page, live_url):
    secretariat, secret, delegate, meeting, egypt, pending = _world()
    year = meeting.year
    pages = Pages(page, live_url)

    # A visitor: the public pages, registration with its errors.
    pages.visit("/forum/", name="forum (current year)")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Annual public meeting {year}")
    pages.visit(egypt.get_absolute_url(), name="intervention (Arabic, with PDF)")
    expect(page.locator('div.forum-text[lang="ar"]')).to_contain_text("نشكر الشبكة")
    pages.visit(f"/forum/{year}/speakers/", name="speakers list")
    expect(page.get_by_role("main")).to_contain_text("Speaking now")
    pages.visit(f"/forum/{year}/record/", name="printable record")
    pages.visit("/forum/register/", name="registration")
    page.get_by_label(field("Your name")).fill("Robot")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the following")
    pages.check("registration (with errors)")
    pages.visit("/forum/register/done/", name="registration done")
    for path in (
        "/forum/",
        f"/forum/{year}/",
        egypt.get_absolute_url(),
        f"/forum/{year}/speakers/",
    ):
        assert _size(page, path, live_url) < PUBLIC_LIMIT, path

    # The delegate submits.
    sign_in(page, live_url, "delegate@example.org")
    pages.visit("/forum/delegation/", name="delegation home")
    page.get_by_role("link", name="New intervention").click()
    pages.check("new intervention")
    page.get_by_label(field("Speaker's name")).fill("Anna Keller")
    page.get_by_label(field("Speaker's title")).fill("First Secretary")
    page.get_by_label(field("Title")).fill(TITLE)
    page.get_by_role("main").get_by_label(field("Language")).select_option("en")
    page.get_by_label(field("Text")).fill("We thank the network.\n\n- labelling\n- watermarks")
    page.get_by_label("In the room").check()
    page.get_by_label("Drafted with AI assistance").check()
    page.get_by_label("AI tool (optional)").fill("DeepL Write")
    page.get_by_role("button", name="Submit to the secretariat").click()
    expect(page.get_by_role("main")).to_contain_text("State: Submitted")
    pages.check("manage intervention (submitted)")
    item = Intervention.objects.get(title=TITLE)
    page.context.clear_cookies()

    # The secretariat accepts and publishes it, and looks at its other pages.
    sign_in_with_code(page, live_url, "secretariat@example.org", secret)
    pages.visit("/secretariat/forum/interventions/", name="interventions queue")
    page.get_by_role("link", name=TITLE).click()
    pages.check("secretariat intervention")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("main")).to_contain_text("State: Accepted")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("main")).to_contain_text("State: Published")
    pages.visit("/secretariat/forum/", name="annual meetings")
    pages.visit("/secretariat/forum/new/", name="new annual meeting")
    pages.visit(f"/secretariat/forum/{year}/edit/", name="edit annual meeting")
    pages.visit(f"/secretariat/forum/{year}/speakers/", name="secretariat speakers list")
    pages.visit("/secretariat/forum/delegates/", name="delegates")
    pages.visit(f"/secretariat/forum/delegates/{pending.pk}/", name="delegate")
    pages.visit("/secretariat/forum/delegations/", name="observer organisations")
    page.context.clear_cookies()

    # An anonymous visitor finds it.
    page.goto(live_url(f"/forum/{year}/"))
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(live_url(item.get_absolute_url()))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text("Drafted with AI assistance (DeepL Write)")
    expect(page.get_by_role("main")).to_contain_text(item.text_sha256)
    pages.check("published intervention")
    assert re.search(r"lang=\"en\"", page.content())

    assert pages.report() == ""
