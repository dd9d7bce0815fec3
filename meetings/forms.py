import re

from django import forms
from django.utils.translation import gettext_lazy as _

from aiii.forms import VersionedForm, VersionField

from .models import Meeting, Participant
from .services.meetings import EDITABLE_FIELDS
from .services.participants import InviteMode


class MeetingForm(forms.ModelForm):
    """The secretariat's meeting form; with an instance it carries the version it was shown."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    join_link = forms.URLField(
        label=_("Join link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to the meeting's participants."),
    )

    class Meta:
        model = Meeting
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "start": _("In your time zone."),
            "end": _("In your time zone."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The meeting must end after it starts."))
        return cleaned


class InviteForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Whom to invite"),
        choices=[
            (InviteMode.CHOSEN, _("The members whose addresses I list")),
            (InviteMode.ALL_MEMBERS, _("All active members (TEN meetings)")),
            (InviteMode.GEG, _("The Government Expert Group (GEG meetings)")),
        ],
        widget=forms.RadioSelect,
        initial=InviteMode.CHOSEN,
    )
    emails = forms.CharField(
        label=_("Email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, or separated by commas."),
    )

    def clean(self):
        cleaned = super().clean()
        raw = cleaned.get("emails") or ""
        cleaned["emails"] = [part for part in raw.replace(",", "\n").split() if part]
        if cleaned.get("mode") == InviteMode.CHOSEN and not cleaned["emails"]:
            self.add_error("emails", _("Give at least one email address."))
        return cleaned


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason (sent to the participants)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class StatusForm(VersionedForm):
    status = forms.ChoiceField(
        choices=[(Meeting.Status.HELD, _("Held")), (Meeting.Status.ARCHIVED, _("Archived"))],
        widget=forms.HiddenInput,
    )


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[(value, Participant.Response(value).label) for value in Participant.ANSWERS],
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=200)
    presenter = forms.CharField(label=_("Presenter"), max_length=200, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=600, initial=15
    )
    thread = forms.CharField(
        label=_("Topic thread (optional)"),
        required=False,
        max_length=300,
        help_text=_("The thread's address, or its number, to link the item to its discussion."),
    )

    def clean_thread(self):
        value = (self.cleaned_data.get("thread") or "").strip()
        if not value:
            return None
        found = re.search(r"(?:/topics/thread/)?(\d+)/?$", value)
        if not found:
            raise forms.ValidationError(
                _("Give the thread's address (…/topics/thread/12/) or its number.")
            )
        return int(found.group(1))


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("The file's name if empty.")
    )
    file = forms.FileField(label=_("File"))


class DocumentVersionForm(forms.Form):
    file = forms.FileField(label=_("New version"))


class MinutesForm(VersionedForm):
    # The first draft has no version yet; a later save must carry the one it was shown with.
    version = VersionField(required=False)
    text = forms.CharField(
        label=_("Minutes (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Name a speaker as [[Name]]. Under the Chatham House Rule participants read the "
            "minutes with every speaker replaced by “A participant”."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if self.obj is not None and cleaned.get("version") is None:
            raise forms.ValidationError(_("This form is out of date: reload the page."))
        return cleaned


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}))


class OutcomeForm(forms.Form):
    summary = forms.CharField(
        label=_("Public outcome summary (Markdown)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published on the annual public meeting page once you publish it."),
    )
