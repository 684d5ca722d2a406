"""An incident Alertmanager opens names the playbook answering its alert, first event and first suggestion."""

import pytest

from incidents.conftest import payload
from incidents.models import Incident
from playbooks.tests.conftest import make_playbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def answering(team, catalog, django_capture_on_commit_callbacks):
    """A runbook answering the recorded payload's alert, and a rival with more in common otherwise."""
    with django_capture_on_commit_callbacks(execute=True):
        rival = make_playbook(
            team=team, services=[catalog["checkout-api"]], slug="checkout-errors", title="Checkout API 5xx rate errors"
        )
        answering = make_playbook(
            team=team, slug="checkout-error-rate", title="High error rate", alert_names=["CheckoutHighErrorRate"]
        )
    return answering, rival


def test_it_writes_the_answering_playbook_into_the_first_timeline_event(send, alertmanager_source, answering):
    assert send("alertmanager", payload("alertmanager_firing"), key=alertmanager_source.key).status_code == 201
    first = Incident.objects.get().timeline.order_by("id").first()
    assert "[High error rate](/playbooks/checkout-error-rate/)" in first.text


def test_it_shows_the_answering_playbook_first_on_the_incident_page(
    client, send, alertmanager_source, answering, responder
):
    send("alertmanager", payload("alertmanager_firing"), key=alertmanager_source.key)
    client.force_login(responder)
    suggestions = client.get(Incident.objects.get().get_absolute_url()).context["suggestions"]
    assert [playbook.slug for playbook in suggestions] == ["checkout-error-rate", "checkout-errors"]
