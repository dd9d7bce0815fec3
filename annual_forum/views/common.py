from django.utils.translation import get_language, get_supported_language_variant


def language_code():
    try:
        return get_supported_language_variant(get_language() or "en")
    except LookupError:
        return "en"
