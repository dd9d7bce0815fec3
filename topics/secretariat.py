"""The topics app's part of the secretariat (see aiii/secretariat.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from aiii.secretariat import Tool, kept_panel

from . import views_secretariat as views
from .models import FLAGS_DATA
from .selectors import open_flag_count

urlpatterns = [
    path("topics/", views.topics, name="topics"),
    path("topics/<slug:slug>/edit/", views.topic_edit_view, name="topic_edit"),
    path("topics/flags/", views.flags, name="topic_flags"),
    path("topics/flags/<int:pk>/dismiss/", views.flag_dismiss_view, name="topic_flag_dismiss"),
    path("topics/posts/<int:pk>/hide/", views.post_hide_view, name="topic_post_hide"),
    path("topics/posts/<int:pk>/restore/", views.post_restore_view, name="topic_post_restore"),
    path(
        "topics/threads/<int:pk>/moderate/",
        views.thread_moderate_view,
        name="topic_thread_moderate",
    ),
]

tools = [
    Tool(_("Topics"), "secretariat:topics", _("Add, rename, order and hide topics."), 60),
    Tool(_("Flagged posts"), "secretariat:topic_flags", _("Moderate the topic threads."), 61),
]


def dashboard_panels(request):
    return [
        kept_panel(
            request,
            "topics/secretariat/panels/flags.html",
            datasets=[FLAGS_DATA],
            context=lambda: {"flag_count": open_flag_count()},
            order=60,
        )
    ]
