"""Pages and API lists run a bounded number of queries however many rows there are."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import Team
from services.models import Dependency, Deployment, Service

START = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture(params=[10, 500], ids=["10-rows", "500-rows"])
def rows(request, team):
    """`rows` services, each depending on the previous one, with `rows` deployments spread over them."""
    count = request.param
    other = Team.objects.create(name="Search", slug="search")
    services = Service.objects.bulk_create(
        Service(name=f"Service {n:04d}", slug=f"service-{n:04d}", team=team if n % 2 else other, description="x")
        for n in range(count)
    )
    Dependency.objects.bulk_create(Dependency(service=services[n], depends_on=services[n - 1]) for n in range(1, count))
    # The first service gets every deployment, so its detail page is the worst case.
    Deployment.objects.bulk_create(
        Deployment(
            service=services[0] if n % 2 else services[n],
            version=f"v1.0.{n}",
            started_at=START + timedelta(minutes=n),
            finished_at=START + timedelta(minutes=n + 5),
            source="github-actions",
            external_id=f"run-{n}",
        )
        for n in range(count)
    )
    return count


# The bound each page must hold whatever the row count: what it runs today, counting the
# savepoint pair of the request's transaction and the session and user look-ups.
PAGES = {
    "/services/": 7,
    # 9 of its own, 7 for the failure catalog's resilience panel and 3 for insights' reliability panel.
    "/services/service-0000/": 19,
    "/deployments/": 8,
    "/api/services/": 8,
    "/api/deployments/": 6,
    "/api/dependencies/": 6,
}


@pytest.mark.parametrize(("path", "bound"), PAGES.items(), ids=list(PAGES))
def test_it_runs_a_bounded_number_of_queries(viewer, rows, path, bound, page_within):
    response = page_within(viewer, path, queries=bound)
    assert response.status_code == 200
