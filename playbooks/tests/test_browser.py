"""On a phone at 3 a.m.: a misspelled symptom in the header box, the runbook, a command copied."""

import pytest

from conftest import screenshot
from incidents.models import Incident, IntakeAlert
from playbooks.tests.conftest import make_playbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMAND = "psql -p 6432 pgbouncer -c 'SHOW POOLS;'"


def test_it_finds_a_runbook_from_a_misspelled_symptom_and_copies_its_command_at_390px(page_as, viewer, runbook):
    page = page_as(viewer, width=390, height=844)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/incidents/")
    page.keyboard.press("/")
    page.keyboard.type("conection pool exausted")
    page.wait_for_selector("#quick-results li[role=option]")
    screenshot(page, "search-header-390")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{runbook.get_absolute_url()}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    button = page.locator(".step .copy-button").first
    button.click()
    page.wait_for_function("document.querySelector('.step .copy-button').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == COMMAND
    screenshot(page, "runbook-390")


def test_the_search_page_and_the_incident_panels_fit_a_phone(page_as, responder, runbook, team, service):
    incident = Incident.objects.create(title="Payments failing: connection pool exhausted", team=team)
    incident.services.set([service])
    IntakeAlert.objects.create(incident=incident, fingerprint="f", name="PgBouncerPoolSaturated")
    make_playbook(team=team, services=[service], slug="payments-latency", title="Payments latency", kind="playbook")
    for width in (1280, 390):
        page = page_as(responder, width=width)
        page.goto("/search/?q=pool")
        page.wait_for_selector(".search-hit")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"search-page-{width}")
        page.goto(incident.get_absolute_url())
        page.locator(".playbook-suggestions details summary").first.click()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(page, f"incident-playbooks-{width}")
        page.goto("/playbooks/")
        screenshot(page, f"playbook-list-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_shows_counts_past_the_limit_as_at_least_and_filters_by_type(page_as, viewer, team, monkeypatch, width):
    from core import search

    for n in range(3):
        make_playbook(team=team, title=f"Pool exhausted {n}", slug=f"pool-{n}", summary="connection pool exhausted")
    search.rebuild()
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    page = page_as(viewer, width=width)
    page.goto("/search/?q=pool")
    count = page.locator(".result-count")
    assert count.inner_text().startswith("2+ results")
    screenshot(page, f"search-capped-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    count.get_by_role("link").first.click()
    page.wait_for_url("**/search/?q=pool&type=*")
    assert page.locator(".search-hit").count() == 3
