"""Broker down: a committed write answers success, its task waits in the outbox and runs once the broker is back."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import PendingTask
from core.outbox import send_or_keep
from core.tasks import requeue_pending_tasks
from incidents.models import Incident
from services.models import Deployment, Service

REFUSING_BROKER = "redis://127.0.0.1:9698/0"  # nothing listens there


@contextmanager
def broker_refused():
    """Point the app at an address that refuses connections, as a broker that is down does."""
    from config.celery import app

    saved = app.conf.get("broker_write_url")
    app._pool, app.amqp._producer_pool = None, None
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.conf.broker_write_url = (
        REFUSING_BROKER  # what producers connect to (CELERY_BROKER_URL would win over broker_url)
    )
    try:
        yield
    finally:
        app._pool, app.amqp._producer_pool = None, None
        app.conf.broker_write_url = saved
        app.conf.task_always_eager = previous_eager


@pytest.fixture
def catalog(team):
    service = Service.objects.create(name="Payments API", slug="payments-api", team=team)
    Deployment.objects.create(service=service, version="v2", started_at=timezone.now() - timedelta(minutes=30))
    return service


def open_incident(api, responder):
    return api(responder).post(
        "/api/incidents/",
        {"title": "Card payments failing", "team": "payments", "services": ["payments-api"]},
        format="json",
    )


@pytest.mark.django_db(transaction=True)
def test_it_answers_success_and_keeps_the_task_when_the_broker_refuses(api, responder, catalog):
    with broker_refused():
        response = open_incident(api, responder)
    assert response.status_code == 201
    assert response["X-Background-Work"] == "delayed"
    assert Incident.objects.count() == 1
    assert "correlate_incident" in str(list(PendingTask.objects.values_list("name", flat=True)))


@pytest.mark.django_db(transaction=True)
def test_it_says_so_on_the_page_after_a_write(client, responder, catalog, team):
    client.force_login(responder)
    with broker_refused():
        response = client.post(
            "/incidents/new/",
            {
                "title": "Card payments failing",
                "kind": "incident",
                "severity": "sev3",
                "status": "investigating",
                "detection_source": "alert",
                "team": team.pk,
                "services": [catalog.pk],
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "is delayed and will run shortly" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_it_keeps_a_task_that_still_cannot_be_sent(catalog):
    with broker_refused():
        assert send_or_keep("core.tasks.ping") is False
        assert requeue_pending_tasks() == 0
    assert PendingTask.objects.count() == 1


@pytest.mark.worker
def test_it_runs_the_kept_task_once_when_the_broker_is_back(celery_worker, api, responder, catalog):
    with broker_refused():
        assert open_incident(api, responder).status_code == 201
    incident = Incident.objects.get()
    assert not incident.suspect_deployments.exists()  # nothing ran while the broker was down
    kept = PendingTask.objects.count()  # the correlation, and the refreshes of search and insights
    assert kept == PendingTask.objects.values("name").distinct().count()  # each task kept once
    assert requeue_pending_tasks() == kept
    deadline = time.monotonic() + 30
    while not incident.suspect_deployments.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert incident.suspect_deployments.count() == 1
    assert not PendingTask.objects.exists()
    assert requeue_pending_tasks() == 0  # sent once: a second sweep finds nothing


def test_it_runs_a_task_in_process_without_a_broker_even_if_its_module_was_never_imported():
    """The zero-setup default (no broker: tasks in-process) in a fresh process, as `seed_demo` and runserver run.

    Nothing there has imported core.tasks, so the task is known only by name; it must still run
    here, not be sent to whatever broker happens to listen (or kept in an outbox no worker reads).
    """
    script = (
        "import django; django.setup()\n"
        "from config.celery import app\n"
        "from core.outbox import send_or_keep\n"
        "assert app.conf.task_always_eager and 'core.tasks.ping' not in app.tasks\n"
        f"app.conf.broker_url = app.conf.broker_write_url = {REFUSING_BROKER!r}\n"
        "print(send_or_keep('core.tasks.ping'))\n"
    )
    env = {key: value for key, value in os.environ.items() if key not in ("CELERY_BROKER_URL", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1:] == ["True"], result.stderr[-2000:]
