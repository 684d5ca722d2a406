"""The catalog's API: importers, experiments, requirements, coverage, the gate and its decisions."""

import json

import pytest

from actions.tests.factories import IncidentFactory, ServiceFactory
from failure_catalog.models import Experiment, ExperimentIncident, GateDecision, ResilienceRequirement
from failure_catalog.tests.factories import ExperimentFactory

CHAOSTOOLKIT = "/api/experiments/import/chaostoolkit/"
LITMUS = "/api/experiments/import/litmus/"
JUNIT = "/api/experiments/import/junit/"


@pytest.fixture
def services(catalog_services):
    return catalog_services


def post_journal(client, text, **fields):
    body = {"journal": json.loads(text), **fields} if fields else json.loads(text)
    return client.post(CHAOSTOOLKIT, body, format="json")


@pytest.mark.parametrize(("name", "outcome"), [("held", "held"), ("deviated", "deviated")])
def test_it_imports_a_real_journal(api, admin, services, fixture_text, name, outcome):
    response = post_journal(api(admin), fixture_text(f"chaostoolkit/{name}-journal.json"))
    assert (response.status_code, response.json()["experiments"][0]["outcome"]) == (201, outcome)


def test_it_answers_200_and_creates_nothing_for_the_same_journal_again(api, admin, services, fixture_text):
    post_journal(api(admin), fixture_text("chaostoolkit/held-journal.json"))
    response = post_journal(api(admin), fixture_text("chaostoolkit/held-journal.json"))
    assert (response.status_code, response.json()["created"], Experiment.objects.count()) == (200, 0, 1)


def test_request_fields_win_over_the_journals_tags(api, admin, services, fixture_text):
    response = post_journal(
        api(admin), fixture_text("chaostoolkit/held-journal.json"), service="orders", fault_type="dns-failure"
    )
    experiment = response.json()["experiments"][0]
    assert (experiment["service"], experiment["fault_type"]) == ("orders", "dns-failure")


def test_it_names_an_unknown_service_in_a_400(api, admin, services, fixture_text):
    response = post_journal(api(admin), fixture_text("chaostoolkit/held-journal.json"), service="atlantis")
    assert (response.status_code, "atlantis" in response.json()["service"][0]) == (400, True)


def test_it_refuses_an_experiment_definition_posted_as_a_journal(api, admin, services, fixture_text):
    response = post_journal(api(admin), fixture_text("chaostoolkit/held-experiment.json"))
    assert (response.status_code, Experiment.objects.count()) == (400, 0)
    assert "not the journal" in response.json()["document"][0]


def test_it_imports_a_chaos_result_posted_as_yaml(api, admin, services, fixture_text):
    response = api(admin).post(LITMUS, fixture_text("litmus/chaosresult-fail.yaml"), content_type="application/yaml")
    assert (response.status_code, response.json()["experiments"][0]["outcome"]) == (201, "deviated")


def test_it_imports_a_junit_report_posted_as_xml_with_the_version_in_the_query(api, admin, services, fixture_text):
    response = api(admin).post(
        JUNIT + "?version=2.4.0", fixture_text("junit/pytest-junit.xml"), content_type="application/xml"
    )
    assert (response.status_code, response.json()["created"]) == (201, 4)
    assert set(Experiment.objects.values_list("version", flat=True)) == {"2.4.0"}


def test_it_refuses_html_posted_as_junit(api, admin, services):
    response = api(admin).post(JUNIT, "<html></html>", content_type="application/xml")
    assert (response.status_code, Experiment.objects.count()) == (400, 0)


def test_it_refuses_an_outsider_importing(api, outsider, services, fixture_text):
    assert post_journal(api(outsider), fixture_text("chaostoolkit/held-journal.json")).status_code == 403


def test_it_refuses_a_responder_of_another_team_importing_for_this_one(api, other_responder, services, fixture_text):
    # The held journal names checkout, which the Payments team owns.
    response = post_journal(api(other_responder), fixture_text("chaostoolkit/held-journal.json"))
    assert (response.status_code, Experiment.objects.count()) == (403, 0)


def test_it_lists_experiments_with_their_outcome(api, viewer, service):
    ExperimentFactory(service=service, outcome="deviated")
    response = api(viewer).get("/api/experiments/", {"service": "checkout"})
    assert [row["outcome"] for row in response.json()["results"]] == ["deviated"]


def test_it_hides_a_restricted_incident_linked_to_an_experiment(api, viewer, service, other_team):
    experiment = ExperimentFactory(service=service)
    hidden = IncidentFactory(restricted=True)
    hidden.allowed_teams.set([other_team])
    shown = IncidentFactory()
    ExperimentIncident.objects.create(experiment=experiment, incident=hidden, relation="caused")
    ExperimentIncident.objects.create(experiment=experiment, incident=shown, relation="reproduced")
    incidents = api(viewer).get(f"/api/experiments/{experiment.pk}/").json()["incidents"]
    assert incidents == [{"incident": shown.reference, "relation": "reproduced"}]


def test_it_lists_experiments_in_a_fixed_number_of_queries(api, viewer, service, django_assert_max_num_queries):
    client = api(viewer)
    for size in (2, 20):
        for _ in range(size):
            ExperimentIncident.objects.create(
                experiment=ExperimentFactory(service=service), incident=IncidentFactory(), relation="caused"
            )
        with django_assert_max_num_queries(8):
            assert client.get("/api/experiments/").status_code == 200


def test_it_finds_a_fault_type_by_slug(api, viewer):
    assert api(viewer).get("/api/fault-types/clock-skew/").json()["name"] == "Clock skew"


def test_it_creates_a_persons_requirement(api, responder, service):
    response = api(responder).post(
        "/api/requirements/",
        {"service": "checkout", "fault_type": "dns-failure", "expected_behaviour": "Serves from cache."},
        format="json",
    )
    assert (response.status_code, response.json()["origin"]) == (201, "person")


def test_it_refuses_an_outsider_creating_a_requirement(api, outsider, service):
    response = api(outsider).post(
        "/api/requirements/",
        {"service": "checkout", "fault_type": "dns-failure", "expected_behaviour": "Serves from cache."},
        format="json",
    )
    assert response.status_code == 403


def test_it_refuses_deleting_a_tier_policy_requirement(api, admin, service):
    requirement = ResilienceRequirement.objects.filter(service=service, origin="tier_policy").first()
    assert api(admin).delete(f"/api/requirements/{requirement.pk}/").status_code == 400


def test_it_gives_coverage_per_service(api, viewer, service):
    ExperimentFactory(service=service)  # instance loss, held, a day ago
    row = api(viewer).get("/api/coverage/", {"service": "checkout", "q": "checkout"}).json()["results"][0]
    cells = {cell["fault_type"]: cell["state"] for cell in row["cells"]}
    assert (cells["instance-loss"], cells["bad-deploy"], row["score"]) == ("verified", "missing", 50)


def test_it_gives_coverage_in_a_fixed_number_of_queries(api, viewer, team, django_assert_max_num_queries):
    client = api(viewer)
    for size in (2, 15):
        for _ in range(size):
            ExperimentFactory(service=ServiceFactory(team=team, tier=1))
        with django_assert_max_num_queries(9):
            assert client.get("/api/coverage/").status_code == 200


def test_the_gate_answers_a_pipeline_and_records_it(api, viewer, tier1_service):
    response = api(viewer).get("/api/gate/", {"service": "ledger", "version": "3.1.0", "environment": "production"})
    body = response.json()
    assert (response.status_code, body["decision"], body["reasons"][0]["code"]) == (200, "block", "no_fresh_evidence")
    assert set(body["reasons"][0]) >= {"code", "message", "link"}
    assert body["checked_at"]
    assert GateDecision.objects.get().version == "3.1.0"


def test_the_gate_names_an_unknown_service(api, viewer):
    response = api(viewer).get("/api/gate/", {"service": "atlantis", "version": "1"})
    assert (response.status_code, "atlantis" in response.json()["service"][0]) == (400, True)


def test_the_gate_refuses_an_outsider(api, outsider, tier1_service):
    assert api(outsider).get("/api/gate/", {"service": "ledger", "version": "1"}).status_code == 403


def test_it_lists_gate_decisions_by_service(api, viewer, tier1_service, service):
    client = api(viewer)
    client.get("/api/gate/", {"service": "ledger", "version": "1"})
    client.get("/api/gate/", {"service": "checkout", "version": "1"})
    results = client.get("/api/gate-decisions/", {"service": "ledger"}).json()["results"]
    assert [(row["service"], row["decision"]) for row in results] == [("ledger", "block")]
