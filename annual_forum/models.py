"""The annual public meeting: the meeting of each year, delegations and their delegates, and
the interventions they submit (DESIGN.md "The annual public meeting").

Public pages read interventions only through `Intervention.objects.published()`; everything
else goes through `visible_to(user)`, so nothing unpublished is public, not by URL guessing
either.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aiii.countries import country_name
from aiii.dates import shown_datetime
from aiii.permissions import is_secretariat
from aiii.state import Versioned


def private_storage():
    # Outside the public media URL: files are served only through views that check access.
    return FileSystemStorage(location=settings.AIII_PRIVATE_STORAGE_DIR, base_url=None)


class AnnualMeeting(Versioned):
    """One year's public meeting. Its version guards the speakers list (order, publication,
    current speaker) as well as edits."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    date = models.DateField(_("date"))
    venue = models.CharField(_("venue"), max_length=300)
    hybrid_access = models.TextField(
        _("hybrid access"),
        blank=True,
        help_text=_("How to follow or join online (the public link or how to get it)."),
    )
    programme_source = models.TextField(_("programme"), blank=True)
    programme_html = models.TextField(editable=False, blank=True)
    submission_deadline = models.DateTimeField(_("deadline for interventions"))
    deadline_time_zone = models.CharField(
        _("time zone of the deadline"), max_length=64, default="Europe/Zurich"
    )
    speakers_list_published = models.BooleanField(default=False)
    speakers_list_published_at = models.DateTimeField(null=True, blank=True)
    current_speaker = models.ForeignKey(
        "Intervention", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return _("Annual public meeting %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("forum:year", kwargs={"year": self.year})

    def submissions_open(self, now=None):
        return (now or timezone.now()) < self.submission_deadline

    @cached_property
    def deadline_local(self):
        """The deadline in the zone it was set in (shown with that zone's name)."""
        return self.submission_deadline.astimezone(ZoneInfo(self.deadline_time_zone))

    @property
    def deadline_label(self):
        """The deadline in its own zone, written the reader's way (the zone is named after)."""
        return shown_datetime(self.deadline_local, zone=False)


class Delegation(models.Model):
    """A Member State or an accredited observer organisation. The kind's value is its place in
    the default speakers list: Member States, then intergovernmental organisations, then other
    observers."""

    class Kind(models.IntegerChoices):
        MEMBER_STATE = 1, _("Member State")
        INTERGOVERNMENTAL = 2, _("Intergovernmental organisation")
        NON_GOVERNMENTAL = 3, _("Non-governmental organisation")

    OBSERVER_KINDS = (Kind.INTERGOVERNMENTAL, Kind.NON_GOVERNMENTAL)

    kind = models.PositiveSmallIntegerField(_("kind"), choices=Kind.choices)
    code = models.CharField(
        _("ISO 3166 code"), max_length=2, blank=True, help_text=_("Member States only.")
    )
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("accredited"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(kind=1),
                name="forum_member_state_code_unique",
            ),
            models.UniqueConstraint(fields=["kind", "name"], name="forum_delegation_name_unique"),
        ]

    def __str__(self):
        """A Member State's name in the reader's language (Unicode CLDR, by its ISO code);
        an observer organisation's own name."""
        if self.kind == self.Kind.MEMBER_STATE and self.code:
            return country_name(self.code) or self.name
        return self.name


class DelegateQuerySet(models.QuerySet):
    def visible_to(self, user):
        if is_secretariat(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


# What the secretariat's queues count (the dashboard's and the home's): every intervention and
# delegate change renews it (aiii/fragments.py).
FORUM_QUEUE_DATA = "forum_queue"


class Delegate(Versioned):
    """A person registered to speak for one delegation; the secretariat verifies them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", pgettext_lazy("delegate status", "Verified")
        REJECTED = "rejected", pgettext_lazy("delegate status", "Rejected")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_delegate"
    )
    delegation = models.ForeignKey(
        Delegation, on_delete=models.PROTECT, related_name="delegates", verbose_name=_("delegation")
    )
    full_name = models.CharField(_("name"), max_length=200)
    official_title = models.CharField(_("official title"), max_length=200)
    official_email = models.EmailField(_("official email address"))
    credential_letter = models.FileField(
        _("credential letter"),
        storage=private_storage,
        upload_to="forum/credentials/",
        blank=True,
    )
    credential_letter_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DelegateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.full_name} ({self.delegation})"

    @property
    def is_verified(self):
        return self.status == self.Status.VERIFIED

    def get_secretariat_url(self):
        return reverse("secretariat:forum_delegate", kwargs={"pk": self.pk})


class Language(models.TextChoices):
    """The six UN languages."""

    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")


class InterventionQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: the one road to public pages, feeds and the API."""
        return self.filter(status=Intervention.Status.PUBLISHED)

    def visible_to(self, user):
        """The secretariat sees all; a verified delegate also their delegation's own; everyone
        else the published ones."""
        if is_secretariat(user):
            return self
        delegation_id = delegation_id_of(user)
        if delegation_id is not None:
            return self.filter(
                Q(status=Intervention.Status.PUBLISHED) | Q(delegation_id=delegation_id)
            )
        return self.published()

    def of_delegation(self, user):
        """A verified delegate's own delegation's interventions, whatever their state."""
        delegation_id = delegation_id_of(user)
        if delegation_id is None:
            return self.none()
        return self.filter(delegation_id=delegation_id)


def delegation_id_of(user):
    """The delegation a verified delegate speaks for, else None (read once per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached = getattr(user, "_forum_delegation_id", False)
    if cached is False:
        cached = (
            Delegate.objects.filter(user=user, status=Delegate.Status.VERIFIED)
            .values_list("delegation_id", flat=True)
            .first()
        )
        user._forum_delegation_id = cached
    return cached


class Intervention(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("intervention status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("intervention status", "Submitted")
        ACCEPTED = "accepted", pgettext_lazy("intervention status", "Accepted")
        RETURNED = "returned", pgettext_lazy("intervention status", "Returned for revision")
        DECLINED = "declined", pgettext_lazy("intervention status", "Declined")
        PUBLISHED = "published", pgettext_lazy("intervention status", "Published")
        WITHDRAWN = "withdrawn", pgettext_lazy("intervention status", "Withdrawn")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    WITHDRAWABLE = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED)
    ON_SPEAKERS_LIST = (Status.ACCEPTED, Status.PUBLISHED)

    class Mode(models.TextChoices):
        ROOM = "room", _("In the room")
        ONLINE = "online", _("Online")
        WRITTEN = "written", _("Written only")

    class AiDisclosure(models.TextChoices):
        NONE = "none", _("Drafted without AI")
        ASSISTED = "assisted", _("Drafted with AI assistance")
        TRANSLATED = "translated", _("Translated by AI from another language")

    meeting = models.ForeignKey(
        AnnualMeeting, on_delete=models.PROTECT, related_name="interventions"
    )
    delegation = models.ForeignKey(
        Delegation, on_delete=models.PROTECT, related_name="interventions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_interventions"
    )
    speaker_name = models.CharField(_("speaker's name"), max_length=200)
    speaker_title = models.CharField(_("speaker's title"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    text_source = models.TextField(_("text"))
    text_html = models.TextField(editable=False)
    text_sha256 = models.CharField(max_length=64, editable=False)
    pdf = models.FileField(
        _("PDF"), storage=private_storage, upload_to="forum/interventions/", blank=True
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    pdf_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    speaking_minutes = models.PositiveSmallIntegerField(_("requested speaking time (minutes)"))
    ai_disclosure = models.CharField(
        _("AI contribution"), max_length=12, choices=AiDisclosure.choices
    )
    ai_tool = models.CharField(_("AI tool"), max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # The secretariat's place for it in the speakers list; empty until someone reorders.
    speaker_position = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["meeting", "status", "published_at"]),
            models.Index(fields=["delegation", "status"]),
            models.Index(fields=["status", "published_at"]),
        ]

    def __str__(self):
        return f"{self.delegation}: {self.title}"

    def get_absolute_url(self):
        return reverse("forum:intervention", kwargs={"year": self.meeting.year, "pk": self.pk})

    def get_pdf_url(self):
        return reverse("forum:intervention_pdf", kwargs={"year": self.meeting.year, "pk": self.pk})

    def get_manage_url(self):
        return reverse("forum:intervention_manage", kwargs={"pk": self.pk})

    def get_secretariat_url(self):
        return reverse("secretariat:forum_intervention", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    # The labels of its choices, for lists: Django's get_FOO_display() hashes the whole list
    # of choices on every call, which a page of 25 interventions feels.
    @property
    def language_label(self):
        return Language(self.language).label

    @property
    def ai_disclosure_label(self):
        return self.AiDisclosure(self.ai_disclosure).label

    @property
    def mode_label(self):
        return self.Mode(self.mode).label

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    @property
    def can_withdraw(self):
        return self.status in self.WITHDRAWABLE

    @cached_property
    def pdf_filename(self):
        return f"aiii-intervention-{self.meeting.year}-{self.pk}.pdf"


class InterventionEvent(models.Model):
    """One line of an intervention's history, shown to its delegation and the secretariat."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("intervention event", "Draft created")
        EDITED = "edited", pgettext_lazy("intervention event", "Edited")
        SUBMITTED = "submitted", pgettext_lazy("intervention event", "Submitted")
        ACCEPTED = "accepted", pgettext_lazy("intervention event", "Accepted")
        RETURNED = "returned", pgettext_lazy("intervention event", "Returned for revision")
        DECLINED = "declined", pgettext_lazy("intervention event", "Declined")
        PUBLISHED = "published", pgettext_lazy("intervention event", "Published")
        WITHDRAWN = "withdrawn", pgettext_lazy("intervention event", "Withdrawn")

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.get_kind_display()
