"""A status change and an edit of the same incident at the same moment both land (PostgreSQL, threads)."""

import pytest

from conftest import race
from incidents.choices import Status
from incidents.forms import IncidentForm
from incidents.models import Incident

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def edit_title(incident, title, user):
    """What the edit page does with a form opened on `incident` as it was."""
    form = IncidentForm(instance=incident, user=user)
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(title=title, labels="")
    form = IncidentForm(data, instance=incident, user=user)
    assert form.is_valid(), form.errors
    return form.save()


def test_a_status_change_racing_an_edit_loses_neither(incident, responder):
    for attempt in range(10):
        title = f"Card payments failing ({attempt})"
        as_seen_by_editor = Incident.objects.get(pk=incident.pk)
        as_seen_by_resolver = Incident.objects.get(pk=incident.pk)
        target = Status.IDENTIFIED if as_seen_by_resolver.status == Status.INVESTIGATING else Status.INVESTIGATING

        outcomes = race(
            lambda: edit_title(as_seen_by_editor, title, responder),
            lambda: as_seen_by_resolver.change_status(target, by=responder),
        )

        assert not any(isinstance(outcome, Exception) for outcome in outcomes), outcomes
        incident.refresh_from_db()
        assert (incident.title, incident.status) == (title, target)


def test_an_api_edit_racing_a_status_change_loses_neither(api, incident, responder):
    client = api(responder)

    def patch_summary():
        return client.patch(f"/api/incidents/{incident.reference}/", {"summary": "Edited"}, format="json")

    def resolve():
        return Incident.objects.get(pk=incident.pk).change_status(Status.IDENTIFIED, by=responder)

    response, _ = race(patch_summary, resolve)

    assert response.status_code == 200
    incident.refresh_from_db()
    assert (incident.summary, incident.status) == ("Edited", Status.IDENTIFIED)
