"""Role predicates shared by every app. Roles are Django groups; see DESIGN.md.

Every predicate has the signature `(user, obj=None)`: role rules ignore `obj`, object rules
(in each app's permissions.py) read it, and callers need not know which is which.
"""

from django.conf import settings

SECRETARIAT_GROUP = "secretariat"
MEMBER_GROUP = "member"
DELEGATE_GROUP = "delegate"
GEG_GROUP = "geg"
ROLE_GROUPS = (SECRETARIAT_GROUP, MEMBER_GROUP, DELEGATE_GROUP, GEG_GROUP)


def user_roles(user):
    """The user's role names, read once per request and kept on the user object (the sign-in
    backend reads them with the user: aiii/auth_backends.py)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_aiii_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True))
        user._aiii_roles = cached
    return cached


def remember_request_facts(user, *, roles, has_mfa):
    """Keep what user_roles() and has_mfa() would read on `user`, read already with it."""
    user._aiii_roles = frozenset(roles)
    user._aiii_has_mfa = bool(has_mfa)


def is_secretariat(user, obj=None):
    return SECRETARIAT_GROUP in user_roles(user)


def is_member(user, obj=None):
    return MEMBER_GROUP in user_roles(user)


def is_delegate(user, obj=None):
    return DELEGATE_GROUP in user_roles(user)


def can_use_members_area(user, obj=None):
    return is_member(user) or is_secretariat(user)


def secretariat_mfa_required():
    return settings.AIII_SECRETARIAT_MFA == "required"


def has_mfa(user):
    """Whether `user` has a second factor; read once per request, like the roles."""
    cached = getattr(user, "_aiii_has_mfa", None)
    if cached is None:
        from allauth.mfa.adapter import get_adapter

        cached = user._aiii_has_mfa = get_adapter().is_mfa_enabled(user)
    return cached


def needs_second_factor(user):
    """A secretariat account signed in without the second factor it must have: it may do
    nothing but enrol one (aiii.middleware.AccessMiddleware)."""
    return is_secretariat(user) and secretariat_mfa_required() and not has_mfa(user)


def user_display(user):
    """How allauth names a user in its messages: by the email address they sign in with."""
    return user.email or user.get_username()


def pending_roles(user):
    """What a signed-in account with no role yet is waiting to become: the union of every
    app's `permissions.pending_roles(user)` (e.g. "applicant", "delegate_pending"), read once
    per request. The navigation and the landing after sign-in follow it."""
    if not getattr(user, "is_authenticated", False) or user_roles(user):
        return frozenset()
    cached = getattr(user, "_aiii_pending_roles", None)
    if cached is None:
        from .discovery import app_modules

        found = set()
        for _label, module in app_modules("permissions"):
            contribute = getattr(module, "pending_roles", None)
            if contribute is not None and module.__name__ != __name__:
                found |= set(contribute(user))
        cached = user._aiii_pending_roles = frozenset(found)
    return cached


def landing_url(user):
    """Where `user` works from after signing in: the first app (in INSTALLED_APPS order) whose
    `permissions.landing_url(user)` names a place, or None."""
    from .discovery import app_modules

    for _label, module in app_modules("permissions"):
        place = getattr(module, "landing_url", None)
        if place is not None and module.__name__ != __name__:
            url = place(user)
            if url:
                return url
    return None
