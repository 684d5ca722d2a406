"""Counts, status boxes and pages agree with the rows a user can actually page through.

At these sizes every count is exact, so the numbers on the page, in the API and in the status boxes
must equal what walking every page (HTML page numbers, API cursors) returns — for people who may and
may not see the restricted incidents, with and without filters, and with ties and unknown start times
in the sort key.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse

from incidents.choices import Status
from incidents.conftest import T0, make_incident
from incidents.models import Incident

STATUSES = list(Status)


@pytest.fixture
def incidents(team, other_team, service, other_service):
    """37 incidents: every status, two services, some restricted to each team, ties and a few without a start."""
    made = []
    for i in range(37):
        made.append(
            make_incident(
                title=f"Incident {i}",
                team=team,
                status=STATUSES[i % len(STATUSES)],
                # Every third pair shares a start time; three have none (the sort key has ties and NULLs).
                started_at=None if i % 13 == 5 else T0 - timedelta(hours=i // 2),
                detected_at=None,
                resolved_at=T0 if STATUSES[i % len(STATUSES)] in (Status.RESOLVED, Status.CLOSED) else None,
                services=[service] if i % 3 else [other_service],
                restricted=i % 7 == 0,
                allowed_teams=([team] if i % 14 == 0 else [other_team]) if i % 7 == 0 else [],
            )
        )
    return made


def walk_pages(client, params):
    """Every incident reference on every page of the list, following the page links; and the first page."""
    first = client.get(reverse("incidents:incident_list"), params)
    references, response = [], first
    while True:
        references += [incident.reference for incident in response.context["object_list"]]
        page = response.context["page_obj"]
        if not page.has_next():
            return first, references
        response = client.get(reverse("incidents:incident_list"), {**params, "page": page.next_page_number()})


def walk_api(client, params):
    """Every reference the API lists, following `next` with two per page; and the first body."""
    first = client.get("/api/incidents/", {**params, "page_size": 2}).json()
    references, body = [], first
    while True:
        references += [row["reference"] for row in body["results"]]
        if not body["next"]:
            return first, references
        body = client.get(body["next"]).json()


PERSONAS = ["responder", "other_responder", "outsider", "admin"]
FILTERS = [{}, {"status": "investigating"}, {"service": "payments-api"}, {"status": ["resolved", "closed"]}]


def expected_references(user, params):
    """What the user may see under these filters, straight from the models."""
    incidents = Incident.objects.visible_to(user)
    if "status" in params:
        statuses = params["status"]
        incidents = incidents.filter(status__in=[statuses] if isinstance(statuses, str) else statuses)
    if "service" in params:
        incidents = incidents.filter(services__slug=params["service"])
    return sorted(incident.reference for incident in incidents)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("params", FILTERS, ids=["all", "status", "service", "two-statuses"])
def test_the_page_count_equals_the_rows_paged_through(request, client, incidents, persona, params):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    first, references = walk_pages(client, params)
    assert (first.context["total_count"], sorted(references)) == (len(references), expected_references(user, params))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("params", FILTERS[:3], ids=["all", "status", "service"])
def test_the_api_count_equals_the_rows_its_cursors_walk_in_list_order(request, client, api, incidents, persona, params):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    _, page_references = walk_pages(client, params)
    body, api_references = walk_api(api(user), params)
    assert (body["count"], api_references) == (len(page_references), page_references)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_status_boxes_count_the_rows_of_each_status(request, client, incidents, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    first, references = walk_pages(client, {"service": "payments-api"})
    statuses = dict(Incident.objects.filter(pk__in=[int(r[4:]) for r in references]).values_list("pk", "status"))
    boxes = {facet["value"]: facet["count"] for facet in first.context["status_facets"]}
    assert boxes == {status.value: Counter(statuses.values())[status.value] for status in Status}


def test_the_api_walks_back_with_previous(api, responder, incidents):
    client = api(responder)
    body = client.get("/api/incidents/", {"page_size": 3}).json()
    pages = [body]
    while body["next"]:
        body = client.get(body["next"]).json()
        pages.append(body)
    backward = [pages[-1]]
    while backward[-1]["previous"]:
        backward.append(client.get(backward[-1]["previous"]).json())
    forward = [[row["reference"] for row in page["results"]] for page in pages]
    assert [[row["reference"] for row in page["results"]] for page in reversed(backward)] == forward


@pytest.mark.parametrize("cursor", ["not-base64!", "eyJhZnRlciI6IFsxXX0=", "eyJhZnRlciI6IFsibm90IGEgZGF0ZSIsIDFdfQ=="])
def test_it_answers_a_cursor_it_did_not_make_with_404(api, responder, incidents, cursor):
    assert api(responder).get("/api/incidents/", {"cursor": cursor}).status_code == 404


def test_it_refuses_page_numbers_in_the_api_saying_to_follow_the_links(api, responder, incidents):
    response = api(responder).get("/api/incidents/", {"page": 2})
    assert (response.status_code, "next" in response.json()["page"][0]) == (400, True)


@pytest.mark.parametrize("size", [5, 40])
def test_a_deep_cursor_page_runs_a_fixed_number_of_queries(
    api, responder, team, service, size, django_assert_max_num_queries
):
    for i in range(size):
        make_incident(title=f"Incident {i}", team=team, services=[service], started_at=T0 - timedelta(hours=i))
    client = api(responder)
    next_link = client.get("/api/incidents/", {"page_size": 2}).json()["next"]
    with django_assert_max_num_queries(8):
        assert client.get(next_link).status_code == 200


@pytest.mark.parametrize("size", [5, 40])
def test_the_list_page_runs_a_fixed_number_of_queries(responder, team, service, size, page_within):
    for i in range(size):
        make_incident(title=f"Incident {i}", team=team, services=[service], started_at=T0 - timedelta(hours=i))
    page = {"page": 2 if size > 25 else 1}
    assert page_within(responder, reverse("incidents:incident_list"), page, queries=11).status_code == 200
