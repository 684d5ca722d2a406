"""The export guards: CSV cells a spreadsheet will not run, Markdown links that never run script."""

import pytest

from core.exports import has_unsafe_link, spreadsheet_safe, without_unsafe_links


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r'=1"),
        ("x;=2+5;", "x;'=2+5;"),
        ('a,=HYPERLINK("http://evil")', 'a,\'=HYPERLINK("http://evil")'),
        ("one\n@two", "one\n'@two"),
        ("Cap the pool - twice", "Cap the pool - twice"),
        ("Plain words", "Plain words"),
        ("", ""),
    ],
)
def test_it_puts_a_quote_before_every_formula_start(cell, safe):
    assert spreadsheet_safe(cell) == safe


def test_it_leaves_numbers_alone():
    assert spreadsheet_safe(-5) == -5


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        "[x](java%0ascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "[x](data:text/html,<b>)",
        "[x](file:///etc/passwd)",
        "[x][r]\n\n[r]: javascript:alert(1)",
        '[x](javascript:alert(1) "title")',
        "[x](javascript:a\\(1\\))",
        "[x](<javascript:alert(1)>)",
    ],
)
def test_it_takes_the_target_from_every_script_link(markdown):
    assert has_unsafe_link(markdown)
    assert not has_unsafe_link(without_unsafe_links(markdown))


def test_it_keeps_the_link_text_and_safe_links():
    text = "[bad](javascript:alert(1)) and [good](https://example.com/a_(b)) and [mail](mailto:a@example.com)"
    assert without_unsafe_links(text) == (
        "[bad](#unsafe-link-removed) and [good](https://example.com/a_(b)) and [mail](mailto:a@example.com)"
    )


def test_it_leaves_text_without_script_links_untouched():
    text = "Use `javascript:` nowhere; see [docs](https://example.com) and a [ref]\n\n[ref]: https://example.com/r"
    assert without_unsafe_links(text) == text


def test_it_takes_the_target_from_a_script_autolink():
    assert without_unsafe_links("see <javascript:alert(1)> now") == "see #unsafe-link-removed now"
