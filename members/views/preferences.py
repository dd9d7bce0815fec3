"""The language switcher every page shows (templates/includes/language_switcher.html)."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from aiii.access import public
from aiii.languages import language_ready
from aiii.permissions import needs_second_factor

from ..models import Profile
from ..services.people import profile_update


def _next_url(request):
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return target


# Visitors' pages carry no CSRF token, so that the annual forum's public pages stay cacheable
# (annual_forum/cache.py): for a visitor the switch only sets the language cookie, which a
# forged request cannot turn into harm. A signed-in user's choice is saved in their profile
# (and used for their emails), and that needs the CSRF check, done here.
@public
@csrf_exempt
@require_POST
def choose_language(request):
    """Show pages in the chosen language from now on (a cookie); for a signed-in user also
    keep the choice in their profile, which their emails follow."""
    code = request.POST.get("language", "")
    response = HttpResponseRedirect(_next_url(request))
    if not language_ready(code):
        return response
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
        profile = Profile.objects.filter(user=request.user).first()
        if needs_second_factor(request.user):
            profile = None  # a secretariat session without its second factor changes nothing
        if profile is not None and profile.language != code:
            profile_update(profile=profile, data={"language": code})
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
