"""Every list's links in a real browser: "Next →" reaches page 2, and a chip in a row adds its filter to the others.

Each list starts filtered (the filter a chip must keep), holds one page and a bit, and has rows of two teams.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.tests.factories import ActionItemFactory
from conftest import screenshot
from failure_catalog.choices import Decision, FaultCategory
from failure_catalog.models import (
    Experiment,
    FailureModeAnalysis,
    FaultType,
    GateDecision,
    ResilienceRequirement,
    TierPolicy,
)
from incidents.conftest import make_incident
from playbooks.tests.conftest import make_playbook
from postmortems.tests.factories import IncidentFactory, ReviewFactory
from services.models import Deployment, Service

pytestmark = [pytest.mark.browser, pytest.mark.long]


@pytest.fixture
def services(team, other_team):
    """Payments API (team Payments) and Search API (team Search), both tier 1."""
    return (
        Service.objects.create(name="Payments API", slug="payments-api", team=team, tier=1),
        Service.objects.create(name="Search API", slug="search-api", team=other_team, tier=1),
    )


def follow_next_then_chip(page, *, url, column, expected):
    """Open the filtered list, go to page 2 (one row), click the chip in `column` there; return the chip's text.

    `expected` maps each chip text to the result count the two filters together must show.
    """
    page.goto(url)
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(lambda address: "page=2" in address)
    assert page.locator(".pagination").inner_text().count("Page 2 of 2") == 1
    assert page.locator("table tbody tr").count() == 1
    first_filter = url.split("?", 1)[1]
    assert first_filter in page.url
    chip = page.locator(f"table tbody tr td[data-label='{column}'] a").first
    text = chip.inner_text()
    chip.click()
    page.wait_for_url(lambda address: "page=" not in address and address.count("=") == 2)
    assert first_filter in page.url
    assert page.locator(".result-count").inner_text() == expected[text]
    return text


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_incident_list_and_filters_by_a_service_chip(page_as, viewer, team, other_team, services, width):
    payments, search = services
    now = timezone.now()
    for n in range(20):
        IncidentFactory(team=team, severity="sev2", started_at=now - timedelta(hours=n + 1)).services.set([payments])
    for n in range(6):  # the oldest: page 2 shows one of them
        IncidentFactory(team=other_team, severity="sev2", started_at=now - timedelta(days=n + 5)).services.set([search])
    IncidentFactory(team=other_team, severity="sev1").services.set([search])  # not sev2: the chip must keep that filter
    page = page_as(viewer, width=width)
    chip = follow_next_then_chip(
        page, url="/incidents/?severity=sev2", column="Services", expected={"Search API": "6 incidents"}
    )
    assert (chip, "service=search-api" in page.url) == ("Search API", True)
    screenshot(page, f"list-links-incidents-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_review_list_and_filters_by_a_team_chip(page_as, viewer, team, other_team, width):
    for n in range(51):
        ReviewFactory(incident=IncidentFactory(team=team if n % 2 else other_team))
    ReviewFactory(incident=IncidentFactory(team=team), status="published", published_at=timezone.now())
    page = page_as(viewer, width=width)
    expected = {"Payments": "25 reviews", "Search": "26 reviews"}
    follow_next_then_chip(page, url="/reviews/?status=draft", column="Team", expected=expected)


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_action_list_and_filters_by_a_team_chip(page_as, viewer, team, other_team, width):
    review = ReviewFactory(incident=IncidentFactory(team=team))
    for n in range(51):
        ActionItemFactory(review=review, team=team if n < 40 else other_team, category="corrective")
    ActionItemFactory(review=review, team=other_team, category="preventive")
    page = page_as(viewer, width=width)
    expected = {"Payments": "40 actions", "Search": "11 actions"}
    follow_next_then_chip(page, url="/actions/?category=corrective", column="Team", expected=expected)


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_service_list_and_filters_by_a_team_chip(page_as, viewer, team, other_team, width):
    for n in range(51):
        Service.objects.create(name=f"Service {n:02}", slug=f"service-{n:02}", team=team if n < 45 else other_team)
    Service.objects.create(name="Tier one", slug="tier-one", team=other_team, tier=1)
    page = page_as(viewer, width=width)
    expected = {"Payments": "45 services", "Search": "6 services"}
    follow_next_then_chip(page, url="/services/?tier=2", column="Team", expected=expected)


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_deployment_list_and_filters_by_a_status_chip(page_as, viewer, services, width):
    payments, _ = services
    now = timezone.now()
    for n in range(51):  # the 11 oldest failed: page 2 shows one of them
        status = "failed" if n >= 40 else "succeeded"
        Deployment.objects.create(
            service=payments, version=f"v1.{n}.0", status=status, started_at=now - timedelta(hours=n)
        )
    Deployment.objects.create(
        service=payments, version="v0.9.0", environment="staging", status="failed", started_at=now
    )
    page = page_as(viewer, width=width)
    expected = {"Failed": "11 deployments", "Succeeded": "40 deployments"}
    assert follow_next_then_chip(
        page, url="/deployments/?environment=production", column="Status", expected=expected
    ) == ("Failed")
    assert page.locator("table tbody tr code").all_inner_texts()[-1] == "v1.50.0"  # the oldest
    screenshot(page, f"list-links-deployments-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_playbook_list_and_filters_by_a_team_chip(page_as, viewer, team, other_team, width):
    for n in range(51):
        make_playbook(team=team if n < 40 else other_team, kind="playbook", title=f"Playbook {n:02}", slug=f"pb-{n:02}")
    make_playbook(team=other_team, kind="runbook", title="A runbook", slug="a-runbook")
    page = page_as(viewer, width=width)
    expected = {"Payments": "40 playbooks", "Search": "11 playbooks"}
    follow_next_then_chip(page, url="/playbooks/?kind=playbook", column="Team", expected=expected)


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_experiment_list_and_filters_by_a_fault_type_chip(page_as, viewer, services, width):
    payments, _ = services
    instance_loss = FaultType.objects.get(slug="instance-loss")
    bad_deploy = FaultType.objects.get(slug="bad-deploy")
    now = timezone.now()
    for n in range(51):
        Experiment.objects.create(
            service=payments,
            fault_type=instance_loss if n < 40 else bad_deploy,
            environment="production",
            title=f"Experiment {n:02}",
            started_at=now - timedelta(hours=n),
            outcome="held",
        )
    Experiment.objects.create(service=payments, fault_type=bad_deploy, title="Staging run", outcome="held")
    page = page_as(viewer, width=width)
    expected = {"Instance loss": "40 experiments", "Bad deploy": "11 experiments"}
    follow_next_then_chip(
        page, url="/resilience/experiments/?environment=production", column="Fault type", expected=expected
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_fault_type_list_and_filters_by_a_category_chip(page_as, viewer, width):
    for n in range(51):
        category = FaultCategory.INFRASTRUCTURE if n < 40 else FaultCategory.NETWORK
        FaultType.objects.create(name=f"Quokka fault {n:02}", slug=f"quokka-{n:02}", category=category)
    FaultType.objects.create(name="Wombat fault", slug="wombat", category=FaultCategory.NETWORK)  # not "quokka"
    page = page_as(viewer, width=width)
    expected = {"Infrastructure": "40 fault types", "Network": "11 fault types"}
    chip = follow_next_then_chip(page, url="/resilience/fault-types/?q=quokka", column="Category", expected=expected)
    assert (chip, "category=network" in page.url) == ("Network", True)  # page 2 is the last category's
    screenshot(page, f"list-links-fault-types-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_requirement_list_and_filters_by_a_fault_type_chip(page_as, viewer, team, services, width):
    _, search = services
    # Only the requirements made here: no tier policy adds its own.
    TierPolicy.objects.all().delete()
    ResilienceRequirement.objects.all().delete()
    instance_loss = FaultType.objects.get(slug="instance-loss")
    bad_deploy = FaultType.objects.get(slug="bad-deploy")
    for n in range(26):
        service = Service.objects.create(name=f"Service {n:02}", slug=f"service-{n:02}", team=team)
        for fault_type in [bad_deploy, instance_loss] if n < 25 else [instance_loss]:
            ResilienceRequirement.objects.create(service=service, fault_type=fault_type, expected_behaviour="Serves.")
    ResilienceRequirement.objects.create(service=search, fault_type=bad_deploy, expected_behaviour="Other team.")
    page = page_as(viewer, width=width)
    expected = {"Instance loss": "26 requirements", "Bad deploy": "25 requirements"}
    chip = follow_next_then_chip(
        page, url="/resilience/requirements/?team=payments", column="Fault type", expected=expected
    )
    assert (chip, "fault_type=instance-loss" in page.url) == ("Instance loss", True)
    screenshot(page, f"list-links-requirements-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_analysis_list_and_filters_by_a_service_chip(page_as, viewer, team, services, width):
    payments, search = services
    ledger = Service.objects.create(name="Ledger", slug="ledger", team=team)
    now = timezone.now()
    for n in range(51):  # the oldest, on page 2, are the Ledger's
        service = payments if n < 40 else ledger
        FailureModeAnalysis.objects.create(service=service, title=f"Design {n:02}", analysed_at=now - timedelta(days=n))
    FailureModeAnalysis.objects.create(service=search, title="Other team", analysed_at=now - timedelta(days=90))
    page = page_as(viewer, width=width)
    expected = {"Payments API": "40 analyses", "Ledger": "11 analyses"}
    chip = follow_next_then_chip(page, url="/resilience/analyses/?team=payments", column="Service", expected=expected)
    assert (chip, "service=ledger" in page.url) == ("Ledger", True)
    screenshot(page, f"list-links-analyses-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_gate_decision_list_and_filters_by_a_decision_chip(page_as, viewer, services, width):
    payments, search = services
    now = timezone.now()
    for n in range(51):  # the oldest, on page 2, were blocked
        GateDecision.objects.create(
            service=payments,
            version=f"v1.{n}.0",
            environment="production",
            decision=Decision.ALLOW if n < 40 else Decision.BLOCK,
            tier=1,
            checked_at=now - timedelta(hours=n),
        )
    GateDecision.objects.create(service=search, version="v9.0.0", environment="production", decision="block", tier=1)
    page = page_as(viewer, width=width)
    expected = {Decision.ALLOW.label: "40 decisions", Decision.BLOCK.label: "11 decisions"}
    chip = follow_next_then_chip(
        page, url="/resilience/gate-decisions/?service=payments-api", column="Decision", expected=expected
    )
    assert (chip, "decision=block" in page.url) == (Decision.BLOCK.label, True)
    screenshot(page, f"list-links-gate-decisions-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_pages_the_search_results_and_filters_by_a_kind_chip(page_as, viewer, team, services, width):
    payments, _ = services
    now = timezone.now()
    for n in range(22):
        make_incident(team=team, services=[payments], title=f"Ledger pool exhausted, wave {n:02}", started_at=now)
    for n in range(3):
        make_playbook(team=team, kind="playbook", title=f"Ledger pool exhausted {n}", slug=f"ledger-pool-{n}")
    page = page_as(viewer, width=width)
    page.goto("/search/?q=ledger+pool")
    assert page.locator(".result-count").inner_text().startswith("25 results")
    assert page.locator(".search-hit").count() == 20
    page.get_by_role("link", name="More results").click()
    page.wait_for_url(lambda address: "page=2" in address and "q=ledger" in address)
    assert page.locator(".search-hit").count() == 5
    page.locator(".result-count").get_by_role("link", name="Playbooks (3)").click()
    page.wait_for_url(lambda address: "type=playbook" in address and "page=" not in address)
    hits = page.locator(".search-hit .hit-title").all_inner_texts()
    assert sorted(hits) == [f"Ledger pool exhausted {n}" for n in range(3)]
