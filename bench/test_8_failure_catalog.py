"""The failure catalog at 500 services x 30 fault types with 200,000 experiments: coverage and the gate.

The gate is asked through a real HTTP server on loopback (Django's live server thread), as a pipeline asks it.
"""

import math
import random
import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from bench.builders import build_services
from bench.server import Gunicorn, database_url, environment
from failure_catalog.choices import EVIDENCE_OUTCOMES, FaultCategory, Outcome
from failure_catalog.models import Experiment, FaultType
from failure_catalog.requirements import sync_tier_requirements

SERVICES = 500
FAULT_TYPES = 30
EXPERIMENTS = 200_000
GATE_CALLS = 200


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def build_catalog(team, other_team):
    """500 services over the three tiers, 30 fault types, 200,000 experiments over a year, newest last."""
    services = build_services([team, other_team], SERVICES, prefix="cat")
    for index, service in enumerate(services):
        service.tier = 1 + index % 3
    type(services[0]).objects.bulk_update(services, ["tier"])
    extra = FAULT_TYPES - FaultType.objects.count()
    FaultType.objects.bulk_create(
        FaultType(name=f"Bench fault {n}", slug=f"bench-fault-{n}", category=FaultCategory.DEPENDENCY)
        for n in range(extra)
    )
    sync_tier_requirements(services=services)
    fault_types = list(FaultType.objects.all())
    rng = random.Random(8)
    now = timezone.now()
    outcomes = [Outcome.HELD] * 7 + [Outcome.DEVIATED] * 2 + [Outcome.ABORTED]
    batch = []
    for n in range(EXPERIMENTS):
        batch.append(
            Experiment(
                service=services[n % SERVICES],
                fault_type=fault_types[rng.randrange(len(fault_types))],
                title=f"Experiment {n}",
                outcome=rng.choice(outcomes),
                version=f"1.{n % 40}.0",
                started_at=now - timedelta(minutes=rng.randrange(365 * 24 * 60)),
            )
        )
        if len(batch) == 10_000:
            Experiment.objects.bulk_create(batch)
            batch = []
    Experiment.objects.bulk_create(batch)
    return services


@pytest.mark.django_db(transaction=True)
def test_failure_catalog_at_200000_experiments(bench, api, viewer, team, other_team):
    services = build_catalog(team, other_team)
    assert Experiment.objects.filter(outcome__in=EVIDENCE_OUTCOMES).exists()
    client = Client()
    client.force_login(viewer)
    api_client = api(viewer)

    def get(url, via=client):
        response = via.get(url)
        assert response.status_code == 200
        return response

    table = bench("Failure catalog at 500 services x 30 fault types, 200,000 experiments")
    rows = EXPERIMENTS
    measured = []
    for name, url, via in [
        ("coverage page (25 services)", "/resilience/", client),
        ("coverage page 10, team filter", f"/resilience/?team={team.slug}&page=10", client),
        ("API coverage (50 services)", "/api/coverage/", api_client),
        ("API experiments", "/api/experiments/", api_client),
        ("service page with resilience panel", f"/services/{services[3].slug}/", client),
    ]:
        measured.append(table.measure(name, lambda url=url, via=via: get(url, via), rows=rows, repeat=21))
    team_page = table.measure(
        "coverage by team (all 500 services)", lambda: get("/resilience/teams/"), rows=rows, repeat=5
    )

    # The gate through gunicorn on loopback: a pipeline's request, token authentication, the decision recorded.
    headers = {"Authorization": f"Token {ApiToken.objects.create_with_token(user=viewer)[1]}"}
    rng = random.Random(30)
    timings = []
    with Gunicorn(environment(database_url()), log="bench-gate-gunicorn.log") as server:
        for n in range(GATE_CALLS + 5):
            query = urlencode({"service": services[rng.randrange(SERVICES)].slug, "version": f"1.{n % 40}.0"})
            started = time.perf_counter()
            status, body, _ = server.get(f"/api/gate/?{query}", headers)
            elapsed = time.perf_counter() - started
            assert status == 200, body[:300]
            if n >= 5:  # the first calls warm the worker's connection
                timings.append(elapsed)
    gate = table.measure(
        "gate (Django test client)",
        lambda: get(f"/api/gate/?service={services[0].slug}&version=1.0.0", api_client),
        rows=rows,
    )
    gate_http_p95 = p95(timings) * 1000
    table.note = (
        "p95 ms: "
        + "; ".join(f"{m.name} {p95(m.timings) * 1000:.1f}" for m in [*measured, team_page, gate])
        + f"; **gate through gunicorn on loopback, {GATE_CALLS} calls: median {sorted(timings)[len(timings) // 2] * 1000:.1f}, "
        f"p95 {gate_http_p95:.1f}**."
    )
