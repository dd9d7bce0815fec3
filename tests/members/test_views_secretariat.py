import csv
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aiii.audit import audit_record
from aiii.csv_export import spreadsheet_text as csv_safe
from aiii.models import AuditEntry, OutboxEmail, Session
from members.models import ExpertiseArea, MembershipApplication, Profile, StakeholderGroup
from tests.members.factories import ApplicationFactory, MemberProfileFactory

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
    for url in (MEMBERS, reverse("secretariat:audit_log")):
        assert f'href="{url}"' in html
    # The export is a POST with the CSRF token, never a link.
    assert f'href="{EXPORT}"' not in html
    assert re.search(
        rf'<form method="post" action="{re.escape(EXPORT)}" class="inline-form">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">'
        r'<button type="submit" class="link-button">Export members as CSV</button></form>',
        html,
    )
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
    from tests.members.factories import SecretariatProfileFactory

    client.force_login(SecretariatProfileFactory().user)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == reverse("secretariat:mfa_enrolment")


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
    # The export form under the list carries its filters.
    export = re.search(rf'<form method="post" action="{re.escape(EXPORT)}".*?</form>', html, re.S)
    assert export, html
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', export.group(0))
    assert [name for name, _value in fields] == ["csrfmiddlewaretoken", "country"]
    assert fields[1] == ("country", "KE")
    assert ">Export these members as CSV</button>" in export.group(0)
    assert f'href="{EXPORT}' not in html


def test_members_list_query_count_is_constant(secretariat_client):
    MemberProfileFactory()
    secretariat_client.get(MEMBERS)
    cache.clear()  # the list rendered, not served from the cache (aiii/fragments.py)
    with CaptureQueriesContext(connection) as one:
        secretariat_client.get(MEMBERS)
    MemberProfileFactory.create_batch(49)
    with CaptureQueriesContext(connection) as many:
        response = secretariat_client.get(MEMBERS)
    assert len(response.context["page"]) == 25
    assert len(one) == len(many)
    with CaptureQueriesContext(connection) as cached:
        assert secretariat_client.get(MEMBERS).status_code == 200
    assert len(cached) == 1, [q["sql"] for q in cached]


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
            {
                "suspend-reason": "Shared minutes outside the network.",
                "suspend-version": 1,
                "suspend-confirm": "on",
            },
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
    assert 'class="error-summary"' in html
    # Messages that say what is needed, linked from the summary (not "This field is required.")
    assert (
        '<a href="#id_suspend-reason">Enter the reason: the member receives it by email.</a>'
        in html
    )
    assert (
        '<a href="#id_suspend-confirm">Tick the box to confirm the suspension; nothing was changed.</a>'
        in html
    )
    profile.refresh_from_db()
    assert profile.status == Profile.Status.ACTIVE


def test_double_suspend_is_refused_clearly(secretariat_client):
    profile = MemberProfileFactory(full_name="Dana Double")
    url = reverse("secretariat:member_suspend", args=[profile.pk])
    secretariat_client.post(
        url, {"suspend-reason": "Once.", "suspend-version": 1, "suspend-confirm": "on"}
    )
    # The same page submitted again: refused, with the member's state as it is now (409).
    response = secretariat_client.post(
        url, {"suspend-reason": "Twice.", "suspend-version": 1, "suspend-confirm": "on"}
    )
    assert response.status_code == 409
    assert (
        "Dana Double changed since you opened the page (now: Suspended); nothing was changed."
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
        {"reinstate-reason": "Review done.", "reinstate-version": profile.version + 1},
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


# --- correcting the vetted details ------------------------------------------------------------


def _correct_url(profile):
    return reverse("secretariat:member_correct", args=[profile.pk])


def _correct_data(profile, **changes):
    data = {
        "correct-full_name": profile.full_name,
        "correct-organisation": profile.organisation,
        "correct-stakeholder_group": profile.stakeholder_group,
        "correct-country": profile.country,
        "correct-reason": "",
        "correct-version": profile.version,
    }
    data.update({f"correct-{name}": value for name, value in changes.items()})
    return data


def test_member_page_offers_the_correction_form_filled_in(secretariat_client):
    profile = MemberProfileFactory(full_name="Fay Filled", organisation="Filled Org", country="KE")
    html = secretariat_client.get(reverse("secretariat:member", args=[profile.pk])).content.decode()
    assert '<h2 id="correct-heading">Correct the vetted details</h2>' in html
    assert f'action="/secretariat/members/{profile.pk}/correct/"' in html
    assert 'name="correct-full_name" value="Fay Filled"' in html
    assert 'name="correct-organisation" value="Filled Org"' in html
    assert '<option value="KE" selected>Kenya</option>' in html
    assert '<option value="academia" selected>Academia</option>' in html
    assert f'type="hidden" name="correct-version" value="{profile.version}"' in html
    assert 'id="id_correct-reason"' in html


def test_correct_through_the_page(
    secretariat_client, secretariat, django_capture_on_commit_callbacks
):
    profile = MemberProfileFactory(full_name="Cal Wrong", organisation="Old Org")

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            _correct_url(profile),
            _correct_data(
                profile, full_name="Cal Right", organisation="New Org", reason="Typo at approval."
            ),
            follow=True,
        )

    assert response.redirect_chain == [(reverse("secretariat:member", args=[profile.pk]), 302)]
    html = response.content.decode()
    assert "The details of Cal Right are corrected; they have been emailed the changes." in html
    assert (
        '<td>Member details corrected <code class="audit-code">member.correct</code></td>' in html
    )
    assert "Typo at approval." in html
    profile.refresh_from_db()
    assert (profile.full_name, profile.organisation, profile.country) == (
        "Cal Right",
        "New Org",
        "CH",
    )
    entry = AuditEntry.objects.get(action="member.correct")
    assert (entry.actor, entry.data) == (
        secretariat,
        {
            "before": {"full_name": "Cal Wrong", "organisation": "Old Org"},
            "after": {"full_name": "Cal Right", "organisation": "New Org"},
        },
    )
    email = OutboxEmail.objects.get()
    assert email.to == [profile.user.email]
    assert "- Organisation: now New Org (was Old Org)" in email.body_text


def test_correct_shows_errors_beside_the_fields_and_keeps_the_input(secretariat_client):
    profile = MemberProfileFactory(full_name="Kim Kept")
    response = secretariat_client.post(
        _correct_url(profile),
        _correct_data(profile, full_name="", organisation="Typed Org", country="XX", reason=""),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert (
        '<ul class="errorlist" id="id_correct-full_name_error"><li>Enter “Name”: it is needed.'
        in html
    )
    assert (
        '<ul class="errorlist" id="id_correct-reason_error"><li>Enter “Reason”: it is needed.'
        in html
    )
    assert 'id="id_correct-country_error"><li>Select a valid choice.' in html
    assert 'name="correct-organisation" value="Typed Org"' in html
    profile.refresh_from_db()
    assert profile.full_name == "Kim Kept"
    assert not AuditEntry.objects.exists() and not OutboxEmail.objects.exists()


def test_correct_with_nothing_changed_says_so(secretariat_client):
    profile = MemberProfileFactory()
    response = secretariat_client.post(
        _correct_url(profile), _correct_data(profile, reason="Just checking.")
    )
    assert response.status_code == 400
    assert "Nothing to correct: change at least one of the details." in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_correct_on_a_stale_page_is_refused_and_shows_the_new_details(secretariat_client):
    profile = MemberProfileFactory(full_name="Sol Original", organisation="First Org")
    opened = _correct_data(profile, organisation="Second Org", reason="Moved jobs.")
    # Another secretariat user corrects the name while this page is open.
    other = secretariat_client.post(
        _correct_url(profile),
        _correct_data(profile, full_name="Sol Renamed", reason="Spelling."),
    )
    assert other.status_code == 302
    profile.refresh_from_db()

    response = secretariat_client.post(_correct_url(profile), opened)

    assert response.status_code == 409
    html = response.content.decode()
    assert (
        "The details of Sol Renamed changed since you opened the page; nothing was changed." in html
    )
    assert "<h1>Sol Renamed" in html
    # What was typed is kept (the old name too, for the user to reconsider), and the form now
    # carries the new state, so a second submit is a deliberate one.
    assert 'name="correct-organisation" value="Second Org"' in html
    assert 'name="correct-full_name" value="Sol Original"' in html
    assert f'name="correct-version" value="{profile.version}"' in html
    unchanged = Profile.objects.get(pk=profile.pk)
    assert (unchanged.full_name, unchanged.organisation) == ("Sol Renamed", "First Org")
    assert list(AuditEntry.objects.values_list("reason", flat=True)) == ["Spelling."]
    assert OutboxEmail.objects.count() == 1


def test_correct_of_an_unknown_or_not_member_profile_is_404(secretariat_client):
    applicant = ApplicationFactory().user.profile
    for pk in (applicant.pk, 999999):
        response = secretariat_client.post(
            reverse("secretariat:member_correct", args=[pk]),
            {"correct-full_name": "X", "correct-reason": "Y"},
        )
        assert response.status_code == 404, pk
    assert not AuditEntry.objects.exists()


def test_correct_by_get_leads_back_to_the_member_page(secretariat_client):
    # e.g. reloading the address a refused correction was shown at: the page, not a 405
    profile = MemberProfileFactory()
    response = secretariat_client.get(_correct_url(profile))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("secretariat:member", args=[profile.pk]),
    )


def test_correct_is_forbidden_to_members(member_client):
    profile = MemberProfileFactory(full_name="Not Yours")
    response = member_client.post(
        _correct_url(profile), _correct_data(profile, full_name="Hijacked", reason="x")
    )
    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.full_name == "Not Yours"
    assert not AuditEntry.objects.exists()


def test_correct_sends_anonymous_visitors_to_sign_in(client):
    profile = MemberProfileFactory(full_name="Not Yours")
    response = client.post(
        _correct_url(profile), _correct_data(profile, full_name="Hijacked", reason="x")
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    profile.refresh_from_db()
    assert profile.full_name == "Not Yours"


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

    response = secretariat_client.post(EXPORT)

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
    rows = _csv(secretariat_client.post(EXPORT, {"country": "KE"}))
    assert [row[0] for row in rows[1:]] == ["In Kenya"]


def test_export_query_count_is_constant(secretariat_client):
    areas = list(ExpertiseArea.objects.all()[:3])
    MemberProfileFactory().expertise.set(areas)
    _csv(secretariat_client.post(EXPORT))
    with CaptureQueriesContext(connection) as one:
        assert len(_csv(secretariat_client.post(EXPORT))) == 2
    for profile in MemberProfileFactory.create_batch(49):
        profile.expertise.set(areas)
    with CaptureQueriesContext(connection) as many:
        assert len(_csv(secretariat_client.post(EXPORT))) == 51
    assert len(one) == len(many)


def test_export_is_forbidden_to_members(member_client):
    MemberProfileFactory(full_name="Private Person")
    for response in (member_client.get(EXPORT), member_client.post(EXPORT)):
        assert response.status_code == 403
        assert "Private Person" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="members.export").exists()


def test_export_by_get_is_refused_and_records_nothing(secretariat_client):
    # A link (or an <img>) from another site cannot export the list or write to the audit log.
    MemberProfileFactory(full_name="Private Person")
    response = secretariat_client.get(EXPORT, {"country": "KE"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Private Person" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="members.export").exists()


def test_export_needs_the_csrf_token(secretariat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    response = client.post(EXPORT)
    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "errors/403_csrf.html"
    assert not AuditEntry.objects.filter(action="members.export").exists()


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


def test_dashboard_panels_are_kept_until_their_data_changes(secretariat_client, secretariat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ApplicationFactory()
    MemberProfileFactory(country="KE", stakeholder_group=StakeholderGroup.CIVIL_SOCIETY)
    secretariat_client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as first:
        secretariat_client.get(DASHBOARD)
    ApplicationFactory(status=MembershipApplication.Status.REJECTED)
    MemberProfileFactory(country="KE", stakeholder_group=StakeholderGroup.CIVIL_SOCIETY)
    audit_record(actor=secretariat, action="test.kept", reason="seen")
    with CaptureQueriesContext(connection) as renewed:
        html = secretariat_client.get(DASHBOARD).content.decode()
    # Each change shows at once: the counts, the charts and the recent activity.
    assert re.search(r'status=rejected">Rejected</a></th>\s*<td>1</td>', html)
    assert '<tr><th scope="row">Africa</th><td>2</td><td>100%</td></tr>' in html
    assert "<code>test.kept</code>" in html
    # Kept again: counting applications and members and reading the log are not repeated.
    with CaptureQueriesContext(connection) as kept:
        assert secretariat_client.get(DASHBOARD).content.decode().count("<h2") == html.count("<h2")
    assert len(kept) == len(first) < len(renewed)
