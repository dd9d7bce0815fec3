"""The meetings app's part of the secretariat (see aiii/secretariat.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from aiii.secretariat import Tool, kept_panel

from .models import MEETINGS_DATA
from .selectors import upcoming_meetings
from .views import secretariat as views

urlpatterns = [
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/invite/", views.meeting_invite_view, name="meeting_invite"),
    path(
        "meetings/<int:pk>/participants/<int:participant_pk>/remove/",
        views.participant_remove_view,
        name="meeting_participant_remove",
    ),
    path(
        "meetings/<int:pk>/participants.csv",
        views.participants_export,
        name="meeting_participants_export",
    ),
    path("meetings/<int:pk>/status/", views.meeting_status, name="meeting_status"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel_view, name="meeting_cancel"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="meeting_agenda_add"),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/move/",
        views.agenda_move,
        name="meeting_agenda_move",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/delete/",
        views.agenda_delete,
        name="meeting_agenda_delete",
    ),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="meeting_minutes"),
    path("meetings/<int:pk>/minutes/print/", views.minutes_print, name="meeting_minutes_print"),
    path("meetings/<int:pk>/outcome/", views.outcome_edit, name="meeting_outcome"),
]

tools = [
    Tool(_("Meetings"), "secretariat:meetings", _("Create and run meetings."), order=50),
    Tool(_("New meeting"), "secretariat:meeting_create", _("Schedule a TEN or GEG meeting."), 51),
]


def dashboard_panels(request):
    # Kept until a meeting changes, or until the first one shown ends and leaves the list.
    return [
        kept_panel(
            request,
            "meetings/secretariat/panels/upcoming.html",
            datasets=[MEETINGS_DATA],
            context=lambda: {"upcoming_meetings": list(upcoming_meetings())},
            until=lambda values: min((m.end for m in values["upcoming_meetings"]), default=None),
            order=50,
        )
    ]
