from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.choices import Severity, Status
from incidents.models import Incident
from services.models import Deployment, Service

# Session, user, savepoints, and one query per panel: open incidents (+ their services),
# the open count, recently resolved, the service count, deployments in 24 h, recent deployments.
HOME_QUERIES = 11


def fill(team, count):
    """count open and count resolved incidents on one service, and count deployments of it."""
    service = Service.objects.create(name="Checkout API", slug="checkout-api", team=team)
    now = timezone.now()
    incidents = Incident.objects.bulk_create(
        [
            Incident(title=f"Open {n}", team=team, severity=Severity.SEV2, started_at=now - timedelta(hours=n))
            for n in range(count)
        ]
        + [
            Incident(
                title=f"Resolved {n}",
                team=team,
                status=Status.RESOLVED,
                started_at=now - timedelta(days=n + 1),
                resolved_at=now - timedelta(days=n),
            )
            for n in range(count)
        ]
    )
    Incident.services.through.objects.bulk_create(
        Incident.services.through(incident_id=incident.pk, service_id=service.pk) for incident in incidents
    )
    Deployment.objects.bulk_create(
        Deployment(service=service, version=f"v{n}", started_at=now - timedelta(minutes=n)) for n in range(count)
    )


@pytest.mark.parametrize("count", [10, 500])
def test_it_renders_the_home_page_in_fixed_queries(responder, team, count, page_within):
    fill(team, count)
    response = page_within(responder, "/", queries=HOME_QUERIES)
    assert response.status_code == 200
    assert len(response.context["open_incidents"]) == 10


def test_it_counts_every_open_incident_not_only_those_listed(client, responder, team):
    fill(team, 25)
    client.force_login(responder)
    response = client.get("/")
    assert response.context["open_incident_count"] == 25
