"""allauth's forms, where the portal needs more than its adapter can give."""

from allauth.account.forms import LoginForm as AllauthLoginForm

from aiii.emails import normalise_email


class LoginForm(AllauthLoginForm):
    """Sign-in by the address's normal form (aiii.emails), as every stored address has it.

    allauth's login form does not call the adapter's clean_email, and it carries the address as
    typed into the rest of the login (the email verification step compares it with the account's
    addresses), so the normal form must replace it here.
    """

    def clean_login(self):
        return normalise_email(super().clean_login())
