"""Who may change the catalog through the API: the owning team's responders (and site admins) only."""

from datetime import UTC, datetime

import pytest

from services.choices import Tier
from services.models import Dependency, Deployment, Service


@pytest.fixture
def catalog(team, service):
    """The Payments team's records: two services, a dependency between them, one deployment."""
    ledger = Service.objects.create(name="Ledger", slug="ledger", team=team, tier=Tier.TIER_1)
    dependency = Dependency.objects.create(service=service, depends_on=ledger)
    deployment = Deployment.objects.create(
        service=service, version="v1.0.0", started_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC), source="manual"
    )
    return {"dependency": dependency.pk, "deployment": deployment.pk}


SERVICE = {"slug": "payouts", "name": "Payouts", "team": "payments", "tier": 2}
DEPENDENCY = {"service": "payments-api", "depends_on": "ledger", "kind": "async", "critical": True}
DEPLOYMENT = {
    "service": "payments-api",
    "version": "v1.0.1",
    "started_at": "2026-03-01T11:00:00Z",
    "source": "manual",
    "status": "succeeded",
}

# (method, path, body): every write the catalog API offers, aimed at the Payments team's records.
WRITES = {
    "create-service": ("post", "/api/services/", SERVICE),
    "replace-service": ("put", "/api/services/payments-api/", {**SERVICE, "slug": "payments-api", "name": "Pay"}),
    "edit-service": ("patch", "/api/services/payments-api/", {"tier": 3}),
    "delete-service": ("delete", "/api/services/ledger/", None),
    "create-dependency": (
        "post",
        "/api/dependencies/",
        {**DEPENDENCY, "depends_on": "payments-api", "service": "ledger"},
    ),
    "replace-dependency": ("put", "/api/dependencies/{dependency}/", DEPENDENCY),
    "edit-dependency": ("patch", "/api/dependencies/{dependency}/", {"critical": True}),
    "delete-dependency": ("delete", "/api/dependencies/{dependency}/", None),
    "create-deployment": ("post", "/api/deployments/", DEPLOYMENT),
    "replace-deployment": ("put", "/api/deployments/{deployment}/", DEPLOYMENT),
    "edit-deployment": ("patch", "/api/deployments/{deployment}/", {"status": "rolled_back"}),
    "delete-deployment": ("delete", "/api/deployments/{deployment}/", None),
}


def attempt(client, write, catalog):
    method, path, body = WRITES[write]
    return getattr(client, method)(path.format(**catalog), body, format="json")


def snapshot():
    """Everything the catalog holds, to show a refused write changed nothing."""
    return (
        list(Service.objects.values_list("slug", "name", "team__slug", "tier").order_by("slug")),
        list(Dependency.objects.values_list("service__slug", "depends_on__slug", "kind", "critical").order_by("pk")),
        list(Deployment.objects.values_list("service__slug", "version", "status").order_by("pk")),
    )


@pytest.mark.parametrize("write", WRITES)
def test_it_refuses_the_outsider_every_write(api, outsider, catalog, write):
    assert attempt(api(outsider), write, catalog).status_code == 403


@pytest.mark.parametrize("write", WRITES)
def test_it_refuses_a_viewer_every_write(api, viewer, catalog, write):
    assert attempt(api(viewer), write, catalog).status_code == 403


@pytest.mark.parametrize("write", WRITES)
def test_it_refuses_a_responder_of_another_team_every_write_to_this_teams_records(api, other_responder, catalog, write):
    assert attempt(api(other_responder), write, catalog).status_code == 403


@pytest.mark.parametrize("write", WRITES)
def test_it_refuses_anonymous_writes(api, catalog, write):
    assert attempt(api(None), write, catalog).status_code in {401, 403}


@pytest.mark.parametrize("write", WRITES)
def test_it_changes_nothing_when_it_refuses_a_write(api, other_responder, catalog, write):
    before = snapshot()
    attempt(api(other_responder), write, catalog)
    assert snapshot() == before


@pytest.mark.parametrize("write", WRITES)
def test_it_lets_a_responder_of_the_owning_team_write(api, responder, catalog, write):
    assert attempt(api(responder), write, catalog).status_code in {200, 201, 204}


@pytest.mark.parametrize("write", WRITES)
def test_it_lets_a_site_admin_write(api, admin, catalog, write):
    assert attempt(api(admin), write, catalog).status_code in {200, 201, 204}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/services/payments-api/", {"team": "search"}),
        ("/api/dependencies/{dependency}/", {"service": "search-api"}),
        ("/api/deployments/{deployment}/", {"service": "search-api"}),
    ],
    ids=["service", "dependency", "deployment"],
)
def test_it_refuses_to_hand_a_record_to_a_team_the_writer_is_not_in(api, responder, catalog, other_service, path, body):
    before = snapshot()
    response = api(responder).patch(path.format(**catalog), body, format="json")
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    "path", ["/api/services/", "/api/services/payments-api/", "/api/dependencies/", "/api/deployments/"]
)
def test_it_lets_anyone_signed_in_read(api, outsider, catalog, path):
    assert api(outsider).get(path).status_code == 200


def test_it_refuses_anonymous_reads(api, catalog):
    assert api(None).get("/api/services/").status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/dependencies/", {"service": "ledger", "depends_on": "ledger"}),
        ("patch", "/api/dependencies/{dependency}/", {"depends_on": "payments-api"}),
    ],
    ids=["create", "edit"],
)
def test_it_answers_a_service_depending_on_itself_with_400(api, admin, catalog, method, path, body):
    before = snapshot()
    response = getattr(api(admin), method)(path.format(**catalog), body, format="json")
    assert response.status_code == 400
    assert response.json() == {"depends_on": ["A service cannot depend on itself."]}
    assert snapshot() == before
