"""Input that used to cost a 500: deep JSON, dates at the ends of the calendar, bodies too large.

Each gets a clear 4xx and changes nothing.
"""

import json

import pytest

from incidents.models import Incident, IntakeSource
from services.models import Deployment
from tests.url_walk import routes

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000  # 10 KB
WRITES = ["post", "put", "patch"]


def send_raw(client, method, path, body, **headers):
    return getattr(client, method)(path, body, content_type="application/json", **headers)


def test_it_refuses_deeply_nested_json_with_400_on_every_api_write(api, admin, vault):
    client = api(admin)  # a site admin passes every permission check, so the body is read
    refused = 0
    for path, _ in routes():
        if not path.startswith("/api/") or path.endswith(".json/") or path.startswith("/api/intake/"):
            continue
        for method in WRITES:
            response = send_raw(client, method, path, DEEP)
            assert response.status_code < 500, f"{method.upper()} {path} answered {response.status_code}"
            refused += "nests more than" in response.content.decode()
    assert refused > 20  # every write that reads its body; publish, say, reads none


@pytest.mark.parametrize("kind", ["alertmanager", "generic"])
def test_it_refuses_deeply_nested_json_at_the_intake(client, team, kind):
    _, key = IntakeSource.objects.create_with_token(name="prod", team=team, kind=kind)
    response = send_raw(client, "post", f"/api/intake/{kind}/", DEEP, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 400
    assert not Incident.objects.exists()


def test_it_accepts_json_nested_as_deep_as_documents_go(api, admin, team):
    labels = {"a": "b"}
    response = api(admin).post("/api/incidents/", {"title": "t", "labels": labels}, format="json")
    assert response.status_code == 201


def test_it_answers_a_ten_megabyte_body_under_api_with_json_413(api, admin):
    body = json.dumps({"title": "x" * (10 * 1024 * 1024)})
    response = send_raw(api(admin), "post", "/api/incidents/", body)
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert not Incident.objects.exists()


def test_it_answers_a_ten_megabyte_form_with_413(client, responder):
    client.force_login(responder)
    response = client.post("/incidents/new/", {"title": "x" * (10 * 1024 * 1024)})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "started_at", ["9999-12-31T23:59:59+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"]
)
def test_it_refuses_a_deployment_at_the_ends_of_the_calendar_with_400(api, admin, team, started_at):
    from services.models import Service

    Service.objects.create(name="Payments API", slug="payments-api", team=team)
    body = {"service": "payments-api", "version": "v1", "started_at": started_at, "source": "ci", "external_id": "1"}
    response = api(admin).post("/api/deployments/", body, format="json")
    assert response.status_code == 400
    assert "started_at" in response.json()
    assert not Deployment.objects.exists()


@pytest.mark.parametrize("started_at", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
def test_it_refuses_an_incident_at_the_ends_of_the_calendar_with_400(api, admin, team, started_at):
    from services.models import Service

    Service.objects.create(name="Payments API", slug="payments-api", team=team)
    body = {"title": "t", "team": team.slug, "services": ["payments-api"], "started_at": started_at}
    response = api(admin).post("/api/incidents/", body, format="json")
    assert response.status_code == 400
    assert "started_at" in response.json()
    assert not Incident.objects.exists()


@pytest.mark.parametrize("year", [1, 9999])
def test_it_correlates_an_incident_stored_at_the_ends_of_the_calendar_without_failing(team, year):
    """Rows older than the range rule may hold such moments; their correlation must not fail on every delivery."""
    from datetime import UTC, datetime

    from incidents.tasks import correlate_incident
    from services.models import Service

    service = Service.objects.create(name="Payments API", slug="payments-api", team=team)
    moment = datetime(year, 1, 1, tzinfo=UTC) if year == 1 else datetime(year, 12, 31, 23, tzinfo=UTC)
    Deployment.objects.create(service=service, version="v1", started_at=moment)
    incident = Incident.objects.create(title="t", team=team, started_at=moment)
    incident.services.set([service])
    correlate_incident(incident.pk)
    assert incident.suspect_deployments.count() == 1


def test_it_refuses_a_markdown_field_longer_than_the_bound_in_the_api(api, admin, team):
    from core.markdown import MARKDOWN_MAX_LENGTH

    body = {"title": "t", "team": team.slug, "summary": "x" * (MARKDOWN_MAX_LENGTH + 1)}
    response = api(admin).post("/api/incidents/", body, format="json")
    assert response.status_code == 400
    assert "20000 characters" in str(response.json()["summary"])


def test_it_refuses_a_markdown_field_longer_than_the_bound_in_a_form(client, responder, team):
    from core.markdown import MARKDOWN_MAX_LENGTH

    client.force_login(responder)
    body = {"title": "t", "team": team.pk, "severity": "sev3", "summary": "x" * (MARKDOWN_MAX_LENGTH + 1)}
    response = client.post("/incidents/new/", body)
    assert "summary" in response.context["form"].errors
    assert not Incident.objects.exists()
