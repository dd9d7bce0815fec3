from django.apps import AppConfig


class AiiiConfig(AppConfig):
    name = "aiii"

    def ready(self):
        # Modules of aiii that record audit actions name them when imported (aiii/audit.py).
        from . import mfa_enrolment  # noqa: F401
