from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from aiii.countries import REGIONS, country_choices
from aiii.forms import ConfirmField, PortalFormMixin, VersionedForm
from aiii.text import NameField, Textarea
from aiii.time_zones import DEFAULT_TIME_ZONE, time_zone_choices
from aiii.widgets import Select

from ..models import (
    MESSAGE_MAX_LENGTH,
    ExpertiseArea,
    NotificationPreference,
    Profile,
    StakeholderGroup,
)


def _blank(label, choices):
    return [("", label), *choices]


def _all_countries():
    return country_choices(blank=_("All countries"))


class DirectoryFilterForm(forms.Form):
    q = NameField(label=_("Name"), required=False, max_length=100)
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"),
        required=False,
        choices=_blank(_("All groups"), StakeholderGroup.choices),
        widget=Select,
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=_all_countries,
        widget=Select,
    )
    expertise = forms.ModelChoiceField(
        label=_("Area of expertise"),
        required=False,
        queryset=ExpertiseArea.objects.all(),
        to_field_name="slug",
        empty_label=_("All areas"),
        widget=Select,
    )

    # The directory's layout (cards or a compact list) travels with the filters, so that
    # filtering keeps it. Not a filter: any other value means the cards.
    view = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"

    def clean_view(self):
        return "list" if self.cleaned_data.get("view") == "list" else ""

    def filters(self):
        """The filters a valid form asks for (the layout is not one); none when it is invalid."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if name != "view"}


class SecretariatMemberFilterForm(forms.Form):
    q = NameField(label=_("Name, organisation or email"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(
            _("Active and suspended"),
            [
                (Profile.Status.ACTIVE, Profile.Status.ACTIVE.label),
                (Profile.Status.SUSPENDED, Profile.Status.SUSPENDED.label),
            ],
        ),
        widget=Select,
    )
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"),
        required=False,
        choices=_blank(_("All groups"), StakeholderGroup.choices),
        widget=Select,
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=_all_countries,
        widget=Select,
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=_blank(_("All regions"), list(REGIONS.items())),
        widget=Select,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"


class ProfileForm(PortalFormMixin, forms.ModelForm):
    """The member's own profile and settings at /members/me/.

    The vetted fields (Profile.VETTED_FIELDS) are not in it: the page shows them as text.
    """

    DIRECTORY_FIELDS = ("expertise", *Profile.DIRECTORY_FIELDS)
    VISIBILITY_FIELDS = Profile.VISIBILITY_FIELDS
    SETTINGS_FIELDS = Profile.SETTINGS_FIELDS

    public_profile_url = forms.URLField(
        label=_("Public profile link"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("For example your page at your organisation."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices, widget=Select)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, widget=Select)
    notification_preference = forms.ChoiceField(
        label=_("Email notifications"),
        choices=NotificationPreference.choices,
        widget=forms.RadioSelect,
        help_text=_("How often we email you about new posts in what you follow."),
    )

    class Meta:
        model = Profile
        fields = ("expertise", *Profile.MEMBER_EDITABLE_FIELDS)
        widgets = {
            "expertise": forms.CheckboxSelectMultiple,
            "bio": Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "bio": _("A short introduction other members see on your profile page."),
            "show_email": _("Other members can then write to you directly."),
        }

    def __init__(self, *args, directory=True, **kwargs):
        super().__init__(*args, **kwargs)
        current_zone = self.instance.time_zone if self.instance.pk else None
        self.fields["time_zone"].choices = time_zone_choices(current_zone)
        if not self.is_bound and current_zone in (None, DEFAULT_TIME_ZONE):
            # Still the default: static/js/time-zone.js preselects the browser's zone, if offered.
            self.fields["time_zone"].widget.attrs["data-browser-time-zone"] = "suggest"
        if not directory:
            # Staff and delegates are not in the members' directory: only their settings.
            for name in self.DIRECTORY_FIELDS + self.VISIBILITY_FIELDS:
                del self.fields[name]

    def field_group(self, names):
        return [self[name] for name in names if name in self.fields]

    @property
    def directory_fields(self):
        return self.field_group(self.DIRECTORY_FIELDS)

    @property
    def visibility_fields(self):
        return self.field_group(self.VISIBILITY_FIELDS)

    @property
    def settings_fields(self):
        return self.field_group(self.SETTINGS_FIELDS)

    def profile_data(self):
        """The cleaned values for members.services.people.profile_update."""
        return {name: value for name, value in self.cleaned_data.items() if name != "expertise"}

    def save(self, commit=True):  # pragma: no cover - the view saves through the service
        raise NotImplementedError("Save through members.services.people.profile_update.")


class MembershipActionForm(VersionedForm):
    """Suspend or reinstate: the reason is required and goes to the member and the audit log."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("Sent to the member and kept in the audit log."),
        error_messages={"required": _("Enter the reason: the member receives it by email.")},
    )

    def __init__(self, *args, prefix_action, profile=None, **kwargs):
        kwargs.setdefault("prefix", prefix_action)
        super().__init__(*args, obj=profile, **kwargs)
        if prefix_action == "suspend":
            # Suspension signs the member out everywhere at once: a deliberate step.
            self.fields["confirm"] = ConfirmField(
                label=_("I confirm the suspension: the member is signed out everywhere now."),
                refusal=_("Tick the box to confirm the suspension; nothing was changed."),
            )


class ProfileCorrectForm(VersionedForm):
    """The secretariat corrects a member's vetted details (Profile.VETTED_FIELDS).

    It carries the profile's version as the page showed it, so a correction made on an older
    page is refused by members.services.people.profile_correct instead of overwriting.
    """

    reason = forms.CharField(
        label=_("Reason"),
        widget=Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("Sent to the member with the list of changes and kept in the audit log."),
    )

    def __init__(self, *args, profile, **kwargs):
        kwargs.setdefault("prefix", "correct")
        initial = {name: getattr(profile, name) for name in Profile.VETTED_FIELDS}
        super().__init__(*args, initial=initial, obj=profile, **kwargs)
        self.profile = profile
        # The model's own rules (length, choices, which may be blank), so the form cannot
        # accept what the profile would not.
        for name in Profile.VETTED_FIELDS:
            model_field = Profile._meta.get_field(name)
            if model_field.choices:
                field = model_field.formfield()
            else:  # the name and the organisation
                field = model_field.formfield(form_class=NameField)
            if isinstance(field, forms.ChoiceField):
                field.widget = Select()
                field.choices = _blank(_("Not given"), list(field.choices)[1:])
            self.fields[name] = field
        self.order_fields([*Profile.VETTED_FIELDS, "reason"])

    def clean(self):
        cleaned = super().clean()
        if all(
            name in cleaned and cleaned[name] == getattr(self.profile, name)
            for name in Profile.VETTED_FIELDS
        ):
            raise forms.ValidationError(
                _("Nothing to correct: change at least one of the details.")
            )
        return cleaned

    def changes(self):
        """The cleaned vetted values for members.services.people.profile_correct."""
        return {name: self.cleaned_data[name] for name in Profile.VETTED_FIELDS}
