from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from aiii.audit import audit_labels

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
