"""Alert intake throughput: POST /api/intake/alertmanager/ for new groups and for repeats of an open group.

Each request is one Alertmanager notification through the test client (token
authentication, validation, the intake, the response). The correlation task a new
incident queues on commit is not part of the request; it is measured in
test_correlation.py.
"""

import copy
import itertools
import json
from pathlib import Path

from rest_framework.test import APIClient

from bench.builders import build_incidents, build_services
from bench.conftest import answered
from incidents.choices import IntakeKind, Status
from incidents.models import Incident, IntakeSource

BACKGROUND_INCIDENTS = 5000
REQUESTS = 100
WIDE_GROUP = 50  # alerts in one notification, e.g. one per pod
TEMPLATE = json.loads(
    (Path(__file__).resolve().parent.parent / "incidents/intake/tests/payloads/alertmanager_firing.json").read_text()
)


def notification(group, *, alerts=1, first_alert=0, service="svc-001"):
    """A firing notification for group with `alerts` alerts (fingerprints first_alert, first_alert + 1, …)."""
    body = copy.deepcopy(TEMPLATE)
    body["groupKey"] = f'{{}}:{{alertname="BenchErrorRate", group="{group}"}}'
    body["commonLabels"]["service"] = service
    template = body["alerts"][0]
    body["alerts"] = []
    for n in range(first_alert, first_alert + alerts):
        alert = copy.deepcopy(template)
        alert["labels"].update(service=service, pod=f"bench-pod-{n}")
        alert["fingerprint"] = f"bench{n:011d}"
        body["alerts"].append(alert)
    return body


def test_alert_intake_throughput(bench, team, other_team):
    services = build_services([team, other_team], 20)
    source, key = IntakeSource.objects.create_with_token(
        name="alertmanager-bench", kind=IntakeKind.ALERTMANAGER, team=team
    )
    # Earlier groups of the same source, all resolved: the lookup of a group's open incident runs among them.
    build_incidents(
        BACKGROUND_INCIDENTS,
        teams=[team],
        services=services,
        restricted_every=BACKGROUND_INCIDENTS + 1,
        intake_source=source,
    )
    Incident.objects.update(status=Status.RESOLVED)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")

    def post(body, expected):
        return answered(expected, client.post, "/api/intake/alertmanager/", body, format="json")

    table = bench(
        "Alert intake: POST /api/intake/alertmanager/",
        note=f"rows: incidents already in the database; per second: notifications one client sends back to back. "
        f"Wide groups carry {WIDE_GROUP} alerts.",
    )
    groups = itertools.count()
    alerts = itertools.count(1000, 1)
    run = {"repeat": REQUESTS, "warmup": 3, "throughput": True}
    rows = BACKGROUND_INCIDENTS

    table.measure(
        "new group, 1 alert (opens an incident)", lambda: post(notification(next(groups)), 201), rows=rows, **run
    )
    post(notification("repeated"), 201)
    table.measure("repeat, alert unchanged", lambda: post(notification("repeated"), 200), rows=rows, **run)
    post(notification("growing"), 201)
    table.measure(
        "repeat, one new alert", lambda: post(notification("growing", first_alert=next(alerts)), 200), rows=rows, **run
    )
    wide = {"repeat": 20, "warmup": 1, "throughput": True}
    table.measure(
        f"new group, {WIDE_GROUP} alerts",
        lambda: post(notification(next(groups), alerts=WIDE_GROUP), 201),
        rows=rows,
        **wide,
    )
    post(notification("wide", alerts=WIDE_GROUP), 201)
    table.measure(
        f"repeat, {WIDE_GROUP} alerts unchanged",
        lambda: post(notification("wide", alerts=WIDE_GROUP), 200),
        rows=rows,
        **wide,
    )
