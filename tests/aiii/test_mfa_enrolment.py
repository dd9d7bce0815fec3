"""A secretariat account without a second factor can only enrol one, and only with the
operator's one-time code (aiii/mfa_enrolment.py, `manage.py secretariat_mfa_code`)."""

import getpass
import re
from datetime import timedelta
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    generate_totp_secret,
)
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from aiii.models import AuditEntry, MfaEnrolmentGrant
from tests.members.factories import DEMO_PASSWORD, MemberProfileFactory, SecretariatProfileFactory
from tests.totp import fresh_totp_code

pytestmark = pytest.mark.django_db

ENROLMENT = "/secretariat/second-factor/"
# Pages an attacker with the password alone must not reach.
GUARDED = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/webauthn/add/",
    "/accounts/reauthenticate/",
    "/secretariat/",
    "/secretariat/audit/",
    "/members/",
]


@pytest.fixture(autouse=True)
def _mfa_required(settings):
    settings.AIII_SECRETARIAT_MFA = "required"


@pytest.fixture
def officer():
    return SecretariatProfileFactory(user__email="officer@example.org").user


def _sign_in_with_password(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": DEMO_PASSWORD})
    assert client.session[SESSION_KEY] == str(user.pk)
    return response


def _issue_code(email):
    out = StringIO()
    call_command("secretariat_mfa_code", email, stdout=out)
    return re.search(r": ([A-Z0-9-]+)\n", out.getvalue()).group(1)


def _assert_confined(client):
    for url in GUARDED:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, ENROLMENT), url
    # Writes too: changing the email address or the password with the password alone.
    response = client.post("/accounts/email/", {"email": "evil@example.net", "action_add": ""})
    assert (response.status_code, response["Location"]) == (302, ENROLMENT)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": DEMO_PASSWORD, "password1": "x" * 20, "password2": "x" * 20},
    )
    assert (response.status_code, response["Location"]) == (302, ENROLMENT)


def _activate_totp(client):
    # allauth asks for the password again before a second factor is added.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/?next=")
    response = client.post(response["Location"], {"password": DEMO_PASSWORD})
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    return client.post("/accounts/2fa/totp/activate/", {"code": fresh_totp_code(secret)})


def test_password_alone_reaches_only_the_code_page_and_sign_out(client, officer):
    response = _sign_in_with_password(client, officer)
    assert (response.status_code, response["Location"]) == (302, "/")
    # The home shows the secretariat's queues: it is confined like the secretariat's pages.
    assert client.get("/")["Location"] == ENROLMENT
    assert client.get("/secretariat/")["Location"] == ENROLMENT
    page = client.get(ENROLMENT)
    assert page.status_code == 200
    assert "Secretariat accounts need two-factor authentication" in page.content.decode()
    _assert_confined(client)
    assert officer.emailaddress_set.get().email == "officer@example.org"
    assert not Authenticator.objects.filter(user=officer).exists()
    assert client.post("/accounts/logout/").status_code == 302
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("case", ["wrong", "expired", "used", "superseded", "none"])
def test_a_bad_code_is_refused(client, officer, case):
    code = _issue_code(officer.email) if case != "none" else "ABCD-EFGH-JKMN"
    if case == "wrong":
        code = "ABCD-EFGH-JKMN"
    elif case == "expired":
        MfaEnrolmentGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "used":
        other = client.__class__()
        _sign_in_with_password(other, officer)
        assert other.post(ENROLMENT, {"code": code})["Location"] == "/accounts/2fa/"
    elif case == "superseded":
        _issue_code(officer.email)
    _sign_in_with_password(client, officer)
    page = client.post(ENROLMENT, {"code": code})
    assert page.status_code == 200
    assert "This code is not valid" in page.content.decode()
    _assert_confined(client)


def test_five_wrong_codes_void_the_real_one(client, officer):
    code = _issue_code(officer.email)
    _sign_in_with_password(client, officer)
    for _ in range(5):
        client.post(ENROLMENT, {"code": "ABCD-EFGH-JKMN"})
    assert client.post(ENROLMENT, {"code": code}).status_code == 200
    _assert_confined(client)
    assert AuditEntry.objects.filter(action="secretariat.mfa_code_void").count() == 1


def test_the_code_opens_enrolment_then_the_secretariat(client, officer):
    code = _issue_code(officer.email)
    grant = MfaEnrolmentGrant.objects.get()
    # Only the hash is stored.
    assert code.replace("-", "") not in grant.code_hash and len(grant.code_hash) == 64
    _sign_in_with_password(client, officer)
    response = client.post(ENROLMENT, {"code": code.lower().replace("-", " ")})
    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/")
    grant.refresh_from_db()
    assert grant.used_at is not None

    # Enrolment pages open now; the rest of the account still does not.
    assert client.get("/accounts/2fa/").status_code == 200
    # allauth asks for the password again before adding a passkey: that page is open too.
    response = client.get("/accounts/2fa/webauthn/add/")
    assert response["Location"].startswith("/accounts/reauthenticate/?next=")
    assert client.get(response["Location"]).status_code == 200
    for url in ("/accounts/email/", "/accounts/password/change/", "/secretariat/"):
        assert client.get(url)["Location"] == "/accounts/2fa/", url

    response = _activate_totp(client)
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    assert client.get("/secretariat/").status_code == 200
    assert client.get("/accounts/email/").status_code == 200
    assert list(
        AuditEntry.objects.filter(target_id=str(officer.pk))
        .order_by("id")
        .values_list("action", "actor_label")
    ) == [
        (
            "secretariat.mfa_code_issue",
            f"operator {getpass.getuser()} (manage.py secretariat_mfa_code)",
        ),
        ("secretariat.mfa_code_redeem", "officer@example.org"),
    ]


def test_the_code_belongs_to_its_account_and_session(client, officer):
    code = _issue_code(officer.email)
    colleague = SecretariatProfileFactory(user__email="colleague@example.org").user
    _sign_in_with_password(client, colleague)
    assert client.post(ENROLMENT, {"code": code}).status_code == 200
    _assert_confined(client)
    # Another session of the right account that did not enter the code stays confined.
    mine, other = client.__class__(), client.__class__()
    _sign_in_with_password(mine, officer)
    _sign_in_with_password(other, officer)
    assert mine.post(ENROLMENT, {"code": code})["Location"] == "/accounts/2fa/"
    _assert_confined(other)


def test_the_session_grant_runs_out(client, officer, settings):
    code = _issue_code(officer.email)
    _sign_in_with_password(client, officer)
    client.post(ENROLMENT, {"code": code})
    session = client.session
    session["aiii_mfa_enrolment"]["until"] -= settings.AIII_MFA_ENROLMENT_CODE_MINUTES * 60 + 1
    session.save()
    _assert_confined(client)


def test_the_command_refuses_who_must_not_get_a_code(officer):
    member = MemberProfileFactory(user__email="member@example.org").user
    with pytest.raises(CommandError, match="not an active secretariat account"):
        call_command("secretariat_mfa_code", member.email, stdout=StringIO())
    with pytest.raises(CommandError, match="No account"):
        call_command("secretariat_mfa_code", "nobody@example.org", stdout=StringIO())
    TOTP.activate(officer, generate_totp_secret())
    with pytest.raises(CommandError, match="already has a second factor"):
        call_command("secretariat_mfa_code", officer.email, stdout=StringIO())
    assert not MfaEnrolmentGrant.objects.exists()


def test_reset_removes_a_lost_factor_and_the_account_is_confined_again(client, officer):
    TOTP.activate(officer, generate_totp_secret())
    client.force_login(officer)
    assert client.get("/secretariat/").status_code == 200
    out = StringIO()
    call_command("secretariat_mfa_reset", officer.email, "--reason", "phone lost", stdout=out)
    assert out.getvalue() == "Removed from officer@example.org: totp.\n"
    assert not Authenticator.objects.filter(user=officer).exists()
    assert client.get("/secretariat/")["Location"] == ENROLMENT
    entry = AuditEntry.objects.get(action="secretariat.mfa_reset")
    assert (entry.target_id, entry.reason, entry.data) == (
        str(officer.pk),
        "phone lost",
        {"removed": ["totp"]},
    )
    # The operator can now issue a code again.
    assert _issue_code(officer.email)


def test_optional_mfa_is_unchanged(client, officer, settings):
    settings.AIII_SECRETARIAT_MFA = "optional"
    _sign_in_with_password(client, officer)
    assert client.get("/secretariat/").status_code == 200
    assert client.get("/accounts/email/").status_code == 200
    assert client.get(ENROLMENT)["Location"] == "/"


def test_members_have_no_code_page(member_client):
    assert member_client.get(ENROLMENT).status_code == 403
