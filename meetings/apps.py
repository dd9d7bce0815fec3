from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from django.db.models.signals import post_delete
        from guardian.models import UserObjectPermission

        from aiii import fragments
        from aiii.audit import audit_labels
        from topics.models import Thread, Topic

        from .models import (
            MEETINGS_DATA,
            AgendaItem,
            CalendarFeed,
            Document,
            DocumentVersion,
            Meeting,
            Minutes,
            MinutesComment,
            Participant,
        )

        # What the meetings pages and the meetings part of the home show. The services' writes
        # that send no signal (participants and grants made in bulk, agenda reordering) call
        # fragments.changed(MEETINGS_DATA). A topic hidden or shown changes which agenda items
        # link their thread; the threads themselves are saved at every post, so only their
        # deletion (which empties the agenda item's link without a signal) counts.
        fragments.track(
            MEETINGS_DATA,
            Meeting,
            Participant,
            UserObjectPermission,
            AgendaItem,
            Document,
            DocumentVersion,
            Minutes,
            MinutesComment,
            CalendarFeed,
            Topic,
        )
        post_delete.connect(
            _thread_deleted, sender=Thread, weak=False, dispatch_uid="meetings:thread_deleted"
        )

        audit_labels.register(
            {
                "meeting.create": _("Meeting created"),
                "meeting.update": _("Meeting changed"),
                "meeting.cancel": _("Meeting cancelled"),
                "meeting.status": _("Meeting state changed"),
                "meeting.invite": _("Participants invited"),
                "meeting.remove_participant": _("Participant removed"),
                "meeting.respond": _("Invitation answered"),
                "meeting.feed_create": _("Calendar feed address created"),
                "meeting.feed_revoke": _("Calendar feed address revoked"),
                "meeting.agenda": _("Agenda changed"),
                "meeting.document_upload": _("Meeting document uploaded"),
                "meeting.minutes_save": _("Minutes saved"),
                "meeting.minutes_circulate": _("Minutes circulated for comment"),
                "meeting.minutes_approve": _("Minutes approved"),
                "meeting.outcome_save": _("Outcome summary saved"),
                "meeting.outcome_publish": _("Outcome summary published"),
                "meeting.outcome_withdraw": _("Outcome summary withdrawn"),
                "meeting.export_participants": _("Participants list exported"),
            }
        )


def _thread_deleted(sender, **kwargs):
    from aiii import fragments

    from .models import MEETINGS_DATA

    fragments.changed(MEETINGS_DATA)
