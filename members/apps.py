from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"

    def ready(self):
        # Connects the sign-in hook that records each session (members.UserSession).
        from django.contrib.auth import get_user_model

        from aiii import fragments
        from aiii.audit import audit_labels

        from . import middleware  # noqa: F401
        from .models import (
            APPLICATIONS_DATA,
            MEMBERS_DATA,
            ExpertiseArea,
            MembershipApplication,
            Profile,
        )

        # What the directory and the members list show. A sign-in writes only last_login.
        fragments.track(
            MEMBERS_DATA,
            Profile,
            Profile.expertise.through,
            ExpertiseArea,
            get_user_model(),
            ignore_update_fields={"last_login"},
        )
        # What the applications queue shows.
        fragments.track(APPLICATIONS_DATA, MembershipApplication)

        # Every action the members app records (members/services), by name.
        audit_labels.register(
            {
                "application.submit": _("Application submitted"),
                "application.verify": _("Application email address verified"),
                "application.approve": _("Application approved"),
                "application.reject": _("Application rejected"),
                "application.request_info": _("More information requested"),
                "application.resubmit": _("Application amended and resubmitted"),
                "invitation.create": _("Expert invited"),
                "account.address_claim_removed": _(
                    "Unconfirmed email address removed: its owner applied with it"
                ),
                "member.correct": _("Member details corrected"),
                "membership.suspend": _("Membership suspended"),
                "membership.reinstate": _("Membership reinstated"),
                "members.export": _("Members list exported"),
            }
        )
