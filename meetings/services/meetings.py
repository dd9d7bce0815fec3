"""Creating, changing, cancelling a meeting and moving it through its states."""

from django.db import transaction
from django.utils.translation import gettext as _

from aiii.audit import audit_record
from aiii.errors import ServiceError
from aiii.markdown import render_markdown
from aiii.state import email_key, locked

from ..calendar import CANCEL, REQUEST, invitation_attachment
from ..models import Meeting
from .emails import queue_many

EDITABLE_FIELDS = (
    "reference",
    "title",
    "body",
    "description",
    "start",
    "end",
    "format",
    "venue",
    "join_link",
    "confidentiality",
    "allow_participant_uploads",
)
# A change of these is news for the participants' calendars: the invitation goes out again.
CALENDAR_FIELDS = ("title", "reference", "start", "end", "venue", "format")

# Which state may follow which, by the secretariat's hand (minutes approval is its own service).
NEXT_STATUSES = {
    Meeting.Status.HELD: (Meeting.Status.INVITED,),
    Meeting.Status.ARCHIVED: (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED),
}


def _check_times(data):
    if data["end"] <= data["start"]:
        raise ServiceError(_("The meeting must end after it starts."))


def meeting_create(*, by, data) -> Meeting:
    _check_times(data)
    with transaction.atomic():
        meeting = Meeting(created_by=by, **{name: data[name] for name in EDITABLE_FIELDS})
        meeting.description_html = render_markdown(meeting.description)
        meeting.save()
        audit_record(actor=by, action="meeting.create", target=meeting)
    return meeting


# Stand-ins for each recipient's own values in an email rendered once for many (queue_many).
NAME = "@@aiii-name@@"
RSVP = "@@aiii-rsvp@@"


def invitation_messages(meeting, participants, *, event, method=REQUEST):
    """One email per participant: the invitation (or its update, or the cancellation) with the
    calendar file. The key names the meeting's version, so an update sends once more."""
    from .participants import rsvp_url_maker

    attachment = invitation_attachment(meeting, method=method)
    template = "meetings/email/cancelled" if method == CANCEL else "meetings/email/invitation"
    shared = {"meeting": meeting, "name": NAME, "event": event, "rsvp_url": RSVP}
    rsvp_url = rsvp_url_maker()
    messages = []
    for participant in participants:
        user = participant.user
        profile = getattr(user, "profile", None)
        messages.append(
            {
                "to": user.email,
                "template": template,
                "context": shared,
                # The link first: a name cannot then smuggle in the link's placeholder.
                "fill": {
                    RSVP: rsvp_url(participant) if method == REQUEST else "",
                    NAME: getattr(profile, "full_name", "") or user.email,
                },
                "language": getattr(profile, "language", None),
                "idempotency_key": email_key(meeting, event, recipient=user),
                "attachments": [attachment],
                # The RSVP link answers for this participant: not kept once sent.
                "sensitive": method == REQUEST,
            }
        )
    return messages


def meeting_update(*, meeting, by, data, version) -> Meeting:
    _check_times(data)
    with transaction.atomic():
        meeting = locked(
            Meeting.objects,
            meeting.pk,
            version=version,
            allowed=Meeting.OPEN_STATUSES + (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED),
        )
        changed = [name for name in EDITABLE_FIELDS if getattr(meeting, name) != data[name]]
        if not changed:
            return meeting
        for name in changed:
            setattr(meeting, name, data[name])
        meeting.description_html = render_markdown(meeting.description)
        meeting.bump_version()
        meeting.save()
        audit_record(actor=by, action="meeting.update", target=meeting, data={"changed": changed})
        if meeting.status == Meeting.Status.INVITED and set(changed) & set(CALENDAR_FIELDS):
            participants = meeting.participants.select_related("user__profile")
            queue_many(invitation_messages(meeting, participants, event="updated"))
    return meeting


def meeting_cancel(*, meeting, by, reason, version) -> Meeting:
    if not reason.strip():
        raise ServiceError(_("A reason is required."))
    with transaction.atomic():
        meeting = locked(
            Meeting.objects, meeting.pk, version=version, allowed=Meeting.OPEN_STATUSES
        )
        meeting.status = Meeting.Status.CANCELLED
        meeting.bump_version()
        meeting.save(update_fields=["status", "version", "updated_at"])
        audit_record(actor=by, action="meeting.cancel", target=meeting, reason=reason)
        participants = meeting.participants.select_related("user__profile")
        queue_many(invitation_messages(meeting, participants, event="cancelled", method=CANCEL))
    return meeting


def meeting_set_status(*, meeting, by, status, version) -> Meeting:
    if status not in NEXT_STATUSES:
        raise ServiceError(_("That is not a state the secretariat sets by hand."))
    with transaction.atomic():
        meeting = locked(
            Meeting.objects, meeting.pk, version=version, allowed=NEXT_STATUSES[status]
        )
        meeting.status = status
        meeting.bump_version()
        meeting.save(update_fields=["status", "version", "updated_at"])
        audit_record(
            actor=by, action="meeting.status", target=meeting, data={"status": str(status)}
        )
    return meeting
