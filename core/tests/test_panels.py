"""The panel registry: a higher app's sections rendered on a lower app's page."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from core import panels

PANEL_TEMPLATES = {
    "first.html": "<p>first {{ object }} {{ note }}</p>",
    "second.html": "<p>second {{ object }}</p>",
    "hidden.html": "<p>hidden</p>",
}


@pytest.fixture
def locmem_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", PANEL_TEMPLATES)],
                "libraries": {"panels": "core.templatetags.panels"},
            },
        }
    ]


@pytest.fixture
def slot():
    """A slot emptied for the test and restored afterwards."""
    saved = dict(panels._registry["incident_detail_side"])
    panels._registry["incident_detail_side"].clear()
    yield "incident_detail_side"
    panels._registry["incident_detail_side"].clear()
    panels._registry["incident_detail_side"].update(saved)


def render(source, **context):
    request = RequestFactory().get("/")
    return Template("{% load panels %}" + source).render(Context({"request": request, **context}))


def test_it_renders_registered_panels_in_order(locmem_templates, slot):
    panels.register_panel(slot, "second.html", order=20)
    panels.register_panel(slot, "first.html", order=10, context=lambda request, obj: {"note": "ok"})
    html = render('{% render_panels "incident_detail_side" thing %}', thing="INC-1")
    assert html == "<p>first INC-1 ok</p><p>second INC-1</p>"


def test_it_leaves_out_a_panel_whose_context_is_none(locmem_templates, slot):
    panels.register_panel(slot, "hidden.html", context=lambda request, obj: None)
    assert render('{% render_panels "incident_detail_side" thing %}', thing="INC-1") == ""


def test_it_replaces_a_panel_registered_twice(locmem_templates, slot):
    panels.register_panel(slot, "second.html", order=20)
    panels.register_panel(slot, "second.html", order=5)
    assert [panel.order for panel in panels.panels_for(slot)] == [5]


def test_it_links_each_stylesheet_once(locmem_templates, slot):
    panels.register_panel(slot, "first.html", stylesheet="hindsight/x.css")
    panels.register_panel(slot, "second.html", stylesheet="hindsight/x.css")
    html = render('{% panel_stylesheets "incident_detail_side" %}')
    assert html.count("<link") == 1
    assert "hindsight/x.css" in html


def test_it_refuses_an_unknown_slot():
    with pytest.raises(ValueError, match="Unknown panel slot"):
        panels.register_panel("incident_footer", "first.html")
