"""Minutes (drafted with speakers, read without them under the Chatham House Rule) and the
public outcome summary."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aiii.audit import audit_record
from aiii.errors import ServiceError
from aiii.markdown import render_markdown
from aiii.state import email_key, locked

from ..models import Meeting, Minutes, MinutesComment, OutcomeSummary
from .emails import queue_many

# A speaker is named in the draft as [[Name]].
SPEAKER = re.compile(r"\[\[([^\[\]\n]{1,200})\]\]")


def _attributed(text):
    return SPEAKER.sub(lambda match: f"**{match.group(1).strip()}:**", text)


def unattributed(text, names):
    """The minutes without who said what: every [[speaker]] becomes "A participant", and any
    participant's name or address left in the text is replaced too (a name typed outside the
    brackets must not slip through)."""
    text = SPEAKER.sub(lambda match: "**" + _("A participant") + ":**", text)
    for name in sorted({n for n in names if n and len(n) > 2}, key=len, reverse=True):
        text = re.sub(re.escape(name), _("a participant"), text, flags=re.IGNORECASE)
    return text


def participant_names(meeting):
    names = []
    for full_name, email in meeting.participants.values_list(
        "user__profile__full_name", "user__email"
    ):
        names.extend([full_name, email])
        # Each part of a name alone too ("Moreau said"), when it is a real word.
        names.extend(part for part in (full_name or "").split() if len(part) > 3)
    return names


def _render(minutes):
    minutes.attributed_html = render_markdown(_attributed(minutes.text))
    minutes.public_html = render_markdown(
        unattributed(minutes.text, participant_names(minutes.meeting))
    )


def minutes_save(*, meeting, by, text, version=None) -> Minutes:
    with transaction.atomic():
        meeting = locked(Meeting.objects, meeting.pk)
        minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
        minutes = locked(
            Minutes.objects,
            minutes.pk,
            version=version if not _created else None,
            allowed=(Minutes.Status.DRAFT, Minutes.Status.CIRCULATED),
            refused=_("The minutes are “%(status)s”: they no longer change."),
        )
        minutes.meeting = meeting
        minutes.text = text
        _render(minutes)
        minutes.bump_version()
        minutes.save()
        audit_record(actor=by, action="meeting.minutes_save", target=meeting)
    return minutes


def minutes_circulate(*, minutes, by, version) -> Minutes:
    with transaction.atomic():
        minutes = locked(
            Minutes.objects.select_related("meeting"),
            minutes.pk,
            version=version,
            allowed=(Minutes.Status.DRAFT,),
        )
        if not minutes.text.strip():
            raise ServiceError(_("Write the minutes before circulating them."))
        minutes.status = Minutes.Status.CIRCULATED
        _render(minutes)
        minutes.bump_version()
        minutes.save()
        meeting = minutes.meeting
        audit_record(actor=by, action="meeting.minutes_circulate", target=meeting)
        participants = meeting.participants.select_related("user__profile")
        queue_many(
            [
                {
                    "to": participant.user.email,
                    "template": "meetings/email/minutes_circulated",
                    "context": {"meeting": meeting},
                    "language": getattr(
                        getattr(participant.user, "profile", None), "language", None
                    ),
                    "idempotency_key": email_key(minutes, "circulated", recipient=participant.user),
                }
                for participant in participants
            ]
        )
    return minutes


def minutes_approve(*, minutes, by, version) -> Minutes:
    with transaction.atomic():
        minutes = locked(
            Minutes.objects.select_related("meeting"),
            minutes.pk,
            version=version,
            allowed=(Minutes.Status.DRAFT, Minutes.Status.CIRCULATED),
        )
        if not minutes.text.strip():
            raise ServiceError(_("Write the minutes before approving them."))
        minutes.status = Minutes.Status.APPROVED
        minutes.approved_at = timezone.now()
        minutes.approved_by = by
        _render(minutes)
        minutes.bump_version()
        minutes.save()
        meeting = locked(Meeting.objects, minutes.meeting_id)
        if meeting.status == Meeting.Status.HELD:
            meeting.status = Meeting.Status.MINUTES_APPROVED
            meeting.bump_version()
            meeting.save(update_fields=["status", "version", "updated_at"])
        audit_record(actor=by, action="meeting.minutes_approve", target=meeting)
    return minutes


def minutes_comment(*, minutes, by, text) -> MinutesComment:
    if not text.strip():
        raise ServiceError(_("Write a comment first."))
    with transaction.atomic():
        minutes = locked(
            Minutes.objects,
            minutes.pk,
            allowed=(Minutes.Status.CIRCULATED,),
            refused=_("The minutes are “%(status)s”: comments are closed."),
        )
        comment = MinutesComment.objects.create(minutes=minutes, author=by, text=text.strip())
    return comment


def outcome_save(*, meeting, by, summary) -> OutcomeSummary:
    if not summary.strip():
        raise ServiceError(_("Write the summary first."))
    with transaction.atomic():
        outcome, _created = OutcomeSummary.objects.select_for_update().get_or_create(
            meeting=meeting, defaults={"summary": summary}
        )
        outcome.summary = summary
        outcome.summary_html = render_markdown(summary)
        outcome.save()
        audit_record(actor=by, action="meeting.outcome_save", target=meeting)
    return outcome


def outcome_publish(*, meeting, by) -> OutcomeSummary:
    with transaction.atomic():
        outcome = OutcomeSummary.objects.select_for_update().filter(meeting=meeting).first()
        if outcome is None:
            raise ServiceError(_("Write the summary first."))
        if outcome.published_at is None:
            outcome.published_at = timezone.now()
            outcome.save(update_fields=["published_at", "updated_at"])
            audit_record(actor=by, action="meeting.outcome_publish", target=meeting)
    return outcome


def outcome_withdraw(*, meeting, by) -> OutcomeSummary:
    with transaction.atomic():
        outcome = OutcomeSummary.objects.select_for_update().filter(meeting=meeting).first()
        if outcome is None or outcome.published_at is None:
            raise ServiceError(_("The summary is not published."))
        outcome.published_at = None
        outcome.save(update_fields=["published_at", "updated_at"])
        audit_record(actor=by, action="meeting.outcome_withdraw", target=meeting)
    return outcome
