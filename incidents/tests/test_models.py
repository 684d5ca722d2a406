from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from incidents.conftest import T0, make_incident
from incidents.models import Incident


def test_it_refuses_detection_before_the_start_with_a_clear_error():
    incident = Incident(title="x", started_at=T0, detected_at=T0 - timedelta(minutes=1))
    with pytest.raises(ValidationError) as error:
        incident.clean()
    assert error.value.message_dict == {"detected_at": ["Detected at cannot be before started at."]}


def test_it_names_the_reference_by_primary_key(incident):
    assert Incident.objects.by_reference(f"inc-{incident.pk}").get() == incident


def test_it_lets_responders_of_an_affected_services_team_edit(other_team, other_service, responder, other_responder):
    incident = make_incident(team=None, services=[other_service])
    assert (incident.can_edit(other_responder), incident.can_edit(responder)) == (True, False)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", True), ("lead", True), ("responder", True), ("viewer", False), ("outsider", False)],
)
def test_it_lets_only_responders_and_up_edit(request, incident, persona, expected):
    assert incident.can_edit(request.getfixturevalue(persona)) is expected


def test_it_refuses_edits_to_a_restricted_incident_by_responders_not_allowed_to_see_it(
    team, other_team, service, other_service, other_responder
):
    incident = make_incident(team=team, services=[service, other_service], restricted=True, allowed_teams=[team])
    assert incident.can_edit(other_responder) is False


def test_it_hides_restricted_incidents_from_other_teams(restricted, incident, other_responder, responder, admin):
    visible = {user.username: set(Incident.objects.visible_to(user)) for user in (other_responder, responder, admin)}
    assert visible == {
        other_responder.username: {incident},
        responder.username: {incident, restricted},
        admin.username: {incident, restricted},
    }
