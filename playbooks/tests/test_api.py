"""/api/playbooks/ (CRUD by slug, the shared FilterSet, uses) and /api/search/."""

import pytest

from incidents.models import Incident
from playbooks.models import Playbook, PlaybookUse
from playbooks.tests.conftest import make_playbook

pytestmark = pytest.mark.django_db


def test_it_creates_a_playbook_by_slug_with_natural_keys(api, responder, team, service):
    response = api(responder).post(
        "/api/playbooks/",
        {
            "kind": "playbook",
            "title": "Kafka lag",
            "slug": "kafka-lag",
            "symptoms": ["events late"],
            "alert_names": ["KafkaConsumerLagHigh"],
            "services": [service.slug],
            "classes": ["capacity-load"],
            "team": team.slug,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["classes"] == ["capacity-load"]
    assert Playbook.objects.get(slug="kafka-lag").alert_names == ["KafkaConsumerLagHigh"]


def test_it_refuses_a_playbook_for_a_team_the_writer_is_not_in(api, other_responder, team):
    response = api(other_responder).post(
        "/api/playbooks/", {"kind": "runbook", "title": "X", "slug": "x", "team": team.slug}, format="json"
    )
    assert response.status_code == 403


def test_it_refuses_an_outsider_to_write(api, outsider, runbook):
    assert api(outsider).patch(f"/api/playbooks/{runbook.slug}/", {"title": "Mine"}, format="json").status_code == 403


def test_it_answers_400_for_bad_symptoms(api, responder, team):
    response = api(responder).post(
        "/api/playbooks/",
        {"kind": "runbook", "title": "X", "slug": "x", "team": team.slug, "symptoms": "nope"},
        format="json",
    )
    assert response.status_code == 400
    assert "symptoms" in response.json()


def test_it_updates_by_slug_and_refuses_a_stale_if_match(api, responder, runbook):
    client = api(responder)
    assert client.patch(f"/api/playbooks/{runbook.slug}/", {"title": "New"}, format="json").json()["version"] == 2
    stale = client.patch(f"/api/playbooks/{runbook.slug}/", {"title": "Old"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert Playbook.objects.get(pk=runbook.pk).title == "New"


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ("kind=runbook", 1),
        ("kind=playbook", 1),
        ("service=payments-api", 1),
        ("class=capacity-load", 1),
        ("stale=true", 1),
        ("stale=false", 1),
        ("q=conection", 1),
    ],
)
def test_it_filters_with_the_shared_filterset(
    api, viewer, team, service, runbook, params, count, django_capture_on_commit_callbacks
):
    from datetime import date

    from postmortems.models import RootCauseClass

    with django_capture_on_commit_callbacks(execute=True):
        make_playbook(
            team=team,
            kind="playbook",
            slug="old",
            title="Capacity planning",
            last_reviewed_on=date(2020, 1, 1),
            classes=[RootCauseClass.objects.get(slug="capacity-load")],
        )
    assert api(viewer).get(f"/api/playbooks/?{params}").json()["count"] == count


def test_it_records_and_lists_uses(api, responder, runbook, incident):
    client = api(responder)
    created = client.post(
        f"/api/playbooks/{runbook.slug}/uses/", {"incident": incident.reference, "outcome": "helped"}, format="json"
    )
    assert created.status_code == 201
    assert client.get(f"/api/playbooks/{runbook.slug}/uses/").json()["results"][0]["outcome"] == "helped"


def test_it_hides_uses_in_restricted_incidents_from_outsiders(api, viewer, other_team, runbook):
    secret = Incident.objects.create(title="Secret", team=other_team, restricted=True)
    PlaybookUse.objects.create(playbook=runbook, incident=secret, outcome="helped")
    assert api(viewer).get(f"/api/playbooks/{runbook.slug}/uses/").json()["count"] == 0


def test_it_refuses_a_use_by_someone_outside_the_incident(api, other_responder, runbook, incident):
    response = api(other_responder).post(
        f"/api/playbooks/{runbook.slug}/uses/", {"incident": incident.reference, "outcome": "helped"}, format="json"
    )
    assert response.status_code == 403


def test_it_refuses_to_move_a_playbook_to_a_team_the_writer_is_not_in(api, responder, runbook, other_team):
    client = api(responder)
    response = client.patch(f"/api/playbooks/{runbook.slug}/", {"team": other_team.slug}, format="json")
    runbook.refresh_from_db()
    assert (response.status_code, runbook.team.slug) == (403, "payments")
    assert "role in team search" in response.json()["detail"]
