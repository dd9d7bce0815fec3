"""What an uploaded document is, read from its content, never from its name.

The binary kinds are recognised by `filetype` from their first bytes; Office Open XML and
OpenDocument are ZIP archives told apart by their parts. Plain text and Markdown are UTF-8
without NUL bytes. The name's extension must then agree with the content, so a script named
`report.pdf` is refused rather than stored.
"""

import zipfile
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext_lazy as _

HEAD_BYTES = 8192


@dataclass(frozen=True)
class Kind:
    label: str
    mimetype: str
    extensions: tuple


KINDS = {
    "pdf": Kind("PDF", "application/pdf", (".pdf",)),
    "docx": Kind(
        "Word (OOXML)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
    "xlsx": Kind(
        "Excel (OOXML)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
    ),
    "pptx": Kind(
        "PowerPoint (OOXML)",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (".pptx",),
    ),
    "odt": Kind("OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",)),
    "ods": Kind(
        "OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)
    ),
    "odp": Kind(
        "OpenDocument presentation", "application/vnd.oasis.opendocument.presentation", (".odp",)
    ),
    "png": Kind("PNG", "image/png", (".png",)),
    "jpeg": Kind("JPEG", "image/jpeg", (".jpg", ".jpeg")),
    "txt": Kind(_("plain text"), "text/plain", (".txt",)),
    "md": Kind("Markdown", "text/markdown", (".md", ".markdown")),
}
ALLOWED_EXTENSIONS = sorted({ext for kind in KINDS.values() for ext in kind.extensions})

OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
# Text that a browser or a shell would run: refused even when named .txt or .md.
ACTIVE_TEXT = (b"#!", b"<script", b"<html", b"<!doctype", b"<svg", b"<?php", b"<?xml")


class UnknownType(Exception):
    pass


def _zip_kind(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return ODF_TYPES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _text_kind(head, name):
    if b"\x00" in head:
        return None
    try:
        # The head may end inside a multi-byte character: allow that one cut.
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:
            return None
    if head.lstrip().lower().startswith(ACTIVE_TEXT):
        return None
    return "md" if name.lower().endswith((".md", ".markdown")) else "txt"


def detect(upload, name):
    """The key in KINDS of the upload's content; UnknownType when it is none of them."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    guess = filetype.guess(head)
    found = None
    if guess is not None:
        if guess.mime == "application/pdf":
            found = "pdf"
        elif guess.mime == "image/png":
            found = "png"
        elif guess.mime == "image/jpeg":
            found = "jpeg"
        elif head.startswith(b"PK\x03\x04"):
            found = _zip_kind(upload)
        upload.seek(0)
    elif head.startswith(b"PK\x03\x04"):
        found = _zip_kind(upload)
        upload.seek(0)
    else:
        found = _text_kind(head, name)
    if found is None:
        raise UnknownType
    return found


def extension_matches(kind, name):
    return name.lower().endswith(KINDS[kind].extensions)
