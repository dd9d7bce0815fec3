"""Text people type into the portal's forms: bounded, and with nothing hidden in it."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class Textarea(forms.Textarea):
    """A textarea whose line breaks count once, as the browser's `maxlength` counts them.

    Browsers submit each line break as CRLF; counted as two characters, a text the browser let
    through its `maxlength` would fail the same limit on the server.
    """

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value


# Embeddings, overrides and isolates: they reorder the text that follows them, so a name could
# show as something else than it is (U+202E turns "evil.exe" around). Refused, not stripped:
# the person should see that what they pasted carried them.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Zero-width joiner and non-joiner shape letters in Persian, Arabic and Indic scripts: kept
# between two letters, stripped anywhere else.
_JOINERS = frozenset("\u200c\u200d")
# Letters and marks that print as nothing, beside the format characters (category Cf).
_BLANKS = frozenset("\u034f\u115f\u1160\u2800\u3164\uffa0")


def _is_letter(char):
    return unicodedata.category(char)[0] in "LM"


def clean_name(value, *, refuse=True):
    """A name, organisation or other one-line text as the portal stores and shows it.

    NFC; whitespace of any kind becomes one space; invisible characters (zero-width spaces,
    soft hyphens, direction marks, fillers) are removed; direction controls and other control
    characters are refused with ValidationError, as they could only deceive or break a line
    (with `refuse=False`, for text already stored, they are removed too).
    """
    text = unicodedata.normalize("NFC", value or "")
    if not refuse:
        text = "".join(
            char
            for char in text
            if char not in DIRECTION_CONTROLS
            and unicodedata.category(char) not in ("Cc", "Cs", "Co", "Cn")
            or char.isspace()
        )
    if any(char in DIRECTION_CONTROLS for char in text):
        raise ValidationError(
            _(
                "This contains text-direction control characters (such as U+202E), which "
                "change how the text around them is shown. Type it again instead of pasting it."
            ),
            code="direction_control",
        )
    kept = []
    for index, char in enumerate(text):
        if char.isspace():
            kept.append(" ")
            continue
        category = unicodedata.category(char)
        if char in _JOINERS:
            before = text[index - 1] if index else ""
            after = text[index + 1] if index + 1 < len(text) else ""
            if before and after and _is_letter(before) and _is_letter(after):
                kept.append(char)
            continue
        if category == "Cf" or char in _BLANKS:
            continue
        if category in ("Cc", "Cs", "Co", "Cn"):
            raise ValidationError(
                _(
                    "This contains control characters, which cannot be shown. Type it again "
                    "instead of pasting it."
                ),
                code="control_character",
            )
        kept.append(char)
    return " ".join("".join(kept).split())


class NameField(forms.CharField):
    """A one-line text people read as a name: cleaned by clean_name before any other check
    (an input of only invisible characters is then empty, and `required` says so)."""

    def to_python(self, value):
        return clean_name(super().to_python(value))
