"""The panel registry: higher apps add panels to lower apps' pages without the pages importing them."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from core import panels


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(panels, "_registry", {})
    return panels


def render(slot, obj):
    request = RequestFactory().get("/")
    return Template(f'{{% load panels %}}{{% render_panels "{slot}" obj %}}').render(
        Context({"request": request, "obj": obj})
    )


def test_it_refuses_an_unknown_slot(registry):
    with pytest.raises(ValueError, match="Unknown panel slot"):
        registry.register_panel("incident_detial_side", "x.html")


def test_it_renders_the_registered_panels_in_order(registry, tmp_path, settings):
    (tmp_path / "first.html").write_text("first:{{ name }};")
    (tmp_path / "second.html").write_text("second:{{ object }};")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    registry.register_panel("incident_detail_side", "second.html", order=20)
    registry.register_panel("incident_detail_side", "first.html", context=lambda request, obj: {"name": obj}, order=10)
    assert render("incident_detail_side", "<b>") == "first:&lt;b&gt;;second:&lt;b&gt;;"


def test_it_renders_nothing_for_an_empty_slot(registry):
    assert render("service_detail_main", "x") == ""


def test_it_links_each_stylesheet_of_a_slot_once(registry):
    registry.register_panel("review_detail_main", "a.html", stylesheets=["hindsight/actions.css"])
    registry.register_panel("review_detail_side", "b.html", stylesheets=["hindsight/actions.css"])
    html = Template('{% load panels %}{% panel_stylesheets "review_detail_main" "review_detail_side" %}').render(
        Context()
    )
    assert html.count("actions.css") == 1


def test_the_review_page_links_the_actions_stylesheet_and_the_incident_page_does_not(client, viewer, team):
    from postmortems.tests.factories import IncidentFactory, ReviewFactory

    review = ReviewFactory(incident=IncidentFactory(team=team))
    client.force_login(viewer)
    assert "hindsight/actions.css" in client.get(review.get_absolute_url()).content.decode()
    assert "hindsight/actions.css" not in client.get(review.incident.get_absolute_url()).content.decode()
