import csv
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aiii.audit import audit_record
from aiii.models import AuditEntry, OutboxEmail
from members.models import ExpertiseArea, MembershipApplication, Profile, StakeholderGroup
from members.views.secretariat import csv_safe
from tests.factories import ApplicationFactory, MemberProfileFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("secretariat:dashboard")
MEMBERS = reverse("secretariat:members")
EXPORT = reverse("secretariat:members_export")


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


# --- dashboard ------------------------------------------------------------------------------


def test_dashboard_shows_counts_composition_activity_and_tools(secretariat_client, secretariat):
    ApplicationFactory.create_batch(2)
    ApplicationFactory(status=MembershipApplication.Status.REJECTED)
    MemberProfileFactory(country="KE", stakeholder_group=StakeholderGroup.CIVIL_SOCIETY)
    audit_record(actor=secretariat, action="test.dashboard", reason="seen")

    response = secretariat_client.get(DASHBOARD)

    html = response.content.decode()
    counts = {row["status"]: row["count"] for row in response.context["application_counts"]}
    assert counts == {
        "unverified": 0,
        "pending": 2,
        "info_requested": 0,
        "approved": 0,
        "rejected": 1,
    }
    assert '<tr><th scope="row">Africa</th><td>1</td><td>100%</td></tr>' in html
    assert "<code>test.dashboard</code>" in html
    for url in (MEMBERS, EXPORT, reverse("audit_log")):
        assert f'href="{url}"' in html
    for name in ("secretariat:applications", "secretariat:invite"):
        assert f'href="{reverse(name)}"' in html
    assert html.count("<h1>") == 1


def test_dashboard_and_member_history_times_show_the_viewers_zone(secretariat_client, secretariat):
    Profile.objects.filter(user=secretariat).update(time_zone="Asia/Tokyo")
    profile = MemberProfileFactory()
    entry = audit_record(actor=secretariat, action="membership.note", target=profile)
    tokyo = entry.created_at.astimezone(ZoneInfo("Asia/Tokyo"))
    shown = f">{tokyo:%Y-%m-%d %H:%M} JST</time>"

    for url in (DASHBOARD, reverse("secretariat:member", args=[profile.pk])):
        html = secretariat_client.get(url).content.decode()
        assert shown in html, url


def test_dashboard_is_forbidden_to_members(member_client):
    assert member_client.get(DASHBOARD).status_code == 403


def test_secretariat_without_mfa_is_sent_to_set_it_up(client):
    from tests.factories import SecretariatProfileFactory

    client.force_login(SecretariatProfileFactory().user)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# --- members list ---------------------------------------------------------------------------


def _listed(response):
    return [profile.full_name for profile in response.context["page"]]


def test_members_list_filters_and_search(secretariat_client):
    MemberProfileFactory(full_name="Alma Active", country="KE")
    MemberProfileFactory(
        full_name="Sam Suspended", status=Profile.Status.SUSPENDED, organisation="WatermarkCo"
    )
    ApplicationFactory(full_name="Apu Applicant")

    assert _listed(secretariat_client.get(MEMBERS)) == ["Alma Active", "Sam Suspended"]
    assert _listed(secretariat_client.get(MEMBERS, {"status": "suspended"})) == ["Sam Suspended"]
    assert _listed(secretariat_client.get(MEMBERS, {"country": "KE"})) == ["Alma Active"]
    assert _listed(secretariat_client.get(MEMBERS, {"region": "africa"})) == ["Alma Active"]
    assert _listed(secretariat_client.get(MEMBERS, {"q": "watermark"})) == ["Sam Suspended"]
    html = secretariat_client.get(MEMBERS, {"country": "KE"}).content.decode()
    assert f'href="{EXPORT}?country=KE"' in html


def test_members_list_query_count_is_constant(secretariat_client):
    MemberProfileFactory()
    secretariat_client.get(MEMBERS)
    with CaptureQueriesContext(connection) as one:
        secretariat_client.get(MEMBERS)
    MemberProfileFactory.create_batch(49)
    with CaptureQueriesContext(connection) as many:
        response = secretariat_client.get(MEMBERS)
    assert len(response.context["page"]) == 25
    assert len(one) == len(many)


# --- member page, suspend and reinstate -------------------------------------------------------


def test_member_page_shows_everything_and_its_history(secretariat_client, secretariat):
    profile = MemberProfileFactory(full_name="Hana Hidden", show_email=False, show_country=False)
    audit_record(actor=secretariat, action="note.other", target=ApplicationFactory().user.profile)
    audit_record(actor=secretariat, action="membership.note", target=profile, reason="Checked")
    response = secretariat_client.get(reverse("secretariat:member", args=[profile.pk]))
    html = response.content.decode()
    assert profile.user.email in html and "Switzerland" in html
    assert [e.action for e in response.context["history"]] == ["membership.note"]
    assert f'action="/secretariat/members/{profile.pk}/suspend/"' in html
    assert "/reinstate/" not in html


def test_member_history_is_paginated_to_the_oldest_entry(secretariat_client, secretariat, settings):
    settings.AIII_PAGE_SIZE = 2
    profile = MemberProfileFactory()
    for n in range(3):
        audit_record(actor=secretariat, action=f"membership.note{n}", target=profile)
    url = reverse("secretariat:member", args=[profile.pk])

    first = secretariat_client.get(url)
    last = secretariat_client.get(url, {"page": 2})

    assert [e.action for e in first.context["history"]] == ["membership.note2", "membership.note1"]
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert [e.action for e in last.context["history"]] == ["membership.note0"]
    assert "Page 2 of 2 (3 in all)" in last.content.decode()


def test_member_page_query_count_does_not_grow_with_its_history(secretariat_client, secretariat):
    profile = MemberProfileFactory()
    audit_record(actor=secretariat, action="membership.note", target=profile)
    url = reverse("secretariat:member", args=[profile.pk])
    secretariat_client.get(url)  # the session's first request records it
    with CaptureQueriesContext(connection) as one:
        secretariat_client.get(url)
    for _n in range(30):
        audit_record(actor=secretariat, action="membership.note", target=profile)
    with CaptureQueriesContext(connection) as many:
        response = secretariat_client.get(url)
    assert len(response.context["history"]) == 25
    assert len(one) == len(many)


def test_member_page_of_an_applicant_is_404(secretariat_client):
    profile = ApplicationFactory().user.profile
    assert (
        secretariat_client.get(reverse("secretariat:member", args=[profile.pk])).status_code == 404
    )


def test_suspend_through_the_page_signs_the_member_out(
    secretariat_client, django_capture_on_commit_callbacks
):
    profile = MemberProfileFactory(full_name="Suzy Suspended")
    member_browser = Client()
    member_browser.force_login(profile.user)
    assert member_browser.get(reverse("members:directory")).status_code == 200
    member_key = member_browser.session.session_key

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("secretariat:member_suspend", args=[profile.pk]),
            {"suspend-reason": "Shared minutes outside the network."},
            follow=True,
        )

    assert "Suzy Suspended is suspended and signed out everywhere" in response.content.decode()
    assert not Session.objects.filter(session_key=member_key).exists()
    profile.refresh_from_db()
    assert profile.status == Profile.Status.SUSPENDED
    assert AuditEntry.objects.get(action="membership.suspend").reason == (
        "Shared minutes outside the network."
    )
    assert OutboxEmail.objects.get().to == [profile.user.email]
    after = member_browser.get(reverse("members:directory"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("account_login"))


def test_suspended_member_with_a_surviving_session_is_signed_out(secretariat):
    """Even a session the portal never recorded is refused: the account is inactive."""
    from members.services.people import membership_suspend

    profile = MemberProfileFactory()
    browser = Client()
    browser.force_login(profile.user)  # no request yet, so the session is not tracked
    membership_suspend(profile=profile, by=secretariat, reason="Test.")
    response = browser.get(reverse("members:directory"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_suspend_needs_a_reason(secretariat_client):
    profile = MemberProfileFactory()
    response = secretariat_client.post(
        reverse("secretariat:member_suspend", args=[profile.pk]), {"suspend-reason": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and "This field is required." in html
    profile.refresh_from_db()
    assert profile.status == Profile.Status.ACTIVE


def test_double_suspend_is_refused_clearly(secretariat_client):
    profile = MemberProfileFactory(full_name="Dana Double")
    url = reverse("secretariat:member_suspend", args=[profile.pk])
    secretariat_client.post(url, {"suspend-reason": "Once."})
    response = secretariat_client.post(url, {"suspend-reason": "Twice."}, follow=True)
    assert (
        "Dana Double is not an active member (now: Suspended); nothing was changed."
        in response.content.decode()
    )
    assert list(AuditEntry.objects.values_list("reason", flat=True)) == ["Once."]


def test_reinstate_through_the_page(secretariat_client, secretariat):
    from members.services.people import membership_suspend

    profile = MemberProfileFactory(full_name="Rene Returned")
    membership_suspend(profile=profile, by=secretariat, reason="Review.")
    page = secretariat_client.get(reverse("secretariat:member", args=[profile.pk]))
    assert "/suspend/" not in page.content.decode()
    response = secretariat_client.post(
        reverse("secretariat:member_reinstate", args=[profile.pk]),
        {"reinstate-reason": "Review done."},
        follow=True,
    )
    assert "Rene Returned is reinstated and can sign in again" in response.content.decode()
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert (profile.status, profile.user.is_active) == (Profile.Status.ACTIVE, True)
    browser = Client()
    browser.force_login(profile.user)
    assert browser.get(reverse("members:directory")).status_code == 200


def test_suspend_is_forbidden_to_members(member_client):
    profile = MemberProfileFactory()
    response = member_client.post(
        reverse("secretariat:member_suspend", args=[profile.pk]), {"suspend-reason": "x"}
    )
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.status == Profile.Status.ACTIVE


# --- export ---------------------------------------------------------------------------------


def test_export_csv(secretariat_client, secretariat):
    area = ExpertiseArea.objects.order_by("position").first()
    alice = MemberProfileFactory(
        full_name="Zoë Ünicode",
        organisation='=HYPERLINK("http://evil")',
        country="KE",
        stakeholder_group=StakeholderGroup.CREATOR,
        show_email=False,
    )
    alice.expertise.add(area)
    MemberProfileFactory(full_name="Bo Suspended", status=Profile.Status.SUSPENDED)
    ApplicationFactory(full_name="Not A Member")

    response = secretariat_client.get(EXPORT)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="aiii-members-')
    rows = _csv(response)
    assert rows[0] == [
        "Name",
        "Email",
        "Organisation",
        "Stakeholder group",
        "Country",
        "Region",
        "Areas of expertise",
        "Status",
        "Member since",
    ]
    assert rows[1][:8] == [
        "Bo Suspended",
        rows[1][1],
        rows[1][2],
        "Academia",
        "Switzerland",
        "Europe",
        "",
        "Suspended",
    ]
    assert rows[2] == [
        "Zoë Ünicode",
        alice.user.email,
        '\'=HYPERLINK("http://evil")',
        "Individual creator",
        "Kenya",
        "Africa",
        area.name,
        "Active member",
        alice.member_since.date().isoformat(),
    ]
    assert len(rows) == 3
    entry = AuditEntry.objects.get(action="members.export")
    assert (entry.actor, entry.data) == (secretariat, {"filters": {}})


def test_export_respects_filters(secretariat_client):
    MemberProfileFactory(full_name="In Kenya", country="KE")
    MemberProfileFactory(full_name="In Chile", country="CL")
    rows = _csv(secretariat_client.get(EXPORT, {"country": "KE"}))
    assert [row[0] for row in rows[1:]] == ["In Kenya"]


def test_export_query_count_is_constant(secretariat_client):
    areas = list(ExpertiseArea.objects.all()[:3])
    MemberProfileFactory().expertise.set(areas)
    _csv(secretariat_client.get(EXPORT))
    with CaptureQueriesContext(connection) as one:
        assert len(_csv(secretariat_client.get(EXPORT))) == 2
    for profile in MemberProfileFactory.create_batch(49):
        profile.expertise.set(areas)
    with CaptureQueriesContext(connection) as many:
        assert len(_csv(secretariat_client.get(EXPORT))) == 51
    assert len(one) == len(many)


def test_export_is_forbidden_to_members(member_client):
    MemberProfileFactory(full_name="Private Person")
    response = member_client.get(EXPORT)
    assert response.status_code == 403
    assert "Private Person" not in response.content.decode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+41 22", "'+41 22"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("plain", "plain"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected
