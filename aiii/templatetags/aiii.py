import datetime
import unicodedata
import zlib

from django import template
from django.utils import timezone
from django.utils.html import format_html

from ..dates import shown_date, shown_datetime

register = template.Library()


class RememberedNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        from ..layout import render_part

        return render_part(self.name, self.nodelist, context)


@register.tag
def remembered(parser, token):
    """`{% remembered "site-header" %}…{% endremembered %}`: a part of the layout rendered once
    per process for each way it can look, from the values aiii/layout.py gives it and nothing
    else."""
    from ..layout import PARTS

    bits = token.split_contents()
    name = bits[1].strip("\"'") if len(bits) == 2 else None
    if name not in PARTS:
        raise template.TemplateSyntaxError(
            f"{{% remembered %}} takes one of {', '.join(sorted(PARTS))}, quoted."
        )
    nodelist = parser.parse(("endremembered",))
    parser.delete_first_token()
    return RememberedNode(name, nodelist)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def widget_type(bound_field):
    return bound_field.field.widget.__class__.__name__.lower()


@register.simple_tag
def timetag(value):
    """<time> for a moment in the viewer's zone and language, ISO in `datetime`."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), shown_datetime(local))


@register.simple_tag
def datetag(value):
    """<time> for a day ("2026-10-12" in English); a moment is first put in the viewer's zone."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), shown_date(value))


@register.simple_tag(takes_context=True)
def panel(context, panel):
    """Render an app's dashboard panel (aiii.secretariat.Panel) with its own context."""
    template = context.template.engine.get_template(panel.template)
    with context.push(**panel.context):
        return template.render(context)


@register.simple_tag
def audit_action(entry):
    """An audit entry's action: its readable name, with the code (what the log's filter takes)
    beside it; only the code when no app has named the action."""
    label = entry.action_label
    if label == entry.action:
        return format_html("<code>{}</code>", entry.action)
    return format_html('{} <code class="audit-code">{}</code>', label, entry.action)


# Avatar colours: each is at least 4.5:1 against the white initials (static/css/aiii.css).
AVATAR_TONES = 6


# Letters that stand for themselves: not modifier letters such as the ʿayn sign in "ʿAlī".
_INITIAL_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lo"})


def initials(name):
    """Up to two letters for an avatar: the first letter of the first and last words ("Ana
    María Silva" → "AS"), or of the only word. Letters only, so "(Dr.) Li" gives "DL"."""
    words = [
        next((char for char in word if unicodedata.category(char) in _INITIAL_CATEGORIES), "")
        for word in str(name or "").split()
    ]
    letters = [letter for letter in words if letter]
    if not letters:
        return ""
    chosen = letters[0] if len(letters) == 1 else letters[0] + letters[-1]
    return chosen.upper()


@register.simple_tag
def avatar(name, size=""):
    """A circle with a person's initials, in one of a few colours chosen from the name (the
    same name, the same colour, in every process). Decorative: the name is always beside it."""
    tone = zlib.crc32(str(name or "").encode()) % AVATAR_TONES
    classes = f"avatar avatar-tone-{tone}" + (f" avatar-{size}" if size else "")
    return format_html('<span class="{}" aria-hidden="true">{}</span>', classes, initials(name))
