"""The insights API: rows with their counts, scoped to what the reader may see, at a fixed query count."""

from datetime import timedelta

import pytest

from actions.models import ActionItem
from incidents.models import Incident
from insights import rollups
from insights.tests.conftest import add_incident
from services.models import Service

ENDPOINTS = ["mtbf", "durations", "repeats", "unplanned-work"]


def rows(client, endpoint, **params):
    response = client.get(f"/api/insights/{endpoint}/", params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def computed(history):
    rollups.recompute_all()
    return history


def test_it_lists_mtbf_per_class_by_slug_with_counts(api, viewer, computed):
    (row,) = [row for row in rows(api(viewer), "mtbf", by="class", window="all") if row["key"] == "capacity-load"]
    assert (row["incident_count"], row["interval_count"], row["enough_data"]) == (8, 7, True)


def test_it_lists_mtbf_per_service(api, viewer, computed):
    keys = {row["key"] for row in rows(api(viewer), "mtbf", by="service", window="90d")}
    assert keys == {"checkout", "search"}


def test_it_says_not_enough_data_with_nulls(api, viewer, computed):
    (row,) = [r for r in rows(api(viewer), "mtbf", by="class", window="90d") if r["key"] == "configuration-change"]
    assert (row["enough_data"], row["median_days"], row["mean_days"]) == (False, None, None)


def test_a_site_admin_counts_restricted_incidents(api, admin, computed):
    (row,) = [row for row in rows(api(admin), "mtbf", by="class", window="all") if row["key"] == "capacity-load"]
    assert row["incident_count"] == 9


def test_every_mtbf_number_links_to_the_incidents_it_counts(client, viewer, api, computed):
    (row,) = [r for r in rows(api(viewer), "mtbf", by="class", window="all") if r["key"] == "capacity-load"]
    client.force_login(viewer)
    page = client.get(row["incidents_url"])
    assert page.context["page_obj"].paginator.count == row["incident_count"]


def test_it_lists_repeats_with_the_actions_meant_to_stop_them(api, viewer, other_team, computed):
    previous = Incident.objects.get(review__primary_class__slug="capacity-load", started_at__lt=add_days_ago(150))
    ActionItem.objects.create(
        review=previous.review, category="preventive", title="Autoscale the search tier", team=other_team
    )
    ActionItem.objects.create(review=previous.review, category="immediate_fix", title="Restart", team=other_team)
    (row,) = [r for r in rows(api(viewer), "repeats") if r["previous"] == previous.reference]
    assert [action["title"] for action in row["actions"]] == ["Autoscale the search tier"]


def add_days_ago(days):
    from django.utils import timezone

    return timezone.now() - timedelta(days=days)


def test_it_filters_durations_by_severity(api, viewer, computed):
    found = rows(api(viewer), "durations", severity="sev1", window="all")
    assert [row["severity"] for row in found] == ["sev1"] * len(found) != []


def test_it_filters_repeats_by_team(api, viewer, team, computed):
    assert {row["service"] for row in rows(api(viewer), "repeats", team=team.slug)} == {"checkout"}


def test_it_refuses_an_unknown_window(api, viewer, computed):
    assert api(viewer).get("/api/insights/mtbf/", {"window": "7d"}).status_code == 400


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_it_refuses_anonymous_readers(api, endpoint, db):
    assert api().get(f"/api/insights/{endpoint}/").status_code in (401, 403)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_outsider_sees_only_unrestricted_figures(api, outsider, endpoint, computed):
    for row in rows(api(outsider), endpoint, window="all"):
        assert row.get("key") != "capacity-load" or row["incident_count"] == 8


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_it_runs_a_fixed_number_of_queries(api, viewer, team, classes, endpoint, django_assert_max_num_queries):
    client = api(viewer)
    _, config, _ = classes
    service = Service.objects.create(name="Checkout", slug="checkout", team=team)
    counts = []
    for size in (3, 30):
        for n in range(size):
            incident = add_incident(days_ago=n + 1, root_class=config, team=team, services=[service])
            ActionItem.objects.create(review=incident.review, category="corrective", title=f"Fix {n}", team=team)
        rollups.recompute_all()
        with django_assert_max_num_queries(8) as captured:
            rows(client, endpoint, window="all")
        counts.append(len(captured))
    assert counts[0] == counts[1]
