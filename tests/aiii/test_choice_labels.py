"""aiii.choices.ChoiceLabelsMixin answers get_<field>_display() exactly as Django does."""

from django.db import models
from django.utils.functional import Promise

from aiii.choices import _labels
from members.models import MembershipApplication, Profile


def _django_display(instance, field):
    return models.Model._get_FIELD_display(instance, field)


def test_every_choice_and_odd_values_display_as_django_displays_them():
    for model in (Profile, MembershipApplication):
        for name in ("country", "stakeholder_group", "status"):
            field = model._meta.get_field(name)
            for value in [value for value, _label in field.flatchoices] + ["", "ZZ", None]:
                instance = model(**{name: value})
                shown = getattr(instance, f"get_{name}_display")()
                assert shown == _django_display(instance, field), (model, name, value)


def test_labels_are_looked_up_once_and_stay_translatable():
    profile = Profile(country="CF", status=Profile.Status.ACTIVE)
    assert profile.get_country_display() == "Central African Republic"
    assert profile.get_status_display() == "Active member"
    status = Profile._meta.get_field("status")
    table = _labels(status)
    assert _labels(status) is table
    # Kept lazy, so each call speaks the language active at that moment.
    assert isinstance(table[Profile.Status.ACTIVE], Promise)
