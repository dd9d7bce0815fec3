from django.core.management.base import BaseCommand

from aiii.mfa_enrolment import second_factor_reset

from ._operator import account_by_email, operator_label


class Command(BaseCommand):
    help = (
        "Remove every second factor (authenticator app, recovery codes, passkeys) of the account "
        "<email>, for a lost device. A secretariat account can then do nothing until it enrols "
        "a new one with a code from `manage.py secretariat_mfa_code`."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the account's email address")
        parser.add_argument("--reason", default="", help="why, for the audit log")

    def handle(self, *args, **options):
        user = account_by_email(options["email"])
        removed = second_factor_reset(
            user=user, by=operator_label("secretariat_mfa_reset"), reason=options["reason"]
        )
        if removed:
            self.stdout.write(f"Removed from {user.email}: {', '.join(removed)}.")
        else:
            self.stdout.write(f"{user.email} had no second factor.")
