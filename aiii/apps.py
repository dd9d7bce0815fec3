from django.apps import AppConfig


class AiiiConfig(AppConfig):
    name = "aiii"

    def ready(self):
        # Modules of aiii that record audit actions name them when imported (aiii/audit.py).
        from . import fragments, mfa_enrolment  # noqa: F401
        from .models import AUDIT_DATA, AuditEntry

        # What the audit log shows: entries are only ever added (aiii/audit.py saves each).
        fragments.track(AUDIT_DATA, AuditEntry)
