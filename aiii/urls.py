from django.urls import include, path

from . import views

handler400 = "aiii.views.error_400"
handler403 = "aiii.views.error_403"
handler404 = "aiii.views.error_404"
handler500 = "aiii.views.error_500"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("about/", views.about, name="about"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("secretariat/", include("aiii.urls_secretariat")),
    path("", include("members.urls")),
    path("", include("topics.urls")),
    path("", include("meetings.urls")),
    path("", include("annual_forum.urls")),
    path("forum/api/", include("annual_forum.api_urls")),
]
