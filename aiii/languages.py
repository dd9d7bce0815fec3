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
