from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from aiii.choices import ChoiceLabelsMixin
from aiii.countries import country_choices
from aiii.permissions import can_use_members_area, is_secretariat
from aiii.state import Versioned

# The longest texts people may write: an application's statement and declaration, and the
# shorter texts (an introduction, a reason, a message, a note). The form fields (TextField's
# max_length) and a database constraint (max_length_constraint) both hold them.
STATEMENT_MAX_LENGTH = 5000
MESSAGE_MAX_LENGTH = 2000

# The data sets whose changes renew the cached parts of pages that show them (aiii/fragments.py;
# the models of each are listed in MembersConfig.ready): members, their profiles, accounts and
# areas of expertise; membership applications.
MEMBERS_DATA = "members"
APPLICATIONS_DATA = "applications"


def max_length_constraint(field, limit):
    """The database's own refusal of a text longer than `limit` in `field`.

    TextField's max_length reaches only the form; with this, no path (a service, the shell, a
    later form) stores more.
    """
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=f"%(app_label)s_%(class)s_{field}_length",
        violation_error_message=format_lazy(_("At most {limit} characters."), limit=limit),
    )


class StakeholderGroup(models.TextChoices):
    TECH_COMPANY = "tech_company", _("Tech company")
    AI_DEVELOPER = "ai_developer", _("AI developer")
    RIGHTSHOLDER = "rightsholder", _("Rightsholder")
    CREATOR = "creator", _("Individual creator")
    ACADEMIA = "academia", _("Academia")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    OTHER = "other", _("Other")


class NotificationPreference(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off")


# The forum's five subjects as seeded (migration 0002), marked for translation: shown in the
# reader's language while the secretariat has not renamed them. An area it adds or renames is
# shown as written.
SEEDED_AREA_NAMES = {
    "identifying-ai-outputs": gettext_noop("Identifying AI-generated outputs"),
    "human-ai-contributions": gettext_noop("Human and AI contributions"),
    "watermarking-provenance": gettext_noop("Watermarking and provenance"),
    "standards-tools": gettext_noop("Standards, tools and interoperability"),
    "ip-office-practice": gettext_noop("Operational practice in IP offices"),
}


def area_label(slug, name):
    """What a reader sees of an area named `name`: its translation if it is a seeded name."""
    return gettext(name) if SEEDED_AREA_NAMES.get(slug) == name else name


class ExpertiseArea(models.Model):
    """An area of expertise; the same five subjects as the forum's topics (seeded by migration)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return area_label(self.slug, self.name)


class ProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Profiles `user` may open: active members for members; active and suspended ones
        (the members it manages) for the secretariat; nothing for anyone else."""
        if is_secretariat(user):
            return self.filter(status__in=(Profile.Status.ACTIVE, Profile.Status.SUSPENDED))
        if can_use_members_area(user):
            return self.filter(status=Profile.Status.ACTIVE)
        return self.none()


class Profile(ChoiceLabelsMixin, Versioned):
    """A person on the portal: applicant, member (active or suspended), delegate or staff.

    Its version counts the secretariat's changes (corrections, suspension, reinstatement), so a
    decision made on a stale page is refused; the member's own settings do not bump it.
    """

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        ACTIVE = "active", _("Active member")
        SUSPENDED = "suspended", _("Suspended")
        NONE = "none", _("No membership")

    # The fields behind /members/me/, named once for the form and the service. The secretariat
    # vetted the name, organisation, stakeholder group and country, and they make up the
    # network's composition it balances: the member sees them but only the secretariat changes
    # them.
    VETTED_FIELDS = ("full_name", "organisation", "stakeholder_group", "country")
    DIRECTORY_FIELDS = ("bio", "public_profile_url")  # with `expertise`, a many-to-many
    VISIBILITY_FIELDS = (
        "show_email",
        "show_organisation",
        "show_stakeholder_group",
        "show_country",
        "show_expertise",
        "show_bio",
        "show_profile_url",
    )
    SETTINGS_FIELDS = ("time_zone", "language", "notification_preference")
    MEMBER_EDITABLE_FIELDS = DIRECTORY_FIELDS + VISIBILITY_FIELDS + SETTINGS_FIELDS

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    full_name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices, blank=True
    )
    country = models.CharField(_("country"), max_length=2, choices=country_choices, blank=True)
    expertise = models.ManyToManyField(
        ExpertiseArea, blank=True, related_name="profiles", verbose_name=_("areas of expertise")
    )
    bio = models.TextField(_("about me"), blank=True, max_length=MESSAGE_MAX_LENGTH)
    public_profile_url = models.URLField(_("public profile link"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NONE)
    member_since = models.DateTimeField(null=True, blank=True)
    # What other members see in the directory and on the profile page (the name always shows).
    show_email = models.BooleanField(_("show my email address"), default=False)
    show_organisation = models.BooleanField(_("show my organisation"), default=True)
    show_country = models.BooleanField(_("show my country"), default=True)
    show_stakeholder_group = models.BooleanField(_("show my stakeholder group"), default=True)
    show_expertise = models.BooleanField(_("show my areas of expertise"), default=True)
    show_bio = models.BooleanField(_("show my introduction"), default=True)
    show_profile_url = models.BooleanField(_("show my public profile link"), default=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    notification_preference = models.CharField(
        _("notifications"),
        max_length=12,
        choices=NotificationPreference.choices,
        default=NotificationPreference.DAILY,
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["status", "full_name"]),
            # The secretariat's members list (two statuses) in name order: read in index
            # order and stop after one page, instead of sorting every member.
            models.Index(fields=["full_name", "id"]),
            models.Index(fields=["stakeholder_group"]),
            models.Index(fields=["country"]),
        ]
        constraints = [max_length_constraint("bio", MESSAGE_MAX_LENGTH)]

    def __str__(self):
        return self.full_name or self.user.email

    def get_absolute_url(self):
        return reverse("members:profile", kwargs={"pk": self.pk})


class MembershipApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The secretariat sees verified applications; an applicant only their own."""
        if is_secretariat(user):
            return self.exclude(status=MembershipApplication.Status.UNVERIFIED)
        if getattr(user, "is_authenticated", False):
            return self.filter(user=user)
        return self.none()


class MembershipApplication(ChoiceLabelsMixin, Versioned):
    # `version` is bumped by every change of state: a decision on an older one is refused.
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", pgettext_lazy("application status", "Email not yet verified")
        PENDING = "pending", pgettext_lazy("application status", "Awaiting a decision")
        INFO_REQUESTED = (
            "info_requested",
            pgettext_lazy("application status", "More information requested"),
        )
        APPROVED = "approved", pgettext_lazy("application status", "Approved")
        REJECTED = "rejected", pgettext_lazy("application status", "Rejected")

    OPEN_STATUSES = (Status.PENDING, Status.INFO_REQUESTED)

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_application"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UNVERIFIED)

    objects = MembershipApplicationQuerySet.as_manager()
    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    organisation = models.CharField(_("organisation"), max_length=200)
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=20, choices=StakeholderGroup.choices
    )
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    expertise = models.ManyToManyField(
        ExpertiseArea, related_name="applications", verbose_name=_("areas of expertise")
    )
    statement = models.TextField(_("statement of interest"), max_length=STATEMENT_MAX_LENGTH)
    public_profile_url = models.URLField(_("public profile link"), blank=True)
    declaration_of_interests = models.TextField(
        _("declaration of interests"), max_length=STATEMENT_MAX_LENGTH
    )
    accepted_code_of_conduct_at = models.DateTimeField()
    accepted_confidentiality_at = models.DateTimeField()
    invitation = models.OneToOneField(
        "Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["stakeholder_group"]),
            models.Index(fields=["country"]),
        ]
        constraints = [
            max_length_constraint("statement", STATEMENT_MAX_LENGTH),
            max_length_constraint("declaration_of_interests", STATEMENT_MAX_LENGTH),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.organisation})"

    @property
    def is_nominated(self):
        return self.invitation_id is not None

    def get_absolute_url(self):
        return reverse("secretariat:application", kwargs={"pk": self.pk})


class ApplicationEvent(models.Model):
    """The history of an application: what happened, who did it and the message they gave."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("application event", "Submitted")
        VERIFIED = "verified", pgettext_lazy("application event", "Email verified")
        INFO_REQUESTED = (
            "info_requested",
            pgettext_lazy("application event", "More information requested"),
        )
        RESUBMITTED = "resubmitted", pgettext_lazy("application event", "Amended and resubmitted")
        APPROVED = "approved", pgettext_lazy("application event", "Approved")
        REJECTED = "rejected", pgettext_lazy("application event", "Rejected")

    application = models.ForeignKey(
        MembershipApplication, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True, max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [max_length_constraint("message", MESSAGE_MAX_LENGTH)]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"


class Invitation(models.Model):
    """The secretariat's invitation to a nominated expert: a single-use, expiring link."""

    full_name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    note = models.TextField(_("note to the expert"), blank=True, max_length=MESSAGE_MAX_LENGTH)
    # The expert has no account, hence no profile language yet: the secretariat chooses the
    # language of the email, and the page its link opens speaks it too.
    language = models.CharField(
        _("language of the invitation"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # Only a hash of the token is stored; the token itself exists only in the email.
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [max_length_constraint("note", MESSAGE_MAX_LENGTH)]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"


class UserSession(models.Model):
    """The sessions a user is signed in with, so suspension can end all of them at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user_id}:{self.session_key[:6]}…"
