"""One line per filter: parameters in, number of incidents out."""

from datetime import timedelta

import pytest

from incidents.choices import IncidentKind, Severity, Status
from incidents.conftest import T0, make_incident
from incidents.filtersets import IncidentFilterSet
from incidents.models import Incident


@pytest.fixture
def incidents(team, other_team, service, other_service):
    make_incident(
        title="Card payments failing",
        summary="Timeouts to the **vault**",
        team=team,
        services=[service],
        severity=Severity.SEV1,
        labels={"region": "eu-west", "tier": "enterprise"},
    )
    make_incident(
        title="Search slow",
        team=other_team,
        services=[other_service],
        severity=Severity.SEV3,
        status=Status.RESOLVED,
        started_at=T0 + timedelta(days=10),
        detected_at=None,
        resolved_at=T0 + timedelta(days=10, hours=1),
        labels={"region": "us-east"},
    )
    make_incident(
        title="Game day: lose the vault",
        kind=IncidentKind.GAME_DAY,
        team=other_team,
        services=[service],
        severity=Severity.SEV4,
        exclude_from_metrics=True,
        started_at=T0 + timedelta(days=40),
        detected_at=None,
    )


def count(params):
    filterset = IncidentFilterSet(params, queryset=Incident.objects.all())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 3),
        ({"status": ["investigating"]}, 2),
        ({"status": ["investigating", "resolved"]}, 3),
        ({"severity": ["sev1", "sev4"]}, 2),
        ({"kind": "game_day"}, 1),
        ({"service": "payments-api"}, 2),
        ({"team": "payments"}, 2),
        ({"team": "search"}, 2),
        ({"label": "region=eu-west"}, 1),
        ({"label": "region = us-east"}, 1),
        ({"label": "region=mars"}, 0),
        ({"started_after": "2026-03-12"}, 2),
        ({"started_before": "2026-03-12"}, 2),
        ({"started_after": "2026-03-03", "started_before": "2026-03-31"}, 1),
        ({"q": "vault"}, 2),
        ({"q": "SLOW"}, 1),
        ({"exclude_from_metrics": "true"}, 1),
        ({"exclude_from_metrics": "false"}, 2),
        ({"sort": "severity", "status": ["investigating"]}, 2),
    ],
)
def test_it_filters(incidents, params, expected):
    assert count(params) == expected


def test_it_sorts_by_severity_most_severe_first(incidents):
    titles = IncidentFilterSet({"sort": "severity"}, queryset=Incident.objects.all()).qs.values_list(
        "severity", flat=True
    )
    assert list(titles) == ["sev1", "sev3", "sev4"]


def test_it_sorts_by_status_in_lifecycle_order(incidents):
    statuses = IncidentFilterSet({"sort": "status"}, queryset=Incident.objects.all()).qs.values_list(
        "status", flat=True
    )
    assert list(statuses) == ["investigating", "investigating", "resolved"]


@pytest.mark.parametrize("label", ["region", "=eu-west", "a b=c"])
def test_it_refuses_a_label_that_is_not_key_value(label):
    assert not IncidentFilterSet({"label": label}, queryset=Incident.objects.all()).is_valid()
