"""Invitations, answers, reminders, the private calendar feed and the agenda."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aiii import fragments
from aiii.audit import audit_record
from aiii.errors import InvalidState, ServiceError
from aiii.guardian import grant, revoke
from aiii.permissions import GEG_GROUP, MEMBER_GROUP
from aiii.state import locked
from members.models import Profile

from ..calendar import CANCEL
from ..models import (
    MEETINGS_DATA,
    VIEW_MEETING,
    AgendaItem,
    Body,
    CalendarFeed,
    Meeting,
    Participant,
)
from .emails import queue_many
from .meetings import invitation_messages

RSVP_SALT = "meetings.rsvp"
# (kind, how long before, the participant's field, the window's near end): a meeting less than
# a day away gets only the one-day reminder, not both at once.
REMINDERS = (
    ("7d", timedelta(days=7), "reminded_7d_at", timedelta(days=1)),
    ("1d", timedelta(days=1), "reminded_1d_at", timedelta(0)),
)


class InviteMode:
    CHOSEN = "chosen"
    ALL_MEMBERS = "all_members"
    GEG = "geg"


# --- invitations --------------------------------------------------------------------------------


def eligible_users(meeting):
    """Who may take part: active members in a TEN meeting, the GEG group in a GEG meeting."""
    users = get_user_model().objects.filter(is_active=True)
    if meeting.body == Body.GEG:
        return users.filter(groups__name=GEG_GROUP)
    return users.filter(groups__name=MEMBER_GROUP, profile__status=Profile.Status.ACTIVE)


def _chosen(meeting, emails):
    wanted = {email.strip().lower() for email in emails if email.strip()}
    if not wanted:
        raise ServiceError(_("Give at least one email address."))
    found = list(eligible_users(meeting).filter(email__in=wanted))
    missing = wanted - {user.email.lower() for user in found}
    if missing:
        raise ServiceError(
            _("Not invited: nobody who may take part in this meeting has these addresses: %s")
            % ", ".join(sorted(missing))
        )
    return found


def meeting_invite(*, meeting, by, mode, emails=()) -> int:
    """Invite people to `meeting`; returns how many were new. Each new participant gets the
    view grant and an email with the calendar file, all in one transaction and a few queries
    whatever their number."""
    with transaction.atomic():
        meeting = locked(
            Meeting.objects,
            meeting.pk,
            allowed=Meeting.OPEN_STATUSES,
            refused=_("The meeting is “%(status)s”: nobody can be invited any more."),
        )
        if mode == InviteMode.CHOSEN:
            candidates = [user.pk for user in _chosen(meeting, emails)]
        elif mode == InviteMode.ALL_MEMBERS:
            if meeting.body != Body.TEN:
                raise ServiceError(_("Only a TEN meeting invites all members."))
            candidates = eligible_users(meeting).values_list("pk", flat=True)
        elif mode == InviteMode.GEG:
            if meeting.body != Body.GEG:
                raise ServiceError(_("Only a GEG meeting invites the GEG."))
            candidates = eligible_users(meeting).values_list("pk", flat=True)
        else:
            raise ValueError(mode)
        already = set(meeting.participants.values_list("user_id", flat=True))
        new_ids = sorted(set(candidates) - already)
        if not new_ids:
            return 0
        Participant.objects.bulk_create(
            [Participant(meeting=meeting, user_id=pk) for pk in new_ids], batch_size=500
        )
        users = get_user_model().objects.filter(pk__in=new_ids)
        grant(VIEW_MEETING, to=users, obj=meeting)
        fragments.changed(MEETINGS_DATA)  # bulk inserts: no signal
        if meeting.status == Meeting.Status.DRAFT:
            meeting.status = Meeting.Status.INVITED
            meeting.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=by,
            action="meeting.invite",
            target=meeting,
            data={"mode": mode, "count": len(new_ids)},
        )
        participants = meeting.participants.filter(user_id__in=new_ids).select_related(
            "user__profile"
        )
        queue_many(invitation_messages(meeting, participants, event="invited"))
    return len(new_ids)


def participant_remove(*, participant, by) -> None:
    """Remove a participant: their grant goes in the same transaction; they are told."""
    with transaction.atomic():
        meeting = locked(Meeting.objects, participant.meeting_id)
        participant = (
            # Only the participant row: a member without a profile makes the join an outer one.
            Participant.objects.select_for_update(of=("self",))
            .select_related("user__profile")
            .filter(pk=participant.pk, meeting=meeting)
            .first()
        )
        if participant is None:
            raise ServiceError(_("This person is no longer a participant."))
        user = participant.user
        revoke(VIEW_MEETING, to=user, obj=meeting)
        if meeting.status in Meeting.OPEN_STATUSES:
            queue_many(invitation_messages(meeting, [participant], event="removed", method=CANCEL))
        participant.delete()
        audit_record(
            actor=by, action="meeting.remove_participant", target=meeting, data={"user": user.pk}
        )


# --- answers ------------------------------------------------------------------------------------


def rsvp_token(participant):
    """The signed, expiring token of an invitation's answer links: it names the participation
    and its person, so a removed (or re-invited) participation's old link answers nothing."""
    return signing.dumps({"p": participant.pk, "u": participant.user_id}, salt=RSVP_SALT)


def rsvp_url(participant):
    return rsvp_url_maker()(participant)


def rsvp_url_maker():
    """A function participant → absolute RSVP link, resolving the URL pattern once."""
    placeholder = "rsvp-token-placeholder"
    pattern = settings.AIII_SITE_URL + reverse("meetings:rsvp_link", kwargs={"token": placeholder})
    return lambda participant: pattern.replace(placeholder, rsvp_token(participant))


def rsvp_participant(token):
    """The participation a token from an email stands for, or None if it is forged, expired,
    or its participation is gone."""
    try:
        data = signing.loads(
            token, salt=RSVP_SALT, max_age=timedelta(days=settings.AIII_RSVP_LINK_DAYS)
        )
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict):
        return None
    return (
        Participant.objects.select_related("meeting", "user__profile")
        .filter(pk=data.get("p"), user_id=data.get("u"))
        .first()
    )


def participant_respond(*, participant, response) -> Participant:
    if response not in Participant.ANSWERS:
        raise ServiceError(_("Choose accept, tentative or decline."))
    with transaction.atomic():
        participant = (
            Participant.objects.select_for_update().select_related("meeting").get(pk=participant.pk)
        )
        meeting = participant.meeting
        if meeting.status != Meeting.Status.INVITED or meeting.end <= timezone.now():
            # The meeting moved on since the page was shown: the page again, as it is now.
            raise InvalidState(_("This meeting no longer takes answers."))
        participant.response = response
        participant.responded_at = timezone.now()
        participant.save(update_fields=["response", "responded_at"])
        audit_record(
            actor=participant.user,
            action="meeting.respond",
            target=meeting,
            data={"response": str(response)},
        )
    return participant


# --- reminders ----------------------------------------------------------------------------------


def meetings_remind(*, now=None) -> int:
    """Queue the reminders due 7 days and 1 day before each meeting; returns how many.

    Each goes out once per participant, however often beat runs (or two runs overlap): the
    participant's reminder field is set by a conditional UPDATE, and only the run whose UPDATE
    changed the row queues the email, in the same transaction.
    """
    now = now or timezone.now()
    queued = 0
    for kind, ahead, field, near in REMINDERS:
        due = (
            Participant.objects.filter(
                meeting__status=Meeting.Status.INVITED,
                meeting__start__gt=now + near,
                meeting__start__lte=now + ahead,
                **{f"{field}__isnull": True},
            )
            .exclude(response=Participant.Response.DECLINED)
            .select_related("meeting", "user__profile")
        )
        for participant in due:
            with transaction.atomic():
                claimed = Participant.objects.filter(
                    pk=participant.pk, **{f"{field}__isnull": True}
                ).update(**{field: now})
                if not claimed:
                    continue
                user = participant.user
                profile = getattr(user, "profile", None)
                queued += queue_many(
                    [
                        {
                            "to": user.email,
                            "template": "meetings/email/reminder",
                            "context": {
                                "meeting": participant.meeting,
                                "name": getattr(profile, "full_name", "") or user.email,
                                "days": ahead.days,
                                "url": settings.AIII_SITE_URL
                                + participant.meeting.get_absolute_url(),
                            },
                            "language": getattr(profile, "language", None),
                            "idempotency_key": f"meetings.reminder:{kind}:{participant.pk}",
                        }
                    ]
                )
    return queued


# --- the private calendar feed ------------------------------------------------------------------


def feed_token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def feed_create(*, user) -> str:
    """A new secret feed address for `user` (the old one stops working); returns the token,
    which is shown once: only its hash is kept."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, token_hash=feed_token_hash(token))
        audit_record(actor=user, action="meeting.feed_create")
    return token


def feed_revoke(*, user) -> bool:
    with transaction.atomic():
        deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
        if deleted:
            audit_record(actor=user, action="meeting.feed_revoke")
    return bool(deleted)


# --- agenda -------------------------------------------------------------------------------------


def agenda_item_add(
    *, meeting, by, title, presenter="", duration_minutes=15, thread=None
) -> AgendaItem:
    """Add an item at the end of the agenda; `thread`: a topic thread's id, or None."""
    from topics.models import Thread

    if thread is not None and not Thread.objects.filter(pk=thread).exists():
        raise ServiceError(_("There is no topic thread %(number)s.") % {"number": thread})
    with transaction.atomic():
        meeting = locked(Meeting.objects, meeting.pk)
        last = meeting.agenda_items.aggregate(last=Max("position"))["last"]
        item = AgendaItem.objects.create(
            meeting=meeting,
            title=title,
            presenter=presenter,
            duration_minutes=duration_minutes,
            thread_id=thread,
            position=0 if last is None else last + 1,
        )
        audit_record(actor=by, action="meeting.agenda", target=meeting, data={"added": title})
    return item


def agenda_item_move(*, item, by, direction) -> None:
    """Swap `item` with its neighbour above ("up") or below ("down"); at an end, nothing."""
    with transaction.atomic():
        meeting = locked(Meeting.objects, item.meeting_id)
        items = list(meeting.agenda_items.select_for_update().order_by("position", "pk"))
        index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
        if index is None:
            raise ServiceError(_("This agenda item is gone."))
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        for position, each in enumerate(items):
            each.position = position
        AgendaItem.objects.bulk_update(items, ["position"])
        fragments.changed(MEETINGS_DATA)  # bulk update: no signal


def agenda_item_delete(*, item, by) -> None:
    with transaction.atomic():
        meeting = locked(Meeting.objects, item.meeting_id)
        meeting.agenda_items.filter(pk=item.pk).delete()
        meeting.agenda_items.filter(position__gt=item.position).update(position=F("position") - 1)
        fragments.changed(MEETINGS_DATA)  # QuerySet.update: no signal
        audit_record(
            actor=by, action="meeting.agenda", target=meeting, data={"removed": item.title}
        )


def participants_export_record(*, meeting, by) -> None:
    audit_record(actor=by, action="meeting.export_participants", target=meeting)
