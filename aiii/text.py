"""Text people type into the portal's forms: bounded, and with nothing hidden in it."""

from django import forms


class Textarea(forms.Textarea):
    """A textarea whose line breaks count once, as the browser's `maxlength` counts them.

    Browsers submit each line break as CRLF; counted as two characters, a text the browser let
    through its `maxlength` would fail the same limit on the server.
    """

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value
