"""The portal's one error vocabulary for rules a user can act on.

Services raise these; views turn them into responses in one way (`aiii.actions.form_action`):
a `ServiceError` is shown beside the form again (400), a `Conflict` re-renders the object's page
with its current state (409). Programming errors stay `ValueError`/`TypeError` and are bugs.
"""


class ServiceError(Exception):
    """A rule refused what the user asked; `message` is written for that user."""

    status = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class Conflict(ServiceError):
    """The object changed since the page was rendered, or someone else decided first."""

    status = 409


class InvalidState(Conflict):
    """The object is not in a state that allows the change (e.g. suspending a suspended member).

    A Conflict too: from the person's point of view the object moved on, and the answer is the
    same, the page again with the object as it is now.
    """
