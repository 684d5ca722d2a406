"""Rules every template keeps, checked over the whole templates/ tree."""

import re

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template import RequestContext, Template
from django.test import RequestFactory

TEMPLATES = sorted((settings.BASE_DIR / "templates").rglob("*.html"))

# `{% querystring %}` already begins with "?": a "?" before it makes "??page=2", which browsers read as page 1.
DOUBLED_QUESTION_MARK = re.compile(r"\?\s*\{%\s*querystring")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_it_never_puts_a_question_mark_before_a_querystring(path):
    assert not DOUBLED_QUESTION_MARK.search(path.read_text())


def test_it_links_to_the_next_page_keeping_the_filters():
    request = RequestFactory().get("/incidents/", {"severity": "sev2", "page": "1"})
    page_obj = Paginator(range(30), 25).page(1)
    html = Template('{% include "partials/pagination.html" %}').render(RequestContext(request, {"page_obj": page_obj}))
    assert 'href="?severity=sev2&amp;page=2"' in html
