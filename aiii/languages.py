from django.conf import settings
from django.utils import translation


def language_ready(code):
    """Whether pages and emails may be rendered in `code` (its translations are complete)."""
    return (
        bool(code)
        and translation.get_supported_language_variant(code, strict=False)
        in settings.AIII_LANGUAGES_READY
    )


def served_language(code):
    """`code` when it is ready, else the portal's default language."""
    return code if language_ready(code) else settings.LANGUAGE_CODE


def profile_language(user):
    """The language `user` chose in their profile (their emails are written in it), or None."""
    profile = getattr(user, "profile", None)
    return getattr(profile, "language", None)


def use_language(request, code):
    """Answer this request in `code` when it is ready: e.g. a page reached from an emailed link
    shows in the language the email was written in, whoever's browser opens it."""
    code = served_language(code)
    translation.activate(code)
    request.LANGUAGE_CODE = translation.get_language()
