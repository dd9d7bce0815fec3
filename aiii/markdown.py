"""Markdown from members, rendered once (at save, by services) and sanitised with an allow-list.

python-markdown turns the text into HTML with raw HTML escaped (shown as text, never passed
through); nh3 then keeps only the tags and attributes below, only http(s)/mailto and relative
links, and marks every link rel="nofollow noopener". Images become plain links so a post never
makes a reader's browser load anything from a third party.
"""

import re
import xml.etree.ElementTree as etree

import markdown as md
import nh3
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "code": {"class"},
}
# Attributes allowed only with these exact values.
ALLOWED_ATTRIBUTE_VALUES = {
    "th": {"align": {"left", "center", "right"}},
    "td": {"align": {"left", "center", "right"}},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"
# fenced_code marks a block's language as class="language-<name>"; no other class survives,
# so a post cannot borrow the portal's own classes (skip-link, visually-hidden, …).
CODE_CLASS = re.compile(r"language-[A-Za-z0-9_+#-]{1,30}")


class _EscapeRawHtml(md.Extension):
    """Show raw HTML as text instead of passing it through (nh3 would drop it silently)."""

    def extendMarkdown(self, parser):  # noqa: N802 (python-markdown's name)
        parser.preprocessors.deregister("html_block")
        parser.inlinePatterns.deregister("html")


class _PostStructure(Treeprocessor):
    """Fit a post into the page around it.

    Headings move one level down (the page has the only <h1>); images become links to the
    image, labelled with their alternative text.
    """

    def run(self, root):
        for element in root.iter():
            if re.fullmatch(r"h[1-6]", element.tag):
                element.tag = f"h{min(int(element.tag[1]) + 1, 6)}"
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag != "img":
                    continue
                link = etree.Element("a", {"href": child.get("src", "")})
                if child.get("title"):
                    link.set("title", child.get("title"))
                link.text = child.get("alt") or child.get("title") or child.get("src", "")
                link.tail = child.tail
                parent.remove(child)
                parent.insert(index, link)


class _PostExtension(md.Extension):
    def extendMarkdown(self, parser):  # noqa: N802 (python-markdown's name)
        # After the inline patterns (priority 20) have produced <img> elements.
        parser.treeprocessors.register(_PostStructure(parser), "aiii_post_structure", 5)


def _filter_attribute(tag, attribute, value):
    if tag == "code" and attribute == "class":
        return value if CODE_CLASS.fullmatch(value) else None
    return value


def sanitize_html(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        attribute_filter=_filter_attribute,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text):
    """Clean HTML for `text`; store it beside the source and show it with |safe."""
    converter = md.Markdown(
        extensions=[
            "fenced_code",
            "tables",
            "sane_lists",
            "nl2br",
            _EscapeRawHtml(),
            _PostExtension(),
        ],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    return sanitize_html(converter.convert(text or ""))
