"""The catalog pages: ordered, filtered by the shared FilterSets, partial for htmx, signed-in only."""

import pytest

from services.choices import Tier
from services.models import Dependency, Service


@pytest.fixture
def signed_in(client, viewer):
    client.force_login(viewer)
    return client


def names_on(response):
    return [service.name for service in response.context["object_list"]]


def test_it_lists_services_by_name(signed_in, team):
    for name in ["Zeta", "alpha", "Mu"]:
        Service.objects.create(name=name, slug=name.lower(), team=team)
    Dependency.objects.create(service=Service.objects.get(slug="zeta"), depends_on=Service.objects.get(slug="mu"))
    assert names_on(signed_in.get("/services/")) == ["Mu", "Zeta", "alpha"]


def test_it_counts_dependencies_both_ways(signed_in, service, team):
    ledger = Service.objects.create(name="Ledger", slug="ledger", team=team)
    Dependency.objects.create(service=service, depends_on=ledger)
    rows = {
        row.slug: (row.dependency_count, row.dependent_count)
        for row in signed_in.get("/services/").context["object_list"]
    }
    assert rows == {"ledger": (0, 1), "payments-api": (1, 0)}


def test_it_filters_the_service_list_by_team(signed_in, service, other_service):
    assert names_on(signed_in.get("/services/", {"team": "search"})) == ["Search API"]


def test_it_answers_htmx_with_the_results_only(signed_in, service):
    response = signed_in.get("/services/", {"tier": Tier.TIER_1}, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "services/inc/_service_results.html"


def test_it_answers_a_full_page_without_htmx(signed_in, service):
    assert "services/service_list.html" in [template.name for template in signed_in.get("/services/").templates]


@pytest.mark.parametrize("path", ["/", "/services/", "/services/payments-api/", "/deployments/"])
def test_it_sends_anonymous_visitors_to_sign_in(client, service, path):
    response = client.get(path)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/login/")


def test_it_shows_a_service_with_its_dependencies(signed_in, service, other_service):
    Dependency.objects.create(service=service, depends_on=other_service, critical=True)
    response = signed_in.get("/services/payments-api/")
    assert [dependency.depends_on.slug for dependency in response.context["dependencies"]] == ["search-api"]


def test_it_answers_404_for_an_unknown_service(signed_in, db):
    assert signed_in.get("/services/no-such-service/").status_code == 404


def test_it_renders_a_service_description_as_sanitized_markdown(signed_in, team):
    Service.objects.create(name="Pricing", slug="pricing", team=team, description="**Tax** <script>alert(1)</script>")
    html = signed_in.get("/services/pricing/").content.decode()
    assert "<strong>Tax</strong>" in html
    assert "<script>alert(1)" not in html
