import json
from html.parser import HTMLParser

import pytest

from postmortems.models import SECTION_FIELDS, Review
from postmortems.tests.factories import CausalFactorFactory, CausalLinkFactory

pytestmark = pytest.mark.django_db

ATTACK = '<script>alert("{name}")</script><img src=x onerror="alert(\'{name}\')"> **{name} text**'


class _Dangers(HTMLParser):
    """Collects what would run in a browser: script elements with our payload, and on* attributes."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        self.found += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]

    def handle_data(self, data):
        if self._in_script and "alert" in data:
            self.found.append(f"script {data[:40]}")

    def handle_endtag(self, tag):
        self._in_script = False


def _attacked_review(review):
    for name in SECTION_FIELDS:
        setattr(review, name, ATTACK.format(name=name))
    review.save()
    CausalFactorFactory(review=review, description='<img src=x onerror=alert(1)>"] --> boom', is_root_cause=True)
    return review


@pytest.fixture
def attacked(review):
    return _attacked_review(review)


def test_it_renders_every_section_without_running_user_markup(client, attacked, viewer):
    client.force_login(viewer)
    page = client.get(attacked.get_absolute_url()).content.decode()
    parser = _Dangers()
    parser.feed(page)
    assert parser.found == []
    for name in SECTION_FIELDS:
        assert f"<strong>{name} text</strong>" in page  # the Markdown around the attack still renders


def test_it_exports_markdown_without_markup_from_any_section(client, attacked, viewer):
    client.force_login(viewer)
    text = client.get(f"/reviews/{attacked.reference}/export.md").content.decode()
    assert "<script" not in text
    assert "<img" not in text
    for name in SECTION_FIELDS:
        assert f"**{name} text**" in text


def test_it_exports_json_without_markup_from_any_section(client, attacked, viewer):
    client.force_login(viewer)
    response = client.get(f"/reviews/{attacked.reference}/export.json")
    assert b"<script" not in response.content
    assert b"<img" not in response.content
    assert len(response.json()["sections"]) == len(SECTION_FIELDS)


def test_it_exports_every_section_and_the_chart(client, review, viewer):
    for name in SECTION_FIELDS:
        setattr(review, name, f"Text of {name}.")
    review.save()
    link = CausalLinkFactory(review=review)
    client.force_login(viewer)
    text = client.get(f"/reviews/{review.reference}/export.md").content.decode()
    for name, label, _ in Review.objects.get(pk=review.pk).sections():
        assert f"## {label}\n\nText of {name}." in text
    assert "```mermaid\nflowchart LR\n" in text
    assert f"f{link.cause_id} --> f{link.effect_id}" in text


def test_it_exports_json_with_the_same_chart(client, review, viewer):
    link = CausalLinkFactory(review=review)
    client.force_login(viewer)
    data = json.loads(client.get(f"/reviews/{review.reference}/export.json").content)
    assert data["incident"]["reference"] == review.reference
    assert data["links"] == [{"id": link.pk, "cause": link.cause_id, "effect": link.effect_id}]
    assert f"f{link.cause_id} --> f{link.effect_id}" in data["mermaid"]
    md = client.get(f"/reviews/{review.reference}/export.md").content.decode()
    assert data["mermaid"].rstrip("\n") in md


SCRIPT_LINKS = (
    "[run me](javascript:alert(1)) [spelled](&#106;avascript:alert(2)) [broken](JAVA%0ascript:alert(3)) "
    "![pixel](data:text/html;base64,PHNjcmlwdD4=) [by reference][evil] [kept](https://example.com/ok)\n\n"
    "[evil]: vbscript:msgbox(4)\n"
)


@pytest.fixture
def linked(review):
    for name in SECTION_FIELDS:
        setattr(review, name, SCRIPT_LINKS)
    review.save()
    CausalFactorFactory(review=review, description="[factor link](javascript:alert(5))", is_root_cause=True)
    return review


def test_it_exports_markdown_whose_links_never_run_script(client, linked, viewer):
    from core.exports import has_unsafe_link

    client.force_login(viewer)
    text = client.get(f"/reviews/{linked.reference}/export.md").content.decode()
    assert not has_unsafe_link(text)
    # Outside the chart's labels (plain text to Mermaid, with brackets and parentheses as entities).
    before, _, rest = text.partition("```mermaid")
    text = before + rest.partition("```")[2]
    for unsafe in ("javascript:", "&#106;avascript", "JAVA%0ascript", "data:text/html", "vbscript:"):
        assert unsafe not in text
    assert "[run me](#unsafe-link-removed)" in text  # the words stay, the target goes
    assert "[kept](https://example.com/ok)" in text


def test_it_exports_json_whose_markdown_links_never_run_script(client, linked, viewer):
    from core.exports import has_unsafe_link

    client.force_login(viewer)
    data = client.get(f"/reviews/{linked.reference}/export.json").json()
    texts = [section["markdown"] for section in data["sections"]] + [f["description"] for f in data["factors"]]
    assert texts
    assert not any(has_unsafe_link(text) for text in texts)
    assert all("javascript:" not in text for text in texts)
