"""Hostile Markdown posted through the reply form and shown on the thread page: nothing of it
survives as markup."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from aiii.markdown import ALLOWED_TAGS

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<div onmouseover="alert(1)">hover</div>',
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=//evil.example></iframe>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="x" onclick="alert(1)">x</a>',
    "[x](vbscript:msgbox(1))",
    "<style>body{display:none}</style>",
    "<form action=//evil.example><button>go</button></form>",
    "```\n</code><script>alert(1)</script>\n```",
    "<p title='</p><script>alert(1)</script>'>",
    '[a](http://example.org "title" onclick=alert(1))',
    "<!-- <script>alert(1)</script> -->",
    "`<script>`alert(1)`</script>`",
    "<b>unclosed <i>broken <a href='http://x",
]
SAFE_TAGS = ALLOWED_TAGS
SAFE_SCHEMES = ("http://", "https://", "mailto:", "/", "#")


class _Markup(HTMLParser):
    """Every element and attribute of a piece of HTML, as a browser would parse them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def harmful(html):
    """What in `html` could run or load something: unknown elements, event handlers, style,
    links with another scheme than http(s), mailto or relative."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.elements:
        if tag not in SAFE_TAGS:
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "src", "srcdoc", "formaction"):
                found.append(f"{tag}[{name}]")
            if name == "href" and not (value or "").strip().lower().startswith(SAFE_SCHEMES):
                found.append(f"{tag}[href={value}]")
    return found


def _post_body(page, post):
    article = page.split(f'id="{post.anchor}"', 1)[1].split("</article>", 1)[0]
    return article.split('<div class="post-body prose">', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_markdown_is_rendered_harmless(client, thread, other, payload):
    client.force_login(other)
    response = client.post(
        reverse("topics:reply", kwargs={"pk": thread.pk}),
        {"source": payload, "ai_disclosure": "none", "token": "x"},
    )
    assert response.status_code == 302
    post = thread.posts.get(number=2)
    assert post.source == payload.strip()
    assert harmful(post.html) == [], post.html
    page = client.get(response["Location"]).content.decode()
    assert _post_body(page, post) == post.html
    assert "<script" not in page.split("<main", 1)[1].lower()


def test_a_megabyte_post_is_refused_with_a_message(client, thread, other):
    client.force_login(other)
    response = client.post(
        reverse("topics:reply", kwargs={"pk": thread.pk}),
        {"source": "a" * 1_000_000, "ai_disclosure": "none", "token": "x"},
    )
    assert response.status_code == 400
    assert "The post is 1000000 characters long; the limit is 20000." in response.content.decode()
    assert thread.posts.count() == 1


def test_deeply_nested_lists_are_refused_or_harmless(client, thread, other):
    client.force_login(other)
    source = "".join("    " * depth + "* a\n" for depth in range(60))[:20_000]
    response = client.post(
        reverse("topics:reply", kwargs={"pk": thread.pk}),
        {"source": source, "ai_disclosure": "none", "token": "x"},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert "nested too deeply" in response.content.decode()
    else:
        assert harmful(thread.posts.get(number=2).html) == []


def test_the_checker_sees_harm():
    assert harmful('<a href="javascript:x">a</a><img src=x onerror=y>') == [
        "a[href=javascript:x]",
        "img",
        "img[src]",
        "img[onerror]",
    ]
