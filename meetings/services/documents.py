"""Documents: checked (size, type from the content), hashed, stored privately, versioned."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from aiii.audit import audit_record
from aiii.errors import ServiceError
from aiii.state import locked

from ..filetypes import KINDS, UnknownType, detect, extension_matches
from ..models import Document, DocumentVersion, Meeting

CHUNK = 1024 * 1024


def _checked(upload):
    """(kind, sha256) of an acceptable upload; ServiceError otherwise. Nothing is stored yet."""
    limit = settings.AIII_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ServiceError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ServiceError(_("The file is empty."))
    name = upload.name or ""
    try:
        kind = detect(upload, name)
    except UnknownType:
        raise ServiceError(
            _(
                "This kind of file is not accepted. Upload a PDF, an Office Open XML or "
                "OpenDocument file, plain text, Markdown, a PNG or a JPEG image."
            )
        ) from None
    if not extension_matches(kind, name):
        raise ServiceError(
            _(
                "The file's content is %(kind)s, but its name says otherwise. Rename it to "
                "end in %(extensions)s, or upload the file you meant."
            )
            % {"kind": KINDS[kind].label, "extensions": " ".join(KINDS[kind].extensions)}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
    upload.seek(0)
    return kind, digest.hexdigest()


def document_upload(*, meeting, by, upload, title="", document=None) -> DocumentVersion:
    """Add `upload` as a new document of `meeting`, or as the next version of `document`."""
    kind, sha256 = _checked(upload)
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    stored = None
    try:
        with transaction.atomic():
            meeting = locked(
                Meeting.objects,
                meeting.pk,
                allowed=lambda m: m.status not in (Meeting.Status.ARCHIVED,),
                refused=_("The meeting is “%(status)s”: its documents no longer change."),
            )
            if document is None:
                document = Document.objects.create(
                    meeting=meeting, title=(title or name).strip()[:200]
                )
            else:
                document = Document.objects.select_for_update().get(pk=document.pk, meeting=meeting)
            last = document.versions.aggregate(last=Max("number"))["last"] or 0
            version = DocumentVersion(
                document=document,
                number=last + 1,
                filename=name,
                mimetype=KINDS[kind].mimetype,
                size=upload.size,
                sha256=sha256,
                uploaded_by=by,
            )
            version.file.save(name, upload, save=False)
            stored = version.file.name
            version.save()
            document.latest = version
            document.save(update_fields=["latest"])
            audit_record(
                actor=by,
                action="meeting.document_upload",
                target=meeting,
                data={"document": document.pk, "version": version.number, "sha256": sha256},
            )
    except BaseException:
        if stored:  # the row is gone with the transaction: so is the file
            DocumentVersion._meta.get_field("file").storage.delete(stored)
        raise
    return version
