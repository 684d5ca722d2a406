"""A status change and an edit of the same incident at the same moment both land (PostgreSQL, threads)."""

import pytest

from conftest import if_match, posted, race
from core.concurrency import StaleEdit, save_versioned
from incidents.choices import Status
from incidents.forms import IncidentForm
from incidents.models import Incident

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def edit_title(incident, title, user):
    """What the edit page does with a form opened on `incident` as it was: save it if it is still current."""
    form = IncidentForm(instance=incident, user=user)
    data = posted(form, title=title)
    form = IncidentForm(data, instance=Incident.objects.get(pk=incident.pk), user=user)
    if form.is_stale():
        raise StaleEdit(current=form.instance)
    assert form.is_valid(), form.errors
    return save_versioned(form)


def test_a_status_change_racing_an_edit_loses_neither(incident, responder):
    for attempt in range(10):
        title = f"Card payments failing ({attempt})"
        as_seen_by_editor = Incident.objects.get(pk=incident.pk)
        as_seen_by_resolver = Incident.objects.get(pk=incident.pk)
        target = Status.IDENTIFIED if as_seen_by_resolver.status == Status.INVESTIGATING else Status.INVESTIGATING
        before = as_seen_by_editor.title

        edited, changed = race(
            lambda: edit_title(as_seen_by_editor, title, responder),
            lambda: as_seen_by_resolver.change_status(target, by=responder),
        )

        assert isinstance(changed, Incident), changed
        incident.refresh_from_db()
        assert incident.status == target
        # The edit either landed, or was refused as stale and changed nothing: never half of each.
        if isinstance(edited, StaleEdit):
            assert incident.title == before
        else:
            assert isinstance(edited, Incident), edited
            assert incident.title == title


def test_an_api_edit_racing_a_status_change_loses_neither(api, incident, responder):
    client = api(responder)
    path = f"/api/incidents/{incident.reference}/"
    headers = if_match(client, path)

    def patch_summary():
        return client.patch(path, {"summary": "Edited"}, format="json", **headers)

    def identify():
        return Incident.objects.get(pk=incident.pk).change_status(Status.IDENTIFIED, by=responder)

    response, _ = race(patch_summary, identify)

    incident.refresh_from_db()
    assert incident.status == Status.IDENTIFIED
    assert (response.status_code, incident.summary) in {(200, "Edited"), (412, "")}
