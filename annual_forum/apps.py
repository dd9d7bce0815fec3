from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualForumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "annual_forum"
    verbose_name = _("Annual public meeting")

    def ready(self):
        from aiii import fragments
        from aiii.audit import audit_labels

        from .models import FORUM_QUEUE_DATA, Delegate, Intervention

        fragments.track(FORUM_QUEUE_DATA, Intervention, Delegate)

        audit_labels.register(
            {
                "forum.meeting_create": _("Annual meeting created"),
                "forum.meeting_update": _("Annual meeting changed"),
                "forum.delegation_create": _("Observer organisation added"),
                "forum.delegation_update": _("Observer organisation changed"),
                "forum.delegate_register": _("Delegate registered"),
                "forum.delegate_verify": _("Delegate verified"),
                "forum.delegate_reject": _("Delegate rejected"),
                "intervention.create": _("Intervention drafted"),
                "intervention.edit": _("Intervention edited"),
                "intervention.submit": _("Intervention submitted"),
                "intervention.accept": _("Intervention accepted"),
                "intervention.return": _("Intervention returned for revision"),
                "intervention.decline": _("Intervention declined"),
                "intervention.publish": _("Intervention published"),
                "intervention.withdraw": _("Intervention withdrawn"),
                "forum.speakers_reorder": _("Speakers list reordered"),
                "forum.speakers_publish": _("Speakers list published"),
                "forum.current_speaker": _("Current speaker marked"),
                "forum.interventions_export": _("Interventions exported"),
            }
        )
