from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aiii.mfa_enrolment import EnrolmentGrantError, enrolment_grant_issue

from ._operator import account_by_email, operator_label


class Command(BaseCommand):
    help = (
        "Print a one-time code with which the secretariat account <email> may enrol its second "
        "factor (an authenticator app or a passkey). Give it to the person by a channel other "
        "than the account's email. It works once, for AIII_MFA_ENROLMENT_CODE_MINUTES minutes; "
        "a new code replaces any earlier one."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the secretariat account's email address")

    def handle(self, *args, **options):
        user = account_by_email(options["email"])
        try:
            code, expires_at = enrolment_grant_issue(
                user=user, by=operator_label("secretariat_mfa_code")
            )
        except EnrolmentGrantError as error:
            raise CommandError(str(error)) from None
        until = timezone.localtime(expires_at)
        self.stdout.write(f"Enrolment code for {user.email}: {code}")
        self.stdout.write(f"Valid once, until {until:%Y-%m-%d %H:%M %Z}.")
