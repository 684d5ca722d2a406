from pathlib import Path

import pytest

from actions.tests.factories import ServiceFactory
from failure_catalog.models import FaultType

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_text():
    """Return the text of a file under failure_catalog/tests/fixtures/."""
    return lambda name: (FIXTURES / name).read_text()


@pytest.fixture
def fault(db):
    """Return a seeded fault type by slug."""
    return lambda slug: FaultType.objects.get(slug=slug)


@pytest.fixture
def service(team):
    """A tier-3 service of the Payments team (tier 3: its policy asks only for instance loss and bad deploy)."""
    return ServiceFactory(slug="checkout", name="Checkout", team=team, tier=3)


@pytest.fixture
def tier1_service(team):
    return ServiceFactory(slug="ledger", name="Ledger", team=team, tier=1)


@pytest.fixture
def catalog_services(team, other_team):
    """The services the real fixtures name: checkout, search-api, orders, ledger."""
    return {
        slug: ServiceFactory(slug=slug, team=team if slug != "search-api" else other_team, tier=2)
        for slug in ("checkout", "search-api", "orders", "ledger")
    }
