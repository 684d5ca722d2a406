"""Deploy correlation runs after commit when what it depends on changes, in-process or on a real worker."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.models import Incident, SuspectDeployment
from incidents.tasks import correlate_incident
from services.models import Deployment, Service


@pytest.fixture
def service(team):
    return Service.objects.create(name="Checkout API", slug="checkout-api", team=team)


@pytest.mark.django_db
def test_it_returns_quietly_for_a_missing_incident():
    assert correlate_incident.delay(424242).get() is None


@pytest.mark.django_db
def test_it_correlates_when_services_are_linked(service, team, django_capture_on_commit_callbacks):
    started = timezone.now()
    Deployment.objects.create(service=service, version="v1", started_at=started - timedelta(minutes=20))

    with django_capture_on_commit_callbacks(execute=True):
        incident = Incident.objects.create(title="Checkout failing", started_at=started, team=team)
        incident.services.add(service)

    assert incident.suspect_deployments.count() == 1


@pytest.mark.django_db
def test_it_correlates_again_when_the_start_moves(service, team, django_capture_on_commit_callbacks):
    started = timezone.now()
    Deployment.objects.create(service=service, version="v1", started_at=started - timedelta(hours=30))
    incident = Incident.objects.create(title="Checkout failing", started_at=started, team=team)
    incident.services.add(service)

    with django_capture_on_commit_callbacks(execute=True):
        incident.started_at = started - timedelta(hours=10)
        incident.save()

    assert incident.suspect_deployments.count() == 1


@pytest.mark.django_db
def test_it_does_not_queue_when_nothing_relevant_changed(service, team, django_capture_on_commit_callbacks):
    incident = Incident.objects.create(title="Checkout failing", started_at=timezone.now(), team=team)

    with django_capture_on_commit_callbacks() as callbacks:
        incident.title = "Checkout failing for EU cards"
        incident.save()

    # Only search documents are refreshed after commit (the incident's and its review's): correlation is not queued.
    assert {callback.args[0] for callback in callbacks} == {("search", "incident"), "reviews-of-incidents"}


@pytest.mark.django_db
def test_it_correlates_a_deployment_reported_after_the_incident_opened(
    service, team, django_capture_on_commit_callbacks
):
    started = timezone.now()
    incident = Incident.objects.create(title="Checkout failing", started_at=started, team=team)
    incident.services.add(service)

    with django_capture_on_commit_callbacks(execute=True):
        Deployment.objects.create(service=service, version="v7", started_at=started - timedelta(minutes=5))

    assert incident.suspect_deployments.get().deployment.version == "v7"


@pytest.mark.django_db
def test_it_correlates_incidents_opened_by_an_alert(service, team, django_capture_on_commit_callbacks, send):
    from incidents.conftest import payload
    from incidents.models import IntakeSource

    _, key = IntakeSource.objects.create_with_token(name="alertmanager-prod", team=team)
    body = payload("alertmanager_firing")
    starts = timezone.now() - timedelta(minutes=3)
    body["alerts"][0]["startsAt"] = starts.isoformat()
    Deployment.objects.create(service=service, version="v2", started_at=starts - timedelta(minutes=10))

    with django_capture_on_commit_callbacks(execute=True):
        send("alertmanager", body, key=key)

    assert SuspectDeployment.objects.get().deployment.version == "v2"


@pytest.mark.worker
def test_it_writes_suspects_from_a_real_worker(celery_worker, service, team):
    started = timezone.now()
    Deployment.objects.create(service=service, version="v3.1.0", started_at=started - timedelta(minutes=20))

    incident = Incident.objects.create(title="Checkout failing", started_at=started, team=team)
    incident.services.add(service)  # autocommit: each write commits, so the tasks are sent now

    deadline = time.monotonic() + 20
    while not SuspectDeployment.objects.filter(incident=incident).exists():
        assert time.monotonic() < deadline, "the worker wrote no suspect deployments within 20 s"
        time.sleep(0.2)
    assert SuspectDeployment.objects.get(incident=incident).deployment.version == "v3.1.0"
