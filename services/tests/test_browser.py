"""The catalog in a real browser, at desktop and phone width, with the strict CSP in force."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import screenshot
from services.models import Dependency, Deployment, Service

pytestmark = pytest.mark.browser


@pytest.fixture
def catalog(team, other_team, service, other_service):
    ledger = Service.objects.create(name="Ledger", slug="ledger", team=team, description="Double-entry **ledger**.")
    Dependency.objects.create(service=service, depends_on=ledger, critical=True)
    now = timezone.now()
    for n, svc in enumerate([service, ledger, other_service]):
        Deployment.objects.create(
            service=svc,
            version=f"v1.{n}.0",
            started_at=now - timedelta(hours=n + 1),
            finished_at=now - timedelta(hours=n + 1) + timedelta(minutes=6),
            source="github-actions",
        )


@pytest.mark.parametrize("width", [1280, 390])
def test_it_filters_the_service_list_without_reloading(page_as, viewer, catalog, width):
    page = page_as(viewer, width=width)
    page.goto("/services/")
    count = page.locator(".result-count")
    assert count.inner_text() == "3 services"
    page.evaluate("window.notReloaded = true")
    page.select_option("select[name=team]", "search")
    page.wait_for_url("**/services/?team=search")
    assert count.inner_text() == "1 service"
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, f"service-list-filtered-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_searches_the_service_list_as_you_type(page_as, viewer, catalog, width):
    page = page_as(viewer, width=width)
    page.goto("/services/")
    page.locator("input[name=q]").press_sequentially("ledg")
    page.wait_for_url(lambda url: url.endswith("/services/?q=ledg"))
    assert page.locator(".result-count").inner_text() == "1 service"


@pytest.mark.parametrize("width", [1280, 390])
def test_it_opens_a_service_from_the_list(page_as, viewer, catalog, width):
    page = page_as(viewer, width=width)
    page.goto("/services/")
    page.get_by_role("link", name="Payments API").click()
    page.wait_for_url("**/services/payments-api/")
    assert page.locator("h1").inner_text().startswith("Payments API")
    assert page.locator(".dep-list a").all_inner_texts() == ["Ledger"]
    screenshot(page, f"service-detail-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_opens_the_deployments_from_the_navigation(page_as, viewer, catalog, width):
    page = page_as(viewer, width=width)
    if width < 760:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Deployments", exact=True).click()
    page.wait_for_url("**/deployments/")
    assert page.locator(".result-count").inner_text() == "3 deployments"
    screenshot(page, f"deployment-list-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_keeps_every_page_within_the_screen_width(page_as, viewer, catalog, width):
    page = page_as(viewer, width=width)
    overflowing = {}
    for path in ["/", "/services/", "/services/payments-api/", "/deployments/"]:
        page.goto(path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            overflowing[path] = scroll_width
    assert overflowing == {}
