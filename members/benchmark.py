"""Key pages of members/ for `python manage.py benchmark` (see aiii/management/commands)."""

MEMBER = "alice@example.org"
SECRETARIAT = "secretariat@example.org"


def pages():
    """[(label, path, account email or None)]: the pages whose speed grows with the network."""
    return [
        ("Member directory", "/members/", MEMBER),
        ("My profile and settings", "/members/me/", MEMBER),
        ("Applications queue", "/secretariat/applications/", SECRETARIAT),
        ("Members list", "/secretariat/members/", SECRETARIAT),
        ("Secretariat dashboard", "/secretariat/", SECRETARIAT),
    ]
