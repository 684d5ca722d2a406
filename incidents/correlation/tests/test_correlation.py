from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from incidents.choices import SuspectState, TagKind
from incidents.correlation.suspects import confirm_suspect, correlate_incident, dismiss_suspect
from incidents.models import Incident, IncidentTag, SuspectDeployment
from services.choices import DeploymentStatus, DeploymentStrategy
from services.models import Dependency, Deployment, Service

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 3, 9, 40, tzinfo=UTC)


@pytest.fixture
def graph(team):
    """checkout-api → pricing (critical) → postgres-main (critical); checkout-api → promotions (non-critical)."""
    services = {
        slug: Service.objects.create(name=slug, slug=slug, team=team)
        for slug in ["checkout-api", "pricing", "promotions", "postgres-main", "search-api"]
    }
    Dependency.objects.create(service=services["checkout-api"], depends_on=services["pricing"], critical=True)
    Dependency.objects.create(service=services["checkout-api"], depends_on=services["promotions"], critical=False)
    Dependency.objects.create(service=services["pricing"], depends_on=services["postgres-main"], critical=True)
    return services


@pytest.fixture
def incident(graph, team):
    incident = Incident.objects.create(title="Checkout failing", started_at=START, team=team)
    incident.services.add(graph["checkout-api"])
    return incident


def deploy(service, before, **fields):
    return Deployment.objects.create(
        service=service, version=fields.pop("version", "v1"), started_at=START - before, **fields
    )


def ranking(incident):
    correlate_incident(incident=incident)
    return [suspect.deployment for suspect in incident.suspect_deployments.for_display()]


def test_it_ranks_a_same_service_deploy_before_a_dependency_deploy_from_long_ago(incident, graph):
    same = deploy(graph["checkout-api"], timedelta(minutes=20))
    dependency = deploy(graph["pricing"], timedelta(hours=20))

    assert ranking(incident) == [same, dependency]


def test_it_ranks_a_failed_deploy_before_a_succeeded_one_at_equal_distance(incident, graph):
    succeeded = deploy(graph["checkout-api"], timedelta(hours=1), version="v1", status=DeploymentStatus.SUCCEEDED)
    failed = deploy(graph["checkout-api"], timedelta(hours=1), version="v2", status=DeploymentStatus.FAILED)

    assert ranking(incident) == [failed, succeeded]


def test_it_ranks_a_critical_dependency_before_a_non_critical_one(incident, graph):
    non_critical = deploy(graph["promotions"], timedelta(hours=1))
    critical = deploy(graph["pricing"], timedelta(hours=1))

    assert ranking(incident) == [critical, non_critical]


def test_it_ranks_a_closer_deploy_higher(incident, graph):
    older = deploy(graph["checkout-api"], timedelta(hours=5), version="v1")
    newer = deploy(graph["checkout-api"], timedelta(hours=1), version="v2")

    assert ranking(incident) == [newer, older]


def test_it_ranks_a_canary_below_a_global_rollout(incident, graph):
    canary = deploy(graph["checkout-api"], timedelta(hours=1), version="v1", strategy=DeploymentStrategy.CANARY)
    rollout = deploy(graph["checkout-api"], timedelta(hours=1), version="v2")

    assert ranking(incident) == [rollout, canary]


def test_it_suggests_deploys_two_hops_away(incident, graph):
    two_hops = deploy(graph["postgres-main"], timedelta(hours=1))

    assert ranking(incident) == [two_hops]
    assert "checkout-api → pricing → postgres-main" in incident.suspect_deployments.get().reasons[0]


def test_it_explains_a_suggestion_in_words(incident, graph):
    deploy(graph["checkout-api"], timedelta(minutes=20), status=DeploymentStatus.ROLLED_BACK)

    correlate_incident(incident=incident)

    assert incident.suspect_deployments.get().reasons == [
        "Deployed to checkout-api 20 min before the incident started",
        "Rolled back",
    ]


def test_it_does_not_suggest_deploys_of_unrelated_services(incident, graph):
    deploy(graph["search-api"], timedelta(minutes=5))

    assert ranking(incident) == []


def test_it_does_not_suggest_deploys_outside_the_window(incident, graph):
    deploy(graph["checkout-api"], timedelta(hours=25))

    assert ranking(incident) == []


@override_settings(HINDSIGHT_CORRELATION_WINDOW_HOURS=48)
def test_it_looks_back_as_far_as_the_window_setting_says(incident, graph):
    old = deploy(graph["checkout-api"], timedelta(hours=25))

    assert ranking(incident) == [old]


def test_it_does_not_suggest_deploys_after_the_incident_started(incident, graph):
    deploy(graph["checkout-api"], -timedelta(minutes=5))

    assert ranking(incident) == []


def test_it_is_idempotent(incident, graph):
    deploy(graph["checkout-api"], timedelta(minutes=20))
    deploy(graph["pricing"], timedelta(hours=3))
    correlate_incident(incident=incident)
    first = list(SuspectDeployment.objects.order_by("id").values("id", "deployment", "score", "reasons", "updated_at"))

    changed = correlate_incident(incident=incident)

    assert changed == 0
    assert (
        list(SuspectDeployment.objects.order_by("id").values("id", "deployment", "score", "reasons", "updated_at"))
        == first
    )


def test_it_keeps_dismissed_suspects_dismissed_on_a_rerun(incident, graph, lead):
    deploy(graph["checkout-api"], timedelta(minutes=20))
    correlate_incident(incident=incident)
    dismiss_suspect(suspect=incident.suspect_deployments.get(), by=lead)

    correlate_incident(incident=incident)

    assert list(incident.suspect_deployments.values_list("state", flat=True)) == [SuspectState.DISMISSED]


def test_it_never_changes_decided_suspects_when_the_start_moves(incident, graph, lead):
    deploy(graph["checkout-api"], timedelta(minutes=20))
    deploy(graph["pricing"], timedelta(minutes=30))
    correlate_incident(incident=incident)
    confirmed = incident.suspect_deployments.get(deployment__service=graph["checkout-api"])
    confirm_suspect(suspect=confirmed, by=lead)
    before = SuspectDeployment.objects.get(pk=confirmed.pk).score

    Incident.objects.filter(pk=incident.pk).update(started_at=START - timedelta(days=3))
    correlate_incident(incident=incident)

    # The suggested one left the window and went; the confirmed one stays as decided.
    assert list(incident.suspect_deployments.values_list("pk", "state", "score")) == [
        (confirmed.pk, SuspectState.CONFIRMED, before)
    ]


def test_it_updates_suggested_scores_when_the_start_moves(incident, graph):
    deploy(graph["checkout-api"], timedelta(minutes=20))
    correlate_incident(incident=incident)
    before = incident.suspect_deployments.get().score

    Incident.objects.filter(pk=incident.pk).update(started_at=START + timedelta(hours=3))
    correlate_incident(incident=incident)

    assert incident.suspect_deployments.get().score < before


def test_it_adds_the_deploy_version_tag_on_confirmation(incident, graph, lead):
    deploy(graph["checkout-api"], timedelta(minutes=20), version="v2.4.1")
    correlate_incident(incident=incident)

    confirm_suspect(suspect=incident.suspect_deployments.get(), by=lead)

    tag = incident.tags.get()
    assert (tag.kind, tag.value, tag.service) == (TagKind.DEPLOY_VERSION, "v2.4.1", graph["checkout-api"])


def test_it_removes_the_tag_its_confirmation_added_on_dismissal(incident, graph, lead):
    deploy(graph["checkout-api"], timedelta(minutes=20))
    correlate_incident(incident=incident)
    suspect = incident.suspect_deployments.get()
    confirm_suspect(suspect=suspect, by=lead)

    dismiss_suspect(suspect=suspect, by=lead)

    assert not incident.tags.exists()


def test_it_keeps_a_hand_added_tag_on_dismissal(incident, graph, lead):
    deployment = deploy(graph["checkout-api"], timedelta(minutes=20))
    IncidentTag.objects.create(
        incident=incident, kind=TagKind.DEPLOY_VERSION, value=deployment.version, service=deployment.service
    )
    correlate_incident(incident=incident)
    suspect = incident.suspect_deployments.get()
    confirm_suspect(suspect=suspect, by=lead)

    dismiss_suspect(suspect=suspect, by=lead)

    assert incident.tags.count() == 1
