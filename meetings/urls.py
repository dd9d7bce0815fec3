from django.urls import path

from .views import member as views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/<int:pk>/", views.workspace, name="workspace"),
    path("meetings/<int:pk>/respond/", views.respond, name="respond"),
    path("meetings/<int:pk>/calendar.ics", views.calendar_file, name="calendar_file"),
    path("meetings/<int:pk>/documents/new/", views.upload, name="upload"),
    path(
        "meetings/<int:pk>/documents/<int:document_pk>/new-version/",
        views.upload_version,
        name="upload_version",
    ),
    path(
        "meetings/<int:pk>/documents/versions/<int:version_pk>/download/",
        views.document_download,
        name="document_download",
    ),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes/comment/", views.comment, name="comment"),
    path("meetings/rsvp/<str:token>/", views.rsvp_link, name="rsvp_link"),
    path("meetings/feed/new/", views.feed_new, name="feed_new"),
    path("meetings/feed/revoke/", views.feed_delete, name="feed_revoke"),
    path("meetings/feed/<str:token>.ics", views.feed, name="feed"),
]
