"""Uploaded PDFs (intervention texts, credential letters): checked from their content, not
their name, size-limited, and fingerprinted with SHA-256."""

import hashlib

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from aiii.errors import ServiceError

PDF_MAGIC = b"%PDF-"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def pdf_max_bytes():
    return getattr(settings, "AIII_INTERVENTION_PDF_MAX_BYTES", DEFAULT_MAX_BYTES)


def pdf_check(upload):
    """The SHA-256 of `upload` (a Django UploadedFile) if it is a PDF within the size limit;
    otherwise ServiceError with a message for the person who sent it."""
    limit = pdf_max_bytes()
    if upload.size > limit:
        raise ServiceError(
            _("The PDF is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    if upload.read(len(PDF_MAGIC)) != PDF_MAGIC:
        raise ServiceError(_("This file is not a PDF. Upload the document as a PDF file."))
    upload.seek(0)
    try:
        from pypdf import PdfReader

        reader = PdfReader(upload, strict=False)
        if len(reader.pages) < 1:
            raise ValueError("no pages")
    except Exception:  # pypdf raises many kinds of errors for a broken file
        raise ServiceError(
            _("This PDF cannot be opened (it may be damaged). Export it again and retry.")
        ) from None
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def text_sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
