"""The review page in a real browser: the chart redraws without a reload, publishing works, no CSP errors."""

import re

import pytest

from conftest import screenshot
from postmortems.models import Review
from postmortems.tests.factories import CausalFactorFactory, CausalLinkFactory, IncidentFactory, root_cause_class

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_SVG = "[data-causal-chart][data-rendered=true] .chart-canvas svg"


@pytest.fixture
def draft(team, lead):
    incident = IncidentFactory(team=team, title="Ledger writes timed out")
    return Review.objects.create(incident=incident, owner=lead, primary_class=root_cause_class("capacity-load"))


def _add_factor(page, description, *, root=False, symptom=False):
    form = page.locator("#factor-form")
    form.locator("input[name=description]").fill(description)
    form.locator("input[name=is_root_cause]").set_checked(root)
    form.locator("input[name=is_symptom]").set_checked(symptom)
    form.locator("button[type=submit]").click()
    page.wait_for_function(
        "([selector, text]) => { const svg = document.querySelector(selector); "
        "return !!svg && svg.textContent.includes(text); }",
        arg=[CHART_SVG, description],
    )


def test_it_edits_the_chart_without_reloading_and_publishes(page_as, lead, draft):
    page = page_as(lead)
    page.goto(f"/reviews/{draft.reference}/")
    page.evaluate("window.__sameDocument = true")
    _add_factor(page, "Pool of 20 connections per pod", root=True)
    _add_factor(page, "Checkout requests time out", symptom=True)
    assert page.locator(CHART_SVG).text_content().count("Pool of 20 connections per pod") == 1

    root = draft.factors.get(description__startswith="Pool")
    symptom = draft.factors.get(description__startswith="Checkout")
    page.get_by_role("button", name="Add an effect of Pool of 20 connections per pod").click()
    relate = page.locator("#relate-form")
    relate.get_by_label("Or link a factor already in the chart").select_option(str(symptom.pk))
    relate.get_by_role("button", name="Add the effect").click()
    page.wait_for_selector(f"{CHART_SVG} path.flowchart-link", state="attached")
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    assert draft.links.filter(cause=root, effect=symptom).exists()
    assert "Ready to publish" in page.locator("#publish-readiness").inner_text()
    screenshot(page, "review-chart-1280")

    page.locator("[data-testid=publish]").click()
    page.wait_for_selector(".review-status.status-published")
    assert Review.objects.get(pk=draft.pk).status == "published"
    page.wait_for_selector(CHART_SVG)
    screenshot(page, "review-published-1280")


def test_it_fits_a_phone(page_as, lead, draft):
    root = CausalFactorFactory(review=draft, description="Unannounced campaign", is_root_cause=True)
    CausalLinkFactory(
        review=draft, cause=root, effect=CausalFactorFactory(review=draft, description="Timeouts", is_symptom=True)
    )
    page = page_as(lead, width=390, height=844)
    page.goto(f"/reviews/{draft.reference}/")
    page.get_by_role("button", name="Show the chart").click()
    page.wait_for_selector(CHART_SVG)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "review-chart-390")


def test_it_exports_a_mermaid_block_that_mermaid_parses(page_as, client, lead, draft):
    tricky = [
        'He said "restart it" [then] {maybe}',
        "<script>alert(1)</script> & `backticks` | pipes; #hash",
        "Line one\nline two --> not an edge",
    ]
    factors = [
        CausalFactorFactory(review=draft, description=text, is_root_cause=i == 0) for i, text in enumerate(tricky)
    ]
    CausalLinkFactory(review=draft, cause=factors[0], effect=factors[1])
    CausalLinkFactory(review=draft, cause=factors[1], effect=factors[2])
    client.force_login(lead)
    markdown = client.get(f"/reviews/{draft.reference}/export.md").content.decode()
    block = re.search(r"```mermaid\n(.*?)```", markdown, re.S).group(1)

    page = page_as(lead)
    page.goto(f"/reviews/{draft.reference}/")
    page.wait_for_selector(CHART_SVG)
    parsed = page.evaluate(
        "async text => { try { return !!(await mermaid.parse(text)); } catch (e) { return String(e); } }", block
    )
    assert parsed is True
    broken = page.evaluate(
        "async text => { try { return !!(await mermaid.parse(text)); } catch (e) { return 'error'; } }",
        'flowchart LR\n  a["x"] -->',
    )
    assert broken == "error"  # the parse check can fail
    svg_text = page.locator(CHART_SVG).text_content()
    assert 'He said "restart it"' in svg_text
    assert "<script>alert(1)</script>" in svg_text
    assert page.locator(f"{CHART_SVG} script").count() == 0
