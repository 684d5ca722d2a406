"""Markdown rendering for user-written text: markdown-it-py, then nh3 sanitizing.

Raw HTML in the source is escaped by markdown-it (html=False) and the output is
sanitized again with an allow-list, so `<script>`, event handlers and
`javascript:` URLs never reach a page.

Rendering cost is bounded, because the text is anyone's input and a page shows
it to everyone: a Markdown field holds at most MARKDOWN_MAX_LENGTH characters;
the parser's costly rules (link labels scan ahead from every `[`, tables from
every `|`, emphasis keeps a stack of every `*` and `_`) get a budget of markup
characters per field and per paragraph, past which the text is shown as plain
text; and rendered HTML is cached by the text's hash, so a page pays once.
"""

import contextlib
import hashlib
import re

import nh3
from django.core.cache import cache
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

# Per Markdown field: about 3,000 words, enough for any section of a review.
MARKDOWN_MAX_LENGTH = 20_000
# Markup characters rendered as Markdown per paragraph (table pipes aside: a table is one
# paragraph) and per text (pipes included: a 300-row table of four columns fits), and table cells
# per line; the rest is shown as plain text.
MARKUP_PER_BLOCK = 200
MARKUP_PER_TEXT = 1_500
PIPES_PER_LINE = 64
MARKUP = re.compile(r"[\[\]*_<>`~!]")
BLOCK_BREAK = re.compile(r"(\n[ \t]*\n)")
# Bump when rendering changes, so cached HTML from the old rules is not served.
RENDERING_VERSION = 1

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def budgeted_parts(text):
    """Yield (part, as_markdown) for the text's paragraphs (and the blank lines between them).

    A paragraph with more than MARKUP_PER_BLOCK markup characters (besides pipes), or a line of more than
    PIPES_PER_LINE table cells, is shown as plain text, and so is every paragraph after the text
    has used MARKUP_PER_TEXT.
    """
    spent = 0
    for part in BLOCK_BREAK.split(text):
        markup, pipes = len(MARKUP.findall(part)), part.count("|")
        as_markdown = (
            markup <= MARKUP_PER_BLOCK
            and spent + markup + pipes <= MARKUP_PER_TEXT
            and all(line.count("|") <= PIPES_PER_LINE for line in part.splitlines())
        )
        spent += markup + pipes if as_markdown else 0
        yield part, as_markdown


def _render(text):
    html, markdown = [], []
    for part, as_markdown in budgeted_parts(text[:MARKDOWN_MAX_LENGTH]):
        if as_markdown:
            markdown.append(part)
            continue
        html += [_md.render("".join(markdown)), linebreaks(part, autoescape=True)]
        markdown = []
    html.append(_md.render("".join(markdown)))
    return nh3.clean(
        "".join(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text):
    """Return safe HTML for user-written Markdown text (cached by the text's hash)."""
    if not text:
        return mark_safe("")
    key = f"markdown:{RENDERING_VERSION}:{hashlib.sha256(text.encode()).hexdigest()}"
    # The cache is a shortcut: with it unreachable, the page still renders.
    with contextlib.suppress(Exception):
        clean = cache.get(key)
        if clean is not None:
            return mark_safe(clean)  # noqa: S308 - sanitized by nh3 in _render before it was cached
    clean = _render(text)
    with contextlib.suppress(Exception):
        cache.set(key, clean, timeout=7 * 24 * 3600)
    return mark_safe(clean)  # noqa: S308 - sanitized by nh3 in _render
