"""Every members/ and secretariat/ URL against every kind of visitor (DESIGN.md "People and roles").

The table must name every route of both namespaces: a new route without an expectation fails
`test_the_table_covers_every_route`. Routes in the table that do not exist (yet) are skipped.
POST-only routes are requested with GET: the access check runs before the method check, so
the allowed role sees 405 and nobody else learns more than a redirect or a 403.
"""

import hashlib
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from members import urls as members_urls
from members import urls_secretariat
from members.models import Invitation, Profile
from members.services.people import membership_suspend
from tests.factories import (
    ApplicationFactory,
    MemberProfileFactory,
    ProfileFactory,
    SecretariatProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the sign-in page
REDIRECT = "redirect"  # a redirect elsewhere (e.g. a signed-in user sent to their own page)
ROLES = ("anonymous", "applicant", "member", "suspended", "delegate", "secretariat")
INVITATION_TOKEN = "access-table-invitation-token"


def row(anonymous, applicant, member, suspended, delegate, secretariat):
    values = (anonymous, applicant, member, suspended, delegate, secretariat)
    return dict(zip(ROLES, values, strict=True))


SECRETARIAT_PAGE = row(LOGIN, 403, 403, LOGIN, 403, 200)
SECRETARIAT_POST_ONLY = row(LOGIN, 403, 403, LOGIN, 403, 405)
MEMBERS_PAGE = row(LOGIN, 403, 200, LOGIN, 403, 200)

# url name: (kwargs builder, expectations)
TABLE = {
    # members: applications (h4)
    "members:apply": (None, row(200, REDIRECT, REDIRECT, 200, REDIRECT, REDIRECT)),
    "members:apply_check_email": (None, row(200, 200, 200, 200, 200, 200)),
    "members:application_status": (None, row(LOGIN, 200, 404, LOGIN, 404, 404)),
    # the applicant's application is pending, not waiting for information: back to the status
    "members:application_amend": (None, row(LOGIN, REDIRECT, 404, LOGIN, 404, 404)),
    "members:invitation": (
        lambda w: {"token": INVITATION_TOKEN},
        row(200, REDIRECT, REDIRECT, 200, REDIRECT, REDIRECT),
    ),
    # members: people
    "members:directory": (None, MEMBERS_PAGE),
    "members:profile": (lambda w: {"pk": w["target"].pk}, MEMBERS_PAGE),
    "members:me": (None, row(LOGIN, 403, 200, LOGIN, 200, 200)),
    # secretariat: vetting (h4)
    "secretariat:applications": (None, SECRETARIAT_PAGE),
    "secretariat:application": (lambda w: {"pk": w["application"].pk}, SECRETARIAT_PAGE),
    "secretariat:application_approve": (
        lambda w: {"pk": w["application"].pk},
        SECRETARIAT_POST_ONLY,
    ),
    "secretariat:application_reject": (
        lambda w: {"pk": w["application"].pk},
        SECRETARIAT_POST_ONLY,
    ),
    "secretariat:application_request_info": (
        lambda w: {"pk": w["application"].pk},
        SECRETARIAT_POST_ONLY,
    ),
    "secretariat:invite": (None, SECRETARIAT_PAGE),
    # secretariat: people
    "secretariat:dashboard": (None, SECRETARIAT_PAGE),
    "secretariat:members": (None, SECRETARIAT_PAGE),
    "secretariat:members_export": (None, SECRETARIAT_PAGE),
    "secretariat:member": (lambda w: {"pk": w["target"].pk}, SECRETARIAT_PAGE),
    "secretariat:member_correct": (lambda w: {"pk": w["target"].pk}, SECRETARIAT_POST_ONLY),
    "secretariat:member_suspend": (lambda w: {"pk": w["target"].pk}, SECRETARIAT_POST_ONLY),
    "secretariat:member_reinstate": (lambda w: {"pk": w["target"].pk}, SECRETARIAT_POST_ONLY),
    # the audit log lives in aiii but under /secretariat/
    "audit_log": (None, SECRETARIAT_PAGE),
}


def _route_names():
    names = {f"members:{p.name}" for p in members_urls.urlpatterns if p.name}
    names |= {f"secretariat:{p.name}" for p in urls_secretariat.urlpatterns if p.name}
    return names


def test_the_table_covers_every_route():
    missing = _route_names() - set(TABLE)
    assert not missing, f"Add these routes to the access table: {sorted(missing)}"


@pytest.fixture
def world(secretariat):
    applicant = ApplicationFactory().user
    member = MemberProfileFactory().user
    suspended = MemberProfileFactory().user
    # The suspended member signs in and uses the portal first: the suspension must end this
    # existing session, not only refuse new sign-ins.
    before = Client()
    before.force_login(suspended)
    assert before.get(reverse("members:directory")).status_code == 200
    suspended_session = before.session.session_key
    membership_suspend(profile=suspended.profile, by=secretariat, reason="Access table.")
    suspended = type(suspended).objects.select_related("profile").get(pk=suspended.pk)
    delegate = ProfileFactory(user=UserFactory(groups=["delegate"])).user
    target = MemberProfileFactory(full_name="Target Member")
    Invitation.objects.create(
        full_name="Invited Expert",
        email="invited@example.org",
        token_hash=hashlib.sha256(INVITATION_TOKEN.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    users = {
        "applicant": applicant,
        "member": member,
        "suspended": suspended,
        "delegate": delegate,
        "secretariat": secretariat,
    }
    return {
        "users": users,
        "suspended_session": suspended_session,
        "target": target,
        "application": ApplicationFactory(full_name="Queued Applicant"),
    }


def _outcome(response):
    if response.status_code in (301, 302):
        login = reverse("account_login")
        return LOGIN if response["Location"].startswith(login) else REDIRECT
    return response.status_code


def _client(world, role):
    client = Client()
    if role == "suspended":
        # The session the member opened before the suspension, not a new sign-in.
        client.cookies[settings.SESSION_COOKIE_NAME] = world["suspended_session"]
    elif role != "anonymous":
        client.force_login(world["users"][role])
    return client


@pytest.mark.parametrize("url_name", sorted(TABLE))
def test_access(url_name, world):
    build_kwargs, expected = TABLE[url_name]
    try:
        url = reverse(url_name, kwargs=build_kwargs(world) if build_kwargs else None)
    except NoReverseMatch:
        pytest.skip(f"{url_name} does not exist (yet)")
    actual = {role: _outcome(_client(world, role).get(url)) for role in ROLES}
    assert actual == expected, url


def test_the_world_is_what_the_table_assumes(world):
    users = world["users"]
    assert users["suspended"].profile.status == Profile.Status.SUSPENDED
    assert users["suspended"].is_active is False
    # Signed out everywhere: the session opened before the suspension is gone.
    assert not Session.objects.filter(session_key=world["suspended_session"]).exists()
    assert users["applicant"].profile.status == Profile.Status.APPLICANT
    assert set(users["delegate"].groups.values_list("name", flat=True)) == {"delegate"}


def test_secretariat_without_a_second_factor_is_sent_to_set_one_up(client):
    user = SecretariatProfileFactory().user
    client.force_login(user)
    for name in ("secretariat:dashboard", "secretariat:members", "audit_log"):
        response = client.get(reverse(name))
        assert (response.status_code, response["Location"]) == (
            302,
            reverse("mfa_enrolment"),
        ), name
    TOTP.activate(user, generate_totp_secret())
    assert client.get(reverse("secretariat:dashboard")).status_code == 200
