"""Deploy posting: POST /api/deployments/, a new deployment and an idempotent repeat, with 5,000 in the catalog."""

import itertools

from django.utils import timezone

from bench.builders import build_deployments, build_incidents, build_services
from bench.conftest import answered
from incidents.choices import Status
from incidents.models import Incident
from services.models import Deployment

DEPLOYMENTS = 5000
SERVICES = 50
REQUESTS = 100


def deployment(n, *, service="svc-006"):  # owned by `team`
    return {
        "service": service,
        "version": f"v2.{n}.0",
        "environment": "production",
        "commit_sha": f"{n:040x}",
        "started_at": timezone.now().isoformat(),
        "status": "succeeded",
        "source": "bench-ci",
        "external_id": f"bench-ci-{n}",
    }


def test_deploy_posting(bench, api, responder, team, other_team):
    services = build_services([team, other_team], SERVICES)
    build_deployments(services, DEPLOYMENTS)
    # Open incidents on the posted service: a new deployment looks for the ones it may have caused.
    build_incidents(200, teams=[team], services=services[:10])
    Incident.objects.filter(pk__in=Incident.objects.order_by("-started_at")[:20].values("pk")).update(
        status=Status.INVESTIGATING
    )
    client = api(responder)

    def post(body, expected):
        return answered(expected, client.post, "/api/deployments/", body, format="json")

    table = bench(
        "Deploy posting: POST /api/deployments/",
        note="rows: deployments already in the catalog; 20 open incidents on the services involved. "
        "The correlation a new deployment queues on commit is not part of the request.",
    )
    numbers = itertools.count()
    run = {"rows": DEPLOYMENTS, "repeat": REQUESTS, "warmup": 3, "throughput": True}
    table.measure("new deployment (201)", lambda: post(deployment(next(numbers)), 201), **run)
    post(deployment(-1), 201)
    table.measure("idempotent repeat (200)", lambda: post(deployment(-1), 200), **run)
    assert Deployment.objects.filter(external_id="bench-ci--1").count() == 1
