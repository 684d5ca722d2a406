"""The /insights/ dashboard: figures from the rollups, the reader's scope, fixed queries, links that add up."""

import pytest

from actions.models import ActionItem
from insights import rollups
from insights.tests.conftest import add_incident
from services.models import Service


@pytest.fixture
def computed(history):
    rollups.recompute_all()
    return history


def test_it_shows_mtbf_per_class_with_its_counts(client, viewer, computed):
    client.force_login(viewer)
    lines = client.get("/insights/", {"window": "all"}).context["class_lines"]
    capacity = next(line for line in lines if line["row"].key == "capacity-load")
    assert (capacity["row"].incident_count, capacity["enough_data"]) == (8, True)


def test_it_says_restricted_incidents_are_left_out(client, viewer, computed):
    client.force_login(viewer)
    assert b"Restricted incidents are left out" in client.get("/insights/").content


def test_a_site_admin_sees_restricted_incidents_counted(client, admin, computed):
    client.force_login(admin)
    lines = client.get("/insights/", {"window": "all"}).context["class_lines"]
    assert next(line for line in lines if line["row"].key == "capacity-load")["row"].incident_count == 9


def test_the_outsider_sees_no_restricted_incident_in_the_figures(client, outsider, computed):
    client.force_login(outsider)
    lines = client.get("/insights/", {"window": "all"}).context["class_lines"]
    assert next(line for line in lines if line["row"].key == "capacity-load")["row"].incident_count == 8


def test_it_sends_anonymous_readers_to_sign_in(client, db):
    assert client.get("/insights/").status_code == 302


def test_every_class_count_links_to_as_many_incidents(client, viewer, computed):
    client.force_login(viewer)
    for line in client.get("/insights/", {"window": "all"}).context["class_lines"]:
        listed = client.get(line["incidents_url"]).context["page_obj"].paginator.count
        assert listed == line["row"].incident_count, line["row"].key


def test_it_filters_services_by_team(client, viewer, team, computed):
    client.force_login(viewer)
    lines = client.get("/insights/", {"team": team.slug}).context["service_lines"]
    assert [line["row"].key for line in lines] == ["checkout"]


def test_it_refuses_an_unknown_period_with_a_form_error(client, viewer, computed):
    client.force_login(viewer)
    response = client.get("/insights/", {"window": "7d"})
    assert response.context["filter_form"].errors


def test_it_runs_a_fixed_number_of_queries(client, viewer, team, classes, django_assert_max_num_queries):
    client.force_login(viewer)
    service = Service.objects.create(name="Checkout", slug="checkout", team=team)
    _, config, capacity = classes
    counts = []
    for size in (3, 30):
        for n in range(size):
            incident = add_incident(
                days_ago=n * 3 + 1, root_class=config if n % 2 else capacity, team=team, services=[service], hours=2
            )
            ActionItem.objects.create(review=incident.review, category="preventive", title=f"Fix {n}", team=team)
        rollups.recompute_all()
        with django_assert_max_num_queries(16) as captured:
            assert client.get("/insights/", {"window": "all"}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_it_shows_the_services_with_the_most_incidents_and_says_how_many_more(client, viewer, computed, monkeypatch):
    from insights import dashboard

    client.force_login(viewer)
    everything = client.get("/insights/", {"window": "all"}).context["service_lines"]
    assert len(everything) >= 2
    monkeypatch.setattr(dashboard, "SERVICES_SHOWN", 1)
    response = client.get("/insights/", {"window": "all"})
    assert response.context["service_lines"] == everything[:1]
    assert f"The 1 services with the most incidents, of {len(everything)}" in response.content.decode()
