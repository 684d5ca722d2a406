"""The actions dashboard at 5,000 actions: time and query count (printed; run with `make bench`)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem
from actions.tests.factories import IncidentFactory, ReviewFactory, ServiceFactory

ACTIONS = 5000


def test_dashboard_at_5000_actions(bench, client, lead, team):
    service = ServiceFactory(slug="bench-service", team=team)
    review = ReviewFactory(incident=IncidentFactory(team=team, services=[service]))
    now, today = timezone.now(), timezone.localdate()
    ActionItem.objects.bulk_create(
        ActionItem(
            review=review,
            team=team,
            category=("immediate_fix", "corrective", "remedial", "preventive")[i % 4],
            title=f"Bench action {i}",
            due_date=today + timedelta(days=(i % 120) - 60),
            status=("open", "in_progress", "done", "wont_do")[i % 4],
            wont_do_reason="Superseded" if i % 4 == 3 else "",
            opened_at=now - timedelta(days=i % 200),
            done_at=now - timedelta(days=i % 100) if i % 4 == 2 else None,
            closed_at=now - timedelta(days=i % 100) if i % 4 in (2, 3) else None,
            verification="pending" if i % 4 == 2 and i % 8 in (2, 6) else "",
        )
        for i in range(ACTIONS)
    )
    client.force_login(lead)

    def dashboard():
        response = client.get(reverse("actions:dashboard") + f"?team={team.slug}")
        assert response.status_code == 200
        return response

    table = bench("Actions dashboard at 5,000 actions", note="One team's dashboard, as its lead.")
    table.measure("dashboard, lead", dashboard, rows=ACTIONS)
