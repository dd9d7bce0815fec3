"""/secretariat/: the dashboard and audit log here, every app's secretariat pages beside them
(see aiii/secretariat.py)."""

from django.urls import path

from . import views
from .secretariat import secretariat_urlpatterns

app_name = "secretariat"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", views.audit_log, name="audit_log"),
    path("second-factor/", views.mfa_enrolment, name="mfa_enrolment"),
    *secretariat_urlpatterns(),
]
