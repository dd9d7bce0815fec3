import pytest
from django.core.exceptions import ValidationError

from aiii.text import NameField, clean_name


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Grace   Hopper ", "Grace Hopper"),
        ("Grace\tHopper\n", "Grace Hopper"),
        ("Gr\u200bace\u2060 Hop\u00adper\ufeff", "Grace Hopper"),  # zero-width, soft hyphen, BOM
        ("\u200fGrace Hopper\u200e", "Grace Hopper"),  # direction marks
        ("Grace\u3164Hopper", "GraceHopper"),  # Hangul filler, a blank letter
        ("Zoe\u0308", "Zoë"),  # NFC
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),  # Persian ZWNJ
        ("\u200cAli\u200d", "Ali"),  # a joiner with no letter on one side
        ("", ""),
    ],
)
def test_clean_name_keeps_what_shows_and_removes_what_does_not(typed, stored):
    assert clean_name(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("\u202eevil", "direction_control"),  # right-to-left override
        ("Grace \u2067Hopper\u2069", "direction_control"),  # isolates
        ("Grace\u202aHopper", "direction_control"),  # embedding
        ("Grace\x07Hopper", "control_character"),
        ("Grace\ue000Hopper", "control_character"),  # private use
    ],
)
def test_clean_name_refuses_what_would_reorder_or_break_the_text(typed, code):
    with pytest.raises(ValidationError) as refused:
        clean_name(typed)
    assert refused.value.code == code


def test_the_refusal_says_what_to_do():
    with pytest.raises(ValidationError) as refused:
        clean_name("\u202eevil")
    assert refused.value.messages == [
        "This contains text-direction control characters (such as U+202E), which change how "
        "the text around them is shown. Type it again instead of pasting it."
    ]


def test_a_name_of_invisible_characters_only_is_missing():
    field = NameField(max_length=20)

    with pytest.raises(ValidationError) as refused:
        field.clean("\u200b\u200b\u3164")
    assert refused.value.code == "required"
    assert field.clean(" Ada\u200b ") == "Ada"
