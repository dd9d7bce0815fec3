"""Form widgets shared by every app.

`Select` renders the same HTML as Django's `forms.Select`, but builds it in Python instead of
rendering one template (and one context dictionary) per option: the country (~250 options) and
time-zone (~400) selects took tens of milliseconds per page through the widget templates.
Values, labels and attributes are escaped exactly as the templates escape them.
"""

from html import escape

from django import forms
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.safestring import mark_safe


class FixedChoices(BaseChoiceIterator):
    """Long, fixed choices (countries, time zones), normalised once and shared.

    A plain list is deep-copied into every form instance (250 tuples per country field) and a
    callable is normalised again on every iteration; Django leaves a choice iterator as it is,
    and this one is immutable, so copying it is free.
    """

    def __init__(self, choices):
        self._choices = tuple(normalize_choices(choices))

    def __iter__(self):
        return iter(self._choices)

    def __len__(self):
        return len(self._choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def _escape(value):
    """What `{{ value }}` prints: safe strings as they are, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value), quote=True)


def _attrs_html(attrs):
    """The attributes as Django's widgets/attrs.html renders them (False left out, True bare)."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """forms.Select without a template per option: same markup, optgroups and selection rule."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:  # pragma: no cover - SelectMultiple is not derived
            attrs["multiple"] = True
        wanted = set(self.format_value(value))
        # Like forms.Select.optgroups: in a single select only the first match is selected.
        state = {"open": True}

        def option(option_value, label):
            option_value = "" if option_value is None else str(option_value)
            selected = option_value in wanted and (state["open"] or self.allow_multiple_selected)
            if selected:
                state["open"] = False
            return (
                f'\n  <option value="{_escape(option_value)}"{" selected" if selected else ""}>'
                f"{_escape(label)}</option>"
            )

        parts = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                parts.append(f'\n  <optgroup label="{_escape(group_value)}">')
                parts.extend(option(v, label) for v, label in group_label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(group_value, group_label))
        return mark_safe(
            f'<select name="{_escape(name)}"{_attrs_html(attrs)}>{"".join(parts)}\n</select>'
        )
