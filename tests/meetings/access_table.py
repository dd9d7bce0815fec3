"""meetings' routes in the access table (see tests/access_table.py).

The table's member is a participant of `meeting_in` only; the rows use `meeting_out`, so they
prove a member who is not invited gets 404 on the workspace, each document, the minutes and
their forms. tests/meetings/test_access.py tries the same routes as a participant.
"""

from tests.access_table import (
    LOGIN,
    MEMBERS_PAGE,
    REDIRECT,
    SECRETARIAT_ACTION,
    SECRETARIAT_PAGE,
    SECRETARIAT_POST_ONLY,
    row,
)

MEETING_PAGE = row(LOGIN, 403, 404, LOGIN, 403, 200)
MEETING_ACTION = row(LOGIN, 403, 404, LOGIN, 403, REDIRECT)
MEETINGS_ACTION = row(LOGIN, 403, REDIRECT, LOGIN, 403, REDIRECT)


def extend_world(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings.services import (
        agenda_item_add,
        document_upload,
        feed_create,
        meeting_invite,
        minutes_circulate,
        minutes_save,
    )
    from meetings.services.participants import InviteMode
    from tests.meetings.factories import MeetingFactory
    from tests.members.factories import MemberProfileFactory

    secretariat = world["users"]["secretariat"]
    member = world["users"]["member"]
    other = MemberProfileFactory(full_name="Other Participant").user
    meeting_in = MeetingFactory(reference="TEN/901")
    meeting_out = MeetingFactory(reference="TEN/902")
    meeting_invite(
        meeting=meeting_in, by=secretariat, mode=InviteMode.CHOSEN, emails=[member.email]
    )
    meeting_invite(
        meeting=meeting_out, by=secretariat, mode=InviteMode.CHOSEN, emails=[other.email]
    )
    for meeting in (meeting_in, meeting_out):
        version = document_upload(
            meeting=meeting,
            by=secretariat,
            upload=SimpleUploadedFile("agenda.pdf", b"%PDF-1.4\nagenda\n%%EOF\n"),
            title="Annotated agenda",
        )
        minutes = minutes_save(meeting=meeting, by=secretariat, text="[[Other Participant]] spoke.")
        minutes_circulate(minutes=minutes, by=secretariat, version=minutes.version)
        item = agenda_item_add(meeting=meeting, by=secretariat, title="Opening")
        world[meeting.reference] = {
            "meeting": meeting,
            "version": version,
            "document": version.document,
            "item": item,
        }
    world["meeting_in"] = world["TEN/901"]
    world["meeting_out"] = world["TEN/902"]
    world["participant_in"] = meeting_in.participants.get(user=member)
    world["participant_out"] = meeting_out.participants.get()
    world["feed_token"] = feed_create(user=member)


def _out(w):
    return {"pk": w["meeting_out"]["meeting"].pk}


def _rsvp(w):
    from meetings.services import rsvp_token

    return {"token": rsvp_token(w["participant_in"])}


TABLE = {
    "meetings:list": (None, MEMBERS_PAGE),
    "meetings:workspace": (_out, MEETING_PAGE),
    # Nobody but a participant answers; the secretariat is not one here.
    "meetings:calendar_file": (_out, MEETING_PAGE),
    "meetings:respond": (_out, row(LOGIN, 403, 404, LOGIN, 403, 404)),
    "meetings:upload": (_out, MEETING_ACTION),
    "meetings:upload_version": (
        lambda w: {**_out(w), "document_pk": w["meeting_out"]["document"].pk},
        MEETING_ACTION,
    ),
    "meetings:document_download": (
        lambda w: {**_out(w), "version_pk": w["meeting_out"]["version"].pk},
        MEETING_PAGE,
    ),
    "meetings:minutes": (_out, MEETING_PAGE),
    "meetings:comment": (_out, MEETING_ACTION),
    # The member's own answer link works signed out (and with the suspended member's dead
    # session, which is signed out); anyone else signed in is refused with 404.
    "meetings:rsvp_link": (_rsvp, row(200, 404, 200, 200, 404, 404)),
    "meetings:feed_new": (None, MEETINGS_ACTION),
    "meetings:feed_revoke": (None, MEETINGS_ACTION),
    "meetings:feed": (lambda w: {"token": w["feed_token"]}, row(200, 200, 200, 200, 200, 200)),
    # secretariat
    "secretariat:meetings": (None, SECRETARIAT_PAGE),
    "secretariat:meeting_create": (None, SECRETARIAT_PAGE),
    "secretariat:meeting": (_out, SECRETARIAT_PAGE),
    "secretariat:meeting_minutes_print": (_out, SECRETARIAT_PAGE),
    "secretariat:meeting_edit": (_out, SECRETARIAT_ACTION),
    "secretariat:meeting_invite": (_out, SECRETARIAT_ACTION),
    "secretariat:meeting_participant_remove": (
        lambda w: {**_out(w), "participant_pk": w["participant_out"].pk},
        SECRETARIAT_ACTION,
    ),
    "secretariat:meeting_status": (_out, SECRETARIAT_ACTION),
    "secretariat:meeting_cancel": (_out, SECRETARIAT_ACTION),
    "secretariat:meeting_agenda_add": (_out, SECRETARIAT_ACTION),
    "secretariat:meeting_agenda_move": (
        lambda w: {**_out(w), "item_pk": w["meeting_out"]["item"].pk},
        SECRETARIAT_ACTION,
    ),
    "secretariat:meeting_agenda_delete": (
        lambda w: {**_out(w), "item_pk": w["meeting_out"]["item"].pk},
        SECRETARIAT_ACTION,
    ),
    "secretariat:meeting_minutes": (_out, SECRETARIAT_ACTION),
    "secretariat:meeting_outcome": (_out, SECRETARIAT_ACTION),
    "secretariat:meeting_participants_export": (_out, SECRETARIAT_POST_ONLY),
}
