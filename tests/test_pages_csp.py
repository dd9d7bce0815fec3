"""Every page type works under the strict CSP and loads nothing from a third party.

No inline script (JSON data blocks excepted: they are not executed), no style attribute, no
event-handler attribute, and every script, stylesheet and image comes from the portal itself.
"""

import re

import pytest
from django.urls import reverse

from members.services.applications import application_request_info
from tests.members.factories import ApplicationFactory, MemberProfileFactory

TAG = re.compile(r"<(script|link|img|iframe|style)\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""\s([a-z:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)


def problems(html):
    found = []
    for tag, attributes in TAG.findall(html):
        attrs = {name.lower(): value.strip("\"'") for name, value in ATTRIBUTE.findall(attributes)}
        tag = tag.lower()
        if tag == "style":
            found.append("<style> element")
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            found.append("inline <script>")
        for name in ("src", "href"):
            url = attrs.get(name, "")
            if tag != "a" and re.match(r"^(https?:)?//", url):
                found.append(f"third-party {tag} {name}={url}")
    if re.search(r"<[a-z][^>]*\sstyle\s*=", html, re.IGNORECASE):
        found.append("style attribute")
    if re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.IGNORECASE):
        found.append("event-handler attribute")
    return found


def test_the_checker_sees_what_it_looks_for():
    assert problems('<p style="color:red">x</p>') == ["style attribute"]
    assert problems("<script>alert(1)</script>") == ["inline <script>"]
    assert problems('<script src="https://cdn.example.com/x.js"></script>') == [
        "third-party script src=https://cdn.example.com/x.js"
    ]
    assert problems('<img src="/static/x.png" onerror="x()">') == ["event-handler attribute"]
    assert problems('<script type="application/json">{}</script><a href="https://e.org">') == []


@pytest.mark.django_db
def test_public_pages(client):
    for name in ("landing", "about", "account_login", "account_reset_password", "members:apply"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert problems(response.content.decode()) == [], name


@pytest.mark.django_db
def test_member_pages(member_client, member):
    other = MemberProfileFactory()
    for url in (
        reverse("members:directory"),
        reverse("members:profile", kwargs={"pk": other.pk}),
        reverse("members:me"),
        reverse("mfa_index"),
    ):
        response = member_client.get(url)
        assert response.status_code == 200, url
        assert problems(response.content.decode()) == [], url


@pytest.mark.django_db
def test_applicant_pages(client, secretariat):
    application = ApplicationFactory()
    application_request_info(
        application=application, by=secretariat, version=application.version, message="More?"
    )
    client.force_login(application.user)
    for name in ("members:application_status", "members:application_amend"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert problems(response.content.decode()) == [], name


@pytest.mark.django_db
def test_secretariat_pages(secretariat_client):
    application = ApplicationFactory()
    member = MemberProfileFactory()
    for url in (
        reverse("secretariat:dashboard"),
        reverse("secretariat:applications"),
        reverse("secretariat:application", kwargs={"pk": application.pk}),
        reverse("secretariat:invite"),
        reverse("secretariat:members"),
        reverse("secretariat:member", kwargs={"pk": member.pk}),
        reverse("secretariat:audit_log"),
    ):
        response = secretariat_client.get(url)
        assert response.status_code == 200, url
        assert problems(response.content.decode()) == [], url
