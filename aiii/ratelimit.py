"""A small rate limiter in the cache, for the portal's own forms (apply, invitations).

allauth limits its own views (login, reset, verification); `allauth.core.ratelimit` reads only
ACCOUNT_RATE_LIMITS, so the portal's actions have their own setting, AIII_RATE_LIMITS:

    AIII_RATE_LIMITS = {"apply": "10/h", "invitation": "30/h"}

A rate is "<count>/<period>" with the period in s, m, h or d ("5/10m" is five per ten minutes).
Fixed windows: simple, one cache round trip or two, and shared by every web process once the
cache is Redis (with the local-memory cache each process counts for itself, and so it does while
Redis is down: aiii/cache.py falls back to process memory rather than fail the request).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """(count, seconds) of a rate such as "10/h" or "5/10m"."""
    count, _, period = rate.partition("/")
    period = period.strip()
    unit = period[-1:]
    if unit not in _UNITS:
        raise ValueError(f"Invalid rate {rate!r}: the period must end in s, m, h or d.")
    multiple = period[:-1] or "1"
    return int(count), int(float(multiple) * _UNITS[unit])


def client_ip(request):
    """The client's address as allauth sees it (ALLAUTH_TRUSTED_PROXY_COUNT behind a proxy)."""
    from allauth.account.adapter import get_adapter

    return get_adapter().get_client_ip(request)


def rate_limit_consume(*, action, key):
    """Count one use of `action` by `key` (an IP address, a user id); False once over the limit.

    An action without a configured rate is never limited.
    """
    rate = getattr(settings, "AIII_RATE_LIMITS", {}).get(action)
    if not rate:
        return True
    limit, period = parse_rate(rate)
    window = int(time.time() // period)
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
    cache_key = f"aiii:rl:{action}:{digest}:{window}"
    # add() is atomic: the first use in a window creates the counter, later ones increment it.
    if cache.add(cache_key, 1, timeout=period + 1):
        return 1 <= limit
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=period + 1)
        count = 1
    return count <= limit
