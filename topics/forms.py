import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from aiii.forms import VersionedForm
from aiii.text import Textarea, clean_name

from . import conf
from .models import AIDisclosure


def _token():
    return uuid.uuid4().hex


class _PostFields(forms.Form):
    """The text of a post and how it was written."""

    source = forms.CharField(
        label=_("Your post"),
        widget=Textarea(attrs={"rows": 8}),
        help_text=_(
            "Markdown: **bold**, *italic*, [links](https://example.org), lists, > quotes. "
            "Mention a member with @their-handle."
        ),
    )
    ai_disclosure = forms.ChoiceField(
        label=_("How was this written?"),
        choices=AIDisclosure.choices,
        initial=AIDisclosure.NONE,
        widget=forms.RadioSelect,
    )
    ai_tool = forms.CharField(
        label=_("AI tool used (optional)"),
        required=False,
        max_length=100,
        help_text=_("For example the name and version of the assistant."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = conf.post_max_chars()
        field = self.fields["source"]
        field.max_length = limit
        field.validators.append(forms.CharField(max_length=limit).validators[-1])
        field.error_messages["max_length"] = _(
            "The post is %(show_value)s characters long; the limit is %(limit_value)s. "
            "Shorten it or split it into several posts."
        )


class _OneTimeToken(forms.Form):
    # A fresh key per rendered form: the same form submitted twice makes one post.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=_token)


class ReplyForm(_PostFields, _OneTimeToken):
    field_order = ["source", "ai_disclosure", "ai_tool", "token"]


class ThreadStartForm(_PostFields, _OneTimeToken):
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["title", "source", "ai_disclosure", "ai_tool", "token"]

    def clean_title(self):
        return clean_name(self.cleaned_data["title"])


class PostEditForm(_PostFields, VersionedForm):
    pass


class WatchForm(forms.Form):
    watch = forms.BooleanField(required=False, widget=forms.HiddenInput)


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the secretariat look at this post?"),
        widget=Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the topic threads"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"


# --- the secretariat ---------------------------------------------------------------------------


class PostHideForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason for hiding"), widget=Textarea(attrs={"rows": 2}), max_length=2000
    )


class PostRestoreForm(VersionedForm):
    pass


class ThreadModerateForm(VersionedForm):
    action = forms.ChoiceField(
        choices=[("lock", "lock"), ("unlock", "unlock"), ("pin", "pin"), ("unpin", "unpin")],
        widget=forms.HiddenInput,
    )


class FlagDismissForm(forms.Form):
    flag = forms.IntegerField(widget=forms.HiddenInput)


class FlagFilterForm(forms.Form):
    disclosure = forms.ChoiceField(
        label=_("How the post was written"),
        required=False,
        choices=[("", _("Any"))] + list(AIDisclosure.choices),
    )


class TopicAddForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=Textarea(attrs={"rows": 3}), required=False
    )


class TopicEditForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=Textarea(attrs={"rows": 3}), required=False
    )
    position = forms.IntegerField(
        label=_("Position in the list"),
        min_value=0,
        max_value=32000,
        help_text=_("Topics are listed by this number, smallest first."),
    )
    hidden = forms.BooleanField(
        label=_("Hidden from members (nobody can post in it)"), required=False
    )

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and not self.is_bound:
            self.initial.update(
                name=obj.area.name,
                description=obj.description,
                position=obj.area.position,
                hidden=obj.hidden,
            )
