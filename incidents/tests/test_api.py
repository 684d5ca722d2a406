from datetime import timedelta

import pytest
from django.core.management import call_command

from conftest import if_match
from incidents.choices import Status, TimelineKind
from incidents.conftest import T0, make_incident
from incidents.models import Incident, TimelineEvent
from incidents.tests.test_views import many_incidents

NEW = {
    "title": "Checkout returns 502",
    "severity": "sev2",
    "team": "payments",
    "services": ["payments-api"],
    "started_at": "2026-03-02T09:00:00Z",
    "detected_at": "2026-03-02T09:04:00Z",
    "labels": {"region": "eu-west"},
}


def detail(incident):
    return f"/api/incidents/{incident.reference}/"


def timeline(incident, event=None):
    return f"/api/incidents/{incident.reference}/timeline/" + (f"{event.pk}/" if event else "")


# --- Reading and writing ------------------------------------------------------------


def test_it_creates_an_incident_named_by_natural_keys(api, responder, service, lead):
    response = api(responder).post("/api/incidents/", {**NEW, "commander": lead.username}, format="json")
    incident = Incident.objects.get()
    assert response.status_code == 201
    assert (response.json()["reference"], response.json()["commander"], response.json()["reporter"]) == (
        incident.reference,
        lead.username,
        responder.username,
    )


def test_it_returns_an_incident_by_reference(api, viewer, incident):
    body = api(viewer).get(detail(incident)).json()
    assert (body["reference"], body["team"], body["services"], body["durations"]["time_to_detect"]) == (
        incident.reference,
        "payments",
        ["payments-api"],
        300.0,
    )


def test_it_filters_the_api_list_with_the_shared_filterset(api, viewer, incident, other_team):
    make_incident(title="Search slow", team=other_team, severity="sev4")
    body = api(viewer).get("/api/incidents/", {"severity": ["sev3"], "team": "payments"}).json()
    assert [row["reference"] for row in body["results"]] == [incident.reference]


def test_it_changes_status_through_patch_and_records_it(api, responder, incident):
    response = api(responder).patch(
        detail(incident), {"status": "resolved"}, format="json", **if_match(api(responder), detail(incident))
    )
    incident.refresh_from_db()
    event = incident.timeline.get()
    assert (response.status_code, incident.status, event.kind, event.author) == (
        200,
        Status.RESOLVED,
        TimelineKind.STATUS_CHANGE,
        responder,
    )
    assert incident.resolved_at is not None


def test_it_refuses_a_forbidden_status_change_with_400(api, responder, incident):
    response = api(responder).patch(
        detail(incident),
        {"status": "closed", "title": "Renamed"},
        format="json",
        **if_match(api(responder), detail(incident)),
    )
    incident.refresh_from_db()
    assert response.status_code == 400
    assert "cannot go from investigating to closed" in response.json()["status"][0]
    assert (incident.status, incident.title, incident.timeline.count()) == (
        Status.INVESTIGATING,
        "Card payments failing",
        0,
    )


# --- Bad input: 400 with field errors, nothing written ------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"detected_at": "2026-03-02T08:00:00Z"}, "detected_at"),
        ({"services": ["no-such-service"]}, "services"),
        ({"team": "no-such-team"}, "team"),
        ({"commander": "nobody"}, "commander"),
        ({"severity": "sev9"}, "severity"),
        ({"labels": {"region": ["eu", "us"]}}, "labels"),
        ({"status": "resolved"}, "resolved_at"),
        ({"restricted": True}, "allowed_teams"),
        ({"title": ""}, "title"),
    ],
)
def test_it_refuses_bad_input_and_writes_nothing(api, responder, service, change, field):
    response = api(responder).post("/api/incidents/", {**NEW, **change}, format="json")
    assert (response.status_code, field in response.json()) == (400, True)
    assert not Incident.objects.exists()


def test_it_refuses_a_lifecycle_order_error_on_update(api, responder, incident):
    response = api(responder).patch(
        detail(incident),
        {"resolved_at": "2026-03-01T00:00:00Z"},
        format="json",
        **if_match(api(responder), detail(incident)),
    )
    incident.refresh_from_db()
    assert (response.status_code, list(response.json()), incident.resolved_at) == (400, ["resolved_at"], None)


def test_it_refuses_an_incident_for_a_team_the_author_does_not_respond_for(api, responder, other_team):
    response = api(responder).post("/api/incidents/", {**NEW, "team": "search", "services": []}, format="json")
    assert (response.status_code, Incident.objects.count()) == (403, 0)


# --- The timeline ----------------------------------------------------------------------


def test_it_adds_and_lists_timeline_events(api, responder, incident):
    client = api(responder)
    created = client.post(
        timeline(incident), {"occurred_at": "2026-03-02T09:06:00Z", "kind": "action", "text": "Failover"}, format="json"
    )
    listed = client.get(timeline(incident)).json()
    assert created.status_code == 201
    assert [(row["text"], row["author"], row["source"]) for row in listed["results"]] == [
        ("Failover", responder.username, "manual")
    ]


def test_it_updates_and_deletes_a_timeline_event(api, responder, incident):
    event = TimelineEvent.objects.create(incident=incident, occurred_at=T0, text="Alert")
    client = api(responder)
    assert client.patch(timeline(incident, event), {"text": "Alert fired"}, format="json").status_code == 200
    assert client.delete(timeline(incident, event)).status_code == 204
    assert not incident.timeline.exists()


def test_it_refuses_a_timeline_event_without_text(api, responder, incident):
    response = api(responder).post(timeline(incident), {"kind": "action", "text": ""}, format="json")
    assert (response.status_code, "text" in response.json(), incident.timeline.count()) == (400, True, 0)


def test_it_does_not_reach_events_of_another_incident(api, responder, incident, team):
    other = make_incident(title="Other", team=team)
    event = TimelineEvent.objects.create(incident=other, occurred_at=T0, text="Elsewhere")
    assert api(responder).get(timeline(incident, event)).status_code == 404


# --- Personas ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "other_responder"])
def test_it_answers_404_for_restricted_incidents_outside_the_allowed_teams(request, api, restricted, persona):
    client = api(request.getfixturevalue(persona))
    event = TimelineEvent.objects.create(incident=restricted, occurred_at=T0, text="Keys rotated")
    codes = [
        client.get(detail(restricted)).status_code,
        client.get(timeline(restricted)).status_code,
        client.get(timeline(restricted, event)).status_code,
    ]
    assert codes == [404, 404, 404]


def test_it_refuses_writes_to_restricted_incidents_from_other_teams_with_404(api, other_responder, restricted):
    client = api(other_responder)
    codes = [
        client.patch(detail(restricted), {"title": "x"}, format="json").status_code,
        client.post(timeline(restricted), {"text": "x"}, format="json").status_code,
    ]
    assert codes == [404, 404]


@pytest.mark.parametrize("persona", ["outsider", "other_responder"])
def test_it_leaves_restricted_incidents_out_of_api_counts(request, api, restricted, incident, persona):
    client = api(request.getfixturevalue(persona))
    counts = [
        client.get("/api/incidents/").json()["count"],
        client.get("/api/incidents/", {"status": "investigating", "team": "payments"}).json()["count"],
        client.get("/api/incidents/", {"q": "API key"}).json()["count"],
    ]
    assert counts == [1, 1, 0]


def test_it_counts_restricted_incidents_for_the_allowed_teams(api, viewer, restricted, incident):
    assert api(viewer).get("/api/incidents/", {"q": "API key"}).json()["count"] == 1


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_it_refuses_every_write_to_viewers_and_outsiders(request, api, incident, persona):
    client = api(request.getfixturevalue(persona))
    event = TimelineEvent.objects.create(incident=incident, occurred_at=T0, text="Alert")
    codes = [
        client.post("/api/incidents/", NEW, format="json").status_code,
        client.put(detail(incident), NEW, format="json").status_code,
        client.patch(detail(incident), {"status": "identified"}, format="json").status_code,
        client.delete(detail(incident)).status_code,
        client.post(timeline(incident), {"text": "x"}, format="json").status_code,
        client.patch(timeline(incident, event), {"text": "x"}, format="json").status_code,
        client.delete(timeline(incident, event)).status_code,
    ]
    incident.refresh_from_db()
    assert codes == [403] * 7
    assert (Incident.objects.count(), incident.status, incident.timeline.count()) == (1, Status.INVESTIGATING, 1)


def test_it_refuses_anonymous_requests(api, incident):
    assert api(None).get("/api/incidents/").status_code in (401, 403)


# --- Query counts -----------------------------------------------------------------------


@pytest.mark.parametrize("count", [10, 500])
def test_it_lists_incidents_over_the_api_in_a_bounded_number_of_queries(
    api, django_assert_max_num_queries, responder, team, service, other_service, count
):
    many_incidents(count, team=team, services=[service, other_service])
    client = api(responder)
    with django_assert_max_num_queries(8):
        body = client.get("/api/incidents/", {"page_size": 200}).json()
    assert body["count"] == count


def test_it_documents_the_incident_endpoints_in_the_schema(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"/api/incidents/", "/api/incidents/{reference}/", "/api/incidents/{reference}/timeline/"} <= set(
        schema["paths"]
    )


@pytest.mark.parametrize("reference", ["INC-\u00b37", "\u0663", "INC-" + "9" * 40])
def test_it_answers_404_for_a_reference_of_non_ascii_or_too_many_digits(api, responder, incident, reference):
    client = api(responder)
    answers = (
        client.get(f"/api/incidents/{reference}/").status_code,
        client.patch(f"/api/incidents/{reference}/timeline/1/", {}, format="json").status_code,
    )
    assert answers == (404, 404)


def test_it_documents_an_unset_author_and_decider_as_null(client, db):
    components = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    documented = (
        components["TimelineEvent"]["properties"]["author"].get("nullable"),
        components["SuspectDeployment"]["properties"]["decided_by"].get("nullable"),
    )
    assert documented == (True, True)


def test_it_generates_the_schema_without_warnings(db, tmp_path):
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").stat().st_size > 0


def test_it_reports_detection_before_start_as_a_clear_api_error(api, responder, service):
    body = api(responder).post("/api/incidents/", {**NEW, "detected_at": "2026-03-02T08:59:00Z"}, format="json").json()
    assert body == {"detected_at": ["Detected at cannot be before started at."]}


def test_it_keeps_the_first_mitigation_time_when_resolving_over_the_api(api, responder, incident):
    incident.mitigated_at = T0 + timedelta(minutes=30)
    incident.save()
    api(responder).patch(
        detail(incident),
        {"status": "resolved", "resolved_at": "2026-03-02T11:00:00Z"},
        format="json",
        **if_match(api(responder), detail(incident)),
    )
    incident.refresh_from_db()
    assert (incident.mitigated_at, incident.resolved_at) == (T0 + timedelta(minutes=30), T0 + timedelta(hours=2))
