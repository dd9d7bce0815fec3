"""The CSRF token of pages kept in a cache (aiii/fragments.py, aiii/layout.py, topics' slots).

A kept page holds a placeholder where each form's token goes, derived from SECRET_KEY so that no
member's text can contain it; each request's own token takes its place when the page is served,
masked once per request (as Django's {% csrf_token %} masks it anew for every response).
"""

import functools
import hmac
import os

from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, get_token
from django.utils.safestring import mark_safe


@functools.cache
def csrf_placeholder():
    # Unguessable, so that no member's text can contain it and be replaced by a token.
    return hmac.new(settings.SECRET_KEY.encode(), b"aiii.fragments.csrf", "sha256").hexdigest()


def page_token(request):
    """The request's CSRF token, masked once per request for every form it shows, and again
    if the secret changes (a sign-in rotates it)."""
    secret = request.META.get("CSRF_COOKIE")
    kept = getattr(request, "_aiii_page_token", None)
    if kept is not None and secret is not None and kept[0] == secret:
        return kept[1]
    if secret is None:
        token = get_token(request)  # no secret yet: Django makes one and sends its cookie
    else:
        # What get_token does for a request that has its secret (the cookie goes out again,
        # renewed), with the mask drawn from one read of the system's randomness instead of
        # one per character: the same token format, as Django checks it.
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        token = mask_secret(secret)
    request._aiii_page_token = (request.META.get("CSRF_COOKIE"), token)
    return token


_CSRF_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}


def mask_secret(secret):
    """`secret` masked for a page: a random mask and the secret shifted by it, character by
    character, in CSRF_ALLOWED_CHARS (what django.middleware.csrf unmasks)."""
    base = len(CSRF_ALLOWED_CHARS)
    number = int.from_bytes(os.urandom(48), "big")  # 384 bits for 32 base-62 digits
    mask = []
    for _ in secret:
        number, digit = divmod(number, base)
        mask.append(digit)
    cipher = (
        CSRF_ALLOWED_CHARS[(_CSRF_INDEX[char] + shift) % base]
        for char, shift in zip(secret, mask, strict=True)
    )
    return "".join(CSRF_ALLOWED_CHARS[digit] for digit in mask) + "".join(cipher)


def with_token(request, html):
    """`html` with the request's own token where a kept copy has the placeholder."""
    placeholder = csrf_placeholder()
    if placeholder in html:
        html = html.replace(placeholder, page_token(request))
    return mark_safe(html)
