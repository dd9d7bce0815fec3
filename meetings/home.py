"""The meetings app's part of a signed-in user's home (see aiii/home.py): the next meetings with
the user's answer, invitations still to answer, and minutes circulated for comment."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aiii.fragments import cached_value
from aiii.home import Action, Panel
from aiii.permissions import is_secretariat

from .models import MEETINGS_DATA
from .permissions import can_use_meetings
from .selectors import home_meetings

NEXT_MEETINGS = 5


def _home(request):
    """The user's meetings for the home, read once for both its actions and its panel, and
    kept in the cache (for this user only: their answers and invitations) until a meeting
    changes or the first of them ends."""
    found = getattr(request, "_meetings_home", None)
    if found is None:
        user = request.user
        found = request._meetings_home = cached_value(
            request,
            "meetings:home",
            datasets=[MEETINGS_DATA],
            compute=lambda: home_meetings(user, limit=NEXT_MEETINGS),
            vary=(user.pk,),
            until=lambda home: home.until,
        )
    return found


def actions(request):
    user = request.user
    if not can_use_meetings(user) or is_secretariat(user):
        return []
    home = _home(request)
    return [
        Action(
            _("Invitations to answer"),
            _url(home.answer_pk, "meetings:workspace"),
            home.answers,
            20,
        ),
        Action(
            _("Minutes open for your comments"),
            _url(home.comment_pk, "meetings:minutes"),
            home.comments,
            21,
        ),
    ]


def panels(request):
    if not can_use_meetings(request.user):
        return []
    return [Panel("meetings/home/next_meetings.html", {"rows": _home(request).rows}, order=10)]


def _url(only_pk, url_name):
    """One meeting: its own page; several: the meetings list."""
    if only_pk is not None:
        return reverse(url_name, kwargs={"pk": only_pk})
    return reverse("meetings:list")
