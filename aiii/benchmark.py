"""Key pages of aiii/ for `python manage.py benchmark` (see aiii/management/commands)."""

MEMBER = "alice@example.org"
SECRETARIAT = "secretariat@example.org"


def pages():
    """[(label, path, account email or None)]."""
    return [
        ("Landing page (visitor)", "/", None),
        ("Member's home", "/", MEMBER),
        ("Secretariat's home", "/", SECRETARIAT),
        ("Audit log", "/secretariat/audit/", SECRETARIAT),
    ]
