"""Managing intake sources: site admins only; the token is shown once and stored as a hash."""

import json

import pytest

from accounts.models import Team
from conftest import run_in_fresh_process
from incidents.models import IntakeSource

pytestmark = pytest.mark.django_db

NEW_SOURCE = {"name": "alertmanager-eu", "kind": "alertmanager", "team": "payments"}


def test_it_shows_the_token_once_when_an_admin_creates_a_source(api, admin):
    response = api(admin).post("/api/intake/sources/", NEW_SOURCE, format="json")

    assert response.status_code == 201, response.content
    token = response.json()["token"]
    assert IntakeSource.objects.authenticate(token) == IntakeSource.objects.get(name="alertmanager-eu")
    assert api(admin).get("/api/intake/sources/alertmanager-eu/").json()["token"] is None


def test_it_stores_only_a_hash_of_the_token(api, admin):
    token = api(admin).post("/api/intake/sources/", NEW_SOURCE, format="json").json()["token"]

    stored = IntakeSource.objects.values().get()
    assert token not in json.dumps(stored, default=str)


def test_it_applies_the_default_severity_mapping(api, admin):
    api(admin).post("/api/intake/sources/", NEW_SOURCE, format="json")

    source = IntakeSource.objects.get()
    assert (source.severity_for("critical"), source.severity_for("WARNING"), source.severity_for("odd")) == (
        "sev1",
        "sev3",
        "sev3",
    )


def test_it_refuses_an_unknown_severity_in_the_mapping(api, admin):
    body = {**NEW_SOURCE, "severity_map": {"critical": "sev0"}}

    response = api(admin).post("/api/intake/sources/", body, format="json")

    assert response.status_code == 400
    assert "severity_map" in response.json()
    assert not IntakeSource.objects.exists()


@pytest.mark.parametrize("persona", ["lead", "responder", "viewer", "outsider"])
def test_it_refuses_everyone_but_site_admins_with_403(api, request, persona):
    client = api(request.getfixturevalue(persona))

    assert client.post("/api/intake/sources/", NEW_SOURCE, format="json").status_code == 403
    assert client.get("/api/intake/sources/").status_code == 403
    assert not IntakeSource.objects.exists()


@pytest.mark.parametrize("size", [10, 500])
def test_it_lists_sources_in_a_fixed_number_of_queries(api, admin, team, size, django_assert_max_num_queries):
    IntakeSource.objects.bulk_create(
        IntakeSource(name=f"source-{n}", team=team, token_hash=f"{n:064x}", token_prefix="x") for n in range(size)
    )
    client = api(admin)

    with django_assert_max_num_queries(6):
        response = client.get("/api/intake/sources/")

    assert response.json()["count"] == size


def test_it_shows_the_token_once_after_creating_a_source_in_the_admin(client, admin, team):
    client.force_login(admin)

    response = client.post(
        "/admin/incidents/intakesource/add/",
        {
            "name": "alertmanager-prod",
            "kind": "alertmanager",
            "team": team.pk,
            "service_label": "service",
            "severity_label": "severity",
            "severity_map": '{"critical": "sev1", "warning": "sev3"}',
            "default_severity": "sev3",
            "active": "on",
        },
        follow=True,
    )

    [message] = [str(message) for message in response.context["messages"] if "Token for" in str(message)]
    token = message.split("Token for alertmanager-prod: ")[1].split(" ")[0]
    assert IntakeSource.objects.authenticate(token).name == "alertmanager-prod"
    assert token not in client.get("/admin/incidents/intakesource/").content.decode()


def test_it_issues_a_new_token_from_the_admin_and_retires_the_old_one(client, admin, team):
    source, old = IntakeSource.objects.create_with_token(name="alertmanager-prod", team=team)
    client.force_login(admin)

    response = client.post(
        "/admin/incidents/intakesource/",
        {"action": "issue_new_tokens", "_selected_action": [source.pk]},
        follow=True,
    )

    [message] = [str(message) for message in response.context["messages"] if "Token for" in str(message)]
    new = message.split("Token for alertmanager-prod: ")[1].split(" ")[0]
    assert IntakeSource.objects.authenticate(old) is None
    assert IntakeSource.objects.authenticate(new) == source


def test_it_documents_both_intake_endpoints_with_examples(client, admin):
    client.force_login(admin)

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    for path in ["/api/intake/alertmanager/", "/api/intake/generic/"]:
        operation = schema["paths"][path]["post"]
        assert operation["requestBody"]["content"]["application/json"]["examples"], path
        assert {"200", "201", "400", "401", "503"} <= set(operation["responses"]), path
    assert "intakeToken" in schema["components"]["securitySchemes"]


INTAKE_IN_A_FRESH_PROCESS = """
import django, json
django.setup()
from django.test import Client
response = Client(HTTP_HOST="localhost", raise_request_exception=False).post(
    "/api/intake/alertmanager/", data="{}", content_type="application/json", HTTP_AUTHORIZATION="Bearer x")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def test_it_answers_503_when_the_database_is_down_so_alertmanager_retries():
    result = run_in_fresh_process(INTAKE_IN_A_FRESH_PROCESS, DATABASE_URL="postgresql://postgres@127.0.0.1:1/hindsight")

    assert (result["status"], result["body"]["unavailable"]) == (503, "database")


def test_it_refuses_to_delete_a_team_that_owns_a_source(team):
    from django.db.models import ProtectedError

    IntakeSource.objects.create_with_token(name="alertmanager-prod", team=team)

    with pytest.raises(ProtectedError):
        Team.objects.filter(pk=team.pk).delete()
