"""Topic threads in the browser: a member starts a thread, another replies quoting it; axe-core
at WCAG 2.2 AA and the 320 px reflow on every page type of the topics app."""

import importlib
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from playwright.sync_api import expect

from tests.browser.support import (
    ensure_expertise_areas,
    ensure_role_groups,
    field,
    sign_in,
    sign_in_with_code,
)
from tests.browser.test_accessibility_members import Pages
from tests.members.factories import MemberProfileFactory, SecretariatProfileFactory
from topics.models import Post, Thread
from topics.services.moderation import post_flag
from topics.services.notifications import unsubscribe_token

pytestmark = pytest.mark.django_db(transaction=True)


def _topics():
    """The topics of the areas, from their data migration (a flush may have removed them)."""
    ensure_role_groups()
    ensure_expertise_areas()
    importlib.import_module("topics.migrations.0002_topics_for_areas").add_topics(apps, None)


def test_start_a_thread_reply_with_a_quote_and_every_topics_page_passes_axe(page, live_url):
    _topics()
    alice = MemberProfileFactory(full_name="Alice Moreau", user__email="alice@example.org").user
    bob = MemberProfileFactory(full_name="Bob Okafor", user__email="bob@example.org").user
    secretariat = SecretariatProfileFactory(user__email="secretariat@example.org").user
    secret = generate_totp_secret()
    TOTP.activate(secretariat, secret)
    pages = Pages(page, live_url)

    # Alice starts a thread.
    sign_in(page, live_url, alice.email)
    pages.visit("/topics/", name="topic list")
    page.get_by_role("link", name="Watermarking and provenance").click()
    pages.check("topic page")
    page.get_by_role("link", name="Start a thread").click()
    pages.check("new thread form")
    page.get_by_label(field("Title")).fill("Do credentials survive re-encoding?")
    page.get_by_label(field("Your post")).fill("Most **lost** their manifest.\nOne in ten kept it.")
    page.get_by_role("button", name="Start the thread").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Do credentials survive re-encoding?")
    pages.check("thread page")
    thread = Thread.objects.get()
    first = thread.posts.get()
    page.get_by_role("button", name="Post the reply").click()  # empty: errors shown
    expect(page.locator(".error-summary")).to_be_visible()
    pages.check("reply form with errors")
    pages.visit(f"/topics/post/{first.pk}/edit/", name="edit form")
    pages.visit("/search/?q=manifest", name="search results")
    expect(page.locator(".excerpt mark").first).to_have_text(re.compile("manifest", re.I))
    page.context.clear_cookies()

    # Bob replies, quoting her.
    sign_in(page, live_url, bob.email)
    page.goto(live_url(thread.get_absolute_url()))
    page.get_by_role("link", name="Quote post 1").click()
    source = page.get_by_label(field("Your post"))
    expect(source).to_have_value(re.compile(r"> Most \*\*lost\*\* their manifest\.\n> One in ten"))
    pages.check("reply form with a quote")
    source.fill(source.input_value() + "Same here: one in eight.")
    page.get_by_label("Written with AI assistance").check()
    page.get_by_role("button", name="Post the reply").click()
    second = Post.objects.get(thread=thread, number=2)
    expect(page).to_have_url(live_url(f"/topics/thread/{thread.pk}/?page=1#post-{second.pk}"))
    reply = page.locator(f"#post-{second.pk}")
    expect(reply.locator("blockquote")).to_contain_text("Most lost their manifest.")
    expect(reply).to_contain_text("Written with AI assistance")
    pages.visit(f"/topics/post/{first.pk}/flag/", name="flag form")
    page.context.clear_cookies()
    pages.visit(f"/topics/unsubscribe/{unsubscribe_token(bob)}/", name="unsubscribe page")

    # The secretariat's pages.
    post_flag(post=second, by=alice, reason="Please check the figure.")
    from topics.services.posts import post_edit

    post_edit(post=first, by=alice, source="Edited.", ai_disclosure="none", version=1)
    sign_in_with_code(page, live_url, secretariat.email, secret)
    pages.visit("/secretariat/topics/", name="secretariat topics")
    pages.visit("/secretariat/topics/watermarking-provenance/edit/", name="topic edit")
    pages.visit("/secretariat/topics/flags/", name="flag queue")
    pages.visit(f"/topics/post/{first.pk}/history/", name="post history")
    pages.visit(f"/topics/thread/{thread.pk}/?page=1", name="thread page for the secretariat")
    assert not pages.problems, pages.report()
