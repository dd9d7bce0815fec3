from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aiii.countries import REGIONS, country_choices
from aiii.emails import normalise_email
from aiii.forms import ConfirmField, PortalFormMixin, VersionedForm, VersionField
from aiii.languages import served_language
from aiii.text import NameField, Textarea
from aiii.widgets import Select

from ..models import MESSAGE_MAX_LENGTH, ExpertiseArea, MembershipApplication, StakeholderGroup
from ..selectors.accounts import account_email_taken
from ..selectors.applications import STATUS_ALL, STATUS_OPEN


def _profile_url_field():
    return forms.URLField(
        label=_("Public profile link"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("Optional: a public page about your work."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )


class ApplicationForm(PortalFormMixin, forms.ModelForm):
    """The application: the account (email, password) and what the secretariat vets."""

    public_profile_url = _profile_url_field()

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_code_of_conduct = forms.BooleanField(
        label=_("I accept the code of conduct."), required=True
    )
    accept_confidentiality = forms.BooleanField(
        label=_("I accept the confidentiality rule of members-only meetings."), required=True
    )

    class Meta:
        model = MembershipApplication
        fields = [
            "full_name",
            "email",
            "password1",
            "password2",
            "organisation",
            "stakeholder_group",
            "country",
            "expertise",
            "statement",
            "public_profile_url",
            "declaration_of_interests",
            "accept_code_of_conduct",
            "accept_confidentiality",
        ]
        widgets = {
            "expertise": forms.CheckboxSelectMultiple,
            "country": Select,
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "statement": Textarea,
            "declaration_of_interests": Textarea,
        }
        field_classes = {"full_name": NameField, "organisation": NameField}
        help_texts = {
            "email": _("We send a link to this address to confirm it is yours."),
            "statement": _(
                "What you would bring to the Technical Exchange Network and what you hope to "
                "learn from it."
            ),
            "declaration_of_interests": _(
                "Employers, clients, funders or holdings that relate to AI or intellectual "
                "property. Write “None” if there are none."
            ),
        }

    def __init__(self, *args, invitation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["expertise"].queryset = ExpertiseArea.objects.all()
        if invitation is not None:
            # The link is for the invited address only (the service refuses any other).
            self.initial.setdefault("full_name", invitation.full_name)
            self.initial.setdefault("email", invitation.email)
            self.fields["email"].widget.attrs["readonly"] = True
            self.fields["email"].help_text = _(
                "The invitation was sent to this address, and it is the one you apply with."
            )
        # Plain sentences: the shared field template puts help text inside a paragraph.
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )
        self.fields["country"].choices = [("", _("Choose a country"))] + [
            choice for choice in self.fields["country"].choices if choice[0]
        ]
        self.fields["stakeholder_group"].choices = [("", _("Choose a group"))] + list(
            StakeholderGroup.choices
        )
        about = reverse("about")
        self.fields["accept_code_of_conduct"].help_text = format_html(
            '<a href="{}#code-of-conduct">{}</a>', about, _("Read the code of conduct")
        )
        self.fields["accept_confidentiality"].help_text = format_html(
            '<a href="{}#confidentiality">{}</a>', about, _("Read the confidentiality rule")
        )

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            name = cleaned.get("full_name", "")
            first, _sep, last = name.partition(" ")
            candidate = get_user_model()(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=first,
                last_name=last,
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def _post_clean(self):
        # No model instance to validate: the service builds the application from cleaned_data
        # (the acceptance times and the owner are not form fields).
        pass

    def refuse_email(self, message):
        """The service refused the address: the error shows beside the invited one again."""
        self.add_error("email", message)
        if self.invitation is not None:
            self.data = self.data.copy()
            self.data["email"] = self.invitation.email

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "email": data["email"],
            "password": data["password1"],
            "organisation": data["organisation"],
            "stakeholder_group": data["stakeholder_group"],
            "country": data["country"],
            "expertise": list(data["expertise"]),
            "statement": data["statement"],
            "declaration_of_interests": data["declaration_of_interests"],
            "public_profile_url": data.get("public_profile_url") or "",
        }


class AmendForm(PortalFormMixin, forms.ModelForm):
    """What the applicant may change when the secretariat asks for more information."""

    version = VersionField()
    public_profile_url = _profile_url_field()
    message = forms.CharField(
        label=_("Your answer to the secretariat"),
        widget=Textarea(attrs={"rows": 5}),
        max_length=MESSAGE_MAX_LENGTH,
        required=True,
        help_text=_("Explain what you added or changed."),
    )

    class Meta:
        model = MembershipApplication
        fields = [
            "organisation",
            "stakeholder_group",
            "country",
            "expertise",
            "statement",
            "public_profile_url",
            "declaration_of_interests",
        ]
        widgets = {
            "expertise": forms.CheckboxSelectMultiple,
            "country": Select,
            "statement": Textarea,
            "declaration_of_interests": Textarea,
        }
        field_classes = {"organisation": NameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].queryset = ExpertiseArea.objects.all()
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        # The service applies the changes under a row lock; the instance stays untouched here.
        pass

    def changes(self):
        return {
            field: self.cleaned_data[field] for field in self.Meta.fields if field != "expertise"
        }


class DecisionForm(VersionedForm):
    """A secretariat decision on one application, made on the version the page showed."""


class ApproveForm(DecisionForm):
    note = forms.CharField(
        label=_("Note for the record (optional)"),
        required=False,
        widget=Textarea(attrs={"rows": 3}),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("Kept in the audit log for the secretariat; the applicant does not see it."),
    )


class RejectForm(DecisionForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("The applicant receives this reason by email."),
        error_messages={"required": _("Enter the reason the applicant will receive by email.")},
    )
    confirm = ConfirmField(
        label=_("I confirm the rejection: it is final, and the applicant is told at once."),
        refusal=_("Tick the box to confirm the rejection, or leave the page to keep it open."),
    )


class RequestInfoForm(DecisionForm):
    message = forms.CharField(
        label=_("What information do you need?"),
        widget=Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("The applicant receives this message by email and can amend the application."),
        error_messages={"required": _("Say what information you need from the applicant.")},
    )


def _any_country():
    return country_choices(blank=_("Any"))


class QueueFilterForm(forms.Form):
    q = NameField(label=_("Search name, organisation or email"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=Select)
    stakeholder_group = forms.ChoiceField(
        label=_("Stakeholder group"), required=False, widget=Select
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=_any_country, widget=Select
    )
    region = forms.ChoiceField(label=_("Region"), required=False, widget=Select)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Status = MembershipApplication.Status
        self.fields["status"].choices = [
            (STATUS_OPEN, _("Open (awaiting a decision or more information)")),
            *[(value, label) for value, label in Status.choices if value != Status.UNVERIFIED],
            (STATUS_ALL, _("All")),
        ]
        self.fields["stakeholder_group"].choices = [("", _("Any"))] + list(StakeholderGroup.choices)
        self.fields["region"].choices = [("", _("Any"))] + list(REGIONS.items())


class InvitationForm(PortalFormMixin, forms.Form):
    full_name = NameField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    note = forms.CharField(
        label=_("Note to the expert"),
        required=False,
        widget=Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("Included in the invitation email."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        widget=Select,
        # Left out (a form posted by a script), it is the secretariat's own language.
        required=False,
        help_text=_("The email and the page its link opens are written in this language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = served_language(get_language())

    def clean_language(self):
        return self.cleaned_data["language"] or served_language(get_language())

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if account_email_taken(email):
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email
