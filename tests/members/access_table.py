"""members' routes in the access table (see tests/access_table.py).

Decisions and membership actions are POST forms; a GET by the secretariat leads back to the
object's page (SECRETARIAT_ACTION).
"""

from tests.access_table import (
    INVITATION_TOKEN,
    LOGIN,
    MEMBERS_PAGE,
    REDIRECT,
    SECRETARIAT_ACTION,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST_ONLY,
    row,
)


def extend_world(world):
    from tests.members.factories import ApplicationFactory, MemberProfileFactory

    world["target"] = MemberProfileFactory(full_name="Target Member")
    world["application"] = ApplicationFactory(full_name="Queued Applicant")


# url name: (kwargs builder, expectations)
TABLE = {
    # members: applications (h4)
    "members:apply": (None, row(200, REDIRECT, REDIRECT, 200, REDIRECT, REDIRECT)),
    "members:apply_check_email": (None, row(200, 200, 200, 200, 200, 200)),
    "members:application_status": (None, row(LOGIN, 200, 404, LOGIN, 404, 404)),
    # the applicant's application is pending, not waiting for information: back to the status
    "members:application_amend": (None, row(LOGIN, REDIRECT, 404, LOGIN, 404, 404)),
    "members:invitation": (
        lambda w: {"token": INVITATION_TOKEN},
        row(200, REDIRECT, REDIRECT, 200, REDIRECT, REDIRECT),
    ),
    # the language switcher: a POST form on every page, public
    "members:language": (None, row(405, 405, 405, 405, 405, 405)),
    # members: people
    "members:directory": (None, MEMBERS_PAGE),
    "members:profile": (lambda w: {"pk": w["target"].pk}, MEMBERS_PAGE),
    "members:me": (None, row(LOGIN, 403, 200, LOGIN, 200, 200)),
    # secretariat: vetting (h4)
    "secretariat:applications": (None, SECRETARIAT_PAGE),
    "secretariat:application": (lambda w: {"pk": w["application"].pk}, SECRETARIAT_PAGE),
    "secretariat:application_approve": (
        lambda w: {"pk": w["application"].pk},
        SECRETARIAT_ACTION,
    ),
    "secretariat:application_reject": (
        lambda w: {"pk": w["application"].pk},
        SECRETARIAT_ACTION,
    ),
    "secretariat:application_request_info": (
        lambda w: {"pk": w["application"].pk},
        SECRETARIAT_ACTION,
    ),
    "secretariat:invite": (None, SECRETARIAT_PAGE),
    # secretariat: people
    "secretariat:members": (None, SECRETARIAT_PAGE),
    "secretariat:members_export": (None, SECRETARIAT_POST_ONLY),
    "secretariat:member": (lambda w: {"pk": w["target"].pk}, SECRETARIAT_PAGE),
    "secretariat:member_correct": (lambda w: {"pk": w["target"].pk}, SECRETARIAT_ACTION),
    "secretariat:member_suspend": (lambda w: {"pk": w["target"].pk}, SECRETARIAT_ACTION),
    "secretariat:member_reinstate": (lambda w: {"pk": w["target"].pk}, SECRETARIAT_ACTION),
}
