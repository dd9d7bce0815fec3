"""Markdown from members, rendered once (at save, by services) and sanitised with an allow-list.

python-markdown turns the text into HTML with raw HTML escaped; nh3 then keeps only the tags and
attributes below, only http(s)/mailto links, and marks every link rel="nofollow noopener".
"""

import markdown as md
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "del", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]


class _EscapeRawHtml(md.Extension):
    """Show raw HTML as text instead of passing it through (nh3 would drop it silently)."""

    def extendMarkdown(self, parser):  # noqa: N802 (python-markdown's name)
        parser.preprocessors.deregister("html_block")
        parser.inlinePatterns.deregister("html")


def sanitize_html(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def render_markdown(text):
    """Clean HTML for `text`; store it beside the source and show it with |safe."""
    converter = md.Markdown(extensions=[*EXTENSIONS, _EscapeRawHtml()], output_format="html")
    return sanitize_html(converter.convert(text or ""))
