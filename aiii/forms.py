from datetime import date

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# The range a date filter may take: wide enough for any audit entry, narrow enough that a day
# before or after it (and its time-zone offset) is still a date Python can hold.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


class _FilterDateField(forms.DateField):
    widget = forms.DateInput(
        attrs={"type": "date", "min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
    )

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s.")
                % {
                    "earliest": date_format(EARLIEST_DATE, "DATE_FORMAT"),
                    "latest": date_format(LATEST_DATE, "DATE_FORMAT"),
                },
                code="out_of_range",
            )


class PortalFormMixin:
    """Error messages that say what is needed (as GOV.UK's do), not "This field is required."

    A field's own `required` message wins; otherwise one is made from its label and kind of
    input. The error summary then lists the messages alone, each linking to its field.
    """

    specific_errors = True

    def full_clean(self):
        # At validation, so fields a form adds in its __init__ are covered too.
        for field in self.fields.values():
            messages = field.error_messages
            if messages.get("required") == forms.Field.default_error_messages["required"]:
                messages["required"] = required_message(field)
            label = str(field.label or "").rstrip(" .:")
            generic_url = forms.URLField.default_error_messages["invalid"]
            if isinstance(field, forms.URLField) and messages.get("invalid") == generic_url:
                messages["invalid"] = _(
                    "Enter a full web address for “%(label)s”, such as https://example.org/."
                ) % {"label": label}
            if isinstance(field, forms.EmailField) and "invalid" not in messages:
                messages["invalid"] = _("Enter an email address in the form name@example.org.")
        super().full_clean()


def required_message(field):
    label = str(field.label or "").rstrip(" .:")
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        return _("Tick the box to continue: %(label)s.") % {"label": label}
    if isinstance(widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return _("Choose an answer for “%(label)s”.") % {"label": label}
    return _("Enter “%(label)s”: it is needed.") % {"label": label}


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


class ConfirmField(forms.BooleanField):
    """The confirmation step of an irreversible action, without JavaScript: a box to tick,
    refused with `refusal` when it is not ticked (nothing is changed then)."""

    def __init__(self, *, label, refusal, **kwargs):
        super().__init__(label=label, required=True, error_messages={"required": refusal}, **kwargs)


class VersionedForm(PortalFormMixin, forms.Form):
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
    since = _FilterDateField(label=_("From"), required=False)
    until = _FilterDateField(label=_("Until"), required=False)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the range is before its start."))
        return cleaned


class MfaEnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Enrolment code"),
        max_length=40,
        help_text=_(
            "The one-time code the portal's operator gave you, for example ABCD-EFGH-JKMN."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Enter the enrolment code the operator gave you.")},
    )
