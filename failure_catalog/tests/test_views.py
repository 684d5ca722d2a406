"""The catalog's pages and its panels on the service and review pages."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actions.tests.factories import (
    CausalFactorFactory,
    IncidentFactory,
    ReviewFactory,
    RootCauseClassFactory,
    ServiceFactory,
)
from failure_catalog.models import Experiment, FailureModeAnalysis, GateDecision, ResilienceRequirement
from failure_catalog.tests.factories import AnalysisFactory, ExperimentFactory, FailureModeRowFactory
from services.models import Dependency


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/resilience/",
        "/resilience/teams/",
        "/resilience/experiments/",
        "/resilience/fault-types/",
        "/resilience/requirements/",
        "/resilience/analyses/",
        "/resilience/gate-decisions/",
        "/resilience/experiments/import/",
        "/resilience/experiments/new/",
        "/resilience/requirements/new/",
        "/resilience/analyses/new/",
    ],
)
def test_every_page_answers_a_signed_in_user(client, viewer, service, url):
    assert login(client, viewer).get(url).status_code == 200


def test_the_coverage_page_shows_the_score_formula_and_cells(client, viewer, service):
    ExperimentFactory(service=service)
    page = login(client, viewer).get("/resilience/").content.decode()
    assert "verified + ½ × stale" in page
    assert 'data-state="verified"' in page
    assert 'data-state="missing"' in page


def test_the_coverage_page_runs_a_fixed_number_of_queries(viewer, team, page_within):
    for size in (2, 20):
        for _ in range(size):
            ExperimentFactory(service=ServiceFactory(team=team, tier=2))
        assert page_within(viewer, "/resilience/", queries=12).status_code == 200


def test_the_service_page_shows_its_resilience_and_gate_history(client, viewer, service):
    ExperimentFactory(service=service, title="Kill a checkout pod")
    GateDecision.objects.create(service=service, version="9.9.9", environment="production", decision="warn", tier=3)
    page = login(client, viewer).get("/services/checkout/").content.decode()
    assert 'id="resilience"' in page
    assert "Kill a checkout pod" not in page
    assert "9.9.9" in page
    assert "No failure-mode analysis" in page


def test_the_service_page_says_an_analysis_is_old(client, viewer, service):
    AnalysisFactory(service=service, analysed_at=timezone.now() - timedelta(days=400))
    page = login(client, viewer).get("/services/checkout/").content.decode()
    assert "over a year old" in page


def test_the_service_page_runs_a_fixed_number_of_queries(viewer, service, page_within):
    for size in (2, 20):
        for _ in range(size):
            ExperimentFactory(service=service)
            GateDecision.objects.create(service=service, version="1", environment="p", decision="allow", tier=3)
        assert page_within(viewer, "/services/checkout/", queries=20).status_code == 200


def test_it_imports_an_uploaded_journal(client, responder, catalog_services, fixture_text):
    upload = SimpleUploadedFile("journal.json", fixture_text("chaostoolkit/held-journal.json").encode())
    response = login(client, responder).post(
        "/resilience/experiments/import/", {"source": "chaostoolkit", "file": upload, "environment": "staging"}
    )
    experiment = Experiment.objects.get()
    assert (response.status_code, response.url, experiment.outcome) == (302, experiment.get_absolute_url(), "held")


def test_it_shows_why_a_pasted_document_was_refused(client, responder, catalog_services):
    response = login(client, responder).post(
        "/resilience/experiments/import/", {"source": "junit", "text": "<html/>", "environment": "staging"}
    )
    assert (response.status_code, Experiment.objects.count()) == (200, 0)
    assert "root element is &lt;html&gt;" in response.content.decode()


def test_it_refuses_an_outsider_importing(client, outsider, catalog_services, fixture_text):
    response = login(client, outsider).post(
        "/resilience/experiments/import/",
        {"source": "chaostoolkit", "text": fixture_text("chaostoolkit/held-journal.json"), "environment": "staging"},
    )
    assert (response.status_code, Experiment.objects.count()) == (403, 0)


@pytest.fixture
def cache_review(team, service):
    """A review of a cold-cache incident on checkout with one root cause."""
    incident = IncidentFactory(team=team, services=[service])
    review = ReviewFactory(incident=incident)
    factor = CausalFactorFactory(
        review=review, description="Every caller of the shared cache fell over", is_root_cause=True
    )
    return review, factor


def test_a_review_root_cause_becomes_a_requirement_for_chosen_services(client, responder, team, cache_review):
    review, factor = cache_review
    ServiceFactory(slug="cart", team=team)
    response = login(client, responder).post(
        f"/resilience/reviews/{review.reference}/requirements/",
        {
            "factor": factor.pk,
            "fault_type": "cache-loss",
            "services": ["checkout", "cart"],
            "expected_behaviour": "Serves from the database while the cache is cold.",
            "max_evidence_age_days": 60,
        },
    )
    requirements = ResilienceRequirement.objects.filter(review=review, factor=factor, origin="review")
    assert (response.status_code, sorted(r.service.slug for r in requirements)) == (302, ["cart", "checkout"])


def test_the_review_page_shows_the_guardrail_panel(client, responder, cache_review):
    review, _ = cache_review
    page = login(client, responder).get(review.get_absolute_url()).content.decode()
    assert "Turn a root cause into a requirement" in page


def test_it_refuses_an_outsider_adding_a_guardrail(client, outsider, cache_review):
    review, factor = cache_review
    response = login(client, outsider).post(
        f"/resilience/reviews/{review.reference}/requirements/",
        {"factor": factor.pk, "fault_type": "cache-loss", "services": ["checkout"], "expected_behaviour": "x",
         "max_evidence_age_days": 60},
    )  # fmt: skip
    assert (response.status_code, ResilienceRequirement.objects.filter(review=review).count()) == (403, 0)


def test_an_analysis_starts_with_dependencies_and_the_faults_of_past_incidents(client, responder, team, service):
    cache = ServiceFactory(slug="session-cache", team=team)
    Dependency.objects.create(service=service, depends_on=cache, kind="cache", critical=True)
    incident = IncidentFactory(services=[service])
    ReviewFactory(incident=incident, primary_class=RootCauseClassFactory(slug="time-clock"))
    login(client, responder).post(
        "/resilience/analyses/new/", {"service": "checkout", "title": "Checkout v3", "analysed_at": "2026-11-01T10:00"}
    )
    rows = FailureModeAnalysis.objects.get().rows.all()
    assert {(row.dependency_id and row.dependency.slug, row.fault_type.slug) for row in rows} == {
        ("session-cache", "cache-loss"),
        (None, "clock-skew"),
    }


def test_an_analysis_flags_rows_without_detection_or_mitigation(client, viewer, service):
    row = FailureModeRowFactory(analysis=AnalysisFactory(service=service), detection="", mitigation="Retry budget")
    page = login(client, viewer).get(row.analysis.get_absolute_url()).content.decode()
    assert "no detection" in page
    assert "no mitigation" not in page


def test_a_failure_mode_becomes_a_requirement_in_one_click(client, responder, service):
    row = FailureModeRowFactory(analysis=AnalysisFactory(service=service), mitigation="Circuit breaker")
    login(client, responder).post(f"/resilience/failure-modes/{row.pk}/require/")
    login(client, responder).post(f"/resilience/failure-modes/{row.pk}/require/")
    requirement = ResilienceRequirement.objects.get(failure_mode_row=row)
    assert (requirement.origin, requirement.fault_type.slug) == ("failure_mode", "dependency-latency")


def test_it_refuses_an_outsider_making_a_failure_mode_a_requirement(client, outsider, service):
    row = FailureModeRowFactory(analysis=AnalysisFactory(service=service))
    assert login(client, outsider).post(f"/resilience/failure-modes/{row.pk}/require/").status_code == 403


def test_it_ranks_failure_modes_by_risk_priority_number(service):
    analysis = AnalysisFactory(service=service)
    FailureModeRowFactory(analysis=analysis, severity=2, likelihood=2, detectability=2, failure_mode="low")
    FailureModeRowFactory(analysis=analysis, severity=9, likelihood=5, detectability=4, failure_mode="high")
    assert [(row.failure_mode, row.risk_priority_number) for row in analysis.rows.all()] == [("high", 180), ("low", 8)]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/resilience/experiments/?outcome=deviated", "Pool exhausted under latency"),
        ("/resilience/requirements/?service=checkout", "Every tier-3 service is verified under instance loss."),
        ("/resilience/gate-decisions/?decision=block", "4.0.0"),
        ("/resilience/fault-types/?category=time", "Clock skew"),
        ("/resilience/analyses/?service=checkout", "Checkout design review"),
    ],
)
def test_each_list_shows_its_filtered_rows(client, viewer, service, url, expected):
    ExperimentFactory(service=service, outcome="deviated", title="Pool exhausted under latency")
    GateDecision.objects.create(service=service, version="4.0.0", environment="production", decision="block", tier=3)
    AnalysisFactory(service=service, title="Checkout design review")
    assert expected in login(client, viewer).get(url).content.decode()


def test_the_experiment_list_runs_a_fixed_number_of_queries(viewer, service, page_within):
    for size in (2, 20):
        for _ in range(size):
            ExperimentFactory(service=service)
        assert page_within(viewer, "/resilience/experiments/", queries=10).status_code == 200
