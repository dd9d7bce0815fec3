import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from aiii.models import AuditEntry, OutboxEmail
from members.adapters import login_redirect_url
from members.models import ApplicationEvent, ExpertiseArea, MembershipApplication
from members.services.applications import (
    application_approve,
    application_reject,
    application_request_info,
    application_resubmit,
)
from members.services.invitations import invitation_create
from tests.members.factories import DEMO_PASSWORD, ApplicationFactory, MemberProfileFactory

Status = MembershipApplication.Status
PASSWORD = "a-long-and-unusual-passphrase-42"
APPLY = "/apply/"


def form_data(**overrides):
    data = {
        "full_name": "Grace Hopper",
        "email": "grace@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation": "Compilers Inc",
        "stakeholder_group": "tech_company",
        "country": "US",
        "expertise": [ExpertiseArea.objects.get(slug="standards-tools").pk],
        "statement": "I standardise things.",
        "public_profile_url": "",
        "declaration_of_interests": "None.",
        "accept_code_of_conduct": "on",
        "accept_confidentiality": "on",
    }
    data.update(overrides)
    return data


def confirmation_path(email_row):
    return re.search(r"/accounts/confirm-email/[^/\s]+/", email_row.body_text).group(0)


@pytest.mark.django_db
def test_apply_page_has_every_field_and_the_rules(client):
    response = client.get(APPLY)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    for name in form_data():
        assert f'name="{name}"' in html
    assert 'href="/about/#code-of-conduct"' in html
    assert 'href="/about/#confidentiality"' in html
    for area in ExpertiseArea.objects.all():
        assert area.name in html
    assert "Switzerland" in html


@pytest.mark.django_db
def test_apply_verify_sign_in_and_see_own_status(client):
    response = client.post(APPLY, form_data(), follow=True)

    assert response.redirect_chain == [(reverse("members:apply_check_email"), 302)]
    assert "Check your email" in response.content.decode()
    application = MembershipApplication.objects.get()
    assert application.status == Status.UNVERIFIED
    (verification,) = OutboxEmail.objects.all()
    assert verification.to == ["grace@example.org"]

    # The confirmation page of allauth, then its POST, puts the application in the queue.
    path = confirmation_path(verification)
    assert client.get(path).status_code == 200
    client.post(path)
    application.refresh_from_db()
    assert application.status == Status.PENDING
    assert list(application.events.values_list("kind", flat=True)) == [
        ApplicationEvent.Kind.SUBMITTED,
        ApplicationEvent.Kind.VERIFIED,
    ]

    response = client.post("/accounts/login/", {"login": "grace@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/apply/status/"
    page = client.get("/apply/status/").content.decode()
    assert "Awaiting a decision" in page
    assert "Compilers Inc" in page
    assert "Email verified" in page


@pytest.mark.django_db
def test_duplicate_email_looks_the_same_and_tells_the_owner(client):
    MemberProfileFactory(user__email="known@example.org")
    fresh = client.post(APPLY, form_data(email="fresh@example.org"), follow=True)
    client.cookies.clear()
    users = get_user_model().objects.count()

    duplicate = client.post(APPLY, form_data(email="Known@example.org"), follow=True)

    assert duplicate.redirect_chain == fresh.redirect_chain
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    fresh_html = strip.sub("", fresh.content.decode()).replace("fresh@example.org", "X")
    duplicate_html = strip.sub("", duplicate.content.decode()).replace("known@example.org", "X")
    assert fresh_html == duplicate_html
    assert get_user_model().objects.count() == users
    assert MembershipApplication.objects.filter(email="known@example.org").count() == 0
    notice = OutboxEmail.objects.get(to=["known@example.org"])
    assert notice.subject == "[AIII Exchange] Someone tried to apply with your email address"
    assert "Someone has just tried to apply" in notice.body_text
    assert "Grace Hopper" not in notice.body_text + notice.body_html


@pytest.mark.django_db
def test_invalid_application_shows_errors_and_keeps_what_was_typed(client):
    data = form_data(
        organisation="",
        country="",
        accept_confidentiality="",
        password2="something-else-entirely",
        statement="Keep this statement.",
    )
    del data["accept_confidentiality"]

    response = client.post(APPLY, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert '<a href="#id_organisation">' in html
    assert '<a href="#id_country">' in html
    assert '<a href="#id_accept_confidentiality">' in html
    assert "The two passwords are not the same." in html
    # Each message says what is needed, and the summary does not glue a label to it.
    assert (
        '<a href="#id_accept_confidentiality">Tick the box to continue: I accept the '
        "confidentiality rule of members-only meetings.</a>" in html
    )
    assert '<a href="#id_country">Choose an answer for “Country”.</a>' in html
    assert ".:" not in html
    assert "This field is required." not in html
    # The summary takes the focus when the page loads (no script needed).
    assert (
        'class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus'
        in html
    )
    # The error list carries the id Django's aria-describedby on the invalid input points to.
    assert 'id="id_organisation_error"' in html
    assert 'aria-describedby="id_organisation_error"' in html
    assert 'value="Grace Hopper"' in html
    assert 'value="grace@example.org"' in html
    assert "Keep this statement." in html
    assert PASSWORD not in html
    assert not get_user_model().objects.filter(email="grace@example.org").exists()
    assert not OutboxEmail.objects.exists()


@pytest.mark.django_db
def test_weak_password_is_refused(client):
    response = client.post(APPLY, form_data(password1="grace", password2="grace"))

    html = response.content.decode()
    assert "This password is too short" in html
    assert not MembershipApplication.objects.exists()


@pytest.mark.django_db
@override_settings(AIII_RATE_LIMITS={"apply": "2/h"})
def test_apply_is_rate_limited_per_ip(client):
    client.post(APPLY, form_data(email="one@example.org"))
    client.post(APPLY, form_data(email="two@example.org"))

    response = client.post(APPLY, form_data(email="three@example.org"))

    assert response.status_code == 429
    assert "Too many applications have been sent from your network" in response.content.decode()
    assert not MembershipApplication.objects.filter(email="three@example.org").exists()
    other_ip = client.post(APPLY, form_data(email="four@example.org"), REMOTE_ADDR="10.9.8.7")
    assert other_ip.status_code == 302


@pytest.mark.django_db
def test_status_page_access(client, member):
    mine = ApplicationFactory(full_name="Mine Applicant")
    ApplicationFactory(full_name="Other Applicant", declaration_of_interests="Secret interests")

    assert client.get("/apply/status/")["Location"].startswith("/accounts/login/")
    # A member without an application, or anyone asking for one that is not theirs: 404.
    client.force_login(member)
    assert client.get("/apply/status/").status_code == 404
    client.force_login(mine.user)
    html = client.get("/apply/status/").content.decode()
    assert "Mine Applicant" in html
    assert "Other Applicant" not in html
    # The applicant is not a member: members' and secretariat pages are closed.
    other = MembershipApplication.objects.get(full_name="Other Applicant")
    assert client.get(f"/secretariat/applications/{other.pk}/").status_code == 403
    assert client.get("/members/").status_code == 403


@pytest.mark.django_db
def test_an_approval_note_never_reaches_the_applicant(
    client, secretariat, django_capture_on_commit_callbacks
):
    application = ApplicationFactory()
    application_request_info(
        application=application, by=secretariat, version=1, message="Which employer?"
    )
    application_resubmit(
        application=application, by=application.user, version=2, changes={}, message="The Lab."
    )
    note = "Internal: checked with their referee, borderline."
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=application, by=secretariat, version=3, note=note)
    rejected = ApplicationFactory()
    application_reject(
        application=rejected, by=secretariat, version=1, reason="Outside the network's scope."
    )

    client.force_login(application.user)
    html = client.get("/apply/status/").content.decode()
    assert "Which employer?" in html
    assert "Approved" in html
    assert "checked with their referee" not in html
    email = OutboxEmail.objects.get(idempotency_key__endswith="application_approved")
    assert "checked with their referee" not in email.body_text + email.body_html
    # The note stays on the record: the audit entry and the secretariat's view of the history.
    assert AuditEntry.objects.get(action="application.approve").reason == note
    staff = Client()
    staff.force_login(secretariat)
    staff_html = staff.get(f"/secretariat/applications/{application.pk}/").content.decode()
    assert "Internal: checked with their referee, borderline." in staff_html
    # The rejected applicant still reads the reason they were emailed.
    client.force_login(rejected.user)
    assert "Outside the network&#x27;s scope." in client.get("/apply/status/").content.decode()


@pytest.mark.django_db
def test_amend_when_information_was_requested(client, secretariat):
    application = ApplicationFactory()
    client.force_login(application.user)
    response = client.get("/apply/amend/")
    assert response.status_code == 302
    assert response["Location"] == "/apply/status/"

    application_request_info(
        application=application, by=secretariat, version=1, message="Which employer?"
    )
    page = client.get("/apply/amend/").content.decode()
    assert "Which employer?" in page
    assert 'name="version" value="2"' in page
    assert "Amend my application" in client.get("/apply/status/").content.decode()

    data = {
        "version": "2",
        "message": "I work for the Provenance Lab.",
        "organisation": "Provenance Lab",
        "stakeholder_group": "academia",
        "country": "FR",
        "expertise": [ExpertiseArea.objects.first().pk],
        "statement": application.statement,
        "public_profile_url": "",
        "declaration_of_interests": "Employed by the Provenance Lab.",
    }
    response = client.post("/apply/amend/", data)
    assert response["Location"] == "/apply/status/"
    application.refresh_from_db()
    assert (application.status, application.version) == (Status.PENDING, 3)
    assert application.organisation == "Provenance Lab"
    assert application.events.last().message == "I work for the Provenance Lab."

    # The same form again (a stale page) is refused and changes nothing.
    application.status = Status.INFO_REQUESTED
    application.save(update_fields=["status"])
    response = client.post("/apply/amend/", {**data, "organisation": "Stale"}, follow=True)
    assert "changed after you opened the page" in response.content.decode()
    application.refresh_from_db()
    assert application.organisation == "Provenance Lab"


@pytest.mark.django_db
def test_invitation_link_prefills_and_nominates(client, secretariat):
    invitation, token = invitation_create(
        by=secretariat, full_name="Nora Nominee", email="nora@example.org", note="Please join."
    )
    url = f"/apply/invitation/{token}/"

    html = client.get(url).content.decode()
    assert 'value="Nora Nominee"' in html
    assert 'value="nora@example.org"' in html
    assert re.search(
        r'<input type="email" name="email" value="nora@example.org"[^>]* readonly', html
    )
    assert "Please join." in html

    response = client.post(url, form_data(full_name="Nora Nominee", email="nora@example.org"))
    assert response["Location"] == reverse("members:apply_check_email")
    application = MembershipApplication.objects.get(email="nora@example.org")
    assert application.invitation == invitation
    invitation.refresh_from_db()
    assert invitation.used_at is not None

    used = client.get(url)
    assert used.status_code == 410
    assert "This invitation has already been used." in used.content.decode()


@pytest.mark.django_db
def test_an_invitation_link_refuses_another_address(client, secretariat):
    invitation, token = invitation_create(
        by=secretariat, full_name="Nora Nominee", email="nora@example.org"
    )
    url = f"/apply/invitation/{token}/"
    users = get_user_model().objects.count()

    response = client.post(url, form_data(full_name="Eve", email="eve@example.org"))

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "This invitation is for another email address." in html
    # The invited address is shown again, read-only, with the error beside it.
    assert re.search(
        r'<input type="email" name="email" value="nora@example.org"[^>]* readonly', html
    )
    assert 'value="eve@example.org"' not in html
    assert get_user_model().objects.count() == users
    assert not MembershipApplication.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None
    assert not OutboxEmail.objects.filter(to=["eve@example.org"]).exists()


@pytest.mark.django_db
def test_expired_and_unknown_invitation_links_explain(client, secretariat):
    from django.utils import timezone

    from members.models import Invitation

    invitation, token = invitation_create(by=secretariat, full_name="N", email="n@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())

    expired = client.get(f"/apply/invitation/{token}/")
    assert expired.status_code == 410
    assert "This invitation has expired." in expired.content.decode()
    posted = client.post(f"/apply/invitation/{token}/", form_data(email="n@example.org"))
    assert posted.status_code == 410
    assert not MembershipApplication.objects.exists()
    unknown = client.get("/apply/invitation/not-a-real-token/")
    assert unknown.status_code == 404
    assert "This invitation link is not valid." in unknown.content.decode()


@pytest.mark.django_db
def test_sign_in_lands_by_role(client, secretariat):
    member = MemberProfileFactory().user

    response = client.post("/accounts/login/", {"login": member.email, "password": DEMO_PASSWORD})

    # Members and the secretariat land on their home; applicants on their application.
    assert response["Location"] == "/"
    assert login_redirect_url(secretariat) == "/"
    assert login_redirect_url(ApplicationFactory().user) == "/apply/status/"


@pytest.mark.django_db
def test_signed_in_people_are_sent_on_from_apply(member_client):
    response = member_client.get(APPLY)

    assert response.status_code == 302
    assert response["Location"] == "/"
