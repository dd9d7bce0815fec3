"""A signed-in user's home at `/`, filled by the apps.

Each app that has something for a user's home provides a module `<app>.home` with either of:

    def actions(request): return [Action(_("Invitations to answer"), url, count), ...]
    def panels(request): return [Panel("meetings/home/next.html", {...}, order=10), ...]

`actions` are what waits for the user (an RSVP to give, minutes to comment, the secretariat's
queues) and are listed first with their counts; `panels` are the rest of the page (next meetings,
unread threads, the annual meeting). Each contribution reads a bounded number of rows in a fixed
number of queries, so the home costs the same with 20 members or 5,000.
"""

from dataclasses import dataclass

from .discovery import app_modules
from .secretariat import Panel

__all__ = ["Action", "Panel", "home_actions", "home_panels"]


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    count: int | None = None
    order: int = 100


def _contributions(name, request):
    found = []
    for label, module in app_modules("home"):
        if label == "aiii":  # this module: the collector, not a contributor
            continue
        contribute = getattr(module, name, None)
        if contribute is not None:
            found.extend(contribute(request))
    return sorted(found, key=lambda item: item.order)


def home_actions(request):
    """What waits for the user, each with a count; items with a count of 0 are left out."""
    return [action for action in _contributions("actions", request) if action.count != 0]


def home_panels(request):
    return _contributions("panels", request)
