import zoneinfo

from django.contrib.auth.signals import user_logged_in
from django.utils import timezone, translation

from aiii.languages import language_ready

# The session key this session was last recorded under (a sign-in changes the key).
SESSION_TRACKED_KEY = "aiii_session_tracked"


class UserPreferencesMiddleware:
    """Show times in the signed-in user's time zone and pages in their chosen language, and
    record the user's session so that a suspension can end it (members.UserSession)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        profile = getattr(user, "profile", None) if user.is_authenticated else None
        if user.is_authenticated:
            track_session(request, user)
        if profile is not None:
            try:
                timezone.activate(zoneinfo.ZoneInfo(profile.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            if language_ready(profile.language):
                translation.activate(profile.language)
                request.LANGUAGE_CODE = translation.get_language()
        else:
            timezone.deactivate()
        try:
            response = self.get_response(request)
        finally:
            # The zone is per request; the language is LocaleMiddleware's to reset (it still
            # reads it for the Content-Language header after this returns).
            timezone.deactivate()
        if user.is_authenticated and request.user.is_authenticated:
            # A password change gives the session a new key without a sign-in: record it now,
            # not on the next request, so a suspension in between ends it too.
            track_session(request, request.user)
        return response


def track_session(request, user):
    """Record `request`'s session as `user`'s, once per session key."""
    session = getattr(request, "session", None)
    key = getattr(session, "session_key", None)
    if not key or session.get(SESSION_TRACKED_KEY) == key:
        return
    from .services.people import session_track

    session_track(user=user, session_key=key)
    session[SESSION_TRACKED_KEY] = key


def _track_at_sign_in(sender, request, user, **kwargs):
    # Django's login() (which allauth calls once every step, MFA included, is done) has just
    # given the session its new key. Recording it now, not on the next request, means that a
    # suspension right after sign-in ends this session too.
    if request is not None:
        track_session(request, user)


user_logged_in.connect(_track_at_sign_in, dispatch_uid="members.sessions.track_at_sign_in")
