import pytest
from django.core.exceptions import ValidationError

from aiii.emails import normalise_email


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("  Alice@Example.ORG ", "alice@example.org"),
        ("alice@ｅｘａｍｐｌｅ.org", "alice@example.org"),  # full-width domain (NFKC)
        ("ａｌｉｃｅ@example.org", "alice@example.org"),  # full-width local part
        ("alice@Müller.de", "alice@xn--mller-kva.de"),  # IDNA 2008 A-label, nothing left to map
        ("alice@xn--strae-oqa.de", "alice@xn--strae-oqa.de"),  # straße.de, typed unambiguously
    ],
)
def test_normal_form(typed, normal):
    assert normalise_email(typed) == normal


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("alice@example.org\u200b", "email_hidden_characters"),  # zero-width space
        ("alice@exa\u200bmple.org", "email_hidden_characters"),
        ("\u202ealice@example.org", "email_hidden_characters"),  # right-to-left override
        ("alice@example.org\u2066", "email_hidden_characters"),  # left-to-right isolate
        ("alice@example.org\u00ad", "email_hidden_characters"),  # soft hyphen
        ("alice@example.org\u3164", "email_hidden_characters"),  # Hangul filler, a letter
        ("hans@straße.de", "email_ambiguous_domain"),  # IDNA 2003 sends it to strasse.de
        ("hans@STRAẞE.de", "email_ambiguous_domain"),
        ("hans@xn--example-3z6c.org", "email_domain"),  # an A-label hiding a zero-width space
        ("alıce@example.org", "invalid"),  # non-ASCII local part: mail cannot carry it
        ("alice@@example.org", "invalid"),
        ("alice", "invalid"),
    ],
)
def test_refused_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as refused:
        normalise_email(typed)
    assert refused.value.code == code


def test_messages_say_what_to_change():
    with pytest.raises(ValidationError) as hidden:
        normalise_email("alice@example.org\u200b")
    assert hidden.value.messages == [
        "This email address contains invisible or text-direction characters (for example a "
        "zero-width space). Type the address again instead of pasting it."
    ]
    with pytest.raises(ValidationError) as ambiguous:
        normalise_email("hans@straße.de")
    assert "“xn--” form" in ambiguous.value.messages[0]


def test_a_quoted_local_part_is_refused_as_a_look_alike():
    from django.core.exceptions import ValidationError

    from aiii.emails import normalise_email

    for value in ('"alice"@example.org', '"al\\\\ice"@example.org'):
        with pytest.raises(ValidationError) as refused:
            normalise_email(value)
        assert refused.value.code == "email_quoted"
