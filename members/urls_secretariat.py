"""The secretariat's people tools, under /secretariat/ (namespace "secretariat")."""

from django.urls import path  # noqa: F401

from .views import secretariat as people_secretariat

app_name = "secretariat"

urlpatterns = [
    # --- vetting (queue, application detail, decisions, invitations) ---
    # --- end vetting ---
    # --- people (dashboard, members list, suspend/reinstate, export) ---
    path("", people_secretariat.dashboard, name="dashboard"),
    path("members/", people_secretariat.members, name="members"),
    path("members/export.csv", people_secretariat.members_export, name="members_export"),
    path("members/<int:pk>/", people_secretariat.member, name="member"),
    path("members/<int:pk>/suspend/", people_secretariat.member_suspend, name="member_suspend"),
    path(
        "members/<int:pk>/reinstate/",
        people_secretariat.member_reinstate,
        name="member_reinstate",
    ),
    # --- end people ---
]
