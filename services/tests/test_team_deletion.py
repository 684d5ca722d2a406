"""A team that owns services cannot be deleted from under them (accounts' API, services' rule)."""

import pytest

from accounts.models import Team
from services.models import Service

pytestmark = pytest.mark.django_db


def test_it_refuses_to_delete_a_team_that_owns_services_with_409(api, admin, team):
    Service.objects.create(name="Ledger", slug="ledger", team=team)
    response = api(admin).delete("/api/teams/payments/")
    assert response.status_code == 409
    assert Team.objects.filter(slug="payments").exists()
