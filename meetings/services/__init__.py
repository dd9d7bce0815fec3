"""Every write of the meetings app (see STYLE.md): meetings, participants, documents, minutes."""

from .documents import document_upload
from .meetings import meeting_cancel, meeting_create, meeting_set_status, meeting_update
from .minutes import (
    minutes_approve,
    minutes_circulate,
    minutes_comment,
    minutes_save,
    outcome_publish,
    outcome_save,
    outcome_withdraw,
)
from .participants import (
    agenda_item_add,
    agenda_item_delete,
    agenda_item_move,
    feed_create,
    feed_revoke,
    meeting_invite,
    meetings_remind,
    participant_remove,
    participant_respond,
    participants_export_record,
    rsvp_token,
)

__all__ = [
    "agenda_item_add",
    "agenda_item_delete",
    "agenda_item_move",
    "document_upload",
    "feed_create",
    "feed_revoke",
    "meeting_cancel",
    "meeting_create",
    "meeting_invite",
    "meeting_set_status",
    "meeting_update",
    "meetings_remind",
    "minutes_approve",
    "minutes_circulate",
    "minutes_comment",
    "minutes_save",
    "outcome_publish",
    "outcome_save",
    "outcome_withdraw",
    "participant_remove",
    "participant_respond",
    "participants_export_record",
    "rsvp_token",
]
