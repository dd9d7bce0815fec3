"""Labels of model choices, looked up without rebuilding the choices on every call.

Django's generated `get_<field>_display()` turns all of a field's choices into a dictionary on
every call, hashing each label; lazy (translatable) labels are translated just to be hashed. A
list of 25 rows with three such fields paid that 75 times, for 249 countries or a handful of
statuses each. Models that list rows inherit ChoiceLabelsMixin: the dictionary is built once
per field, and the label (lazy or not) is turned into text in the active language at the call.
"""

from django.utils.encoding import force_str
from django.utils.translation import get_language

_LABELS = {}


def _labels(field):
    # Per language: a field whose choices are a callable (countries) gives plain text in the
    # language active when it is called, not lazy labels.
    key = (field, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {value: label for value, label in field.flatchoices}
    return labels


class ChoiceLabelsMixin:
    """Put before models.Model: `get_<field>_display()` reads a per-field table built once."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _labels(field).get(value, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
