"""The meetings app's part of a signed-in user's home (see aiii/home.py): the next meetings with
the user's answer, invitations still to answer, and minutes circulated for comment."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aiii.home import Action, Panel
from aiii.permissions import is_secretariat

from .permissions import can_use_meetings
from .selectors import (
    count_and_only,
    minutes_to_comment,
    my_participations,
    next_meetings,
    unanswered_invitations,
)

NEXT_MEETINGS = 5


def actions(request):
    user = request.user
    if not can_use_meetings(user) or is_secretariat(user):
        return []
    answers, answer_pk = count_and_only(unanswered_invitations(user))
    comments, comment_pk = count_and_only(minutes_to_comment(user))
    return [
        Action(_("Invitations to answer"), _url(answer_pk, "meetings:workspace"), answers, 20),
        Action(
            _("Minutes open for your comments"), _url(comment_pk, "meetings:minutes"), comments, 21
        ),
    ]


def panels(request):
    user = request.user
    if not can_use_meetings(user):
        return []
    meetings = next_meetings(user, limit=NEXT_MEETINGS)
    participations = {} if is_secretariat(user) else my_participations(user, meetings)
    rows = [(meeting, participations.get(meeting.pk)) for meeting in meetings]
    return [Panel("meetings/home/next_meetings.html", {"rows": rows}, order=10)]


def _url(only_pk, url_name):
    """One meeting: its own page; several: the meetings list."""
    if only_pk is not None:
        return reverse(url_name, kwargs={"pk": only_pk})
    return reverse("meetings:list")
