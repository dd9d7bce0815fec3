import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aiii.errors import Conflict, ServiceError
from aiii.models import AuditEntry, OutboxEmail
from members.models import ApplicationEvent, ExpertiseArea, MembershipApplication, Profile
from members.selectors.applications import application_queue
from members.services.applications import (
    application_approve,
    application_reject,
    application_request_info,
    application_resubmit,
    application_submit,
    application_verify,
)
from tests.members.factories import ApplicationFactory, MemberProfileFactory

Status = MembershipApplication.Status
Kind = ApplicationEvent.Kind
PASSWORD = "a-long-and-unusual-passphrase-42"


def submit(**overrides):
    data = {
        "full_name": "Ada Lovelace",
        "email": "Ada@Example.org",
        "password": PASSWORD,
        "organisation": "Analytical Engines Ltd",
        "stakeholder_group": "ai_developer",
        "country": "GB",
        "expertise": list(ExpertiseArea.objects.filter(slug="watermarking-provenance")),
        "statement": "I build provenance tools.",
        "declaration_of_interests": "Shareholder of Analytical Engines Ltd.",
        "public_profile_url": "https://example.org/ada",
        "language": "fr",
    }
    data.update(overrides)
    return application_submit(**data)


@pytest.mark.django_db
def test_submit_creates_unverified_account_profile_and_application(db):
    application = submit()

    user = get_user_model().objects.get(email="ada@example.org")
    assert user.check_password(PASSWORD)
    assert user.is_active
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("ada@example.org", False)
    ]
    assert application.user == user
    assert application.status == Status.UNVERIFIED
    assert application.version == 1
    assert application.submitted_at is None
    assert application.email == "ada@example.org"
    assert [a.slug for a in application.expertise.all()] == ["watermarking-provenance"]
    profile = Profile.objects.get(user=user)
    assert (profile.status, profile.full_name, profile.language) == (
        Profile.Status.APPLICANT,
        "Ada Lovelace",
        "fr",
    )
    assert list(application.events.values_list("kind", "actor")) == [(Kind.SUBMITTED, user.pk)]
    assert AuditEntry.objects.get().action == "application.submit"
    # allauth's verification email, through the outbox, with a confirmation link.
    (email,) = OutboxEmail.objects.all()
    assert email.to == ["ada@example.org"]
    assert email.idempotency_key.startswith("allauth:account/email/email_confirmation_signup:")
    # In the portal's voice, about the application (not the library's stock text).
    assert email.subject == "[AIII Exchange] Confirm your email address to send your application"
    assert "Your application reaches the secretariat once the address is confirmed." in (
        email.body_text
    )
    assert re.search(r"https?://testserver/accounts/confirm-email/[^/\s]+/", email.body_text)
    # Not in the secretariat's queue until the address is confirmed.
    assert list(application_queue(filters={"status": "all"})) == []


@pytest.mark.django_db
def test_duplicate_email_creates_nothing_and_tells_the_owner(db):
    owner = MemberProfileFactory(user__email="taken@example.org", language="es").user
    users_before = get_user_model().objects.count()

    chosen = "Mallory: claim your prize at https://evil.example"
    assert submit(email="TAKEN@example.org", full_name=chosen) is None
    assert submit(email="taken@example.org", full_name=chosen) is None

    assert get_user_model().objects.count() == users_before
    assert not MembershipApplication.objects.exists()
    # One notice per hour however often it is tried, to the owner, in the owner's language.
    (email,) = OutboxEmail.objects.all()
    assert email.to == ["taken@example.org"]
    # Nothing the visitor chose is relayed to the address.
    assert "Alguien acaba de intentar solicitar la admisión" in email.body_text
    assert "Mallory" not in email.body_text + email.body_html
    assert "evil.example" not in email.body_text + email.body_html
    assert email.idempotency_key.startswith("application-duplicate:")
    assert owner.profile.language == "es"


@pytest.mark.django_db
def test_verify_moves_the_application_into_the_queue(db):
    application = submit()

    verified = application_verify(user=application.user)

    assert verified.status == Status.PENDING
    assert verified.version == 2
    assert verified.submitted_at is not None
    assert list(verified.events.values_list("kind", flat=True)) == [Kind.SUBMITTED, Kind.VERIFIED]
    assert list(application_queue()) == [verified]
    # A second confirmation (another address) changes nothing.
    assert application_verify(user=application.user) is None
    assert MembershipApplication.objects.get().version == 2


@pytest.mark.django_db
def test_approve_makes_a_member_with_the_applied_profile(secretariat):
    application = ApplicationFactory(
        public_profile_url="https://example.org/me", stakeholder_group="academia", country="KE"
    )
    application.expertise.set(ExpertiseArea.objects.filter(slug="standards-tools"))

    application_approve(application=application, by=secretariat, version=1, note="Welcome.")

    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.version == 2
    assert application.decided_at is not None
    profile = Profile.objects.get(user=application.user)
    assert profile.status == Profile.Status.ACTIVE
    assert profile.member_since == application.decided_at
    assert (
        profile.full_name,
        profile.organisation,
        profile.stakeholder_group,
        profile.country,
        profile.public_profile_url,
    ) == (
        application.full_name,
        application.organisation,
        "academia",
        "KE",
        "https://example.org/me",
    )
    assert [a.slug for a in profile.expertise.all()] == ["standards-tools"]
    assert list(application.user.groups.values_list("name", flat=True)) == ["member"]
    event = application.events.get(kind=Kind.APPROVED)
    assert (event.actor, event.message) == (secretariat, "Welcome.")
    audit = AuditEntry.objects.get()
    assert (audit.action, audit.actor, audit.target_id, audit.reason) == (
        "application.approve",
        secretariat,
        str(application.pk),
        "Welcome.",
    )
    (email,) = OutboxEmail.objects.all()
    assert email.to == [application.email]
    assert email.subject == "[AIII Exchange] Welcome to the AIII Technical Exchange Network"
    assert email.idempotency_key == (
        f"members.membershipapplication:{application.pk}:v2:application_approved"
    )
    assert email.body_html


@pytest.mark.django_db
def test_a_stale_or_second_decision_is_refused_and_changes_nothing(secretariat):
    application = ApplicationFactory()
    application_approve(application=application, by=secretariat, version=1)

    with pytest.raises(Conflict) as stale:
        application_reject(application=application, by=secretariat, version=1, reason="No.")
    assert "changed after you opened the page" in stale.value.message
    with pytest.raises(Conflict) as decided:
        application_reject(application=application, by=secretariat, version=2, reason="No.")
    assert "Approved" in decided.value.message

    application.refresh_from_db()
    assert (application.status, application.version) == (Status.APPROVED, 2)
    assert application.events.count() == 1
    assert AuditEntry.objects.count() == 1
    assert OutboxEmail.objects.count() == 1


@pytest.mark.django_db
def test_reject_needs_a_reason_and_emails_it(secretariat):
    application = ApplicationFactory()

    with pytest.raises(ServiceError):
        application_reject(application=application, by=secretariat, version=1, reason="  ")
    assert not OutboxEmail.objects.exists()

    application_reject(
        application=application, by=secretariat, version=1, reason="Outside the remit."
    )

    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.user.profile.status == Profile.Status.NONE
    assert not application.user.groups.exists()
    assert application.events.get().message == "Outside the remit."
    assert AuditEntry.objects.get().reason == "Outside the remit."
    (email,) = OutboxEmail.objects.all()
    assert "Outside the remit." in email.body_text
    assert (
        email.subject == "[AIII Exchange] Your application to the AIII Technical Exchange Network"
    )
    # The public meeting is presented on the landing page (there is no /forum/ page).
    assert "remains open to everyone:\nhttp://testserver/\n" in email.body_text
    assert '<a href="http://testserver/">http://testserver/</a>' in email.body_html
    assert "/forum/" not in email.body_text + email.body_html


@pytest.mark.django_db
def test_approve_writes_only_the_profile_fields_it_sets(secretariat):
    application = ApplicationFactory()

    with CaptureQueriesContext(connection) as queries:
        application_approve(application=application, by=secretariat, version=1)

    (update,) = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "members_profile"')]
    # The member's own settings (written by them, perhaps at this moment) are not overwritten.
    for column in ("time_zone", "language", "bio", "show_email", "notification_preference"):
        assert f'"{column}"' not in update
    assert '"status"' in update and '"member_since"' in update


@pytest.mark.django_db
def test_request_info_then_resubmit_returns_to_the_queue(secretariat):
    application = ApplicationFactory()

    with pytest.raises(ServiceError):
        application_request_info(application=application, by=secretariat, version=1, message="")
    application_request_info(
        application=application, by=secretariat, version=1, message="Which standards bodies?"
    )
    application.refresh_from_db()
    assert (application.status, application.version) == (Status.INFO_REQUESTED, 2)
    (email,) = OutboxEmail.objects.all()
    assert "Which standards bodies?" in email.body_text
    assert "http://testserver/apply/amend/" in email.body_text
    # Asking twice is refused: the application is no longer pending.
    with pytest.raises(Conflict):
        application_request_info(application=application, by=secretariat, version=2, message="?")

    with pytest.raises(ServiceError):
        application_resubmit(application=application, by=secretariat, version=2, changes={})
    application_resubmit(
        application=application,
        by=application.user,
        version=2,
        changes={"statement": "I chair a C2PA working group."},
        expertise=list(ExpertiseArea.objects.filter(slug="standards-tools")),
        message="Added my standards work.",
    )

    application.refresh_from_db()
    assert (application.status, application.version) == (Status.PENDING, 3)
    assert application.statement == "I chair a C2PA working group."
    assert [a.slug for a in application.expertise.all()] == ["standards-tools"]
    assert list(application.events.values_list("kind", "message")) == [
        (Kind.INFO_REQUESTED, "Which standards bodies?"),
        (Kind.RESUBMITTED, "Added my standards work."),
    ]
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "application.request_info",
        "application.resubmit",
    ]
    assert application in application_queue()
    # A resubmission from an old page is refused.
    with pytest.raises(Conflict):
        application_resubmit(
            application=application, by=application.user, version=2, changes={"statement": "x"}
        )


@pytest.mark.django_db
def test_approval_is_possible_while_information_is_requested(secretariat):
    application = ApplicationFactory(status=Status.INFO_REQUESTED)

    application_approve(application=application, by=secretariat, version=1)

    assert MembershipApplication.objects.get().status == Status.APPROVED


@pytest.mark.django_db
def test_queue_filters():
    ada = ApplicationFactory(
        full_name="Ada Lovelace", organisation="Engines", stakeholder_group="academia", country="GB"
    )
    ken = ApplicationFactory(
        full_name="Ken Kariuki",
        organisation="Nairobi Lab",
        stakeholder_group="creator",
        country="KE",
    )
    info = ApplicationFactory(status=Status.INFO_REQUESTED, country="BR")
    done = ApplicationFactory(status=Status.APPROVED)
    ApplicationFactory(status=Status.UNVERIFIED, submitted_at=None)

    assert set(application_queue()) == {ada, ken, info}
    assert set(application_queue(filters={"status": "all"})) == {ada, ken, info, done}
    assert list(application_queue(filters={"status": "approved"})) == [done]
    assert list(application_queue(filters={"stakeholder_group": "academia"})) == [ada]
    assert list(application_queue(filters={"country": "KE"})) == [ken]
    assert list(application_queue(filters={"region": "africa"})) == [ken]
    assert list(application_queue(filters={"region": "americas"})) == [info]
    assert list(application_queue(filters={"q": "nairobi"})) == [ken]
    assert list(application_queue(filters={"q": ada.email.upper()})) == [ada]
