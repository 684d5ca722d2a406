"""The service and deployment lists (pages and API) at 5,000 deployments."""

from django.test import Client

from bench.builders import build_deployments, build_services
from bench.conftest import answered

DEPLOYMENTS = 5000
SERVICES = 50


def test_catalog_lists_at_5000_deployments(bench, api, viewer, team, other_team):
    services = build_services([team, other_team], SERVICES)
    build_deployments(services, DEPLOYMENTS)
    client = Client()
    client.force_login(viewer)
    api_client = api(viewer)

    table = bench(
        "Service and deployment lists at 5,000 deployments",
        note=f"{SERVICES} services, each depending on two others; pages of 50.",
    )
    slug = services[7].slug
    for name, url in [
        ("service list page", "/services/"),
        ("service detail page", f"/services/{slug}/"),
        ("deployment list page", "/deployments/"),
        ("deployment list page, service filter", f"/deployments/?service={slug}"),
        ("deployment list page, search 'v1.4'", "/deployments/?q=v1.4"),
        ("deployment list page 50 of 100", "/deployments/?page=50"),
    ]:
        table.measure(name, lambda url=url: answered(200, client.get, url), rows=DEPLOYMENTS)
    for name, url in [
        ("API services", "/api/services/"),
        ("API deployments", "/api/deployments/"),
        ("API deployments, service filter", f"/api/deployments/?service={slug}"),
    ]:
        table.measure(name, lambda url=url: answered(200, api_client.get, url), rows=DEPLOYMENTS)
