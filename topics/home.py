"""The topics app's part of a signed-in user's home (see aiii/home.py): unread threads in what the
user watches, and for the secretariat the flagged posts waiting."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aiii.home import Action, Panel

from .permissions import can_moderate, can_view_topics
from .selectors import open_flag_count, unread_watched_threads

UNREAD_SHOWN = 5


def actions(request):
    if not can_moderate(request.user):
        return []
    return [
        Action(
            _("Flagged posts to moderate"),
            reverse("secretariat:topic_flags"),
            open_flag_count(),
            30,
        )
    ]


def panels(request):
    if not can_view_topics(request.user):
        return []
    threads, total = unread_watched_threads(user=request.user, limit=UNREAD_SHOWN)
    return [Panel("topics/home/unread.html", {"threads": threads, "unread_total": total}, order=20)]
