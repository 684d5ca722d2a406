"""A real Prometheus Alertmanager (Debian package prometheus-alertmanager) notifying the live intake."""

import json
import shutil
import subprocess
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bench.server import free_port, stop
from conftest import missing_service
from incidents.choices import IntakeKind
from incidents.models import Incident, IntakeSource, TimelineEvent
from services.models import Service

ALERTMANAGER = shutil.which("prometheus-alertmanager") or "/usr/bin/prometheus-alertmanager"
WAIT_SECONDS = 30


@pytest.fixture
def alertmanager(live_server, team, tmp_path):
    """Start Alertmanager with a webhook receiver pointing at the live server's intake; yield its URL."""
    if not Path(ALERTMANAGER).exists():
        missing_service("Alertmanager is not installed (Debian package: prometheus-alertmanager)")
    _, key = IntakeSource.objects.create_with_token(name="alertmanager-test", kind=IntakeKind.ALERTMANAGER, team=team)
    config = {
        "route": {
            "receiver": "hindsight",
            "group_by": ["alertname", "service"],
            "group_wait": "1s",
            "group_interval": "1s",
            "repeat_interval": "1h",
        },
        "receivers": [
            {
                "name": "hindsight",
                "webhook_configs": [
                    {
                        "url": f"{live_server.url}/api/intake/alertmanager/",
                        "send_resolved": True,
                        "http_config": {"authorization": {"type": "Bearer", "credentials": key}},
                    }
                ],
            }
        ],
    }
    config_path = tmp_path / "alertmanager.yml"
    config_path.write_text(yaml.safe_dump(config))
    port = free_port()
    log_path = tmp_path / "alertmanager.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                ALERTMANAGER,
                f"--config.file={config_path}",
                f"--storage.path={tmp_path / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address=",
                "--log.level=debug",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{url}/-/ready", timeout=1)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Alertmanager did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.2)
        process.log_path = log_path
        yield url
    finally:
        stop(process)
        wait_for_the_live_server()


def wait_for_the_live_server(timeout=10):
    """Wait until the live server has no request in flight.

    A test sees a notification's rows once they commit, but the request that wrote them goes on to run
    its after-commit work (the search index, correlation); flushing the database under it deadlocks.
    The live server runs each request in a thread of socketserver's `process_request_thread`.
    """
    deadline = time.monotonic() + timeout
    while any("process_request_thread" in thread.name for thread in threading.enumerate()):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)


def push(url, alerts):
    """POST alerts to Alertmanager's API v2, as Prometheus does."""
    request = urllib.request.Request(
        f"{url}/api/v2/alerts",
        data=json.dumps(alerts).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200


def alert(pod, *, starts_at, ends_at=None):
    body = {
        "labels": {"alertname": "CheckoutHighErrorRate", "service": "checkout-api", "severity": "critical", "pod": pod},
        "annotations": {"summary": "Checkout API 5xx rate above 5%"},
        "startsAt": starts_at.isoformat(),
        "generatorURL": "http://prometheus.test/graph",
    }
    if ends_at:
        body["endsAt"] = ends_at.isoformat()
    return body


def wait_until(condition, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"waited {WAIT_SECONDS} s for {what}"
        time.sleep(0.25)


def test_it_turns_a_real_alertmanager_group_into_one_incident(alertmanager, team):
    # Each wait is for the timeline events a notification writes last, so that the incident is
    # complete when it is looked at (on SQLite the live server shares the test's connection).
    Service.objects.create(name="Checkout API", slug="checkout-api", team=team)
    started = datetime.now(UTC) - timedelta(minutes=2)

    push(alertmanager, [alert("checkout-api-a", starts_at=started)])
    wait_until(lambda: TimelineEvent.objects.exists(), "the first notification to open an incident")
    incident = Incident.objects.get()
    assert incident.services.get().slug == "checkout-api"
    events = TimelineEvent.objects.filter(incident=incident).count()

    push(alertmanager, [alert("checkout-api-a", starts_at=started), alert("checkout-api-b", starts_at=started)])
    wait_until(lambda: TimelineEvent.objects.filter(incident=incident).count() > events, "a timeline event")
    assert Incident.objects.count() == 1
    assert incident.timeline.filter(text__contains="pod=checkout-api-b").exists()

    ended = datetime.now(UTC) - timedelta(seconds=5)
    push(
        alertmanager,
        [alert(pod, starts_at=started, ends_at=ended) for pod in ["checkout-api-a", "checkout-api-b"]],
    )
    wait_until(
        lambda: incident.timeline.filter(text__startswith="All alerts resolved").exists(),
        "the resolved notification to record mitigation",
    )
    assert Incident.objects.get().mitigated_at is not None
    assert Incident.objects.count() == 1
