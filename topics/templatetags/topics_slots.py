"""The template side of topics.slots: the marks that differ from one member to the next."""

from django import template
from django.utils.safestring import mark_safe

from .. import slots

register = template.Library()


@register.simple_tag
def slot(kind, *numbers):
    """A value slot: what stands here is given for each request (topics.slots.fill)."""
    return mark_safe(slots.value(kind, *numbers))


class ChoiceNode(template.Node):
    def __init__(self, kind, numbers, yes, no):
        self.kind, self.numbers, self.yes, self.no = kind, numbers, yes, no

    def render(self, context):
        kind = self.kind.resolve(context)
        numbers = [number.resolve(context) for number in self.numbers]
        return mark_safe(
            slots.choice(kind, numbers, self.yes.render(context), self.no.render(context))
        )


@register.tag
def slot_if(parser, token):
    """`{% slot_if "kind" number… %}A{% slot_else %}B{% endslot_if %}`: both kept, one shown
    for each request (topics.slots.fill)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("slot_if needs the slot's kind.")
    kind, numbers = parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    yes = parser.parse(("slot_else", "endslot_if"))
    no = template.NodeList()
    if parser.next_token().contents == "slot_else":
        no = parser.parse(("endslot_if",))
        parser.delete_first_token()
    return ChoiceNode(kind, numbers, yes, no)
