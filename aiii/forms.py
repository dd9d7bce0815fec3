from django import forms
from django.utils.translation import gettext_lazy as _


class VersionField(forms.IntegerField):
    """The version of the object a decision form was rendered with (aiii.state.Versioned).

    Hidden; the service compares it under a row lock (`aiii.state.locked`), so a decision made
    on a stale page, or a second click, is refused rather than applied twice.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("This form is out of date: reload the page."),
                "invalid": _("This form is out of date: reload the page."),
            },
        )
        super().__init__(**kwargs)


class VersionedForm(forms.Form):
    """A decision on one object: carries the object's version as it was when rendered."""

    version = VersionField()

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.obj = obj
        if obj is not None and not self.is_bound:
            self.initial["version"] = obj.version


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action starts with"),
        required=False,
        max_length=100,
        help_text=_("For example application. or member.suspend"),
    )
    actor = forms.CharField(label=_("Who (email)"), required=False, max_length=254)
    target = forms.CharField(
        label=_("Object"),
        required=False,
        max_length=300,
        help_text=_("Part of its name, or its number"),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the range is before its start."))
        return cleaned
