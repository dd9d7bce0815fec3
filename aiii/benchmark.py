"""Key pages of aiii/ for `python manage.py benchmark` (see aiii/management/commands)."""

SECRETARIAT = "secretariat@example.org"


def pages():
    """[(label, path, account email or None)]."""
    return [("Audit log", "/secretariat/audit/", SECRETARIAT)]
