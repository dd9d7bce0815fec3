"""Demo meetings for `manage.py seed_demo` (DESIGN.md "The stable contract").

Small: TEN/1, held two weeks ago under the Chatham House Rule, with alice@example.org as a
participant and bob@example.org not, an agenda, a document and approved minutes; TEN/2 ahead,
with invitations out; and a published outcome summary. `--size large` adds 300 meetings with 20
participants and 5 documents each, with bulk inserts. Idempotent. No email is sent: rows and
grants are written directly, not through the invitation service.
"""

import hashlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from guardian.models import UserObjectPermission

from aiii.markdown import render_markdown
from members.models import Profile

from .models import (
    AgendaItem,
    Document,
    DocumentVersion,
    Meeting,
    Minutes,
    OutcomeSummary,
    Participant,
    private_storage,
)
from .services.minutes import _attributed, participant_names, unattributed

DEPENDS_ON = ("members", "topics")
LARGE_MEETINGS = 300
LARGE_PARTICIPANTS = 20
LARGE_DOCUMENTS = 5
LARGE_PREFIX = "TEN/L"

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MINUTES = """## 1. Robustness of watermarks

[[Alice Moreau]] presented tests of invisible watermarks after re-encoding and cropping.
[[Hiroshi Tanaka]] reported similar results for audio.

## 2. Next steps

The group agreed to compare detection tools on a shared test set before the next meeting.
"""
SMALL_PARTICIPANTS = (
    "alice@example.org",
    "hiroshi.tanaka@example.org",
    "li.wei@example.org",
    "sophie.muller@example.org",
    "priya.raman@example.org",
)


def _grant(meetings_users):
    """Bulk view grants: [(meeting, user_id), ...]."""
    from django.contrib.auth.models import Permission

    content_type = ContentType.objects.get_for_model(Meeting)
    permission = Permission.objects.get(content_type=content_type, codename="view_meeting")
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(
                permission=permission,
                content_type=content_type,
                object_pk=str(meeting.pk),
                user_id=user_id,
            )
            for meeting, user_id in meetings_users
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


def _stored_pdf():
    """One stored file that every demo document version points at (the content is the same)."""
    storage = private_storage()
    name = "meetings/demo/agenda.pdf"
    if not storage.exists(name):
        name = storage.save(name, ContentFile(DEMO_PDF))
    return name


def _document(meeting, title, by, stored):
    document = Document.objects.create(meeting=meeting, title=title)
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        file=stored,
        filename="annotated-agenda.pdf",
        mimetype="application/pdf",
        size=len(DEMO_PDF),
        sha256=hashlib.sha256(DEMO_PDF).hexdigest(),
        uploaded_by=by,
    )
    document.latest = version
    document.save(update_fields=["latest"])


def seed(*, size, log):
    User = get_user_model()
    secretariat = User.objects.filter(email="secretariat@example.org").first()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    stored = _stored_pdf()
    if not Meeting.objects.filter(reference="TEN/1").exists():
        start = now - timedelta(days=14)
        ten1 = Meeting.objects.create(
            reference="TEN/1",
            title="Watermarking and provenance: robustness",
            body="TEN",
            description="Results of the robustness tests, and a shared test set.",
            description_html=render_markdown(
                "Results of the robustness tests, and a shared test set."
            ),
            start=start,
            end=start + timedelta(hours=3),
            format=Meeting.Format.HYBRID,
            venue="Geneva, Room B",
            join_link="https://meet.example.org/ten-1",
            status=Meeting.Status.MINUTES_APPROVED,
            created_by=secretariat,
        )
        users = list(User.objects.filter(email__in=SMALL_PARTICIPANTS))
        Participant.objects.bulk_create(
            [
                Participant(meeting=ten1, user=user, response=Participant.Response.ACCEPTED)
                for user in users
            ]
        )
        _grant([(ten1, user.pk) for user in users])
        from topics.models import Thread

        # The robustness item links to the topic thread where it is discussed, if there is one.
        thread = Thread.objects.filter(topic__area__slug="watermarking-provenance").first()
        for position, (title, presenter, minutes) in enumerate(
            [
                ("Opening and adoption of the agenda", "Secretariat", 10),
                ("Robustness of watermarks", "Alice Moreau", 60),
                ("Audio provenance", "Hiroshi Tanaka", 45),
                ("Next steps", "Secretariat", 20),
            ]
        ):
            AgendaItem.objects.create(
                meeting=ten1,
                position=position,
                title=title,
                presenter=presenter,
                duration_minutes=minutes,
                thread=thread if title == "Robustness of watermarks" else None,
            )
        _document(ten1, "Annotated agenda", secretariat, stored)
        Minutes.objects.create(
            meeting=ten1,
            text=MINUTES,
            attributed_html=render_markdown(_attributed(MINUTES)),
            public_html=render_markdown(unattributed(MINUTES, participant_names(ten1))),
            status=Minutes.Status.APPROVED,
            approved_at=start + timedelta(days=7),
            approved_by=secretariat,
        )
        summary = "The TEN compared watermark robustness results and agreed on a shared test set."
        OutcomeSummary.objects.create(
            meeting=ten1,
            summary=summary,
            summary_html=render_markdown(summary),
            published_at=start + timedelta(days=8),
        )
        log("meeting TEN/1 (alice takes part, bob does not) created")
    else:
        log("meeting TEN/1 already there")
    if not Meeting.objects.filter(reference="TEN/2").exists():
        start = now + timedelta(days=10)
        ten2 = Meeting.objects.create(
            reference="TEN/2",
            title="Telling human from AI contributions",
            body="TEN",
            start=start,
            end=start + timedelta(hours=2),
            format=Meeting.Format.VIRTUAL,
            join_link="https://meet.example.org/ten-2",
            status=Meeting.Status.INVITED,
            created_by=secretariat,
        )
        users = list(User.objects.filter(email__in=SMALL_PARTICIPANTS))
        Participant.objects.bulk_create([Participant(meeting=ten2, user=user) for user in users])
        _grant([(ten2, user.pk) for user in users])
        log("meeting TEN/2 (invitations out) created")
    if size == "large":
        _seed_large(secretariat, stored, now, log)


def _seed_large(secretariat, stored, now, log):
    if Meeting.objects.filter(reference__startswith=LARGE_PREFIX).exists():
        log("large set: meetings already there")
        return
    member_ids = list(
        Profile.objects.filter(status=Profile.Status.ACTIVE)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    if len(member_ids) < LARGE_PARTICIPANTS:
        log("large set: not enough members for meetings")
        return
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                reference=f"{LARGE_PREFIX}{n}",
                title=f"Working session {n}",
                body="TEN",
                start=now + timedelta(days=n - LARGE_MEETINGS // 2, hours=n % 8),
                end=now + timedelta(days=n - LARGE_MEETINGS // 2, hours=n % 8 + 2),
                format=Meeting.Format.VIRTUAL,
                status=Meeting.Status.INVITED
                if n >= LARGE_MEETINGS // 2
                else Meeting.Status.ARCHIVED,
                created_by=secretariat,
            )
            for n in range(1, LARGE_MEETINGS + 1)
        ],
        batch_size=500,
    )
    meetings = list(Meeting.objects.filter(reference__startswith=LARGE_PREFIX).order_by("pk"))
    pairs = []
    for index, meeting in enumerate(meetings):
        for k in range(LARGE_PARTICIPANTS):
            pairs.append((meeting, member_ids[(index * 7 + k * 13) % len(member_ids)]))
    pairs = list({(m.pk, u): (m, u) for m, u in pairs}.values())
    Participant.objects.bulk_create(
        [Participant(meeting=meeting, user_id=user_id) for meeting, user_id in pairs],
        batch_size=2000,
    )
    _grant(pairs)
    documents = Document.objects.bulk_create(
        [
            Document(meeting=meeting, title=f"Paper {k + 1}")
            for meeting in meetings
            for k in range(LARGE_DOCUMENTS)
        ],
        batch_size=2000,
    )
    documents = list(Document.objects.filter(meeting__in=meetings).order_by("pk"))
    digest = hashlib.sha256(DEMO_PDF).hexdigest()
    DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=document,
                number=1,
                file=stored,
                filename="paper.pdf",
                mimetype="application/pdf",
                size=len(DEMO_PDF),
                sha256=digest,
                uploaded_by=secretariat,
            )
            for document in documents
        ],
        batch_size=2000,
    )
    latest = dict(
        DocumentVersion.objects.filter(document__in=documents).values_list("document_id", "pk")
    )
    for document in documents:
        document.latest_id = latest[document.pk]
    Document.objects.bulk_update(documents, ["latest"], batch_size=2000)
    log(
        f"large set: {len(meetings)} meetings, {len(pairs)} participants, "
        f"{len(documents)} documents"
    )
