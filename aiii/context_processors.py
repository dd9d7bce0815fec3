from django.conf import settings
from django.urls import NoReverseMatch
from django.utils.translation import get_language, get_language_info

from .permissions import pending_roles, user_roles
from .urls_fixed import fixed_url, url_setting

ANONYMOUS = "anonymous"
SIGNED_IN = "signed_in"


def _navigation(user, path):
    roles = user_roles(user)
    if user.is_authenticated:
        # A signed-in account with no role yet is what it waits to become (an applicant, a
        # delegate to be verified): each app says which (aiii.permissions.pending_roles).
        roles = roles | {SIGNED_IN} | pending_roles(user)
    else:
        roles = roles | {ANONYMOUS}
    items = []
    where = url_setting()
    for label, url_name, allowed in settings.AIII_NAVIGATION:
        if not roles.intersection(allowed):
            continue
        try:
            url = fixed_url(url_name, where=where)
        except NoReverseMatch:
            # Sections of later releases (meetings, topics, forum) appear once their URLs exist.
            continue
        current = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "current": current})
    return items


def _languages(current):
    """The switcher's choices: every ready language, named in itself (e.g. "Español")."""
    choices = []
    for code in settings.AIII_LANGUAGES_READY:
        info = get_language_info(code)
        choices.append(
            {
                "code": code,
                "name_local": info["name_local"][:1].upper() + info["name_local"][1:],
                "bidi": info["bidi"],
                "current": code == current,
            }
        )
    return choices


def portal(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    roles = user_roles(user)
    return {
        "navigation": _navigation(user, request.path),
        "user_roles": roles,
        "current_path": request.path,
        "contact_email": settings.AIII_CONTACT_EMAIL,
        "languages": _languages(get_language()) if len(settings.AIII_LANGUAGES_READY) > 1 else (),
    }
