from django.urls import path

from . import feeds
from .views import delegation, public

app_name = "forum"

urlpatterns = [
    path("forum/", public.current, name="current"),
    path("forum/feed.atom", feeds.feed, name="feed"),
    path("forum/register/", public.register, name="register"),
    path("forum/register/done/", public.register_done, name="register_done"),
    path("forum/delegation/", delegation.delegation, name="delegation"),
    path(
        "forum/delegation/interventions/new/",
        delegation.intervention_new,
        name="intervention_new",
    ),
    path(
        "forum/delegation/interventions/<int:pk>/",
        delegation.intervention_manage,
        name="intervention_manage",
    ),
    path(
        "forum/delegation/interventions/<int:pk>/edit/",
        delegation.intervention_edit_view,
        name="intervention_edit",
    ),
    path(
        "forum/delegation/interventions/<int:pk>/submit/",
        delegation.intervention_submit_view,
        name="intervention_submit",
    ),
    path(
        "forum/delegation/interventions/<int:pk>/withdraw/",
        delegation.intervention_withdraw_view,
        name="intervention_withdraw",
    ),
    path("forum/<int:year>/", public.year, name="year"),
    path("forum/<int:year>/speakers/", public.speakers, name="speakers"),
    path("forum/<int:year>/record/", public.record, name="record"),
    path(
        "forum/<int:year>/interventions/<int:pk>/",
        public.intervention,
        name="intervention",
    ),
    path(
        "forum/<int:year>/interventions/<int:pk>/intervention.pdf",
        public.intervention_pdf,
        name="intervention_pdf",
    ),
]
