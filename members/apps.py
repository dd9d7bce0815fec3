from django.apps import AppConfig


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"

    def ready(self):
        # Connects the sign-in hook that records each session (members.UserSession).
        from . import middleware  # noqa: F401
