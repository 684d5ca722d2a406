import time
from datetime import timedelta

import pytest
from django.utils import timezone

from actions.tests.factories import IncidentFactory, ReviewFactory
from postmortems.signals import review_published


@pytest.mark.worker
def test_it_checks_effectiveness_on_a_real_worker_when_a_review_is_published(
    celery_worker, make_action, responder, root_class, service
):
    action = make_action(category="preventive")
    action.transition("done", by=responder, at=timezone.now() - timedelta(days=5))
    incident = IncidentFactory(started_at=timezone.now() - timedelta(days=1), services=[service])
    review = ReviewFactory(incident=incident, primary_class=root_class)
    review_published.send(sender=type(review), review=review)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        action.refresh_from_db()
        if action.recurrence_incident_id:
            break
        time.sleep(0.2)
    assert (action.verification, action.recurrence_incident_id) == ("recurred", incident.pk)
