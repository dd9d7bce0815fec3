from django.urls import path  # noqa: F401

from .views import directory as people_directory

app_name = "members"

urlpatterns = [
    # --- applications (apply, verification, applicant's status, amend, invitation link) ---
    # --- end applications ---
    # --- people (directory, profile, me) ---
    path("members/", people_directory.directory, name="directory"),
    path("members/me/", people_directory.me, name="me"),
    path("members/<int:pk>/", people_directory.profile, name="profile"),
    # --- end people ---
]
