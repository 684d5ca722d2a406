"""Pages whose Markdown holds the worst inputs we know: each section and the summary at the length bound.

Unbounded, 2.3 MB of `![` cost 63 s of CPU per view (`[` 39 s, table pipes 43 s). The bound per field,
the markup budget and the rendered-HTML cache make each page cheap; "first view" clears the cache
before every run, "cached" is every later view.
"""

from datetime import timedelta

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from core.markdown import MARKDOWN_MAX_LENGTH
from incidents.models import Incident, TimelineEvent
from postmortems.models import SECTION_FIELDS, Review

PATTERNS = {
    "![ repeated": "![",
    "[ repeated": "[",
    "table pipes": "|a",
    "emphasis": "*a",
    "paragraphs of emphasis": "*a" * 99 + "\n\n",
    "links never closed": "[a](",
}


def fill(unit):
    return (unit * (MARKDOWN_MAX_LENGTH // len(unit) + 1))[:MARKDOWN_MAX_LENGTH]


def test_markdown_worst_cases(bench, responder, team):
    client = Client()
    client.force_login(responder)
    table = bench(
        "Pages of pathological Markdown",
        note=f"every review section ({len(SECTION_FIELDS)}), the incident summary and 20 timeline events hold "
        f"{MARKDOWN_MAX_LENGTH:,} characters of the pattern; rows: Markdown fields on the page.",
    )
    now = timezone.now()
    for name, unit in PATTERNS.items():
        text = fill(unit)
        incident = Incident.objects.create(title=name, team=team, summary=text, started_at=now - timedelta(hours=1))
        TimelineEvent.objects.bulk_create(TimelineEvent(incident=incident, text=text) for _ in range(20))
        Review.objects.create(incident=incident, **dict.fromkeys(SECTION_FIELDS, text))
        url = f"/reviews/{incident.reference}/"
        fields = len(SECTION_FIELDS) + 1 + 20

        def first_view(url=url):
            cache.clear()
            assert client.get(url).status_code == 200

        table.measure(f"review page, {name}, first view", first_view, rows=fields, repeat=5)
        table.measure(f"review page, {name}, cached", lambda url=url: client.get(url), rows=fields, repeat=5)
