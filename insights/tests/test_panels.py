"""Insights' section on the service page: the service's MTBF and its SLOs' budgets."""

from insights import rollups
from insights.tests.test_slo_burn import report_every_5_minutes
from services.models import SLO


def test_the_service_page_shows_its_mtbf_with_counts(client, viewer, history):
    rollups.recompute_all()
    client.force_login(viewer)
    mtbf = client.get("/services/search/").context["mtbf"]
    assert [(line["label"], line["row"].incident_count) for line in mtbf][-1] == ("All time", 9)


def test_the_service_page_counts_restricted_incidents_only_for_a_site_admin(client, admin, history):
    rollups.recompute_all()
    client.force_login(admin)
    # Search has 8 capacity incidents, 1 unclassified one shared with checkout, and 1 restricted one.
    assert client.get("/services/search/").context["mtbf"][-1]["row"].incident_count == 10


def test_the_service_page_shows_slo_budgets(client, viewer, history, django_capture_on_commit_callbacks):
    _, search = history
    slo = SLO.objects.create(service=search, name="results", user_journey="Find a product", objective_percent="99")
    with django_capture_on_commit_callbacks(execute=True):
        report_every_5_minutes(slo, hours=1, error_rate=0.0)
    client.force_login(viewer)
    response = client.get("/services/search/")
    assert b"Find a product" in response.content
    assert b"100%" in response.content
