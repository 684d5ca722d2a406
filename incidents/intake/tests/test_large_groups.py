"""A real Alertmanager group can hold a thousand alerts (one per pod of a big deployment): the intake takes it
in one notification, in a number of queries that does not grow with the alerts."""

import copy
import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.conftest import payload
from incidents.models import Incident, IntakeAlert, TimelineEvent

pytestmark = pytest.mark.django_db

ALERTS = 1000


def big_group(size, *, status="firing"):
    """The recorded firing notification, with `size` alerts of the same rule on `size` pods."""
    body = payload("alertmanager_firing")
    template = body["alerts"][0]
    body["alerts"] = []
    for number in range(size):
        alert = copy.deepcopy(template)
        alert["labels"]["pod"] = f"checkout-api-7d9f8c6b5-{number:05d}"
        alert["fingerprint"] = f"{number:016x}"
        alert["status"] = status
        if status == "resolved":
            alert["endsAt"] = "2026-11-03T10:12:30.000Z"
        body["alerts"].append(alert)
    body["status"] = status
    body["commonLabels"].pop("pod")
    return body


def timed_post(send, source, body):
    with CaptureQueriesContext(connection) as queries:
        started = time.monotonic()
        response = send("alertmanager", body, key=source.key)
        elapsed = time.monotonic() - started
    return response, elapsed, len(queries)


def test_it_takes_a_thousand_alert_group_in_a_fixed_number_of_queries(send, alertmanager_source, catalog):
    small, _, small_queries = timed_post(send, alertmanager_source, big_group(10))
    assert small.status_code == 201, small.content
    Incident.objects.all().delete()

    body = big_group(ALERTS)
    size = len(json.dumps(body))
    opened, opened_seconds, opened_queries = timed_post(send, alertmanager_source, body)
    repeat, repeat_seconds, repeat_queries = timed_post(send, alertmanager_source, body)
    resolved, resolved_seconds, resolved_queries = timed_post(
        send, alertmanager_source, big_group(ALERTS, status="resolved")
    )
    print(
        f"\n{ALERTS} alerts ({size / 1e6:.2f} MB): opened {opened_seconds:.2f} s / {opened_queries} queries "
        f"(10 alerts: {small_queries}), repeat {repeat_seconds:.2f} s / {repeat_queries}, "
        f"resolved {resolved_seconds:.2f} s / {resolved_queries}"
    )
    assert (opened.status_code, repeat.status_code, resolved.status_code) == (201, 200, 200), opened.content
    incident = Incident.objects.get()
    assert IntakeAlert.objects.filter(incident=incident).count() == ALERTS
    assert incident.mitigated_at is not None
    assert TimelineEvent.objects.filter(incident=incident).count() >= 2
    # Nothing is asked once per alert: on PostgreSQL the same queries as for ten alerts; SQLite splits the
    # bulk writes into batches of its variable limit, a query per few dozen rows.
    batches = 0 if connection.vendor == "postgresql" else ALERTS // 50
    assert opened_queries <= small_queries + batches
    assert repeat_queries <= small_queries
    assert resolved_queries <= small_queries + batches


def test_it_refuses_a_group_larger_than_alertmanager_is_told_to_send(send, alertmanager_source, catalog):
    response = send("alertmanager", big_group(ALERTS + 1), key=alertmanager_source.key)
    assert response.status_code == 400
    assert "alerts" in response.json()
    assert not Incident.objects.exists()
