"""Markdown from members: normal writing renders, hostile input comes out harmless."""

import pytest

from aiii.markdown import render_markdown, sanitize_html

REL = 'rel="nofollow noopener"'


@pytest.mark.parametrize(
    ("source", "html"),
    [
        (
            "*em* **strong** `code`",
            "<p><em>em</em> <strong>strong</strong> <code>code</code></p>",
        ),
        (
            "- one\n- two\n\n1. first\n2. second",
            "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>",
        ),
        ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
        (
            "```python\nprint('<x>')\n```",
            "<pre><code class=\"language-python\">print('&lt;x&gt;')\n</code></pre>",
        ),
        (
            "| a | b |\n|:--|--:|\n| 1 | 2 |",
            "<table>\n<thead>\n<tr>\n"
            '<th align="left">a</th>\n<th align="right">b</th>\n'
            "</tr>\n</thead>\n<tbody>\n<tr>\n"
            '<td align="left">1</td>\n<td align="right">2</td>\n'
            "</tr>\n</tbody>\n</table>",
        ),
        (
            '[the site](https://example.org "Title")',
            f'<p><a href="https://example.org" title="Title" {REL}>the site</a></p>',
        ),
        (
            "<https://example.org>",
            f'<p><a href="https://example.org" {REL}>https://example.org</a></p>',
        ),
        (
            "<expert@example.org>",
            f'<p><a href="mailto:expert@example.org" {REL}>expert@example.org</a></p>',
        ),
        ("[our members](/members/)", f'<p><a href="/members/" {REL}>our members</a></p>'),
        ("> quoted\n\nreply", "<blockquote>\n<p>quoted</p>\n</blockquote>\n<p>reply</p>"),
        ("line one\nline two", "<p>line one<br>\nline two</p>"),
        # The page has the only <h1>: a post's headings start at <h2>.
        ("# Title\n\n## Part\n\n###### Deep", "<h2>Title</h2>\n<h3>Part</h3>\n<h6>Deep</h6>"),
        ("", ""),
    ],
)
def test_normal_markdown_renders(source, html):
    assert render_markdown(source) == html


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        (
            "<<script>script>alert(1)<</script>/script>",
            "<p>&lt;&lt;script&gt;script&gt;alert(1)&lt;&lt;/script&gt;/script&gt;</p>",
        ),
        (
            "<svg><script>alert(1)</script></svg>",
            "<p>&lt;svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/svg&gt;</p>",
        ),
        ("hi <b onclick=x>b</b>", "<p>hi &lt;b onclick=x&gt;b&lt;/b&gt;</p>"),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
        # A raw HTML block is shown as text, Markdown inside it still works.
        (
            "<div>\n<iframe src=//evil.example></iframe>\n</div>",
            "<p>&lt;div&gt;<br>\n&lt;iframe src=//evil.example&gt;&lt;/iframe&gt;<br>\n"
            "&lt;/div&gt;</p>",
        ),
        (
            '<span style="color:red">red</span>',
            '<p>&lt;span style="color:red"&gt;red&lt;/span&gt;</p>',
        ),
        ("<style>p{}</style>x", "<p>&lt;style&gt;p{}&lt;/style&gt;x</p>"),
        ("<!-- hidden --> x", "<p>&lt;!-- hidden --&gt; x</p>"),
        (
            '<a href="javascript:alert(1)">x</a>',
            '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>',
        ),
        ("<b><i>x</b></i>", "<p>&lt;b&gt;&lt;i&gt;x&lt;/b&gt;&lt;/i&gt;</p>"),
        (
            "[a](https://x.org)<b>unclosed",
            f'<p><a href="https://x.org" {REL}>a</a>&lt;b&gt;unclosed</p>',
        ),
        (
            "**bold *nested* `c<o>de`**",
            "<p><strong>bold <em>nested</em> <code>c&lt;o&gt;de</code></strong></p>",
        ),
        # An attribute cannot be smuggled through a link's title or address.
        (
            '[x](https://a.org "a\\" onclick=\\"x")',
            f'<p><a href="https://a.org" title="a\\&quot; onclick=\\&quot;x" {REL}>x</a></p>',
        ),
        (
            '[x](https://a.org"onmouseover="alert(1))',
            f'<p><a href="https://a.org&quot;onmouseover=&quot;alert(1" {REL}>x</a>)</p>',
        ),
        # Only language-* classes on code: a post cannot borrow the portal's classes.
        ("```skip-link\nx\n```", '<pre><code class="language-skip-link">x\n</code></pre>'),
        ("~~~{.python onclick=x}\nx\n~~~", '<pre><code class="language-python">x\n</code></pre>'),
    ],
)
def test_hostile_markup_is_shown_as_text(source, html):
    assert render_markdown(source) == html


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript&#58;alert(1)",
        "java&#9;script:alert(1)",
        "java&#10;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,x",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_dangerous_link_schemes_lose_their_address(address):
    assert render_markdown(f"[x]({address})") == f"<p><a {REL}>x</a></p>"
    assert render_markdown(f"[x][1]\n\n[1]: {address}") == f"<p><a {REL}>x</a></p>"


def test_a_tab_inside_a_scheme_does_not_make_a_javascript_link():
    # Markdown expands the tab, which leaves a harmless relative address.
    assert render_markdown("[x](java\tscript:alert(1))") == (
        f'<p><a href="java    script:alert(1)" {REL}>x</a></p>'
    )


def test_images_become_links_and_load_nothing():
    assert render_markdown('![Diagram](https://evil.example/x.png "T") after') == (
        f'<p><a href="https://evil.example/x.png" title="T" {REL}>Diagram</a> after</p>'
    )
    assert render_markdown("![](https://evil.example/x.png)") == (
        f'<p><a href="https://evil.example/x.png" {REL}>https://evil.example/x.png</a></p>'
    )
    assert render_markdown("![x](javascript:alert(1))") == f"<p><a {REL}>x</a></p>"
    assert "<img" not in render_markdown("![a](data:image/png;base64,AAAA)")


def test_sanitize_html_keeps_the_allow_list_only():
    dirty = (
        '<h1 id="main">Head</h1><p onclick="x" style="color:red" class="skip-link">a'
        '<script>steal()</script><iframe src="https://evil.example"></iframe>'
        '<img src="https://evil.example/t.gif"><a href="javascript:x" target="_blank" '
        'rel="opener">l</a><a href="https://ok.example">ok</a></p>'
        '<table><tr><td align="justify" style="x">c</td><th align="center">h</th></tr></table>'
        "<!-- comment -->"
    )
    assert sanitize_html(dirty) == (
        f'Head<p>a<a {REL}>l</a><a href="https://ok.example" {REL}>ok</a></p>'
        '<table><tbody><tr><td>c</td><th align="center">h</th></tr></tbody></table>'
    )
