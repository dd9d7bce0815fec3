"""Email addresses in one normal form, so the address compared is the address mail reaches.

Mail encoding rewrites what it cannot send: Django puts a domain through Python's IDNA 2003
codec, which drops a zero-width space and turns `ß` into `ss`. An address stored as typed could
then differ from a stored address and still reach its mailbox. `normalise_email` gives the
form every check and every stored row uses, and refuses what would change silently:

- NFKC (full-width letters become plain ones), then lower case;
- no invisible or text-direction characters anywhere (refused, not stripped: an address that
  carries them was pasted from somewhere that meant to deceive, or is a mistake to show);
- the domain as IDNA 2008 / UTS #46 A-labels (`xn--…`), so mail encoding has nothing left to
  change; the `idna` package does this, the standard library knows only IDNA 2003;
- no UTS #46 "deviation" characters in the domain (ß, ς, ZWJ, ZWNJ): IDNA 2003 and IDNA 2008
  send them to different domains, so the typed address has no single meaning. Whoever owns such
  a domain can type its `xn--` form.
"""

import unicodedata

import idna
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# Letters and symbols that print as nothing, beside the format characters (category Cf).
_INVISIBLE = frozenset("\u034f\u115f\u1160\u2800\u3164\uffa0")
# Controls, format characters (zero-width, bidi controls, soft hyphen), surrogates, private use,
# unassigned code points, line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_DEVIATIONS = frozenset("\u00df\u03c2\u200c\u200d")


def has_hidden_characters(text):
    """Whether `text` holds a character that shows nothing or reorders what is around it."""
    return any(
        char in _INVISIBLE or unicodedata.category(char) in _HIDDEN_CATEGORIES for char in text
    )


def normalise_email(value):
    """The address in the portal's normal form, or ValidationError saying what to change."""
    text = unicodedata.normalize("NFKC", str(value or "").strip())
    if has_hidden_characters(text):
        raise ValidationError(
            _(
                "This email address contains invisible or text-direction characters (for "
                "example a zero-width space). Type the address again instead of pasting it."
            ),
            code="email_hidden_characters",
        )
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or not local.isascii():
        raise ValidationError(_("Enter a valid email address."), code="invalid")
    if '"' in local or "\\" in local:
        # A quoted local part ("alice"@…) reaches the same mailbox as the bare one while
        # looking like another address: refused like the other look-alikes.
        raise ValidationError(
            _("Enter the address without quotation marks or backslashes."),
            code="email_quoted",
        )
    local, domain = local.lower(), domain.lower()
    if any(char in _DEVIATIONS for char in domain):
        raise ValidationError(
            _(
                "The domain of this email address (after the @) contains a letter such as “ß” "
                "that mail systems read in two different ways. Enter the domain in its "
                "“xn--” form, or use another address."
            ),
            code="email_ambiguous_domain",
        )
    try:
        domain = idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise ValidationError(
            _("The domain of this email address (after the @) is not a valid domain name."),
            code="email_domain",
        ) from None
    address = f"{local}@{domain}"
    validate_email(address)
    return address
