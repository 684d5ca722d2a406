import pytest

from services.choices import Tier
from services.models import Service


@pytest.fixture
def service(team):
    """A service owned by `team` (Payments)."""
    return Service.objects.create(name="Payments API", slug="payments-api", team=team, tier=Tier.TIER_1)


@pytest.fixture
def other_service(other_team):
    """A service owned by `other_team` (Search)."""
    return Service.objects.create(name="Search API", slug="search-api", team=other_team, tier=Tier.TIER_2)
