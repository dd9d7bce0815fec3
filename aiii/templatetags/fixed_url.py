"""`{% url %}` as Django's, taking addresses without arguments from aiii/urls_fixed.py.

Loaded for every template (TEMPLATES["OPTIONS"]["builtins"]), after Django's own tags, so the
layout's `{% url 'about' %}` and the like cost a dictionary lookup instead of a `reverse`. The
output is Django's in every case: the same escaping, the same `as var` form, the same error.
"""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from ..urls_fixed import fixed_url, url_setting

register = template.Library()

WHERE = "aiii.url_setting"  # in the render context: the request's URL setting, looked up once


class FixedURLNode(URLNode):
    def render(self, context):
        if self.args or self.kwargs:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        # As URLNode.render: the current application from the request, if any.
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        # One lookup of the request's URL setting per template rendered, not per address.
        where = context.render_context.get(WHERE)
        if where is None:
            where = context.render_context[WHERE] = url_setting()
        url = ""
        try:
            url = fixed_url(view_name, current_app=current_app, where=where)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return FixedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
