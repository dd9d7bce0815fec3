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
