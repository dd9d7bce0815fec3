from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aiii.forms import VersionedForm, VersionField
from aiii.time_zones import time_zone_choices
from aiii.widgets import Select

from .files import pdf_max_bytes
from .models import AnnualMeeting, Delegation, Intervention, Language
from .selectors import registrable_delegations


def _pdf_help():
    return gettext("A PDF file of at most %(mb)s MB.") % {"mb": pdf_max_bytes() // (1024 * 1024)}


def _pdf_field(label):
    return forms.FileField(
        label=label,
        required=False,
        help_text=lazy(_pdf_help, str)(),  # in the reader's language, not the first one's
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class DelegationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("You sign in with it; we send a link to confirm it."),
    )
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    delegation = DelegationChoiceField(
        label=_("Delegation"),
        queryset=Delegation.objects.none(),
        help_text=_("The Member State or accredited observer organisation you represent."),
    )
    official_title = forms.CharField(label=_("Official title"), max_length=200)
    official_email = forms.EmailField(
        label=_("Official email address"),
        help_text=_("The address of your office, so the secretariat can check your mandate."),
    )
    credential_letter = _pdf_field(_("Credential letter (optional)"))
    # A field people never see or fill in; automated submissions usually do.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = registrable_delegations()

    @property
    def is_spam(self):
        return bool(self.data.get("website"))

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "email": data["email"],
            "password": data["password1"],
            "delegation": data["delegation"],
            "official_title": data["official_title"],
            "official_email": data["official_email"],
            "credential_letter": data.get("credential_letter") or None,
        }


class InterventionForm(forms.Form):
    speaker_name = forms.CharField(label=_("Speaker's name"), max_length=200)
    speaker_title = forms.CharField(label=_("Speaker's title"), max_length=200)
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    text_source = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: *emphasis*, **strong**, lists, links. It is published as written."),
    )
    pdf = _pdf_field(_("PDF version (optional)"))
    mode = forms.ChoiceField(
        label=_("Mode"), choices=Intervention.Mode.choices, widget=forms.RadioSelect
    )
    speaking_minutes = forms.IntegerField(
        label=_("Requested speaking time (minutes)"), min_value=1, max_value=15, initial=3
    )
    ai_disclosure = forms.ChoiceField(
        label=_("AI contribution"),
        choices=Intervention.AiDisclosure.choices,
        widget=forms.RadioSelect,
        help_text=_("Published with the intervention."),
    )
    ai_tool = forms.CharField(
        label=_("AI tool (optional)"),
        max_length=120,
        required=False,
        help_text=_("Which tool assisted or translated, if you wish to say."),
    )

    def __init__(self, *args, intervention=None, **kwargs):
        if intervention is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(intervention, name)
                for name in self.base_fields
                if name not in ("pdf",) and hasattr(intervention, name)
            }
        super().__init__(*args, **kwargs)

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["pdf"] = data.pop("pdf", None) or None
        return data


class InterventionEditForm(InterventionForm):
    version = VersionField()
    remove_pdf = forms.BooleanField(label=_("Remove the current PDF"), required=False)

    def __init__(self, *args, intervention=None, **kwargs):
        super().__init__(*args, intervention=intervention, **kwargs)
        if intervention is not None and not self.is_bound:
            self.initial["version"] = intervention.version
        if intervention is None or not intervention.pdf:
            del self.fields["remove_pdf"]


class DecisionForm(VersionedForm):
    """A decision without words: accept, publish, submit, withdraw."""


class MessageDecisionForm(VersionedForm):
    message = forms.CharField(
        label=_("Message to the delegate"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MeetingForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2999)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    venue = forms.CharField(label=_("Venue"), max_length=300)
    hybrid_access = forms.CharField(
        label=_("Hybrid access"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How to follow or join online."),
    )
    programme_source = forms.CharField(
        label=_("Programme"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline for interventions"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("In the time zone below."),
    )
    deadline_time_zone = forms.ChoiceField(
        label=_("Time zone of the deadline"),
        choices=time_zone_choices,
        initial="Europe/Zurich",
        widget=Select,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, meeting: AnnualMeeting | None = None, **kwargs):
        if meeting is not None and not args:
            local = meeting.deadline_local
            kwargs.setdefault(
                "initial",
                {
                    "year": meeting.year,
                    "date": meeting.date,
                    "venue": meeting.venue,
                    "hybrid_access": meeting.hybrid_access,
                    "programme_source": meeting.programme_source,
                    "deadline": local.replace(tzinfo=None),
                    "deadline_time_zone": meeting.deadline_time_zone,
                    "version": meeting.version,
                },
            )
        super().__init__(*args, **kwargs)
        if meeting is not None:  # a zone no longer offered (an alias) stays selectable
            self.fields["deadline_time_zone"].choices = time_zone_choices(
                meeting.deadline_time_zone
            )

    def service_kwargs(self):
        data = self.cleaned_data
        naive = data["deadline"]
        if naive.tzinfo is not None:
            naive = naive.replace(tzinfo=None)
        zone = ZoneInfo(data["deadline_time_zone"])
        return {
            "year": data["year"],
            "date": data["date"],
            "venue": data["venue"],
            "hybrid_access": data["hybrid_access"],
            "programme_source": data["programme_source"],
            "submission_deadline": datetime.combine(naive.date(), naive.time(), tzinfo=zone),
            "deadline_time_zone": data["deadline_time_zone"],
        }


class InterventionFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2999)
    status = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Any"))]
        + [c for c in Intervention.Status.choices if c[0] != Intervention.Status.DRAFT],
    )
    kind = forms.TypedChoiceField(
        label=_("Delegation"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any"))] + Delegation.Kind.choices,
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any"))] + Language.choices
    )


class SpeakerMoveForm(VersionedForm):
    intervention = forms.IntegerField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(
        choices=[("up", _("Up")), ("down", _("Down"))], widget=forms.HiddenInput
    )


class CurrentSpeakerForm(VersionedForm):
    intervention = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ObserverForm(forms.Form):
    kind = forms.TypedChoiceField(
        label=_("Kind"),
        coerce=int,
        choices=[
            (Delegation.Kind.INTERGOVERNMENTAL, Delegation.Kind.INTERGOVERNMENTAL.label),
            (Delegation.Kind.NON_GOVERNMENTAL, Delegation.Kind.NON_GOVERNMENTAL.label),
        ],
    )
    name = forms.CharField(label=_("Name"), max_length=200)
