"""The annual forum's part of the secretariat (see aiii/secretariat.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from aiii.secretariat import Tool, kept_panel

from .models import FORUM_QUEUE_DATA
from .selectors import intervention_counts
from .views import secretariat as views
from .views import secretariat_delegates as delegate_views

urlpatterns = [
    path("forum/", views.meetings, name="forum_meetings"),
    path("forum/new/", views.meeting_new, name="forum_meeting_new"),
    path("forum/<int:year>/edit/", views.meeting_edit, name="forum_meeting_edit"),
    path("forum/<int:year>/speakers/", views.speakers, name="forum_speakers"),
    path("forum/<int:year>/speakers/move/", views.speakers_move, name="forum_speakers_move"),
    path(
        "forum/<int:year>/speakers/publish/",
        views.speakers_publish,
        name="forum_speakers_publish",
    ),
    path(
        "forum/<int:year>/speakers/current/",
        views.speakers_current,
        name="forum_speakers_current",
    ),
    path("forum/interventions/", views.interventions, name="forum_interventions"),
    path(
        "forum/interventions/export.csv",
        views.interventions_export,
        name="forum_interventions_export",
    ),
    path("forum/interventions/<int:pk>/", views.intervention, name="forum_intervention"),
    path(
        "forum/interventions/<int:pk>/<slug:action>/",
        views.intervention_decide,
        name="forum_intervention_decide",
    ),
    path("forum/delegates/", delegate_views.delegates, name="forum_delegates"),
    path("forum/delegates/<int:pk>/", delegate_views.delegate, name="forum_delegate"),
    path(
        "forum/delegates/<int:pk>/verify/",
        delegate_views.delegate_verify_view,
        name="forum_delegate_verify",
    ),
    path(
        "forum/delegates/<int:pk>/reject/",
        delegate_views.delegate_reject_view,
        name="forum_delegate_reject",
    ),
    path(
        "forum/delegates/<int:pk>/credential-letter.pdf",
        delegate_views.delegate_letter,
        name="forum_delegate_letter",
    ),
    path("forum/delegations/", delegate_views.delegations, name="forum_delegations"),
]

tools = [
    Tool(
        _("Annual meeting"),
        "secretariat:forum_meetings",
        _("The meeting, its programme and speakers list."),
        60,
    ),
    Tool(
        _("Interventions"),
        "secretariat:forum_interventions",
        _("Decide on and publish interventions."),
        61,
    ),
    Tool(_("Delegates"), "secretariat:forum_delegates", _("Verify delegates."), 62),
    Tool(
        _("Observer organisations"),
        "secretariat:forum_delegations",
        _("Accredit observers."),
        63,
    ),
    Tool(
        _("Export interventions as CSV"),
        "secretariat:forum_interventions_export",
        _("A spreadsheet of the interventions; the audit log records each export."),
        64,
        post=True,
    ),
]


def dashboard_panels(request):
    return [
        kept_panel(
            request,
            "annual_forum/secretariat/panel.html",
            datasets=[FORUM_QUEUE_DATA],
            context=lambda: {"intervention_counts": intervention_counts()},
            order=60,
        )
    ]
