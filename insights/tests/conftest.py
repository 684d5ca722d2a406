"""A constructed history for rollup tests: classes in a tree, two services, incidents with reviews."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.choices import IncidentKind
from incidents.models import Incident
from postmortems.models import Review, RootCauseClass
from services.models import Service


def add_incident(*, days_ago, services=(), root_class=None, hours=None, allowed_teams=(), **fields):
    """An incident that started days_ago, was detected 10 and resolved 90 minutes later, with a review if classed."""
    started = timezone.now() - timedelta(days=days_ago)
    values = {
        "title": f"Incident {days_ago} days ago",
        "started_at": started,
        "detected_at": started + timedelta(minutes=10),
        "resolved_at": started + timedelta(minutes=90),
        "status": "resolved",
    }
    values.update(fields)
    incident = Incident.objects.create(**values)
    incident.services.set(services)
    incident.allowed_teams.set(allowed_teams)
    if root_class is not None or hours is not None:
        Review.objects.create(incident=incident, primary_class=root_class, responder_hours=hours)
    return incident


@pytest.fixture
def classes(db):
    """The seeded taxonomy's "change" with its child "configuration-change", and "capacity-load"."""
    # get_or_create: a transactional test before this one may have flushed the seeded rows.
    change, _ = RootCauseClass.objects.get_or_create(slug="change", defaults={"name": "Change"})
    config, _ = RootCauseClass.objects.get_or_create(
        slug="configuration-change", defaults={"name": "Configuration change", "parent": change}
    )
    capacity, _ = RootCauseClass.objects.get_or_create(slug="capacity-load", defaults={"name": "Capacity / load"})
    return change, config, capacity


@pytest.fixture
def history(team, other_team, classes, django_capture_on_commit_callbacks):
    # Built as if committed, so the rollups' on-commit recomputation has run (and is not left pending).
    with django_capture_on_commit_callbacks(execute=True):
        return build_history(team, other_team, classes)


def build_history(team, other_team, classes):
    """Config pushes getting rarer on checkout; capacity trouble on search, one of it restricted; noise around."""
    _, config, capacity = classes
    checkout = Service.objects.create(name="Checkout", slug="checkout", team=team, tier=1)
    search = Service.objects.create(name="Search", slug="search", team=other_team, tier=1)
    for days in (400, 380, 350, 300, 200, 150, 80, 20):
        add_incident(days_ago=days, services=[checkout], root_class=config, team=team, severity="sev2", hours=6)
    for days in (170, 120, 85, 60, 45, 30, 12, 5):
        add_incident(days_ago=days, services=[search], root_class=capacity, team=other_team, severity="sev1")
    add_incident(
        days_ago=40,
        services=[search],
        root_class=capacity,
        team=other_team,
        restricted=True,
        allowed_teams=[other_team],
    )
    add_incident(days_ago=25, services=[checkout], root_class=config, team=team, exclude_from_metrics=True)
    add_incident(days_ago=15, services=[checkout], root_class=config, team=team, kind=IncidentKind.NEAR_MISS)
    add_incident(days_ago=10, services=[search, checkout], team=team, severity="sev3")
    return checkout, search
