from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aiii.models import AuditEntry, OutboxEmail
from members.models import ApplicationEvent, Invitation, MembershipApplication, Profile
from members.services.invitations import invitation_create
from tests.members.factories import ApplicationFactory, MemberProfileFactory, UserFactory

Status = MembershipApplication.Status


def urls(application):
    return [
        "/secretariat/applications/",
        f"/secretariat/applications/{application.pk}/",
        "/secretariat/invitations/new/",
    ]


@pytest.mark.django_db
def test_only_the_secretariat_enters(client, secretariat):
    application = ApplicationFactory()
    applicant = ApplicationFactory().user
    member = MemberProfileFactory().user
    outsider = UserFactory()

    for url in urls(application):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")
    for user in (applicant, member, outsider):
        client.force_login(user)
        for url in urls(application):
            assert client.get(url).status_code == 403, (user, url)
        for action in ("approve", "reject", "request-info"):
            url = f"/secretariat/applications/{application.pk}/{action}/"
            assert client.post(url, {f"{action}-version": 1}).status_code == 403
    client.force_login(secretariat)
    for url in urls(application):
        assert client.get(url).status_code == 200, url
    assert MembershipApplication.objects.get(pk=application.pk).status == Status.PENDING


@pytest.mark.django_db
def test_queue_lists_verified_applications_with_filters(secretariat_client):
    ApplicationFactory(full_name="Pending Person", country="KE", stakeholder_group="academia")
    ApplicationFactory(full_name="Asked Person", status=Status.INFO_REQUESTED)
    ApplicationFactory(full_name="Approved Person", status=Status.APPROVED)
    ApplicationFactory(full_name="Unverified Person", status=Status.UNVERIFIED, submitted_at=None)
    invitation, _token = invitation_create(
        by=MemberProfileFactory().user, full_name="N", email="n@example.org"
    )
    ApplicationFactory(full_name="Nominated Person", invitation=invitation)

    html = secretariat_client.get("/secretariat/applications/").content.decode()
    assert "Pending Person" in html
    assert "Asked Person" in html
    assert "Nominated Person" in html
    assert html.count("Nominated</span>") == 1
    assert "Approved Person" not in html
    assert "Unverified Person" not in html

    html = secretariat_client.get("/secretariat/applications/?status=all").content.decode()
    assert "Approved Person" in html
    assert "Unverified Person" not in html
    html = secretariat_client.get("/secretariat/applications/?region=africa").content.decode()
    assert "Pending Person" in html
    assert "Asked Person" not in html
    html = secretariat_client.get("/secretariat/applications/?q=asked").content.decode()
    assert "Asked Person" in html
    assert "Pending Person" not in html
    html = secretariat_client.get(
        "/secretariat/applications/?stakeholder_group=academia&country=KE"
    ).content.decode()
    assert "Pending Person" in html
    assert "Asked Person" not in html


@pytest.mark.django_db
def test_queue_query_count_is_constant(secretariat_client):
    ApplicationFactory()
    secretariat_client.get("/secretariat/applications/")  # warm the session
    cache.clear()  # the queue rendered, not served from the cache (aiii/fragments.py)
    with CaptureQueriesContext(connection) as one:
        assert secretariat_client.get("/secretariat/applications/").status_code == 200
    ApplicationFactory.create_batch(49)
    with CaptureQueriesContext(connection) as many:
        response = secretariat_client.get("/secretariat/applications/")
    assert response.content.decode().count('href="/secretariat/applications/') >= 25
    assert len(one) == len(many), [q["sql"] for q in many]
    with CaptureQueriesContext(connection) as cached:
        assert _main(secretariat_client.get("/secretariat/applications/").content) == _main(
            response.content
        )
    assert len(cached) == 1, [q["sql"] for q in cached]


@pytest.mark.django_db
def test_detail_shows_the_application_history_and_composition(secretariat_client, secretariat):
    MemberProfileFactory(stakeholder_group="academia", country="KE")
    application = ApplicationFactory(
        full_name="Dora Detail", declaration_of_interests="Advisor to a watermarking start-up."
    )
    ApplicationEvent.objects.create(
        application=application, kind=ApplicationEvent.Kind.VERIFIED, actor=application.user
    )

    html = secretariat_client.get(f"/secretariat/applications/{application.pk}/").content.decode()

    assert html.count("<h1>") == 1
    assert "Dora Detail" in html
    assert "Advisor to a watermarking start-up." in html
    assert "Email verified" in html
    assert "Network composition" in html
    assert "Active members by region" in html
    assert 'name="approve-version" value="1"' in html
    assert 'name="reject-version" value="1"' in html
    assert 'name="info-version" value="1"' in html


@pytest.mark.django_db
def test_unverified_or_missing_applications_are_404(secretariat_client):
    unverified = ApplicationFactory(status=Status.UNVERIFIED, submitted_at=None)

    assert secretariat_client.get(f"/secretariat/applications/{unverified.pk}/").status_code == 404
    assert secretariat_client.get("/secretariat/applications/999999/").status_code == 404
    response = secretariat_client.post(
        f"/secretariat/applications/{unverified.pk}/approve/", {"approve-version": 1}
    )
    assert response.status_code == 404
    unverified.refresh_from_db()
    assert unverified.status == Status.UNVERIFIED


@pytest.mark.django_db
def test_approve_from_the_page(secretariat_client, secretariat):
    application = ApplicationFactory()
    url = f"/secretariat/applications/{application.pk}/approve/"

    response = secretariat_client.post(url, {"approve-version": 1, "approve-note": "Good fit."})

    assert response["Location"] == f"/secretariat/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.user.profile.status == Profile.Status.ACTIVE
    assert application.user.groups.filter(name="member").exists()
    assert AuditEntry.objects.get().action == "application.approve"
    assert OutboxEmail.objects.get().to == [application.email]
    page = secretariat_client.get(response["Location"]).content.decode()
    assert "is now a member" in page
    assert "This application has been decided" in page
    assert "Good fit." in page

    # The same (now stale) form again: refused with a clear message, nothing applied twice.
    again = secretariat_client.post(url, {"approve-version": 1})
    assert again.status_code == 409
    assert "Decision not applied" in again.content.decode()
    assert "changed after you opened the page" in again.content.decode()
    assert AuditEntry.objects.count() == 1
    assert OutboxEmail.objects.count() == 1
    assert application.events.filter(kind=ApplicationEvent.Kind.APPROVED).count() == 1


@pytest.mark.django_db
def test_reject_needs_a_reason(secretariat_client):
    application = ApplicationFactory()
    url = f"/secretariat/applications/{application.pk}/reject/"

    response = secretariat_client.post(url, {"reject-version": 1, "reject-reason": ""})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert '<a href="#id_reject-reason">' in html
    application.refresh_from_db()
    assert application.status == Status.PENDING
    assert not OutboxEmail.objects.exists()

    secretariat_client.post(
        url, {"reject-version": 1, "reject-reason": "Not in scope.", "reject-confirm": "on"}
    )
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert "Not in scope." in OutboxEmail.objects.get().body_text


@pytest.mark.django_db
def test_request_information_from_the_page(secretariat_client):
    application = ApplicationFactory()
    url = f"/secretariat/applications/{application.pk}/request-info/"

    secretariat_client.post(url, {"info-version": 1, "info-message": "Your employer?"})

    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED
    event = application.events.get()
    assert event.message == "Your employer?"
    email = OutboxEmail.objects.get()
    assert email.subject == "[AIII Exchange] Your AIII application: more information needed"
    assert "Your employer?" in email.body_text


@pytest.mark.django_db
def test_invite_a_nominated_expert(secretariat_client, secretariat):
    response = secretariat_client.post(
        "/secretariat/invitations/new/",
        {"full_name": "Nora Nominee", "email": "nora@example.org", "note": "Welcome."},
    )

    assert response["Location"] == "/secretariat/invitations/new/"
    invitation = Invitation.objects.get()
    assert (invitation.full_name, invitation.email, invitation.created_by) == (
        "Nora Nominee",
        "nora@example.org",
        secretariat,
    )
    email = OutboxEmail.objects.get()
    assert email.to == ["nora@example.org"]
    assert "/apply/invitation/" in email.body_text
    assert AuditEntry.objects.get().action == "invitation.create"
    page = secretariat_client.get("/secretariat/invitations/new/").content.decode()
    assert "The invitation was sent to nora@example.org." in page
    assert "Nora Nominee &lt;nora@example.org&gt;" in page


@pytest.mark.django_db
def test_invitation_to_an_existing_account_is_refused(secretariat_client, member):
    response = secretariat_client.post(
        "/secretariat/invitations/new/", {"full_name": "Again", "email": member.email.upper()}
    )

    assert response.status_code == 400  # the form again, with its errors
    assert "An account with this email address already exists." in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
@override_settings(AIII_RATE_LIMITS={"invitation": "2/h"})
def test_invitations_are_rate_limited_per_user(secretariat_client):
    for n in range(2):
        secretariat_client.post(
            "/secretariat/invitations/new/", {"full_name": "N", "email": f"n{n}@example.org"}
        )

    response = secretariat_client.post(
        "/secretariat/invitations/new/", {"full_name": "N", "email": "n9@example.org"}
    )

    assert response.status_code == 429
    assert "You have sent many invitations" in response.content.decode()
    assert Invitation.objects.count() == 2


@pytest.mark.django_db
def test_invitations_are_paginated_with_their_state(secretariat_client, secretariat, settings):
    settings.AIII_PAGE_SIZE = 2
    old, _token = invitation_create(by=secretariat, full_name="Old Expired", email="o@example.org")
    Invitation.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=30), expires_at=timezone.now()
    )
    invitation_create(by=secretariat, full_name="Open One", email="a@example.org")
    invitation_create(by=secretariat, full_name="Open Two", email="b@example.org")

    first = secretariat_client.get("/secretariat/invitations/new/").content.decode()
    last = secretariat_client.get("/secretariat/invitations/new/", {"page": 2}).content.decode()

    assert "Open Two" in first and "Open One" in first and "Old Expired" not in first
    assert 'href="?page=2" rel="next"' in first
    assert "Old Expired" in last
    assert "<td>Expired</td>" in last
    assert "Page 2 of 2 (3 in all)" in last


@pytest.mark.django_db
def test_invitations_page_query_count_does_not_grow(secretariat_client, secretariat):
    url = "/secretariat/invitations/new/"
    invitation_create(by=secretariat, full_name="First", email="first@example.org")
    secretariat_client.get(url)  # the session's first request records it
    with CaptureQueriesContext(connection) as one:
        secretariat_client.get(url)
    for n in range(30):
        invitation_create(by=secretariat, full_name=f"N{n}", email=f"n{n}@example.org")
    with CaptureQueriesContext(connection) as many:
        response = secretariat_client.get(url)
    assert len(response.context["invitations"]) == 25
    assert len(one) == len(many)


def _main(content):
    """The page's main content (the header's sign-out form has a new CSRF mask each time)."""
    html = content.decode()
    return html[html.index("<main") : html.index("</main>")]
