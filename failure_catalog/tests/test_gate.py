"""The deployment gate: each reason appears exactly when its condition holds; the tier policy decides."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.tests.factories import ActionItemFactory, IncidentFactory, ReviewFactory, RootCauseClassFactory
from failure_catalog.choices import Decision, Outcome
from failure_catalog.gate import check_gate
from failure_catalog.models import GateDecision, ResilienceRequirement
from failure_catalog.tests.factories import ExperimentFactory, RequirementFactory
from incidents.models import SuspectDeployment
from services.models import Deployment


def prove_everything(service, *, version="1.0.0"):
    """Fresh held evidence, on `version`, for every fault type the service is required to withstand."""
    for requirement in ResilienceRequirement.objects.filter(service=service):
        ExperimentFactory(service=service, fault_type=requirement.fault_type, version=version)


def codes(service, user, version="1.0.0"):
    decision = check_gate(service, version=version, environment="production", user=user)
    return {reason["code"] for reason in decision.reasons}


@pytest.fixture
def proven(tier1_service):
    prove_everything(tier1_service)
    return tier1_service


def test_it_allows_a_service_with_nothing_against_it(proven, viewer):
    decision = check_gate(proven, version="1.0.0", environment="production", user=viewer)
    assert (decision.decision, decision.reasons) == (Decision.ALLOW, [])


def test_it_blocks_a_tier_1_service_missing_a_required_fault(tier1_service, viewer):
    decision = check_gate(tier1_service, version="1.0.0", environment="production", user=viewer)
    assert (decision.decision, {r["code"] for r in decision.reasons}) == (Decision.BLOCK, {"no_fresh_evidence"})


def test_it_only_warns_a_tier_3_service_missing_a_required_fault(service, viewer):
    decision = check_gate(service, version="1.0.0", environment="production", user=viewer)
    assert (decision.decision, {r["code"] for r in decision.reasons}) == (Decision.WARN, {"no_fresh_evidence"})


def test_it_names_stale_evidence(tier1_service, viewer, fault):
    prove_everything(tier1_service)
    ExperimentFactory.reset_sequence()
    ResilienceRequirement.objects.filter(service=tier1_service).update(max_evidence_age_days=1)
    ResilienceRequirement.objects.filter(service=tier1_service).first()
    tier1_service.experiments.update(started_at=timezone.now() - timedelta(days=3))
    decision = check_gate(tier1_service, version="1.0.0", environment="production", user=viewer)
    assert "last held 3 days ago" in decision.reasons[0]["message"]


def test_it_gives_a_failing_latest_experiment_as_a_reason(proven, viewer, fault):
    ExperimentFactory(service=proven, fault_type=fault("dns-failure"), outcome=Outcome.DEVIATED)
    assert codes(proven, viewer) == {"failing_experiment"}


def test_it_gives_missing_evidence_on_this_version_as_a_reason(proven, viewer, fault):
    RequirementFactory(service=proven, fault_type=fault("instance-loss"), evidence_on_version=True)
    assert codes(proven, viewer, version="1.1.0") == {"version_evidence_missing"}


def test_it_accepts_evidence_on_this_version(proven, viewer, fault):
    RequirementFactory(service=proven, fault_type=fault("instance-loss"), evidence_on_version=True)
    assert codes(proven, viewer, version="1.0.0") == set()


def test_it_gives_overdue_corrective_actions_as_a_reason(proven, viewer, team):
    action = ActionItemFactory(team=team, category="corrective", due_date=timezone.localdate() - timedelta(days=1))
    action.services.set([proven])
    assert codes(proven, viewer) == {"actions_overdue"}


def test_it_ignores_overdue_immediate_fixes(proven, viewer, team):
    action = ActionItemFactory(team=team, category="immediate_fix", due_date=timezone.localdate() - timedelta(days=1))
    action.services.set([proven])
    assert codes(proven, viewer) == set()


def suspect(service, *, version, severity="sev1", state="confirmed", restricted=False, allowed_teams=()):
    deployment = Deployment.objects.create(service=service, version=version, started_at=timezone.now())
    incident = IncidentFactory(severity=severity, restricted=restricted)
    incident.allowed_teams.set(allowed_teams)
    SuspectDeployment.objects.create(incident=incident, deployment=deployment, score=0.9, state=state)
    return incident


def test_it_gives_an_open_sev1_with_this_version_confirmed_as_a_reason(proven, viewer):
    incident = suspect(proven, version="1.0.0")
    decision = check_gate(proven, version="1.0.0", environment="production", user=viewer)
    assert [(r["code"], incident.reference in r["message"]) for r in decision.reasons] == [("suspect_incident", True)]


@pytest.mark.parametrize(
    ("version", "severity", "state"),
    [("0.9.0", "sev1", "confirmed"), ("1.0.0", "sev3", "confirmed"), ("1.0.0", "sev1", "suggested")],
)
def test_it_ignores_suspects_of_another_version_a_lower_severity_or_not_confirmed(
    proven, viewer, version, severity, state
):
    suspect(proven, version=version, severity=severity, state=state)
    assert codes(proven, viewer) == set()


def test_it_does_not_name_a_restricted_incident_to_someone_who_may_not_see_it(proven, viewer, other_team):
    incident = suspect(proven, version="1.0.0", restricted=True, allowed_teams=[other_team])
    decision = check_gate(proven, version="1.0.0", environment="production", user=viewer)
    message = decision.reasons[0]["message"]
    assert (incident.reference in message, "1 restricted incident" in message) == (False, True)


def test_it_asks_for_evidence_on_this_version_after_incidents_of_a_mapped_class(proven, viewer, fault):
    incident = IncidentFactory(started_at=timezone.now() - timedelta(days=5))
    incident.services.set([proven])
    ReviewFactory(incident=incident, primary_class=RootCauseClassFactory(slug="time-clock"))
    assert codes(proven, viewer, version="2.0.0") == {"incident_history", "version_evidence_missing"} - {
        "version_evidence_missing"
    }


def test_a_soak_test_on_this_version_answers_the_history_rule(proven, viewer, fault):
    incident = IncidentFactory(started_at=timezone.now() - timedelta(days=5))
    incident.services.set([proven])
    ReviewFactory(incident=incident, primary_class=RootCauseClassFactory(slug="time-clock"))
    ExperimentFactory(service=proven, fault_type=fault("clock-skew"), version="2.0.0")
    assert codes(proven, viewer, version="2.0.0") == set()


def test_it_forgets_incidents_older_than_the_history_window(proven, viewer):
    incident = IncidentFactory(started_at=timezone.now() - timedelta(days=200))
    incident.services.set([proven])
    ReviewFactory(incident=incident, primary_class=RootCauseClassFactory(slug="time-clock"))
    assert codes(proven, viewer, version="2.0.0") == set()


def test_the_tier_policy_can_ignore_a_condition(proven, viewer, fault):
    from failure_catalog.models import TierPolicy

    TierPolicy.objects.filter(tier=1).update(failing_experiment="ignore")
    ExperimentFactory(service=proven, fault_type=fault("dns-failure"), outcome=Outcome.DEVIATED)
    assert codes(proven, viewer) == set()


def test_it_records_every_decision(tier1_service, viewer):
    check_gate(tier1_service, version="1.0.0", environment="production", user=viewer)
    check_gate(tier1_service, version="1.0.1", environment="staging", user=viewer)
    recorded = list(GateDecision.objects.order_by("id").values_list("version", "environment", "decision", "asked_by"))
    assert recorded == [("1.0.0", "production", "block", viewer.pk), ("1.0.1", "staging", "block", viewer.pk)]
