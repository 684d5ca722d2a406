"""The catalog in a real browser: a responder imports a journal, follows coverage to the evidence, and turns a
failure mode into a requirement."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import screenshot
from failure_catalog.models import ResilienceRequirement
from failure_catalog.tests.conftest import FIXTURES
from failure_catalog.tests.factories import AnalysisFactory, ExperimentFactory, FailureModeRowFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_responder_imports_a_journal_and_finds_it_in_coverage(page_as, responder, catalog_services, fault, width):
    ExperimentFactory(
        service=catalog_services["ledger"],
        fault_type=fault("bad-deploy"),
        started_at=timezone.now() - timedelta(days=400),
    )
    page = page_as(responder, width=width)
    page.goto("/resilience/experiments/import/")
    page.select_option("select[name=source]", "chaostoolkit")
    page.set_input_files("input[name=file]", str(FIXTURES / "chaostoolkit/held-journal.json"))
    screenshot(page, f"catalog-import-{width}")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector(".message-success")
    assert "Held" in page.inner_text("h1")
    screenshot(page, f"catalog-experiment-{width}")
    page.goto("/resilience/?q=checkout")
    cell = page.locator("td[data-state=verified] a").first
    screenshot(page, f"catalog-coverage-{width}")
    cell.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/resilience/experiments/*/")
    assert "Checkout keeps answering" in page.inner_text("h1")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_responder_makes_a_failure_mode_a_requirement_from_the_service_page(page_as, responder, service, width):
    analysis = AnalysisFactory(service=service, title="Checkout v3 design review")
    row = FailureModeRowFactory(analysis=analysis, failure_mode="Gateway slow: checkout threads pile up", mitigation="")
    page = page_as(responder, width=width)
    page.goto("/services/checkout/")
    screenshot(page, f"catalog-service-{width}")
    page.click("text=Checkout v3 design review")
    assert page.locator(".fmea-gap").count() == 1
    screenshot(page, f"catalog-fmea-{width}")
    page.click("text=Make it a requirement")
    page.wait_for_selector(".message-success")
    assert ResilienceRequirement.objects.filter(failure_mode_row=row).exists()
