import re

from django import forms

from aiii.widgets import Select

CHOICES = [
    ("", "All countries"),
    ("CI", "Côte d’Ivoire"),
    ("XS", "Script <b>\"&'"),
    (
        "Europe",
        [("Europe/Paris", "Paris"), ("Europe/Zurich", "Zurich")],
    ),
]


def _tags(html):
    """The markup without the whitespace between tags (Django's templates add blank lines)."""
    return re.sub(r">\s+<", "><", html)


def test_renders_the_same_markup_as_djangos_template_widget():
    for value in ("", "CI", "Europe/Zurich", None):
        attrs = {"id": "id_c", "aria-describedby": "id_c_helptext", "required": True}
        expected = forms.Select(choices=CHOICES).render("c", value, attrs=attrs)
        assert _tags(Select(choices=CHOICES).render("c", value, attrs=attrs)) == _tags(expected)


def test_marks_the_selected_option_and_escapes_labels():
    html = Select(choices=CHOICES).render("country", "CI")
    assert '<option value="CI" selected>Côte d’Ivoire</option>' in html
    assert '<option value="XS">Script &lt;b&gt;&quot;&amp;&#x27;</option>' in html
    assert html.count(" selected") == 1
    assert '<optgroup label="Europe">' in html
    assert html.startswith('<select name="country">')


def test_a_bound_field_renders_with_its_label_link():
    class Form(forms.Form):
        country = forms.ChoiceField(label="Country", choices=CHOICES, widget=Select)

    html = str(Form(data={"country": "Europe/Paris"})["country"])
    assert html.startswith('<select name="country" required id="id_country">')
    assert '<option value="Europe/Paris" selected>Paris</option>' in html


def test_fixed_choices_are_shared_by_form_instances_and_still_validate():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from aiii.widgets import FixedChoices

    choices = FixedChoices([("", gettext_lazy("Yes")), ("CI", "Côte d’Ivoire")])

    class Form(forms.Form):
        country = forms.ChoiceField(choices=choices, required=False, widget=Select)

    first, second = Form(data={"country": "CI"}), Form(data={"country": "XX"})
    assert first.fields["country"].choices is choices is second.fields["country"].choices
    assert first.is_valid() and first.cleaned_data == {"country": "CI"}
    assert not second.is_valid()
    assert second.errors["country"] == [
        "Select a valid choice. XX is not one of the available choices."
    ]
    # Lazy labels stay lazy: each rendering speaks the active language (Django's catalogue).
    with translation.override("fr"):
        assert '<option value="" selected>Oui</option>' in str(Form()["country"])
    with translation.override("en"):
        assert '<option value="" selected>Yes</option>' in str(Form()["country"])
