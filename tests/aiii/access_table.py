"""aiii's routes in the access table (see tests/access_table.py): the secretariat's shell."""

from tests.access_table import SECRETARIAT_PAGE

TABLE = {
    "secretariat:dashboard": (None, SECRETARIAT_PAGE),
    "secretariat:audit_log": (None, SECRETARIAT_PAGE),
}
