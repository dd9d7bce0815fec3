"""The members app's part of the secretariat (see aiii/secretariat.py): vetting, invitations,
the members list, and the dashboard's applications and composition panels."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from aiii.secretariat import Tool, kept_panel

from .models import APPLICATIONS_DATA, MEMBERS_DATA
from .selectors.people import application_counts, network_composition
from .views import secretariat as people_secretariat
from .views import vetting as vetting_views

urlpatterns = [
    path("applications/", vetting_views.queue, name="applications"),
    path("applications/<int:pk>/", vetting_views.application, name="application"),
    path("applications/<int:pk>/approve/", vetting_views.approve, name="application_approve"),
    path("applications/<int:pk>/reject/", vetting_views.reject, name="application_reject"),
    path(
        "applications/<int:pk>/request-info/",
        vetting_views.request_info,
        name="application_request_info",
    ),
    path("invitations/new/", vetting_views.invite, name="invite"),
    path("members/", people_secretariat.members, name="members"),
    path("members/export.csv", people_secretariat.members_export, name="members_export"),
    path("members/<int:pk>/", people_secretariat.member, name="member"),
    path("members/<int:pk>/correct/", people_secretariat.member_correct, name="member_correct"),
    path("members/<int:pk>/suspend/", people_secretariat.member_suspend, name="member_suspend"),
    path(
        "members/<int:pk>/reinstate/",
        people_secretariat.member_reinstate,
        name="member_reinstate",
    ),
]

tools = [
    Tool(
        _("Applications queue"), "secretariat:applications", _("Vet membership applications."), 10
    ),
    Tool(_("Invite a nominated expert"), "secretariat:invite", _("Send an invitation link."), 20),
    Tool(_("Manage members"), "secretariat:members", _("Suspend, reinstate, correct."), 30),
    Tool(
        _("Export members as CSV"),
        "secretariat:members_export",
        _("A spreadsheet of every member; the audit log records each export."),
        40,
        post=True,
    ),
]


def dashboard_panels(request):
    # Counting every application and member and drawing the charts is kept in the cache until
    # the applications or the members change (aiii/fragments.py).
    return [
        kept_panel(
            request,
            "members/secretariat/panels/applications.html",
            datasets=[APPLICATIONS_DATA],
            context=lambda: {"application_counts": application_counts()},
            order=10,
        ),
        kept_panel(
            request,
            "members/includes/composition.html",
            datasets=[MEMBERS_DATA],
            context=lambda: {"composition": network_composition()},
            order=20,
        ),
    ]
