"""Deny by default: how a view says who may open it.

Every view is for signed-in members (or the secretariat) unless it carries one of these marks.
`AccessMiddleware` reads the mark before the view runs. A mark is an attribute on the view
function, so it works on function views and on `as_view()` results alike.
"""

PUBLIC = "public"
SIGNED_IN = "signed_in"
MEMBER = "member"
SECRETARIAT = "secretariat"

ACCESS_ATTRIBUTE = "aiii_access"


def _mark(level):
    def decorator(view):
        setattr(view, ACCESS_ATTRIBUTE, level)
        return view

    return decorator


public = _mark(PUBLIC)
"""Anyone, signed in or not."""

signed_in = _mark(SIGNED_IN)
"""Any signed-in, active account: applicants and delegates included."""

member_required = _mark(MEMBER)
"""Active members and the secretariat (the default; the mark only makes it explicit)."""

secretariat_required = _mark(SECRETARIAT)
"""Secretariat staff, with a second factor when AIII_SECRETARIAT_MFA is required."""


def access_level(view_func, url_name=None, settings=None):
    """The access level of a resolved view: its mark, else the rule for third-party views."""
    level = getattr(view_func, ACCESS_ATTRIBUTE, None)
    if level is None and hasattr(view_func, "view_class"):
        level = getattr(view_func.view_class, ACCESS_ATTRIBUTE, None)
    if level is not None:
        return level
    if is_account_view(view_func):
        # allauth's entrance pages (login, reset, verification) are public; its account
        # management pages (email, password, MFA) are for any signed-in user.
        from django.conf import settings as django_settings

        public_names = (settings or django_settings).AIII_ALLAUTH_PUBLIC_URL_NAMES
        return PUBLIC if url_name in public_names else SIGNED_IN
    return MEMBER


def is_account_view(view_func):
    """allauth's own pages: signing in and out, email addresses, passwords, second factors."""
    return (getattr(view_func, "__module__", "") or "").startswith("allauth.")


def get_visible_or_404(queryset, user, **lookup):
    """Fetch and authorise in one step: the object among those `user` may see, else 404.

    `queryset` is a model, manager or queryset whose queryset has `visible_to(user)`. A missing
    object and a forbidden one give the same answer, so existence does not leak.
    """
    from django.http import Http404

    manager = getattr(queryset, "_default_manager", queryset)
    visible = manager.all().visible_to(user)
    try:
        return visible.get(**lookup)
    except visible.model.DoesNotExist:
        raise Http404 from None
