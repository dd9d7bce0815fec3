"""Members-only meeting workspaces: meetings, participants, agenda, documents, minutes.

Who may open a meeting is a django-guardian object grant (`meetings.view_meeting`), given and
taken away only by the services that invite and remove participants (meetings/services.py).
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aiii.permissions import is_secretariat
from aiii.state import Versioned

VIEW_MEETING = "meetings.view_meeting"

# The data set whose changes renew the cached parts of pages that show meetings (aiii/fragments.py;
# its models are listed in MeetingsConfig.ready): meetings, their participants and answers, view
# grants, agenda, documents, minutes and comments, calendar feeds.
MEETINGS_DATA = "meetings"


class Body(models.TextChoices):
    TEN = "TEN", _("Technical Exchange Network")
    GEG = "GEG", _("Government Expert Group")


def _granted_meeting_ids(user):
    """The ids of the meetings on which `user` holds the `view_meeting` grant, as a subquery.

    The same rule as aiii.guardian.objects_visible_to (a per-object grant to the user; the
    services grant to users only, never to groups), read from guardian's table in the page's
    one query instead of guardian's several (every meeting page asks it).
    """
    from guardian.models import UserObjectPermission

    return (
        UserObjectPermission.objects.filter(
            user_id=user.pk,
            permission__codename="view_meeting",
            permission__content_type__app_label="meetings",
            content_type__app_label="meetings",
            content_type__model="meeting",
        )
        .annotate(meeting_id=Cast("object_pk", models.BigIntegerField()))
        .values("meeting_id")
    )


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every meeting for the secretariat; for anyone else the meetings they hold the
        `view_meeting` grant on (their invitations), nothing for a suspended or inactive one."""
        from .permissions import can_use_meetings

        if is_secretariat(user):
            return self
        if not can_use_meetings(user):
            return self.none()
        return self.filter(pk__in=_granted_meeting_ids(user))


class Meeting(Versioned):
    """A meeting of the TEN or the GEG. Its version is the iCalendar SEQUENCE of its invitations."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid")

    class Rule(models.TextChoices):
        CHATHAM_HOUSE = "chatham_house", _("Chatham House Rule")
        ATTRIBUTABLE = "attributable", _("On the record (statements may be attributed)")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("meeting status", "Draft")
        INVITED = "invited", pgettext_lazy("meeting status", "Invitations sent")
        HELD = "held", pgettext_lazy("meeting status", "Held")
        MINUTES_APPROVED = "minutes_approved", pgettext_lazy("meeting status", "Minutes approved")
        ARCHIVED = "archived", pgettext_lazy("meeting status", "Archived")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")

    # The states in which the meeting is still ahead: invitations, reminders and updates go out.
    OPEN_STATUSES = (Status.DRAFT, Status.INVITED)

    reference = models.CharField(
        _("reference"), max_length=20, unique=True, help_text=_("For example TEN/3 or GEG/1.")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(_("body"), max_length=3, choices=Body.choices, default=Body.TEN)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    description_html = models.TextField(blank=True, editable=False)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.HYBRID
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    join_link = models.URLField(
        _("join link"), blank=True, help_text=_("Shown only to the meeting's participants.")
    )
    confidentiality = models.CharField(
        _("confidentiality rule"),
        max_length=20,
        choices=Rule.choices,
        default=Rule.CHATHAM_HOUSE,
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    allow_participant_uploads = models.BooleanField(
        _("participants may upload documents"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "pk"]
        indexes = [models.Index(fields=["start"]), models.Index(fields=["status", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("meetings:workspace", kwargs={"pk": self.pk})

    def get_secretariat_url(self):
        return reverse("secretariat:meeting", kwargs={"pk": self.pk})

    @property
    def is_chatham_house(self):
        return self.confidentiality == self.Rule.CHATHAM_HOUSE


class Participant(models.Model):
    class Response(models.TextChoices):
        PENDING = "pending", pgettext_lazy("invitation answer", "No answer yet")
        ACCEPTED = "accepted", pgettext_lazy("invitation answer", "Accepted")
        TENTATIVE = "tentative", pgettext_lazy("invitation answer", "Tentative")
        DECLINED = "declined", pgettext_lazy("invitation answer", "Declined")

    ANSWERS = (Response.ACCEPTED, Response.TENTATIVE, Response.DECLINED)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_participations"
    )
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    # Set once, by a conditional UPDATE, when the reminder is queued: each goes out once.
    reminded_7d_at = models.DateTimeField(null=True, blank=True)
    reminded_1d_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_participation_per_user")
        ]

    def __str__(self):
        return f"{self.user.email} @ {self.meeting.reference}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=15)
    # The topic thread where the item is discussed between meetings (optional).
    thread = models.ForeignKey(
        "topics.Thread",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        verbose_name=_("topic thread"),
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


def private_storage():
    """Documents' storage (STORAGES["private"]): outside any public URL, served by a view that
    checks access; local disk by default, S3-compatible storage when configured."""
    from django.core.files.storage import storages

    return storages["private"]


def _document_path(instance, filename):
    # The stored name says nothing of the upload's own name, which is kept in `filename`.
    return f"meetings/{instance.document.meeting_id}/{instance.sha256}-{instance.document_id}"


class Document(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    # The newest version, kept here so a list of documents needs no query per document.
    latest = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=_document_path, storage=private_storage, max_length=300)
    filename = models.CharField(max_length=255)
    mimetype = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_version_number")
        ]

    def __str__(self):
        return f"{self.filename} v{self.number}"


class Minutes(Versioned):
    """The minutes of one meeting. The secretariat drafts with speakers named (`[[Name]]`); in
    Chatham House mode participants and exports read `public_html`, which names nobody."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("minutes status", "Draft (secretariat only)")
        CIRCULATED = "circulated", pgettext_lazy("minutes status", "Circulated for comment")
        APPROVED = "approved", pgettext_lazy("minutes status", "Approved")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("minutes"), blank=True)
    attributed_html = models.TextField(blank=True)
    public_html = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Minutes of {self.meeting.reference}"


class MinutesComment(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment {self.pk}"


class OutcomeSummary(models.Model):
    """What the public may read about a meeting's results, once the secretariat publishes it."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="outcome")
    summary = models.TextField(_("public outcome summary"), help_text=_("Markdown."))
    summary_html = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Outcome of {self.meeting.reference}"


class CalendarFeed(models.Model):
    """A member's private calendar feed; only the SHA-256 of its secret token is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meetings_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Feed of {self.user_id}"
