"""aiii's routes in the access table (see tests/access_table.py): the secretariat's shell."""

from tests.access_table import LOGIN, REDIRECT, SECRETARIAT_PAGE, row

TABLE = {
    "secretariat:dashboard": (None, SECRETARIAT_PAGE),
    "secretariat:audit_log": (None, SECRETARIAT_PAGE),
    # The enrolment-code page: a secretariat account that has its second factor is sent on.
    "secretariat:mfa_enrolment": (None, row(LOGIN, 403, 403, LOGIN, 403, REDIRECT)),
}
