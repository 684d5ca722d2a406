"""Creating an incident is idempotent on (source, external_id), and "unknown" is how an unsaid detection reads."""

import pytest

from conftest import if_match, race
from incidents.choices import DetectionSource
from incidents.conftest import make_incident
from incidents.models import Incident
from incidents.tests.test_api import NEW, detail

IMPORTED = {**NEW, "source": "confluence", "external_id": "PM-142"}


def test_it_creates_an_incident_once_for_one_source_and_external_id(api, responder, service):
    client = api(responder)

    first = client.post("/api/incidents/", IMPORTED, format="json")
    again = client.post("/api/incidents/", IMPORTED, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["reference"] == first.json()["reference"]
    assert Incident.objects.count() == 1


def test_it_answers_a_repeat_with_the_incident_as_it_is_now_unchanged(api, responder, service):
    client = api(responder)
    reference = client.post("/api/incidents/", IMPORTED, format="json").json()["reference"]
    path = f"/api/incidents/{reference}/"
    client.patch(path, {"title": "Checkout 502s behind the new load balancer"}, format="json", **if_match(client, path))

    again = client.post("/api/incidents/", {**IMPORTED, "title": "Something else", "severity": "sev4"}, format="json")

    incident = Incident.objects.get()
    assert (again.status_code, again.json()["title"], incident.title, incident.severity) == (
        200,
        "Checkout 502s behind the new load balancer",
        "Checkout 502s behind the new load balancer",
        "sev2",
    )


def test_it_keeps_the_same_external_id_of_two_sources_apart(api, responder, service):
    client = api(responder)
    client.post("/api/incidents/", IMPORTED, format="json")

    other = client.post("/api/incidents/", {**IMPORTED, "source": "jira"}, format="json")

    assert (other.status_code, Incident.objects.count()) == (201, 2)


def test_it_creates_incidents_without_an_external_id_every_time(api, responder, service):
    client = api(responder)
    codes = [client.post("/api/incidents/", NEW, format="json").status_code for _ in range(2)]
    assert (codes, Incident.objects.count()) == ([201, 201], 2)


def test_it_refuses_an_external_id_without_its_source(api, responder, service):
    response = api(responder).post("/api/incidents/", {**NEW, "external_id": "PM-1"}, format="json")
    assert (response.status_code, "source" in response.json(), Incident.objects.count()) == (400, True, 0)


def test_it_answers_409_without_details_when_the_twin_is_hidden(api, other_responder, team, service, other_service):
    make_incident(
        title="Leaked key", team=team, restricted=True, allowed_teams=[team], source="confluence", external_id="PM-142"
    )

    response = api(other_responder).post(
        "/api/incidents/", {**IMPORTED, "team": "search", "services": ["search-api"]}, format="json"
    )

    assert response.status_code == 409
    assert "Leaked key" not in response.content.decode()
    assert Incident.objects.count() == 1


def test_it_answers_409_when_the_twin_was_deleted(api, lead, responder, team, service):
    client = api(responder)
    reference = client.post("/api/incidents/", IMPORTED, format="json").json()["reference"]
    Incident.objects.by_reference(reference).get().archive(by=lead)

    response = client.post("/api/incidents/", IMPORTED, format="json")

    assert (response.status_code, Incident.objects.count()) == (409, 1)


def test_it_refuses_to_change_where_an_incident_came_from(api, responder, service):
    client = api(responder)
    reference = client.post("/api/incidents/", IMPORTED, format="json").json()["reference"]
    path = f"/api/incidents/{reference}/"

    response = client.patch(path, {"external_id": "PM-143"}, format="json", **if_match(client, path))

    assert (response.status_code, Incident.objects.get().external_id) == (400, "PM-142")


def test_it_records_an_unsaid_detection_source_as_unknown(api, responder, service):
    api(responder).post("/api/incidents/", NEW, format="json")
    assert Incident.objects.get().detection_source == DetectionSource.UNKNOWN


def test_it_shows_unknown_preselected_on_the_new_incident_page(client, responder):
    client.force_login(responder)
    form = client.get("/incidents/new/").context["form"]
    assert form["detection_source"].value() == DetectionSource.UNKNOWN


def test_it_shows_where_an_incident_came_from_in_the_api(api, viewer, team, service):
    incident = make_incident(team=team, services=[service], source="jira", external_id="OPS-7")
    body = api(viewer).get(detail(incident)).json()
    assert (body["source"], body["external_id"]) == ("jira", "OPS-7")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_creates_one_incident_when_two_creates_race(api, responder, service):
    clients = [api(responder), api(responder)]

    def post(client, body):
        return lambda: client.post("/api/incidents/", body, format="json").status_code

    for attempt in range(5):
        body = {**IMPORTED, "external_id": f"PM-{attempt}"}

        codes = race(post(clients[0], body), post(clients[1], body))

        assert sorted(codes) == [200, 201], codes
        assert Incident.objects.filter(external_id=f"PM-{attempt}").count() == 1


def test_it_shows_where_an_incident_was_first_recorded_on_its_page(client, viewer, team, service):
    incident = make_incident(team=team, services=[service], source="jira", external_id="OPS-7")
    client.force_login(viewer)

    page = client.get(incident.get_absolute_url()).content.decode()

    assert '<dt>Recorded in</dt><dd>jira <span class="small">OPS-7</span></dd>' in page
