"""/search/, the header box's quick results and /api/search/: restricted incidents never leak."""

import pytest
from django.urls import reverse

from incidents.models import Incident

pytestmark = pytest.mark.django_db

SEARCH_QUERIES = 10  # session, user, memberships, known words, corrections, hits, counts, services: any size


@pytest.fixture
def secret(other_team, django_capture_on_commit_callbacks):
    """A restricted incident of another team whose words overlap the runbook's."""
    with django_capture_on_commit_callbacks(execute=True):
        incident = Incident.objects.create(
            title="Connection pool exhausted by the leaked credential",
            summary="Attacker held every connection",
            team=other_team,
            restricted=True,
        )
        incident.allowed_teams.set([other_team])
    return incident


def test_it_finds_a_runbook_from_a_misspelled_symptom(client, viewer, runbook):
    client.force_login(viewer)
    page = client.get(reverse("playbooks:search"), {"q": "conection pool exausted"}).content.decode()
    assert "Database connection pool exhausted" in page
    assert "<mark>" in page


def test_it_never_shows_counts_or_snippets_of_restricted_incidents_to_outsiders(client, viewer, runbook, secret):
    client.force_login(viewer)
    page = client.get(reverse("playbooks:search"), {"q": "connection pool"}).content.decode()
    assert "leaked credential" not in page
    assert "Attacker" not in page
    assert "1 result" in page


def test_it_shows_restricted_incidents_to_their_team(client, other_responder, runbook, secret):
    client.force_login(other_responder)
    assert "leaked credential" in client.get(reverse("playbooks:search"), {"q": "connection pool"}).content.decode()


def test_the_api_never_counts_restricted_incidents_for_outsiders(api, viewer, runbook, secret):
    body = api(viewer).get("/api/search/", {"q": "connection pool"}).json()
    assert body["counts"] == {"runbook": 1}
    assert "leaked" not in str(body)


def test_the_api_filters_by_type_and_service(api, viewer, runbook, incident, django_capture_on_commit_callbacks):
    body = (
        api(viewer).get("/api/search/", {"q": "connection pool", "type": "runbook", "service": "payments-api"}).json()
    )
    assert [hit["reference"] for hit in body["results"]] == [runbook.slug]


def test_the_api_refuses_anonymous_requests(api, runbook):
    assert api().get("/api/search/", {"q": "pool"}).status_code in (401, 403)


def test_the_api_answers_400_for_a_bad_date(api, viewer):
    assert api(viewer).get("/api/search/", {"q": "pool", "since": "yesterday"}).status_code == 400


def test_the_quick_results_are_a_short_list_of_links(client, viewer, runbook):
    client.force_login(viewer)
    page = client.get(reverse("playbooks:search"), {"q": "pool", "quick": "1"}).content.decode()
    assert 'role="listbox"' in page
    assert runbook.get_absolute_url() in page


@pytest.mark.parametrize("count", [1, 30])
def test_it_searches_in_fixed_queries(viewer, team, django_capture_on_commit_callbacks, count, page_within):
    from playbooks.tests.conftest import make_playbook

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(count):
            make_playbook(team=team, slug=f"pool-{n}", title=f"Connection pool runbook {n}")
    page_within(viewer, reverse("playbooks:search"), {"q": "conection pool"}, queries=SEARCH_QUERIES)


def test_it_refuses_anonymous_visitors(client):
    assert client.get(reverse("playbooks:search"), {"q": "pool"}).status_code == 302


def test_it_searches_every_type_when_the_form_says_any_type(client, viewer, runbook):
    client.force_login(viewer)
    page = client.get(reverse("playbooks:search"), {"q": "pool", "type": "", "service": "", "since": ""})
    assert runbook.title in page.content.decode()
