"""The actions dashboard at 5,000 actions: wall time and query count (printed; run with `make bench`)."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem
from actions.tests.factories import IncidentFactory, ReviewFactory, ServiceFactory

ACTIONS = 5000


@pytest.mark.django_db
def test_dashboard_at_5000_actions(client, lead, team):
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
    url = reverse("actions:dashboard") + f"?team={team.slug}"
    client.get(url)  # warm up
    timings = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    timings.sort()
    print(
        f"\nactions dashboard, {ACTIONS} actions on {connection.vendor}: "
        f"median {timings[2] * 1000:.0f} ms, best {timings[0] * 1000:.0f} ms, {len(queries)} queries"
    )
