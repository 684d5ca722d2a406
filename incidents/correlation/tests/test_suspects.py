"""Confirming and dismissing suspect deployments: the API and the htmx partial on the incident page."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Membership, Role
from incidents.choices import SuspectState, TagKind
from incidents.correlation.suspects import correlate_incident
from incidents.models import Incident
from services.models import Deployment, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(team):
    service = Service.objects.create(name="Checkout API", slug="checkout-api", team=team)
    started = timezone.now() - timedelta(hours=1)
    incident = Incident.objects.create(title="Checkout failing", started_at=started, team=team)
    incident.services.add(service)
    Deployment.objects.create(service=service, version="v2.4.1", started_at=started - timedelta(minutes=20))
    correlate_incident(incident=incident)
    return incident


@pytest.fixture
def suspect(incident):
    return incident.suspect_deployments.get()


def api_url(incident, suspect=None, action=""):
    url = f"/api/incidents/{incident.reference}/suspect-deployments/"
    return f"{url}{suspect.pk}/{action}/" if suspect else url


def page_url(incident, suspect, action):
    return f"/incidents/{incident.reference}/suspects/{suspect.pk}/{action}/"


def test_it_lists_suspects_with_reasons(api, viewer, incident, suspect):
    response = api(viewer).get(api_url(incident))

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["deployment"]["service"], row["deployment"]["version"], row["state"]) == (
        "checkout-api",
        "v2.4.1",
        "suggested",
    )
    assert row["reasons"] == ["Deployed to Checkout API 20 min before the incident started"]


@pytest.mark.parametrize("persona", ["responder", "lead", "admin"])
def test_it_lets_the_team_confirm_through_the_api(api, request, incident, suspect, persona):
    user = request.getfixturevalue(persona)

    response = api(user).post(api_url(incident, suspect, "confirm"))

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "confirmed"
    assert response.json()["decided_by"] == user.username
    assert incident.tags.filter(kind=TagKind.DEPLOY_VERSION, value="v2.4.1").exists()


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
@pytest.mark.parametrize("action", ["confirm", "dismiss"])
def test_it_refuses_viewers_and_outsiders_with_403(api, request, incident, suspect, persona, action):
    response = api(request.getfixturevalue(persona)).post(api_url(incident, suspect, action))

    assert response.status_code == 403
    suspect.refresh_from_db()
    assert suspect.state == SuspectState.SUGGESTED


def test_it_refuses_a_responder_of_another_team_with_403(api, incident, suspect, other_team):
    stranger = get_user_model().objects.create_user("sid-search")
    Membership.objects.create(user=stranger, team=other_team, role=Role.LEAD)

    response = api(stranger).post(api_url(incident, suspect, "confirm"))

    assert response.status_code == 403


def test_it_refuses_anonymous_callers(api, incident, suspect):
    response = api(None).post(api_url(incident, suspect, "confirm"))

    assert response.status_code in {401, 403}
    suspect.refresh_from_db()
    assert suspect.state == SuspectState.SUGGESTED


@pytest.mark.parametrize("action", ["", "confirm"])
def test_it_hides_a_restricted_incident_with_404(api, incident, suspect, other_team, outsider, action):
    incident.restricted = True
    incident.save()
    incident.allowed_teams.add(other_team)

    client = api(outsider)
    response = client.post(api_url(incident, suspect, action)) if action else client.get(api_url(incident))

    assert response.status_code == 404


def test_it_lets_an_allowed_team_decide_on_a_restricted_incident(api, incident, suspect, responder, team):
    incident.restricted = True
    incident.save()
    incident.allowed_teams.add(team)

    response = api(responder).post(api_url(incident, suspect, "dismiss"))

    assert response.status_code == 200


def test_it_answers_404_for_a_suspect_of_another_incident(api, lead, incident, suspect, team):
    other = Incident.objects.create(title="Other", team=team)

    response = api(lead).post(api_url(other, suspect, "confirm"))

    assert response.status_code == 404


def test_it_dismisses_through_the_api_and_keeps_it_dismissed(api, lead, incident, suspect):
    api(lead).post(api_url(incident, suspect, "dismiss"))

    correlate_incident(incident=incident)

    suspect.refresh_from_db()
    assert suspect.state == SuspectState.DISMISSED


# --- The htmx partial ---------------------------------------------------------------


def htmx_post(client, user, url):
    client.force_login(user)
    return client.post(url, HTTP_HX_REQUEST="true")


def test_it_confirms_from_the_page_and_swaps_the_partial(client, lead, incident, suspect):
    response = htmx_post(client, lead, page_url(incident, suspect, "confirm"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="suspects"' in html
    assert "Confirmed by lee-lead" in html
    suspect.refresh_from_db()
    assert suspect.state == SuspectState.CONFIRMED


def test_it_moves_a_dismissed_suspect_out_of_the_list(client, responder, incident, suspect):
    response = htmx_post(client, responder, page_url(incident, suspect, "dismiss"))

    html = response.content.decode()
    assert "1 dismissed" in html
    assert "Confirm instead" in html


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_it_refuses_page_decisions_from_viewers_and_outsiders(client, request, incident, suspect, persona):
    response = htmx_post(client, request.getfixturevalue(persona), page_url(incident, suspect, "confirm"))

    assert response.status_code == 403


def test_it_hides_restricted_incidents_from_the_page_views(client, incident, suspect, outsider, other_team):
    incident.restricted = True
    incident.save()
    incident.allowed_teams.add(other_team)

    response = htmx_post(client, outsider, page_url(incident, suspect, "dismiss"))

    assert response.status_code == 404


def test_it_refuses_get_on_the_decision_views(client, lead, incident, suspect):
    client.force_login(lead)

    response = client.get(page_url(incident, suspect, "confirm"))

    assert response.status_code == 405


def render_partial(incident, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("incidents/inc/_suspects.html", {"incident": incident}, request=request)


def test_it_shows_decision_buttons_only_to_those_who_may_decide(incident, suspect, lead, viewer):
    assert "Confirm</button>" in render_partial(incident, lead)
    assert "Confirm</button>" not in render_partial(incident, viewer)


def test_it_renders_the_partial_in_a_fixed_number_of_queries(incident, lead, django_assert_max_num_queries):
    service = incident.services.get()
    Deployment.objects.bulk_create(
        Deployment(service=service, version=f"v3.{n}", started_at=incident.started_at - timedelta(minutes=n + 1))
        for n in range(40)
    )
    correlate_incident(incident=incident)
    lead = type(lead).objects.get(pk=lead.pk)

    with django_assert_max_num_queries(4):
        html = render_partial(incident, lead)

    assert html.count('class="suspect suspect-suggested"') == 25


def test_it_tells_when_no_services_are_linked(team, lead):
    incident = Incident.objects.create(title="Unclear", team=team, started_at=timezone.now())

    assert "Link the affected services" in render_partial(incident, lead)


@pytest.mark.parametrize("size", [10, 500])
def test_it_lists_suspects_in_a_fixed_number_of_queries(api, viewer, incident, size, django_assert_max_num_queries):
    from incidents.models import SuspectDeployment

    service = incident.services.get()
    deployments = Deployment.objects.bulk_create(
        Deployment(service=service, version=f"v9.{n}", started_at=incident.started_at - timedelta(minutes=n))
        for n in range(size)
    )
    SuspectDeployment.objects.bulk_create(
        SuspectDeployment(incident=incident, deployment=deployment, score=0.5, reasons=["test"])
        for deployment in deployments
    )
    client = api(viewer)

    with django_assert_max_num_queries(8):
        response = client.get(api_url(incident))

    assert response.json()["count"] == size + 1
