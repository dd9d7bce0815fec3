"""The annual forum's part of a signed-in user's home (see aiii/home.py): the annual meeting's
date and deadline for everyone, a delegation's interventions for its delegates, and the
secretariat's interventions and delegates to decide."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aiii.fragments import cached_value
from aiii.home import Action, Panel
from aiii.permissions import is_delegate, is_secretariat

from .cache import kept
from .models import FORUM_QUEUE_DATA
from .selectors import current_meeting, delegation_interventions, secretariat_queue_counts

INTERVENTIONS_SHOWN = 5


def actions(request):
    if not is_secretariat(request.user):
        return []
    counts = cached_value(
        request, "forum:queues", datasets=[FORUM_QUEUE_DATA], compute=secretariat_queue_counts
    )
    return [
        Action(
            _("Interventions to decide"),
            reverse("secretariat:forum_interventions") + "?status=submitted",
            counts["interventions"],
            40,
        ),
        Action(
            _("Delegates to verify"),
            reverse("secretariat:forum_delegates") + "?status=pending",
            counts["delegates"],
            41,
        ),
    ]


def panels(request):
    user = request.user
    today = timezone.localdate()
    # Public record, the same for everyone: kept until the forum's public record changes
    # (every service that changes the annual meeting says so: annual_forum/cache.py).
    meeting = kept(f"home:meeting:{today.year}", lambda: current_meeting(today=today))
    context = {"annual_meeting": meeting}
    if is_delegate(user):
        context["interventions"] = list(delegation_interventions(user=user)[:INTERVENTIONS_SHOWN])
    return [Panel("annual_forum/home/annual_meeting.html", context, order=30)]
