"""One line per filter: parameters in, expected count out (the page and the API share these FilterSets)."""

from datetime import UTC, datetime

import pytest

from accounts.models import Team
from services.choices import DeploymentStatus, DeploymentStrategy, Tier
from services.filtersets import DeploymentFilterSet, ServiceFilterSet
from services.models import Deployment, Service


@pytest.fixture
def catalog(db):
    payments = Team.objects.create(name="Payments", slug="payments")
    search = Team.objects.create(name="Search", slug="search")
    services = {
        "payments-api": Service.objects.create(
            name="Payments API", slug="payments-api", team=payments, tier=Tier.TIER_1, description="Card payments."
        ),
        "ledger": Service.objects.create(
            name="Ledger", slug="ledger", team=payments, tier=Tier.TIER_1, description="Double-entry bookkeeping."
        ),
        "payouts": Service.objects.create(name="Payouts", slug="payouts", team=payments, tier=Tier.TIER_2),
        "search-api": Service.objects.create(
            name="Search API", slug="search-api", team=search, tier=Tier.TIER_3, description="Catalog search."
        ),
    }
    rows = [
        # service, version, environment, status, strategy, started (March 2026), source, commit
        ("payments-api", "v1.0.0", "production", "succeeded", "global", 1, "github-actions", "abc123"),
        ("payments-api", "v1.1.0", "production", "failed", "canary", 5, "github-actions", "def456"),
        ("payments-api", "v1.1.1", "staging", "succeeded", "global", 6, "argo-cd", ""),
        ("ledger", "v7.0.0", "production", "rolled_back", "global", 10, "argo-cd", "abc999"),
        ("payouts", "v0.9.0", "Production", "in_progress", "canary", 15, "manual", ""),
        ("search-api", "v3.2.0", "production", "succeeded", "global", 20, "spinnaker", "fff000"),
    ]
    for slug, version, environment, status, strategy, day, source, commit in rows:
        Deployment.objects.create(
            service=services[slug],
            version=version,
            environment=environment,
            status=DeploymentStatus(status),
            strategy=DeploymentStrategy(strategy),
            started_at=datetime(2026, 3, day, 12, 0, tzinfo=UTC),
            source=source,
            commit_sha=commit,
        )


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, 4),
        ({"team": "payments"}, 3),
        ({"team": "search"}, 1),
        ({"tier": "1"}, 2),
        ({"tier": "3"}, 1),
        ({"team": "payments", "tier": "2"}, 1),
        ({"q": "api"}, 2),
        ({"q": "LEDGER"}, 1),
        ({"q": "bookkeeping"}, 1),
        ({"q": "payouts"}, 1),
        ({"q": "nothing-like-this"}, 0),
    ],
)
def test_it_filters_services(catalog, params, count):
    assert ServiceFilterSet(params, queryset=Service.objects.all()).qs.count() == count


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, 6),
        ({"service": "payments-api"}, 3),
        ({"service": "ledger"}, 1),
        ({"team": "payments"}, 5),
        ({"team": "search"}, 1),
        ({"status": "succeeded"}, 3),
        ({"status": "rolled_back"}, 1),
        ({"strategy": "canary"}, 2),
        ({"environment": "production"}, 5),
        ({"environment": "staging"}, 1),
        ({"started_after": "2026-03-06T00:00:00Z"}, 4),
        ({"started_before": "2026-03-06T00:00:00Z"}, 2),
        ({"started_after": "2026-03-06T00:00"}, 4),  # as the browser's date-time picker sends it
        ({"started_after": "2026-03-05T12:00:00Z", "started_before": "2026-03-10T12:00:00Z"}, 2),
        ({"q": "v1.1"}, 2),
        ({"q": "abc"}, 2),
        ({"q": "search"}, 1),
        ({"source": "argo-cd"}, 2),
        ({"source": "manual"}, 1),
        ({"team": "payments", "status": "succeeded", "environment": "production"}, 1),
    ],
)
def test_it_filters_deployments(catalog, params, count):
    assert DeploymentFilterSet(params, queryset=Deployment.objects.all()).qs.count() == count


@pytest.mark.parametrize(
    ("filterset", "params"),
    [
        (ServiceFilterSet, {"team": "no-such-team"}),
        (ServiceFilterSet, {"tier": "9"}),
        (DeploymentFilterSet, {"service": "no-such-service"}),
        (DeploymentFilterSet, {"status": "exploded"}),
        (DeploymentFilterSet, {"started_after": "last tuesday"}),
    ],
)
def test_it_reports_a_bad_filter_value_as_invalid(catalog, filterset, params):
    assert not filterset(params, queryset=filterset._meta.model.objects.all()).is_valid()


def test_it_answers_400_to_a_bad_filter_in_the_api(catalog, api, outsider):
    response = api(outsider).get("/api/deployments/", {"status": "exploded"})
    assert (response.status_code, list(response.json())) == (400, ["status"])


def test_it_shows_no_rows_and_the_error_for_a_bad_filter_on_the_page(catalog, client, outsider):
    client.force_login(outsider)
    response = client.get("/deployments/", {"status": "exploded"})
    assert (response.context["total_count"], bool(response.context["filter_form"].errors)) == (0, True)
