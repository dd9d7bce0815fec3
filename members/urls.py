from django.urls import path  # noqa: F401

app_name = "members"

urlpatterns = [
    # --- applications (apply, verification, applicant's status, amend, invitation link) ---
    # --- end applications ---
    # --- people (directory, profile, me) ---
    # --- end people ---
]
