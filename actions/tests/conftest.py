import pytest

from actions.tests.factories import (
    ActionItemFactory,
    IncidentFactory,
    ReviewFactory,
    RootCauseClassFactory,
    ServiceFactory,
)


@pytest.fixture
def service(team):
    return ServiceFactory(slug="payments-api", team=team)


@pytest.fixture
def root_class(db):
    """The seeded taxonomy's configuration-change class."""
    return RootCauseClassFactory(slug="configuration-change")


@pytest.fixture
def review(team, service, root_class):
    """A published review of a SEV2 incident of the Payments team on payments-api."""
    incident = IncidentFactory(team=team, severity="sev2", services=[service])
    return ReviewFactory(incident=incident, primary_class=root_class)


@pytest.fixture
def make_action(review, team):
    """Return a function creating an action on the review (or another), owned by the team unless told."""

    def make(**fields):
        fields.setdefault("review", review)
        fields.setdefault("team", team)
        return ActionItemFactory(**fields)

    return make


@pytest.fixture
def restricted_review(team, other_team, service, root_class):
    """A review of a restricted incident shared only with the Search team."""
    incident = IncidentFactory(team=other_team, restricted=True, services=[service])
    incident.allowed_teams.set([other_team])
    return ReviewFactory(incident=incident, primary_class=root_class)
