"""The access table's machinery: every app's routes against every kind of visitor.

Each app keeps its table in `tests/<app>/access_table.py`:

    TABLE = {"meetings:workspace": (lambda w: {"pk": w["meeting"].pk}, MEMBERS_PAGE), ...}
    def extend_world(world): world["meeting"] = ...   # optional: the objects its routes need

and `tests/test_access_tables.py` runs them all. A route of a portal namespace without an
expectation in some table fails `test_every_route_has_an_expectation`.

Routes are requested with GET. For an action (a POST form), the access check runs before the
method, so the allowed role sees where a GET leads (a redirect to the object's page, or 405),
and nobody else learns more than a redirect to sign in, a 403 or a 404.
"""

import hashlib
import importlib
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

LOGIN = "login"  # a redirect to the sign-in page
REDIRECT = "redirect"  # a redirect elsewhere (e.g. a signed-in user sent to their own page)
ROLES = ("anonymous", "applicant", "member", "suspended", "delegate", "secretariat")
INVITATION_TOKEN = "access-table-invitation-token"
# The namespaces of the portal's own apps; allauth's pages and the root's public pages are
# walked by tests/aiii/test_access.py.
PORTAL_NAMESPACES = ("members", "secretariat", "meetings", "topics", "forum")


def row(anonymous, applicant, member, suspended, delegate, secretariat):
    values = (anonymous, applicant, member, suspended, delegate, secretariat)
    return dict(zip(ROLES, values, strict=True))


SECRETARIAT_PAGE = row(LOGIN, 403, 403, LOGIN, 403, 200)
# A secretariat action (POST form): a GET by the secretariat leads back to the object's page.
SECRETARIAT_ACTION = row(LOGIN, 403, 403, LOGIN, 403, REDIRECT)
SECRETARIAT_POST_ONLY = row(LOGIN, 403, 403, LOGIN, 403, 405)
MEMBERS_PAGE = row(LOGIN, 403, 200, LOGIN, 403, 200)


def app_table_modules():
    """tests/<app>/access_table.py of every installed app that has one."""
    modules = []
    for config in apps.get_app_configs():
        name = f"tests.{config.label}.access_table"
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as missing:
            if not name.startswith(missing.name or "?"):
                raise  # the module exists but imports something missing
    return modules


def combined_table():
    table = {}
    for module in app_table_modules():
        overlap = set(table) & set(module.TABLE)
        assert not overlap, f"Routes in two access tables: {sorted(overlap)}"
        table.update(module.TABLE)
    return table


def portal_route_names():
    """Every named route in the portal's own namespaces, e.g. "secretariat:member"."""
    names = set()

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and namespace:
                names.add(f"{namespace}:{entry.name}")

    walk(get_resolver().url_patterns, None)
    return {name for name in names if name.split(":")[0] in PORTAL_NAMESPACES}


def build_world(secretariat):
    """The people every table is tried with, and the objects the members' routes need."""
    from members.models import Invitation
    from members.services.people import membership_suspend
    from tests.members.factories import (
        ApplicationFactory,
        MemberProfileFactory,
        ProfileFactory,
        UserFactory,
    )

    applicant = ApplicationFactory().user
    member = MemberProfileFactory().user
    suspended = MemberProfileFactory().user
    # The suspended member signs in and uses the portal first: the suspension must end this
    # existing session, not only refuse new sign-ins.
    before = Client()
    before.force_login(suspended)
    assert before.get(reverse("members:directory")).status_code == 200
    suspended_session = before.session.session_key
    membership_suspend(
        profile=suspended.profile,
        by=secretariat,
        reason="Access table.",
        version=suspended.profile.version,
    )
    suspended = type(suspended).objects.select_related("profile").get(pk=suspended.pk)
    delegate = ProfileFactory(user=UserFactory(groups=["delegate"])).user
    Invitation.objects.create(
        full_name="Invited Expert",
        email="invited@example.org",
        token_hash=hashlib.sha256(INVITATION_TOKEN.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    world = {
        "users": {
            "applicant": applicant,
            "member": member,
            "suspended": suspended,
            "delegate": delegate,
            "secretariat": secretariat,
        },
        "suspended_session": suspended_session,
    }
    for module in app_table_modules():
        extend = getattr(module, "extend_world", None)
        if extend is not None:
            extend(world)
    return world


def outcome(response):
    if response.status_code in (301, 302):
        login = reverse("account_login")
        return LOGIN if response["Location"].startswith(login) else REDIRECT
    return response.status_code


def client_for(world, role):
    client = Client()
    if role == "suspended":
        # The session the member opened before the suspension, not a new sign-in.
        client.cookies[settings.SESSION_COOKIE_NAME] = world["suspended_session"]
    elif role != "anonymous":
        client.force_login(world["users"][role])
    return client
