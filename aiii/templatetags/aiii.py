import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html

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


# One way to show a moment and a day everywhere: ISO-like figures every language reads the
# same, the moment in the viewer's time zone (set per request from their profile) and named.
DATETIME_SHOWN = "Y-m-d H:i T"
DATE_SHOWN = "Y-m-d"


@register.simple_tag
def timetag(value):
    """<time> for a moment: "2026-11-28 05:37 UTC" in the viewer's zone, ISO in `datetime`."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_html(
        '<time datetime="{}">{}</time>', local.isoformat(), dateformat.format(local, DATETIME_SHOWN)
    )


@register.simple_tag
def datetag(value):
    """<time> for a day ("2026-10-12"); a moment is first put in the viewer's zone."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), dateformat.format(value, DATE_SHOWN)
    )


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
