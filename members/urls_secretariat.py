"""The secretariat's people tools, under /secretariat/ (namespace "secretariat")."""

from django.urls import path  # noqa: F401

app_name = "secretariat"

urlpatterns = [
    # --- vetting (queue, application detail, decisions, invitations) ---
    # --- end vetting ---
    # --- people (dashboard, members list, suspend/reinstate, export) ---
    # --- end people ---
]
