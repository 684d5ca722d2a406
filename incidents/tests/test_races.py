"""A status change and an edit of the same incident at the same moment both land (PostgreSQL, threads)."""

import pytest

from conftest import if_match, opened_form, posted, race
from incidents.choices import Status
from incidents.models import Incident

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_status_change_racing_an_edit_loses_neither(client, incident, responder):
    path = f"/incidents/{incident.reference}/edit/"
    for attempt in range(10):
        title = f"Card payments failing ({attempt})"
        before = Incident.objects.get(pk=incident.pk)
        target = Status.IDENTIFIED if before.status == Status.INVESTIGATING else Status.INVESTIGATING
        data = posted(opened_form(client, responder, path), title=title)

        edited, changed = race(
            lambda: client.post(path, data).status_code,
            lambda: before.change_status(target, by=responder),
        )

        assert isinstance(changed, Incident), changed
        incident.refresh_from_db()
        assert incident.status == target
        # The edit either landed, or was refused as stale (409, showing the change) and changed nothing.
        assert (edited, incident.title) in {(302, title), (409, before.title)}


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
