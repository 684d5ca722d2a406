import pytest

from postmortems.models import CausalFactor, CausalLink, Review, RootCauseClass
from postmortems.tests.factories import CausalFactorFactory, IncidentFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def test_it_creates_a_review_named_by_incident_reference(api, incident, responder):
    response = api(responder).post(
        "/api/reviews/",
        {"incident": incident.reference, "summary": "Hello", "primary_class": "network", "authors": ["rae-responder"]},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["incident"] == incident.reference
    assert response.data["primary_class"] == "network"
    assert response["ETag"]


def test_it_refuses_a_review_for_an_unknown_incident_with_400(api, responder):
    response = api(responder).post("/api/reviews/", {"incident": "INC-999"}, format="json")
    assert response.status_code == 400
    assert "incident" in response.data
    assert not Review.objects.exists()


def test_it_refuses_review_creation_to_an_outsider(api, incident, outsider):
    assert api(outsider).post("/api/reviews/", {"incident": incident.reference}, format="json").status_code == 403


def test_it_adds_factors_and_links_by_id(api, review, responder):
    client = api(responder)
    url = f"/api/reviews/{review.reference}"
    cause = client.post(f"{url}/factors/", {"description": "disk full", "is_root_cause": True}, format="json")
    effect = client.post(f"{url}/factors/", {"description": "500s", "is_symptom": True}, format="json")
    assert cause.status_code == effect.status_code == 201
    link = client.post(f"{url}/links/", {"cause": cause.data["id"], "effect": effect.data["id"]}, format="json")
    assert link.status_code == 201
    assert CausalLink.objects.get().effect_id == effect.data["id"]
    detail = client.get(f"{url}/").data
    assert f"f{cause.data['id']} --> f{effect.data['id']}" in detail["mermaid"]


def test_it_refuses_a_cycle_in_the_api_with_400(api, review, responder):
    a, b = CausalFactorFactory(review=review), CausalFactorFactory(review=review)
    client = api(responder)
    client.post(f"/api/reviews/{review.reference}/links/", {"cause": a.pk, "effect": b.pk}, format="json")
    response = client.post(f"/api/reviews/{review.reference}/links/", {"cause": b.pk, "effect": a.pk}, format="json")
    assert response.status_code == 400
    assert "cycle" in str(response.data)
    assert CausalLink.objects.count() == 1


def test_it_refuses_a_link_to_another_reviews_factor_in_the_api(api, review, responder):
    ours, theirs = CausalFactorFactory(review=review), CausalFactorFactory(review=ReviewFactory())
    response = api(responder).post(
        f"/api/reviews/{review.reference}/links/", {"cause": ours.pk, "effect": theirs.pk}, format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in str(response.data["effect"])  # another review's factor is not among the choices


def test_it_refuses_a_factor_without_a_description_with_400(api, review, responder):
    response = api(responder).post(f"/api/reviews/{review.reference}/factors/", {"kind": "event"}, format="json")
    assert response.status_code == 400
    assert "description" in response.data
    assert not CausalFactor.objects.exists()


def test_it_refuses_factor_writes_to_an_outsider(api, review, outsider):
    response = api(outsider).post(f"/api/reviews/{review.reference}/factors/", {"description": "x"}, format="json")
    assert response.status_code == 403


def test_it_publishes_through_the_api_or_says_why_not(api, review, lead):
    response = api(lead).post(f"/api/reviews/{review.reference}/publish/")
    assert response.status_code == 400
    assert "root cause" in str(response.data)


def test_it_lists_root_cause_classes_by_slug(api, viewer):
    results = api(viewer).get("/api/root-cause-classes/?page_size=100").data["results"]
    network = next(row for row in results if row["slug"] == "network")
    assert network["parent"] == "infrastructure-hardware"


def test_it_lets_a_lead_add_a_root_cause_class(api, lead):
    response = api(lead).post(
        "/api/root-cause-classes/", {"slug": "quota", "name": "Quota", "parent": "capacity-load"}, format="json"
    )
    assert response.status_code == 201
    assert RootCauseClass.objects.get(slug="quota").parent.slug == "capacity-load"


def test_it_refuses_root_cause_class_changes_to_a_responder(api, responder):
    assert api(responder).post("/api/root-cause-classes/", {"slug": "x", "name": "X"}, format="json").status_code == 403


def test_it_refuses_a_parent_loop_in_the_taxonomy(api, lead):
    response = api(lead).patch("/api/root-cause-classes/infrastructure-hardware/", {"parent": "network"}, format="json")
    assert response.status_code == 400
    assert "ancestor" in str(response.data)


def test_it_refuses_deleting_a_class_in_use(api, review, admin):
    Review.objects.filter(pk=review.pk).update(primary_class=RootCauseClass.objects.get(slug="unknown"))
    assert api(admin).delete("/api/root-cause-classes/unknown/").status_code == 409


# --- FilterSet: params in, count out (the same FilterSet serves the list page) ---


@pytest.fixture
def filtered(team, other_team):
    from datetime import timedelta

    from django.utils import timezone

    from services.models import Service

    service = Service.objects.create(name="Ledger", slug="ledger", team=team)
    network = RootCauseClass.objects.get(slug="network")
    one = ReviewFactory(incident=IncidentFactory(team=team), status="published", primary_class=network)
    one.incident.services.add(service)
    Review.objects.filter(pk=one.pk).update(published_at=timezone.now() - timedelta(days=3))
    two = ReviewFactory(incident=IncidentFactory(team=other_team))
    two.secondary_classes.add(RootCauseClass.objects.get(slug="code-defect"))
    ReviewFactory(incident=IncidentFactory(team=other_team), status="in_review")


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ("", 3),
        ("status=published", 1),
        ("status=draft", 1),
        ("root_cause_class=network", 1),
        ("root_cause_class=infrastructure-hardware", 1),
        ("root_cause_class=code-defect", 1),
        ("root_cause_class=change", 1),
        ("service=ledger", 1),
        ("team=payments", 1),
        ("team=search", 2),
        ("published_after=2000-01-01T00:00:00Z", 1),
        ("published_before=2000-01-01T00:00:00Z", 0),
    ],
)
def test_it_filters_reviews(api, viewer, filtered, params, count):
    assert api(viewer).get(f"/api/reviews/?{params}").data["count"] == count


def test_it_documents_an_unpublished_reviews_publisher_as_null(client):
    components = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    documented = {
        name: components[name]["properties"]["published_by"].get("nullable") for name in ("Review", "ReviewDetail")
    }
    assert documented == {"Review": True, "ReviewDetail": True}
