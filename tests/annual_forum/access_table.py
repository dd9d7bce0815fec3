"""annual_forum's routes in the access table (see tests/access_table.py).

The table's "delegate" is a verified delegate of Switzerland; the world holds a published
intervention (with a PDF) and a submitted one of Switzerland. What the other kinds of delegate
see (unverified, another delegation) is in test_access_delegates.py.
"""

from tests.access_table import (
    LOGIN,
    REDIRECT,
    SECRETARIAT_ACTION,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST_ONLY,
    row,
)

PUBLIC_PAGE = row(200, 200, 200, 200, 200, 200)
DELEGATE_PAGE = row(LOGIN, 404, 404, LOGIN, 200, 404)
DELEGATE_ACTION = row(LOGIN, 404, 404, LOGIN, REDIRECT, 404)


def extend_world(world):
    from django.core.files.base import ContentFile

    from tests.annual_forum.conftest import pdf_bytes
    from tests.annual_forum.factories import (
        DelegateFactory,
        InterventionFactory,
        MeetingFactory,
        PendingDelegateFactory,
        member_state,
    )

    meeting = MeetingFactory(speakers_list_published=True)
    DelegateFactory(user=world["users"]["delegate"])
    published = InterventionFactory(meeting=meeting, delegation=member_state("FR"), published=True)
    published.pdf.save("access.pdf", ContentFile(pdf_bytes()), save=False)
    published.pdf_sha256 = "0" * 64
    published.save()
    world["forum_meeting"] = meeting
    world["forum_published"] = published
    world["forum_own"] = InterventionFactory(meeting=meeting, created_by=world["users"]["delegate"])
    world["forum_pending_delegate"] = PendingDelegateFactory()
    world["forum_pending_delegate"].credential_letter.save("letter.pdf", ContentFile(pdf_bytes()))


def _year(w):
    return {"year": w["forum_meeting"].year}


def _published(w):
    return {"year": w["forum_meeting"].year, "pk": w["forum_published"].pk}


def _own(w):
    return {"pk": w["forum_own"].pk}


def _own_secretariat(w):
    return {"pk": w["forum_own"].pk}


TABLE = {
    # public pages
    "forum:current": (None, PUBLIC_PAGE),
    "forum:year": (_year, PUBLIC_PAGE),
    "forum:speakers": (_year, PUBLIC_PAGE),
    "forum:record": (_year, PUBLIC_PAGE),
    "forum:feed": (None, PUBLIC_PAGE),
    "forum:intervention": (_published, PUBLIC_PAGE),
    "forum:intervention_pdf": (_published, PUBLIC_PAGE),
    "forum:register": (None, row(200, REDIRECT, REDIRECT, 200, REDIRECT, REDIRECT)),
    "forum:register_done": (None, PUBLIC_PAGE),
    # the delegate's own pages
    "forum:delegation": (None, DELEGATE_PAGE),
    "forum:intervention_new": (None, DELEGATE_PAGE),
    "forum:intervention_manage": (_own, DELEGATE_PAGE),
    "forum:intervention_edit": (_own, DELEGATE_ACTION),
    "forum:intervention_submit": (_own, DELEGATE_ACTION),
    "forum:intervention_withdraw": (_own, DELEGATE_ACTION),
    # secretariat
    "secretariat:forum_meetings": (None, SECRETARIAT_PAGE),
    "secretariat:forum_meeting_new": (None, SECRETARIAT_PAGE),
    "secretariat:forum_meeting_edit": (_year, SECRETARIAT_PAGE),
    "secretariat:forum_speakers": (_year, SECRETARIAT_PAGE),
    "secretariat:forum_speakers_move": (_year, SECRETARIAT_ACTION),
    "secretariat:forum_speakers_publish": (_year, SECRETARIAT_ACTION),
    "secretariat:forum_speakers_current": (_year, SECRETARIAT_ACTION),
    "secretariat:forum_interventions": (None, SECRETARIAT_PAGE),
    "secretariat:forum_interventions_export": (None, SECRETARIAT_POST_ONLY),
    "secretariat:forum_intervention": (_own_secretariat, SECRETARIAT_PAGE),
    "secretariat:forum_intervention_decide": (
        lambda w: {"pk": w["forum_own"].pk, "action": "accept"},
        SECRETARIAT_ACTION,
    ),
    "secretariat:forum_delegates": (None, SECRETARIAT_PAGE),
    "secretariat:forum_delegate": (
        lambda w: {"pk": w["forum_pending_delegate"].pk},
        SECRETARIAT_PAGE,
    ),
    "secretariat:forum_delegate_verify": (
        lambda w: {"pk": w["forum_pending_delegate"].pk},
        SECRETARIAT_ACTION,
    ),
    "secretariat:forum_delegate_reject": (
        lambda w: {"pk": w["forum_pending_delegate"].pk},
        SECRETARIAT_ACTION,
    ),
    "secretariat:forum_delegate_letter": (
        lambda w: {"pk": w["forum_pending_delegate"].pk},
        SECRETARIAT_PAGE,
    ),
    "secretariat:forum_delegations": (None, SECRETARIAT_PAGE),
}
