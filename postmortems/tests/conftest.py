import importlib

import pytest
from django.apps import apps

from postmortems.tests.factories import IncidentFactory, ReviewFactory


@pytest.fixture(autouse=True)
def taxonomy(db):
    """The seeded root-cause taxonomy, restored if a transactional test (a browser test) flushed it."""
    importlib.import_module("postmortems.migrations.0003_seed_root_cause_classes").seed(apps, None)


@pytest.fixture
def incident(team):
    return IncidentFactory(team=team)


@pytest.fixture
def review(incident, responder):
    return ReviewFactory(incident=incident, owner=responder)


@pytest.fixture
def restricted_review(team, other_team, lead):
    """A review of a restricted incident shared with `other_team` only (team's members cannot see it)."""
    incident = IncidentFactory(team=other_team, restricted=True)
    incident.allowed_teams.add(other_team)
    return ReviewFactory(incident=incident, summary="Secret: the HSM key leaked")
