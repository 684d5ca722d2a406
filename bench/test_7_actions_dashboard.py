"""The actions dashboard at 5,000 actions: time and query count (printed; run with `make bench`)."""

from functools import partial

from django.urls import reverse

from actions.tests.factories import IncidentFactory, ReviewFactory, ServiceFactory, bulk_actions
from bench.conftest import answered

ACTIONS = 5000


def test_dashboard_at_5000_actions(bench, client, lead, team):
    service = ServiceFactory(slug="bench-service", team=team)
    review = ReviewFactory(incident=IncidentFactory(team=team, services=[service]))
    bulk_actions(review, team, ACTIONS, title="Bench action")
    client.force_login(lead)

    dashboard = partial(answered, 200, client.get, reverse("actions:dashboard") + f"?team={team.slug}")

    table = bench("Actions dashboard at 5,000 actions", note="One team's dashboard, as its lead.")
    table.measure("dashboard, lead", dashboard, rows=ACTIONS)
