"""How aiii finds what each app contributes without importing any app by name (STYLE.md).

An app offers a piece by having a module of a known name: `<app>.demo` (demo data for
`seed_demo`), `<app>.secretariat` (the secretariat's pages and dashboard panels). This finds
those modules in INSTALLED_APPS order.
"""

import importlib
import importlib.util
from functools import cache

from django.apps import apps


@cache  # the app registry is fixed once Django is set up
def app_modules(submodule):
    """[(app label, module)] for every installed app that has `<app>.<submodule>`."""
    found = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.{submodule}"
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            found.append((app_config.label, importlib.import_module(name)))
    return tuple(found)
