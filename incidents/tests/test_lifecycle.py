from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from incidents.choices import Status, TimelineKind
from incidents.conftest import T0


def status_events(incident):
    return list(incident.timeline.filter(kind=TimelineKind.STATUS_CHANGE))


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.INVESTIGATING, Status.IDENTIFIED),
        (Status.INVESTIGATING, Status.RESOLVED),
        (Status.IDENTIFIED, Status.MONITORING),
        (Status.MONITORING, Status.INVESTIGATING),
        (Status.RESOLVED, Status.CLOSED),
        (Status.RESOLVED, Status.INVESTIGATING),
    ],
)
def test_it_allows_lifecycle_moves(incident, responder, start, target):
    incident.status = start
    incident.resolved_at = T0 + timedelta(hours=1) if start == Status.RESOLVED else None
    incident.save()
    incident.change_status(target, by=responder)
    incident.refresh_from_db()
    assert incident.status == target


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.CLOSED, Status.INVESTIGATING),
        (Status.CLOSED, Status.RESOLVED),
        (Status.RESOLVED, Status.MONITORING),
        (Status.INVESTIGATING, Status.CLOSED),
    ],
)
def test_it_refuses_moves_the_lifecycle_forbids(incident, responder, start, target):
    incident.status = start
    incident.resolved_at = T0 + timedelta(hours=1)
    incident.save()
    with pytest.raises(ValidationError, match=f"cannot go from {start.label.lower()} to {target.label.lower()}"):
        incident.change_status(target, by=responder)
    incident.refresh_from_db()
    assert (incident.status, status_events(incident)) == (start, [])


def test_it_writes_a_status_change_event_by_the_person(incident, responder):
    incident.change_status(Status.IDENTIFIED, by=responder, at=T0 + timedelta(minutes=20))
    [event] = status_events(incident)
    assert (event.author, event.occurred_at, "Identified" in event.text) == (
        responder,
        T0 + timedelta(minutes=20),
        True,
    )


def test_it_sets_resolved_and_mitigated_times_when_resolving(incident, responder):
    incident.change_status(Status.RESOLVED, by=responder, at=T0 + timedelta(hours=2))
    incident.refresh_from_db()
    assert (incident.mitigated_at, incident.resolved_at) == (T0 + timedelta(hours=2), T0 + timedelta(hours=2))


def test_it_keeps_a_known_mitigation_time_when_resolving(incident, responder):
    incident.mitigated_at = T0 + timedelta(minutes=30)
    incident.save()
    incident.change_status(Status.RESOLVED, by=responder, at=T0 + timedelta(hours=2))
    incident.refresh_from_db()
    assert incident.mitigated_at == T0 + timedelta(minutes=30)


def test_it_says_on_the_timeline_when_reopening_clears_the_resolved_time(incident, responder):
    incident.change_status(Status.RESOLVED, by=responder, at=T0 + timedelta(hours=2))
    incident.change_status(Status.INVESTIGATING, by=responder, at=T0 + timedelta(hours=3))
    incident.refresh_from_db()
    assert incident.resolved_at is None
    assert "resolved time" in status_events(incident)[-1].text


def test_it_refuses_resolving_before_the_incident_started(incident, responder):
    with pytest.raises(ValidationError, match="cannot be before"):
        incident.change_status(Status.RESOLVED, by=responder, at=T0 - timedelta(hours=1))
    incident.refresh_from_db()
    assert incident.status == Status.INVESTIGATING
