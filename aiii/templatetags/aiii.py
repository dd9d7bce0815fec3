from django import template
from django.utils.html import format_html

register = template.Library()


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
def audit_action(entry):
    """An audit entry's action: its readable name, with the code (what the log's filter takes)
    beside it; only the code when no app has named the action."""
    label = entry.action_label
    if label == entry.action:
        return format_html("<code>{}</code>", entry.action)
    return format_html('{} <code class="audit-code">{}</code>', label, entry.action)
