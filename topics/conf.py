"""The topics app's settings, each overridable in aiii/settings.py (or the environment there)."""

from django.conf import settings


def post_max_chars():
    """The longest post accepted, in characters of Markdown source."""
    return getattr(settings, "AIII_TOPICS_POST_MAX_CHARS", 20_000)


def posts_per_page():
    return getattr(settings, "AIII_TOPICS_POSTS_PER_PAGE", 25)


def digest_batch_size():
    """How many members one digest task handles (the fan-out splits the recipients)."""
    return getattr(settings, "AIII_TOPICS_DIGEST_BATCH", 200)


def digest_max_items():
    return getattr(settings, "AIII_TOPICS_DIGEST_MAX_ITEMS", 50)


def search_config():
    """The PostgreSQL text search configuration of the posts' search vector."""
    return getattr(settings, "AIII_TOPICS_SEARCH_CONFIG", "english")
