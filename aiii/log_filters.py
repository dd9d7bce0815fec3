"""Filters for the LOGGING setting."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """Keep "Forbidden (Permission denied): /path" to one line.

    Django logs every PermissionDenied with its traceback, though a 403 is the access rules
    working as meant (aiii/access.py), not a fault.
    """

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
