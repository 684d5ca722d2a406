"""Incident tags: added and removed by people on the incident page (htmx) and through the API."""

import pytest
from django.urls import reverse

from conftest import if_match
from incidents.choices import TagKind
from incidents.conftest import make_incident
from incidents.models import IncidentTag

pytestmark = pytest.mark.django_db

DEPLOY = {"kind": TagKind.DEPLOY_VERSION, "value": "v2.14.0"}


def add_url(incident):
    return reverse("incidents:tag_add", args=[incident.reference])


def remove_url(tag):
    return reverse("incidents:tag_remove", args=[tag.incident.reference, tag.pk])


def tags_of(incident):
    return sorted((tag.kind, tag.value, tag.service.slug if tag.service else None) for tag in incident.tags.all())


# --- The incident page ----------------------------------------------------------------


def test_it_adds_a_tag_from_the_incident_page(client, responder, incident, service):
    client.force_login(responder)
    response = client.post(add_url(incident), {**DEPLOY, "service": service.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert tags_of(incident) == [("deploy_version", "v2.14.0", "payments-api")]
    assert "v2.14.0" in response.content.decode()


def test_it_redirects_back_to_the_tags_without_javascript(client, responder, incident):
    client.force_login(responder)
    response = client.post(add_url(incident), DEPLOY)
    assert (response.status_code, response["Location"]) == (302, incident.get_absolute_url() + "#tags")


def test_it_refuses_a_duplicate_tag_with_a_form_error(client, responder, incident):
    IncidentTag.objects.create(incident=incident, **DEPLOY)
    client.force_login(responder)
    response = client.post(add_url(incident), DEPLOY, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "already has the tag" in response.content.decode()
    assert incident.tags.count() == 1


def test_it_refuses_an_empty_value(client, responder, incident):
    client.force_login(responder)
    response = client.post(add_url(incident), {"kind": TagKind.COMPONENT, "value": "  "}, HTTP_HX_REQUEST="true")
    assert (response.status_code, incident.tags.count()) == (400, 0)


def test_it_removes_a_tag_from_the_incident_page(client, responder, incident):
    tag = IncidentTag.objects.create(incident=incident, **DEPLOY)
    client.force_login(responder)
    response = client.post(remove_url(tag), HTTP_HX_REQUEST="true")
    assert (response.status_code, incident.tags.count()) == (200, 0)


@pytest.mark.parametrize("persona", ["viewer", "outsider", "other_responder"])
def test_it_refuses_tag_changes_to_those_who_may_not_edit(client, request, incident, persona):
    tag = IncidentTag.objects.create(incident=incident, **DEPLOY)
    client.force_login(request.getfixturevalue(persona))
    assert client.post(add_url(incident), {"kind": TagKind.COMPONENT, "value": "db"}).status_code == 403
    assert client.post(remove_url(tag)).status_code == 403
    assert tags_of(incident) == [("deploy_version", "v2.14.0", None)]


def test_it_hides_tag_changes_on_a_restricted_incident(client, other_responder, restricted):
    client.force_login(other_responder)
    assert client.post(add_url(restricted), DEPLOY).status_code == 404


def test_it_does_not_remove_another_incidents_tag(client, responder, incident, team):
    elsewhere = make_incident(title="Elsewhere", team=team)
    tag = IncidentTag.objects.create(incident=elsewhere, **DEPLOY)
    client.force_login(responder)
    response = client.post(reverse("incidents:tag_remove", args=[incident.reference, tag.pk]))
    assert (response.status_code, elsewhere.tags.count()) == (404, 1)


def test_it_shows_the_tag_form_only_to_editors(client, viewer, responder, incident):
    client.force_login(viewer)
    assert 'id="tag-add"' not in client.get(incident.get_absolute_url()).content.decode()
    client.force_login(responder)
    assert 'id="tag-add"' in client.get(incident.get_absolute_url()).content.decode()


# --- The API -------------------------------------------------------------------------


def detail(incident):
    return f"/api/incidents/{incident.reference}/"


def test_it_reads_tags_with_the_service_slug(api, viewer, incident, service):
    IncidentTag.objects.create(incident=incident, service=service, **DEPLOY)
    body = api(viewer).get(detail(incident)).json()
    assert body["tags"] == [{"kind": "deploy_version", "value": "v2.14.0", "service": "payments-api"}]


def test_it_replaces_tags_through_the_api(api, responder, incident, service):
    kept = IncidentTag.objects.create(incident=incident, **DEPLOY)
    IncidentTag.objects.create(incident=incident, kind=TagKind.COMPONENT, value="old-db")
    tags = [{**DEPLOY, "service": None}, {"kind": "config_version", "value": "flags@41", "service": "payments-api"}]
    response = api(responder).patch(
        detail(incident), {"tags": tags}, format="json", **if_match(api(responder), detail(incident))
    )
    assert response.status_code == 200
    assert sorted(response.json()["tags"], key=lambda tag: tag["kind"]) == sorted(tags, key=lambda tag: tag["kind"])
    assert incident.tags.filter(pk=kept.pk).exists()  # a tag that stays keeps its row
    assert tags_of(incident) == [("config_version", "flags@41", "payments-api"), ("deploy_version", "v2.14.0", None)]


def test_it_creates_an_incident_with_tags(api, responder, service):
    body = {"title": "Checkout 502", "team": "payments", "tags": [{"kind": "component", "value": "nginx"}]}
    response = api(responder).post("/api/incidents/", body, format="json")
    assert response.status_code == 201
    assert response.json()["tags"] == [{"kind": "component", "value": "nginx", "service": None}]


def test_it_leaves_tags_alone_when_a_patch_does_not_name_them(api, responder, incident):
    IncidentTag.objects.create(incident=incident, **DEPLOY)
    api(responder).patch(
        detail(incident), {"title": "Renamed"}, format="json", **if_match(api(responder), detail(incident))
    )
    assert incident.tags.count() == 1


@pytest.mark.parametrize(
    ("tag", "field"),
    [
        ({"kind": "colour", "value": "red"}, "kind"),
        ({"kind": "component", "value": ""}, "value"),
        ({"kind": "component", "value": "db", "service": "no-such-service"}, "service"),
    ],
)
def test_it_refuses_bad_tags_with_field_errors_and_writes_nothing(api, responder, incident, tag, field):
    IncidentTag.objects.create(incident=incident, **DEPLOY)
    response = api(responder).patch(
        detail(incident),
        {"title": "Renamed", "tags": [tag]},
        format="json",
        **if_match(api(responder), detail(incident)),
    )
    assert response.status_code == 400
    assert field in response.json()["tags"]["0"]  # errors keyed by the position in the list
    incident.refresh_from_db()
    assert (incident.title, tags_of(incident)) == ("Card payments failing", [("deploy_version", "v2.14.0", None)])


def test_it_refuses_tag_writes_to_a_viewer(api, viewer, incident):
    response = api(viewer).patch(detail(incident), {"tags": [DEPLOY]}, format="json")
    assert (response.status_code, incident.tags.count()) == (403, 0)


def test_it_refuses_tag_writes_to_the_outsider(api, outsider, incident):
    response = api(outsider).patch(detail(incident), {"tags": [DEPLOY]}, format="json")
    assert (response.status_code, incident.tags.count()) == (403, 0)
