import pytest

from conftest import screenshot
from insights import rollups

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_it_lets_a_lead_read_mtbf_and_open_the_incidents_behind_a_number(page_as, lead, history, width):
    rollups.recompute_all()
    page = page_as(lead, width=width)
    page.goto("/insights/?window=all")
    page.wait_for_function("document.querySelector('canvas[data-chart]').width > 0")
    screenshot(page, f"insights-dashboard-{width}")
    for section in ("mtbf-class", "repeats", "durations"):
        page.locator(f"#{section}").screenshot(path=f"test-artifacts/insights-{section}-{width}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("#mtbf-class tr:has-text('Capacity / load') td[data-label=Incidents] a").click()
    page.wait_for_url("**/incidents/?*root_cause_class=capacity-load*")
    assert page.locator("table tbody tr").count() == 8


def test_it_filters_by_keyboard(page_as, lead, team, history):
    rollups.recompute_all()
    page = page_as(lead)
    page.goto("/insights/")
    page.focus("select[name=team]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator("select[name=team]").select_option(team.slug)
    page.locator(".insights-filters button[type=submit]").press("Enter")
    page.wait_for_url(f"**/insights/?*team={team.slug}*")
    assert page.locator("#mtbf-service tbody tr").count() == 1


@pytest.mark.parametrize("width", [1280, 390])
def test_it_says_how_many_services_it_leaves_out_and_links_them(page_as, lead, history, monkeypatch, width):
    from insights import dashboard

    rollups.recompute_all()
    monkeypatch.setattr(dashboard, "SERVICES_SHOWN", 1)
    page = page_as(lead, width=width)
    page.goto("/insights/?window=all")
    section = page.locator("#mtbf-service")
    assert section.locator("tbody tr").count() == 1
    section.screenshot(path=f"test-artifacts/insights-mtbf-service-capped-{width}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    section.get_by_role("link", name="API").click()
    page.wait_for_url("**/api/insights/mtbf/?by=service&format=json")
    assert '"results"' in page.content()
