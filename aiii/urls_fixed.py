"""The addresses of views that take no arguments, worked out once per process.

The layout and the navigation name the same dozen fixed addresses on every page (home, about,
sign out, the sections); Django's `reverse` costs over 10 µs each time, for answers that never
change while the process runs. Such an address depends only on the URL configuration in use,
the script prefix and the current application namespace, which make up the key (not on the
language: the portal's URLs carry no language prefix, which tests/aiii/test_fixed_url.py
checks); everything is forgotten when the URL configuration setting changes, as Django forgets
its own resolvers. Addresses with arguments are worked out each time, as before.
"""

import functools

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=1024)
def _fixed(view_name, current_app, where):
    return reverse(view_name, urlconf=where[0], current_app=current_app)


def url_setting():
    """The URL configuration and script prefix of the current request: where addresses are
    worked out. Fetch it once for several `fixed_url` calls (each lookup costs a little)."""
    return (get_urlconf(), get_script_prefix())


def fixed_url(view_name, *, current_app=None, where=None):
    """reverse(view_name) for a view without arguments; NoReverseMatch as reverse raises it."""
    return _fixed(view_name, current_app, where or url_setting())


def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _fixed.cache_clear()


setting_changed.connect(_forget, dispatch_uid="aiii.urls_fixed.forget")
