"""The members' emails: every one has a plain and an HTML part, the HTML one on the shared
layout (templates/email/base.html), which sets the language and the direction."""

from pathlib import Path

import pytest
from django.urls import reverse

from aiii.outbox import render_email
from members.models import Invitation
from tests.members.factories import ApplicationFactory, MemberProfileFactory

EMAILS = Path(__file__).resolve().parents[2] / "members" / "templates" / "members" / "email"


def _context(name):
    if name.startswith("membership_"):
        return {"profile": MemberProfileFactory(full_name="Ana"), "reason": "A reason."}
    if name == "profile_corrected":
        changes = [{"label": "name", "before": "Anna", "after": "Ana"}]
        return {
            "profile": MemberProfileFactory(full_name="Ana"),
            "reason": "R.",
            "changes": changes,
        }
    if name == "invitation":
        return {"invitation": Invitation(full_name="Ana"), "url": "https://x.example", "days": 3}
    return {"application": ApplicationFactory(full_name="Ana"), "message": "M.", "reason": "R."}


def test_every_plain_email_has_an_html_part():
    plain = {p.stem for p in EMAILS.glob("*.txt") if not p.stem.endswith("_subject")}
    html = {p.stem for p in EMAILS.glob("*.html")}
    assert "membership_suspended" in plain
    assert plain == html


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(p.stem for p in EMAILS.glob("*.html")))
def test_html_emails_use_the_shared_layout(name, settings):
    settings.AIII_LANGUAGES_READY = ["en", "ar"]
    _subject, _text, html = render_email(
        template=f"members/email/{name}", context=_context(name), language="ar"
    )
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="ar" dir="rtl">' in html
    assert html.count("<head>") == 1
    assert '<p class="brand">' in html
    assert "Ana" in html or name == "application_duplicate"


@pytest.mark.django_db
def test_the_rejection_email_links_to_a_live_page(client):
    _subject, text, _html = render_email(
        template="members/email/application_rejected", context=_context("application_rejected")
    )
    landing = reverse("landing")
    assert f"http://testserver{landing}\n" in text
    assert client.get(landing).status_code == 200


@pytest.mark.django_db
def test_an_email_never_claims_a_language_not_yet_translated(settings):
    settings.AIII_LANGUAGES_READY = ["en"]
    _subject, _text, html = render_email(
        template="members/email/membership_suspended",
        context=_context("membership_suspended"),
        language="ar",
    )
    assert '<html lang="en" dir="ltr">' in html
