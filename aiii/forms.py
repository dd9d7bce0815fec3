from django import forms
from django.utils.translation import gettext_lazy as _


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
