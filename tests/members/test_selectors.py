import pytest
from allauth.account.models import EmailAddress

from members.models import ApplicationEvent
from members.selectors.accounts import account_email_taken, account_owner
from members.selectors.applications import (
    application_history_for_applicant,
    application_latest_info_request,
)
from members.services.applications import (
    application_approve,
    application_request_info,
    application_resubmit,
)
from tests.members.factories import ApplicationFactory, MemberProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_account_email_taken_and_owner_match_either_address_case_insensitively():
    owner = MemberProfileFactory(user__email="owner@example.org").user
    other = UserFactory(email="login@example.org")
    EmailAddress.objects.create(user=other, email="second@example.org", verified=True)

    assert account_email_taken("OWNER@example.org")
    assert account_email_taken("Second@Example.org")
    assert not account_email_taken("nobody@example.org")
    assert account_owner("owner@EXAMPLE.org") == owner
    assert account_owner("second@example.org") == other
    assert account_owner("login@example.org") == other
    assert account_owner("nobody@example.org") is None


def test_the_applicants_history_hides_only_internal_notes(secretariat):
    application = ApplicationFactory()
    assert application_latest_info_request(application) is None
    application_request_info(application=application, by=secretariat, version=1, message="First?")
    application_resubmit(
        application=application, by=application.user, version=2, changes={}, message="Here."
    )
    application_request_info(application=application, by=secretariat, version=3, message="More?")
    application_resubmit(
        application=application, by=application.user, version=4, changes={}, message="There."
    )
    application_approve(application=application, by=secretariat, version=5, note="Internal.")

    assert application_latest_info_request(application).message == "More?"
    history = [(e.kind, e.message) for e in application_history_for_applicant(application)]
    Kind = ApplicationEvent.Kind
    assert history == [
        (Kind.INFO_REQUESTED, "First?"),
        (Kind.RESUBMITTED, "Here."),
        (Kind.INFO_REQUESTED, "More?"),
        (Kind.RESUBMITTED, "There."),
        (Kind.APPROVED, ""),
    ]
    # The record itself keeps every message.
    assert application.events.get(kind=Kind.APPROVED).message == "Internal."
