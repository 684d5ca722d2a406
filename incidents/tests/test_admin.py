"""The Django admin for incidents: timeline and tags inline, suspects for reading."""

from datetime import timedelta

import pytest

from incidents.choices import TagKind
from incidents.conftest import T0, make_incident
from incidents.models import IncidentTag, SuspectDeployment, TimelineEvent
from services.models import Deployment

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspect(incident, service):
    deployment = Deployment.objects.create(service=service, version="v2.4.1", started_at=T0 - timedelta(minutes=20))
    return SuspectDeployment.objects.create(incident=incident, deployment=deployment, score=0.8, reasons=["recent"])


def test_it_shows_an_incident_with_its_timeline_and_tags_inline(client, admin, incident):
    TimelineEvent.objects.create(incident=incident, occurred_at=T0, text="Pager went off")
    IncidentTag.objects.create(incident=incident, kind=TagKind.COMPONENT, value="card-vault")
    client.force_login(admin)
    page = client.get(f"/admin/incidents/incident/{incident.pk}/change/").content.decode()
    assert "Pager went off" in page
    assert 'value="card-vault"' in page


def test_it_finds_an_incident_by_reference_in_the_admin(client, admin, incident):
    other = make_incident(title="Search slow")
    client.force_login(admin)
    response = client.get("/admin/incidents/incident/", {"q": other.reference})
    assert list(response.context["cl"].result_list) == [other]


def test_it_lists_suspects_but_does_not_let_the_admin_add_one(client, admin, suspect):
    client.force_login(admin)
    assert "v2.4.1" in client.get("/admin/incidents/suspectdeployment/").content.decode()
    assert client.get("/admin/incidents/suspectdeployment/add/").status_code == 403


def test_it_lets_the_admin_change_only_a_suspects_state(client, admin, suspect):
    client.force_login(admin)
    form = client.get(f"/admin/incidents/suspectdeployment/{suspect.pk}/change/").context["adminform"].form
    assert list(form.fields) == ["state"]


def test_it_keeps_the_intake_source_admin(client, admin):
    client.force_login(admin)
    assert client.get("/admin/incidents/intakesource/").status_code == 200


def test_it_keeps_the_incident_admin_from_non_staff(client, responder):
    client.force_login(responder)
    response = client.get("/admin/incidents/incident/")
    assert (response.status_code, "/login/" in response["Location"]) == (302, True)
