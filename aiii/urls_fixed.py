"""The addresses of views that take no arguments, worked out once per process.

The layout and the navigation name the same dozen fixed addresses on every page (home, about,
sign out, the sections); Django's `reverse` costs about 20 µs each time, a quarter of a
millisecond a page for answers that never change while the process runs. Such an address
depends only on the URL configuration in use, the script prefix, the current application
namespace and the active language (should the addresses ever be translated), which make up the
key; everything is forgotten when the URL configuration setting changes (as Django forgets its
own resolvers). Addresses with arguments are worked out each time, as before.
"""

import functools

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation


@functools.lru_cache(maxsize=1024)
def _fixed(view_name, current_app, urlconf, prefix, language):
    return reverse(view_name, urlconf=urlconf, current_app=current_app)


def fixed_url(view_name, *, current_app=None):
    """reverse(view_name) for a view without arguments; NoReverseMatch as reverse raises it."""
    return _fixed(
        view_name, current_app, get_urlconf(), get_script_prefix(), translation.get_language()
    )


def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _fixed.cache_clear()


setting_changed.connect(_forget, dispatch_uid="aiii.urls_fixed.forget")
