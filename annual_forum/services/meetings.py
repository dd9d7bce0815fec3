"""The annual meeting itself and its speakers list."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aiii import fragments
from aiii.audit import audit_record
from aiii.errors import ServiceError
from aiii.markdown import render_markdown
from aiii.state import locked

from ..cache import public_changed
from ..models import FORUM_QUEUE_DATA, AnnualMeeting, Intervention
from ..selectors import speakers_list

MEETING_FIELDS = (
    "year",
    "date",
    "venue",
    "hybrid_access",
    "programme_source",
    "submission_deadline",
    "deadline_time_zone",
)


def annual_meeting_create(*, by, **fields) -> AnnualMeeting:
    if AnnualMeeting.objects.filter(year=fields["year"]).exists():
        raise ServiceError(_("There is already a meeting for %(year)s.") % {"year": fields["year"]})
    with transaction.atomic():
        meeting = AnnualMeeting(**{name: fields[name] for name in MEETING_FIELDS})
        meeting.programme_html = render_markdown(meeting.programme_source)
        meeting.save()
        audit_record(actor=by, action="forum.meeting_create", target=meeting)
        public_changed()
    return meeting


def annual_meeting_update(*, meeting: AnnualMeeting, by, version: int, **fields) -> AnnualMeeting:
    with transaction.atomic():
        meeting = locked(AnnualMeeting.objects, meeting.pk, version=version)
        if fields["year"] != meeting.year and (
            AnnualMeeting.objects.filter(year=fields["year"]).exclude(pk=meeting.pk).exists()
        ):
            raise ServiceError(
                _("There is already a meeting for %(year)s.") % {"year": fields["year"]}
            )
        changed = [name for name in MEETING_FIELDS if getattr(meeting, name) != fields[name]]
        for name in MEETING_FIELDS:
            setattr(meeting, name, fields[name])
        meeting.programme_html = render_markdown(meeting.programme_source)
        meeting.bump_version()
        meeting.save()
        audit_record(
            actor=by, action="forum.meeting_update", target=meeting, data={"changed": changed}
        )
        public_changed()
    return meeting


def _speakers_locked(meeting, version):
    return locked(AnnualMeeting.objects, meeting.pk, version=version)


def speakers_list_move(
    *, meeting: AnnualMeeting, intervention: Intervention, direction: str, by, version: int
) -> AnnualMeeting:
    """Move one speaker up or down; the whole list's order is written down from then on."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    with transaction.atomic():
        meeting = _speakers_locked(meeting, version)
        entries = list(speakers_list(meeting=meeting))
        ids = [entry.pk for entry in entries]
        if intervention.pk not in ids:
            raise ServiceError(_("This intervention is not on the speakers list."))
        index = ids.index(intervention.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(ids):
            ids[index], ids[other] = ids[other], ids[index]
        for position, pk in enumerate(ids, start=1):
            Intervention.objects.filter(pk=pk).update(speaker_position=position)
        fragments.changed(FORUM_QUEUE_DATA)  # updates send no signal
        meeting.bump_version()
        meeting.save(update_fields=["version", "updated_at"])
        audit_record(
            actor=by,
            action="forum.speakers_reorder",
            target=meeting,
            data={"intervention": intervention.pk, "direction": direction},
        )
        public_changed()
    return meeting


def speakers_list_publish(*, meeting: AnnualMeeting, by, version: int) -> AnnualMeeting:
    with transaction.atomic():
        meeting = _speakers_locked(meeting, version)
        if meeting.speakers_list_published:
            raise ServiceError(_("The speakers list is already published."))
        meeting.speakers_list_published = True
        meeting.speakers_list_published_at = timezone.now()
        meeting.bump_version()
        meeting.save()
        audit_record(actor=by, action="forum.speakers_publish", target=meeting)
        public_changed()
    return meeting


def speakers_list_mark_current(
    *, meeting: AnnualMeeting, intervention: Intervention | None, by, version: int
) -> AnnualMeeting:
    """Mark who is speaking now (None: nobody, e.g. at a break)."""
    with transaction.atomic():
        meeting = _speakers_locked(meeting, version)
        if intervention is not None and intervention.pk not in {
            entry.pk for entry in speakers_list(meeting=meeting)
        }:
            raise ServiceError(_("This intervention is not on the speakers list."))
        meeting.current_speaker = intervention
        meeting.bump_version()
        meeting.save()
        audit_record(
            actor=by,
            action="forum.current_speaker",
            target=meeting,
            data={"intervention": intervention.pk if intervention else None},
        )
        public_changed()
    return meeting
