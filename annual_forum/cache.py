"""The public pages of the annual meeting, kept rendered for visitors without cookies.

Most of the forum's public traffic is people (and programs) reading the same few pages without
an account. A page is rendered once per "generation" of the public record and language, and
served from the cache until something public changes: every forum service that changes what the
public sees calls `public_changed()`, which starts a new generation when its transaction
commits. What this app does not control (the meetings app publishing an outcome summary) shows
after PUBLIC_PAGE_SECONDS at the latest.

Only requests without any cookie are served from the cache: a signed-in user, or a visitor with
a session (which may hold a message for them) or a CSRF cookie (a form page), always gets a
fresh page, so nothing personal can be cached or served to someone else.
"""

import hashlib
import time
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

GENERATION_KEY = "forum:public:generation"
PUBLIC_PAGE_SECONDS = 60


def public_changed():
    """Call inside a service's transaction: once it commits, cached public pages are old."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, time.time_ns(), None))


def _generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY, 0)
    return generation


def _cacheable(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.COOKIES
        and not request.user.is_authenticated
    )


def kept(name, compute):
    """A value derived from the public record (e.g. the API's ETag facts), computed once per
    generation and PUBLIC_PAGE_SECONDS."""
    key = f"forum:public:{_generation()}:value:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, PUBLIC_PAGE_SECONDS)
    return value


KEPT_TYPES = ("text/html", "application/json")


def cached_public_page(view):
    """Serve `view`'s page (HTML, or JSON for the API) from the cache to visitors without
    cookies (see the module)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = f"forum:public:{_generation()}:{get_language()}:{path}"
        kept = cache.get(key)
        if kept is not None:
            content_type, content = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        content_type = response.get("Content-Type", "")
        if (
            response.status_code == 200
            and not response.streaming
            and content_type.startswith(KEPT_TYPES)
            and not response.cookies
        ):
            cache.set(key, (content_type, response.content), PUBLIC_PAGE_SECONDS)
        return response

    return wrapper
