"""The secretariat's people tools, under /secretariat/ (namespace "secretariat")."""

from django.urls import path

from .views import secretariat as people_secretariat
from .views import vetting as vetting_views

app_name = "secretariat"

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
    path("", people_secretariat.dashboard, name="dashboard"),
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
