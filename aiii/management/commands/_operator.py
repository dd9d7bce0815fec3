"""What the operator commands share: finding the account and naming the operator."""

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def account_by_email(email):
    User = get_user_model()
    try:
        return User.objects.get(email__iexact=email.strip())
    except User.DoesNotExist:
        raise CommandError(f"No account has the address {email}.") from None


def operator_label(command_name):
    """Who ran the command, as the audit log names them."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return f"operator {who} (manage.py {command_name})"
