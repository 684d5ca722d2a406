import pytest

from postmortems.tests.factories import IncidentFactory, ReviewFactory


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
