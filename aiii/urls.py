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
    path("secretariat/audit/", views.audit_log, name="audit_log"),
    path("secretariat/second-factor/", views.mfa_enrolment, name="mfa_enrolment"),
    path("secretariat/", include("members.urls_secretariat")),
    path("", include("members.urls")),
]
