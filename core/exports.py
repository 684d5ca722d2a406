"""What every export of user text goes through: CSV cells a spreadsheet will not run, Markdown links a
reader will not follow into script.

CSV: a spreadsheet runs a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula, and one opened with `;` (or a tab) as its separator, as some locales do, splits a cell at each
of them first. So every such character at the start of a cell or right after a separator gets a `'`
before it, the prefix spreadsheets take as "this is text" (OWASP's CSV injection advice). Every CSV
export writes through `csv_writer`.

Markdown: a link or image to `javascript:`, `vbscript:`, `data:` or `file:` runs script in whatever
renders the export next, however its scheme is spelled (`&#106;avascript:`, `JAVA%0ascript:`). Such a
link keeps its text and loses its target; the text is checked with markdown-it's own parser.
"""

import csv
import html
import re
from urllib.parse import unquote

from django.http import HttpResponse
from markdown_it import MarkdownIt

# --- CSV ------------------------------------------------------------------------------------

FORMULA_START = re.compile(r"(?:^|(?<=[,;\t\r\n|]))(?=[=+\-@\t\r])")


def spreadsheet_safe(value):
    """The cell's value with a `'` before every character that would start a formula (see the module)."""
    if not isinstance(value, str):
        return value
    return FORMULA_START.sub("'", value)


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream):
    """A csv.writer whose every cell passes through `spreadsheet_safe`."""
    return _SafeWriter(csv.writer(stream))


def csv_download(filename):
    """An empty CSV attachment response to write rows into; kept by no cache (it holds what one reader may see)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Markdown links ---------------------------------------------------------------------------

UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
REMOVED_TARGET = "#unsafe-link-removed"
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]+")
_INLINE_TARGET = re.compile(r"(\]\(\s*)(<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+)")
_AUTOLINK = re.compile(r"()<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>")
_REFERENCE_TARGET = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*)(\S+)", re.MULTILINE)

_parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_parser.validateLink = lambda url: True  # find every link, even those a renderer would drop


def unsafe_target(url):
    """Whether a link target is a script or data URL, however it is escaped or spelled."""
    decoded = url
    for _ in range(3):  # nested escapes: &amp;#106; or %2561
        decoded = unquote(html.unescape(decoded))
    return _CONTROL_OR_SPACE.sub("", decoded).lower().startswith(UNSAFE_SCHEMES)


def _tokens(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _tokens(token.children)


def has_unsafe_link(text):
    for token in _tokens(_parser.parse(text)):
        target = token.attrGet("href") if token.type == "link_open" else token.attrGet("src")
        if token.type in ("link_open", "image") and target and unsafe_target(str(target)):
            return True
    return False


def without_unsafe_links(text):
    """Markdown text whose links and images to script or data URLs point nowhere (their text is kept)."""
    if not text or not has_unsafe_link(text):
        return text

    def replace(match):
        target = match.group(2)
        return match.group(1) + (REMOVED_TARGET if unsafe_target(target.strip("<>")) else target)

    for pattern in (_INLINE_TARGET, _REFERENCE_TARGET, _AUTOLINK):
        text = pattern.sub(replace, text)
    if has_unsafe_link(text):
        # A spelling the rewrite did not reach: no brackets and no `<`, so no links or images at all.
        text = text.replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")
    return text
