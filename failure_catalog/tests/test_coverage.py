"""Coverage cells, exactly as defined, in constructed cases; the score; the tier policy's requirements."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.tests.factories import ServiceFactory
from failure_catalog.choices import CellState, Outcome, RequirementOrigin
from failure_catalog.coverage import coverage_for, score
from failure_catalog.models import FaultType, ResilienceRequirement
from failure_catalog.tests.factories import AnalysisFactory, ExperimentFactory, RequirementFactory

NOW = timezone.now()


@pytest.fixture
def cell_of(service, fault):
    """Return the state of the checkout service's cell for a fault type, computed at NOW."""

    def state(slug):
        coverage = coverage_for([service], fault_types=[fault(slug)], now=NOW)[0]
        return coverage.cells[0].state

    return state


@pytest.fixture
def required(service, fault):
    """dns-failure is required of checkout with evidence at most 30 days old."""
    return RequirementFactory(service=service, fault_type=fault("dns-failure"), max_evidence_age_days=30)


def held(service, fault, *, days_ago, outcome=Outcome.HELD):
    return ExperimentFactory(
        service=service, fault_type=fault("dns-failure"), outcome=outcome, started_at=NOW - timedelta(days=days_ago)
    )


def test_it_calls_a_required_cell_with_no_experiment_missing(required, cell_of):
    assert cell_of("dns-failure") == CellState.MISSING


def test_it_calls_a_required_cell_with_only_aborted_and_errored_runs_missing(required, service, fault, cell_of):
    held(service, fault, days_ago=1, outcome=Outcome.ABORTED)
    held(service, fault, days_ago=2, outcome=Outcome.ERRORED)
    assert cell_of("dns-failure") == CellState.MISSING


def test_it_calls_a_recent_held_experiment_verified(required, service, fault, cell_of):
    held(service, fault, days_ago=3)
    assert cell_of("dns-failure") == CellState.VERIFIED


def test_it_calls_evidence_exactly_the_maximum_age_old_verified(required, service, fault, cell_of):
    held(service, fault, days_ago=30)
    assert cell_of("dns-failure") == CellState.VERIFIED


def test_it_calls_evidence_a_second_past_the_maximum_age_stale(required, service, fault, cell_of):
    ExperimentFactory(service=service, fault_type=fault("dns-failure"), started_at=NOW - timedelta(days=30, seconds=1))
    assert cell_of("dns-failure") == CellState.STALE


def test_it_calls_a_cell_whose_latest_evidence_deviated_failing(required, service, fault, cell_of):
    held(service, fault, days_ago=10)
    held(service, fault, days_ago=2, outcome=Outcome.DEVIATED)
    assert cell_of("dns-failure") == CellState.FAILING


def test_it_lets_a_newer_held_run_mend_a_failing_cell(required, service, fault, cell_of):
    held(service, fault, days_ago=10, outcome=Outcome.DEVIATED)
    held(service, fault, days_ago=2)
    assert cell_of("dns-failure") == CellState.VERIFIED


def test_it_ignores_an_aborted_run_after_a_deviation(required, service, fault, cell_of):
    held(service, fault, days_ago=10, outcome=Outcome.DEVIATED)
    held(service, fault, days_ago=2, outcome=Outcome.ABORTED)
    assert cell_of("dns-failure") == CellState.FAILING


def test_it_calls_an_unrequired_cell_not_required_even_with_evidence(service, fault, cell_of):
    held(service, fault, days_ago=1)
    assert cell_of("dns-failure") == CellState.NOT_REQUIRED


def test_it_still_shows_an_unrequired_cell_failing(service, fault, cell_of):
    held(service, fault, days_ago=1, outcome=Outcome.DEVIATED)
    assert cell_of("dns-failure") == CellState.FAILING


def test_it_judges_age_by_the_strictest_requirement(required, service, fault, cell_of):
    RequirementFactory(service=service, fault_type=fault("dns-failure"), max_evidence_age_days=5)
    held(service, fault, days_ago=10)
    assert cell_of("dns-failure") == CellState.STALE


def test_it_scores_verified_full_stale_half_and_the_rest_nothing():
    counts = {CellState.VERIFIED: 2, CellState.STALE: 1, CellState.FAILING: 1, CellState.NOT_REQUIRED: 9}
    assert score(counts) == 63  # 100 * (2 + 0.5) / 4


def test_it_scores_nothing_required_as_none():
    assert score({CellState.NOT_REQUIRED: 3}) is None


def test_it_says_a_service_has_no_analysis(service):
    assert coverage_for([service], fault_types=[], now=NOW)[0].analysis_state(now=NOW) == "none"


def test_it_says_an_analysis_over_a_year_old_is_old(service):
    AnalysisFactory(service=service, analysed_at=NOW - timedelta(days=366))
    assert coverage_for([service], fault_types=[], now=NOW)[0].analysis_state(now=NOW) == "old"


def test_it_computes_coverage_in_a_fixed_number_of_queries(team, django_assert_max_num_queries):
    fault_types = list(FaultType.objects.all())
    for size in (2, 12):
        services = [ServiceFactory(team=team, tier=1) for _ in range(size)]
        for service in services:
            ExperimentFactory(service=service)
        with django_assert_max_num_queries(3):
            coverage_for(services, fault_types=fault_types)


def test_a_tier_policy_gives_a_new_service_its_requirements(team):
    service = ServiceFactory(team=team, tier=3)
    slugs = set(
        ResilienceRequirement.objects.filter(service=service, origin=RequirementOrigin.TIER_POLICY).values_list(
            "fault_type__slug", flat=True
        )
    )
    assert slugs == {"instance-loss", "bad-deploy"}


def test_changing_a_services_tier_swaps_its_tier_requirements(team):
    service = ServiceFactory(team=team, tier=3)
    service.tier = 1
    service.save()
    assert ResilienceRequirement.objects.filter(service=service, origin=RequirementOrigin.TIER_POLICY).count() == 8


def test_a_tier_change_leaves_a_persons_requirement_alone(team, fault):
    service = ServiceFactory(team=team, tier=1)
    RequirementFactory(service=service, fault_type=fault("clock-skew"))
    service.tier = 3
    service.save()
    assert ResilienceRequirement.objects.filter(service=service, origin=RequirementOrigin.PERSON).count() == 1


def test_an_unrequired_failing_cell_does_not_lower_the_score(service, fault):
    RequirementFactory(service=service, fault_type=fault("dns-failure"))
    ExperimentFactory(service=service, fault_type=fault("dns-failure"))
    ExperimentFactory(service=service, fault_type=fault("clock-skew"), outcome=Outcome.DEVIATED)
    coverage = coverage_for([service], fault_types=[fault("dns-failure"), fault("clock-skew")], now=NOW)[0]
    assert coverage.score == 100
