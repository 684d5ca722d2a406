"""User-written Markdown never carries script into a page."""

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.markdown import render_markdown

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "background", "poster"}
SAFE_SCHEMES = {"http", "https", "mailto"}


class Tags(HTMLParser):
    """Collect every (tag, attributes) the browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def tags_in(rendered):
    parser = Tags()
    parser.feed(str(rendered))
    parser.close()
    return parser.tags


def scheme_of(url):
    """The scheme a browser would see: it ignores whitespace and control characters inside it."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url or "")).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) if match else None


def dangers(rendered):
    """Return a description of everything executable in rendered HTML (empty when it is safe)."""
    found = []
    for tag, attrs in tags_in(rendered):
        if tag in {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base", "meta", "link"}:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                found.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and scheme_of(value) not in (None, *SAFE_SCHEMES):
                found.append(f"{tag}[{name}={value!r}]")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Hello <SCRIPT src=//evil.example/x.js></SCRIPT>",
        '<img src=x onerror="alert(1)">',
        "<a href='#' onclick=alert(1)>click</a>",
        '<svg onload="alert(1)"></svg>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](javascript&#58;alert(1))",
        "![pic](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](vbscript:msgbox(1))",
        '<a href="javascript:alert(1)">x</a>',
        "[ref]\n\n[ref]: javascript:alert(1)",
        "<iframe src=https://evil.example></iframe>",
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_it_removes_executable_content(source):
    assert dangers(render_markdown(source)) == []


def test_it_keeps_ordinary_markdown():
    rendered = str(render_markdown("**Bold** and [the runbook](https://wiki.example.com/runbook)\n\n- one\n- two"))
    assert [tag for tag, _ in tags_in(rendered)] == ["p", "strong", "a", "ul", "li", "li"]


def test_it_shows_raw_html_as_text():
    assert "&lt;script&gt;" in str(render_markdown("<script>alert(1)</script>"))


def test_it_marks_links_as_not_endorsed():
    attrs = next(attrs for tag, attrs in tags_in(render_markdown("[x](https://example.com)")) if tag == "a")
    assert set(attrs["rel"].split()) >= {"noopener", "noreferrer", "nofollow"}


def test_it_renders_nothing_for_empty_text():
    assert render_markdown(None) == ""


def test_the_checker_itself_spots_danger():
    # Guards the property test below against a checker that can never fail.
    assert dangers('<img src=x onerror=alert(1)><a href="jav&#x09;ascript:x">y</a><script></script>') == [
        "img[onerror]",
        "a[href='jav\\tascript:x']",
        "<script>",
    ]


HOSTILE_PIECES = [
    "<script>alert(1)</script>",
    "<script",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus x='",
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:x",
    "<svg/onload=alert(1)>",
    "<a href=",
    "<style>*{}</style>",
    "<iframe srcdoc='<script>alert(1)</script>'>",
    "[",
    "](",
    ")",
    "![",
    "]: ",
    "<",
    ">",
    '"',
    "'",
    "`",
    "```\n",
    "\n\n",
    "\n",
    " ",
    "<",
    "&",
    "|",
    "*",
    "<https://",
    "<javascript:alert(1)>",
    "http://example.com",
]

hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=8)),
    max_size=25,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(hostile_text)
def test_it_never_lets_script_through_whatever_the_input(source):
    assert dangers(render_markdown(source)) == []


PATHOLOGICAL = {
    "images": "![" * 10_000,
    "brackets": "[" * 20_000,
    "links": "[a](" * 5_000,
    "emphasis": "*a" * 10_000,
    "emphasis in paragraphs": ("*a" * 99 + "\n\n") * 100,
    "wide table": "|a" * 10_000,
    "long table": "| a | b | c |\n|---|---|---|\n" + "| x | y | z |\n" * 1_400,
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_it_renders_pathological_markdown_quickly(name):
    """Each costs seconds to minutes unbounded; the budget makes it a few milliseconds to a few tens."""
    import time

    from core.markdown import _render

    started = time.process_time()
    _render(PATHOLOGICAL[name][:20_000])
    assert time.process_time() - started < 0.5  # CPU time; unbounded, the smallest of these took 2 s


def test_it_shows_text_past_the_markup_budget_as_plain_text():
    from core.markdown import MARKUP_PER_BLOCK

    html = render_markdown("**bold**\n\n" + "*" * (MARKUP_PER_BLOCK + 1) + " <b>x</b>")
    assert "<strong>bold</strong>" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_it_caches_rendered_html_by_content(django_assert_num_queries, monkeypatch):
    from core import markdown

    calls = []
    monkeypatch.setattr(markdown, "_render", lambda text: calls.append(text) or "<p>x</p>")
    text = "cache me " + str(id(calls))
    render_markdown(text)
    render_markdown(text)
    assert len(calls) == 1
