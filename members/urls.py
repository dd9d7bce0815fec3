from django.urls import path

from .views import applications as application_views
from .views import directory as people_directory
from .views import preferences

app_name = "members"

urlpatterns = [
    path("apply/", application_views.apply, name="apply"),
    path("apply/check-email/", application_views.check_email, name="apply_check_email"),
    path("apply/status/", application_views.status, name="application_status"),
    path("apply/amend/", application_views.amend, name="application_amend"),
    path("apply/invitation/<str:token>/", application_views.invitation, name="invitation"),
    path("language/", preferences.choose_language, name="language"),
    path("members/", people_directory.directory, name="directory"),
    path("members/me/", people_directory.me, name="me"),
    path("members/<int:pk>/", people_directory.profile, name="profile"),
]
