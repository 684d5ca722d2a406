"""Two people editing one incident: the second stale save is refused with the other's change shown (page) or 412 (API)."""

import pytest

from conftest import if_match, opened_form, posted
from incidents.choices import Status
from incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened_by_two(client, django_user_model, incident, responder, lead):
    """The edit page as the responder and the lead each opened it, before either saved."""
    edit = f"/incidents/{incident.reference}/edit/"
    forms = {}
    for user in (responder, lead):
        forms[user.username] = opened_form(client, user, edit)
    return edit, forms


def test_it_refuses_the_second_stale_save_and_shows_the_first_ones_change(
    client, incident, responder, lead, opened_by_two
):
    edit, forms = opened_by_two
    client.force_login(responder)
    assert client.post(edit, posted(forms["rae-responder"], title="Card payments failing in EU")).status_code == 302
    client.force_login(lead)
    response = client.post(edit, posted(forms["lee-lead"], severity="sev1"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "saved this incident after you opened it" in page
    assert "Card payments failing in EU" in page  # their title, shown beside the one the lead opened
    incident.refresh_from_db()
    assert (incident.title, incident.severity) == ("Card payments failing in EU", "sev3")


def test_it_saves_on_purpose_from_the_conflict_page(client, incident, responder, lead, opened_by_two):
    edit, forms = opened_by_two
    client.force_login(responder)
    client.post(edit, posted(forms["rae-responder"], title="Card payments failing in EU"))
    client.force_login(lead)
    conflict = client.post(edit, posted(forms["lee-lead"], severity="sev1")).context["form"]
    assert client.post(edit, posted(conflict)).status_code == 302
    incident.refresh_from_db()
    assert incident.severity == "sev1"


def test_it_refuses_a_form_opened_before_a_status_change(client, incident, responder, opened_by_two):
    edit, forms = opened_by_two
    incident.change_status(Status.RESOLVED, by=responder)
    client.force_login(responder)
    response = client.post(edit, posted(forms["rae-responder"], title="Renamed"))
    assert response.status_code == 409
    incident.refresh_from_db()
    assert (incident.status, incident.title) == (Status.RESOLVED, "Card payments failing")


def detail(incident):
    return f"/api/incidents/{incident.reference}/"


def test_it_answers_a_read_with_an_etag_that_changes_with_each_save(api, responder, incident):
    client = api(responder)
    before = client.get(detail(incident))["ETag"]
    response = client.patch(detail(incident), {"title": "Renamed"}, format="json", HTTP_IF_MATCH=before)
    assert (response.status_code, response["ETag"] != before, response["ETag"]) == (
        200,
        True,
        client.get(detail(incident))["ETag"],
    )


def test_it_requires_if_match_to_change_an_incident(api, responder, incident):
    response = api(responder).patch(detail(incident), {"title": "Renamed"}, format="json")
    assert response.status_code == 428
    assert Incident.objects.get(pk=incident.pk).title == "Card payments failing"


def test_it_refuses_the_second_write_naming_the_same_etag_with_412(api, responder, lead, incident):
    read = if_match(api(responder), detail(incident))
    assert api(responder).patch(detail(incident), {"title": "First"}, format="json", **read).status_code == 200
    response = api(lead).put(detail(incident), {"title": "Second", "severity": "sev1"}, format="json", **read)
    assert (response.status_code, Incident.objects.get(pk=incident.pk).title) == (412, "First")
    assert response.json()["current_etag"] == api(lead).get(detail(incident))["ETag"]
