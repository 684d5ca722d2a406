"""Deleting an incident: a lead of its own team, reversible (archived), recorded on the timeline and in history."""

import pytest

from accounts.models import Membership, Role
from actions.tests.factories import ActionItemFactory, ReviewFactory
from incidents.conftest import make_incident
from incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_incident(team, service):
    return make_incident(team=team, services=[service], title="Card payments failing")


def test_it_lets_a_lead_of_the_team_delete_over_the_api(api, lead, lead_incident):
    assert api(lead).delete(f"/api/incidents/{lead_incident.reference}/").status_code == 204
    lead_incident.refresh_from_db()
    assert lead_incident.archived_at is not None
    assert lead_incident.archived_by == lead


@pytest.mark.parametrize("persona", ["responder", "viewer", "other_responder", "outsider"])
def test_it_refuses_deletion_to_anyone_but_a_lead_of_the_team(api, request, lead_incident, other_service, persona):
    lead_incident.services.add(other_service)  # other_responder's team owns an affected service
    user = request.getfixturevalue(persona)
    response = api(user).delete(f"/api/incidents/{lead_incident.reference}/")
    assert response.status_code in (403, 404)
    assert Incident.objects.filter(pk=lead_incident.pk, archived_at__isnull=True).exists()


def test_it_refuses_a_lead_of_another_team_owning_an_affected_service(api, lead_incident, other_service, other_team):
    from django.contrib.auth import get_user_model

    other_lead = get_user_model().objects.create_user("olga")
    Membership.objects.create(user=other_lead, team=other_team, role=Role.LEAD)
    lead_incident.services.add(other_service)
    assert api(other_lead).delete(f"/api/incidents/{lead_incident.reference}/").status_code == 403


def test_it_hides_a_deleted_incident_and_its_review_and_actions_everywhere(api, client, lead, admin, lead_incident):
    review = ReviewFactory(incident=lead_incident)
    action = ActionItemFactory(review=review, team=lead_incident.team)
    lead_incident.archive(by=lead)
    for user in (lead, admin):
        client.force_login(user)
        assert client.get(f"/incidents/{lead_incident.reference}/").status_code == 404
        assert client.get(f"/reviews/{lead_incident.reference}/").status_code == 404
        assert client.get(f"/actions/{action.pk}/").status_code == 404
        assert api(user).get("/api/incidents/").json()["count"] == 0
        assert api(user).get("/api/actions/").json()["count"] == 0


def test_it_restores_a_deleted_incident_with_everything_hanging_off_it(api, client, lead, lead_incident):
    review = ReviewFactory(incident=lead_incident)
    lead_incident.archive(by=lead)
    client.force_login(lead)
    page = client.get("/incidents/deleted/").content.decode()
    assert lead_incident.title in page
    response = client.post(f"/incidents/{lead_incident.reference}/restore/")
    assert response.status_code == 302
    assert client.get(f"/reviews/{review.reference}/").status_code == 200


def test_it_restores_over_the_api(api, lead, lead_incident):
    lead_incident.archive(by=lead)
    response = api(lead).post(f"/api/incidents/{lead_incident.reference}/restore/")
    assert response.status_code == 200
    assert response.json()["reference"] == lead_incident.reference


def test_it_lets_no_one_else_see_or_restore_a_deleted_incident(api, client, lead, responder, outsider, lead_incident):
    lead_incident.archive(by=lead)
    for user in (responder, outsider):
        client.force_login(user)
        assert lead_incident.title not in client.get("/incidents/deleted/").content.decode()
        assert client.post(f"/incidents/{lead_incident.reference}/restore/").status_code == 404
        assert api(user).post(f"/api/incidents/{lead_incident.reference}/restore/").status_code in (403, 404)


def test_it_records_deletion_and_restoration_on_the_timeline_and_in_history(lead, lead_incident):
    lead_incident.archive(by=lead)
    lead_incident.restore(by=lead)
    texts = list(lead_incident.timeline.values_list("text", flat=True))
    assert any(text.startswith("Deleted by") for text in texts)
    assert any(text.startswith("Restored by") for text in texts)
    reasons = list(lead_incident.history.values_list("history_change_reason", "history_user"))
    assert ("deleted", lead.pk) in reasons
    assert ("restored", lead.pk) in reasons


def test_it_deletes_from_the_page_for_a_lead(client, lead, lead_incident):
    client.force_login(lead)
    assert "Delete this incident" in client.get(lead_incident.get_absolute_url()).content.decode()
    response = client.post(f"/incidents/{lead_incident.reference}/delete/")
    assert response.status_code == 302
    assert Incident.objects.get(pk=lead_incident.pk).archived_at is not None


def test_it_offers_no_delete_button_to_a_responder(client, responder, lead_incident):
    client.force_login(responder)
    assert "Delete this incident" not in client.get(lead_incident.get_absolute_url()).content.decode()
    assert client.post(f"/incidents/{lead_incident.reference}/delete/").status_code == 403


def test_it_keeps_history_of_incident_edits(lead_incident):
    lead_incident.title = "Renamed"
    lead_incident.save()
    assert list(lead_incident.history.order_by("history_id").values_list("title", flat=True))[-1] == "Renamed"


def test_it_lets_only_the_services_teams_edit_and_publish_the_review_of_an_incident_with_no_team(
    service, responder, lead, other_responder
):
    incident = make_incident(team=None, services=[service])
    review = ReviewFactory(incident=incident)
    assert review.can_be_edited_by(responder)
    assert review.can_be_published_by(lead)
    assert not review.can_be_edited_by(other_responder)
    assert not review.can_be_published_by(responder)


def test_it_takes_a_deleted_incident_out_of_search_and_back(django_capture_on_commit_callbacks, lead, lead_incident):
    from core import search

    def found():
        return [hit.reference for hit in search.search("payments", viewer=search.Viewer(everything=True)).hits]

    with django_capture_on_commit_callbacks(execute=True):
        search.reindex("incident", [lead_incident.pk])
    assert found() == [lead_incident.reference]
    with django_capture_on_commit_callbacks(execute=True):
        lead_incident.archive(by=lead)
    assert found() == []
    with django_capture_on_commit_callbacks(execute=True):
        lead_incident.restore(by=lead)
    assert found() == [lead_incident.reference]


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_a_lead_deletes_an_incident_and_restores_it_in_the_browser(page_as, lead, lead_incident, width):
    from conftest import screenshot

    page = page_as(lead, width=width)
    page.goto(lead_incident.get_absolute_url())
    page.click("summary:has-text('Delete this incident')")
    screenshot(page, f"incident-delete-{width}")
    page.click(f"button:has-text('Delete {lead_incident.reference}')")
    page.wait_for_selector("h1:has-text('Deleted incidents')")
    screenshot(page, f"incident-deleted-list-{width}")
    page.keyboard.press("Tab")
    page.click("button:has-text('Restore')")
    page.wait_for_selector(f"h1:has-text('{lead_incident.title}')")
    assert Incident.objects.get(pk=lead_incident.pk).archived_at is None


@pytest.mark.parametrize("restored_first", [False, True], ids=["deleted", "restored, then deleted again"])
def test_it_answers_404_for_everything_under_a_deleted_incident_over_the_api(api, lead, lead_incident, restored_first):
    """What schemathesis's stateful phase once reported otherwise: restore, read, delete, then a nested list."""
    client = api(lead)
    base = f"/api/incidents/{lead_incident.reference}/"
    if restored_first:
        lead_incident.archive(by=lead)
        assert client.post(base + "restore/").status_code == 200
    assert client.get(base).status_code == 200
    assert client.delete(base).status_code == 204
    for path in ("", "timeline/", "suspect-deployments/", "suspect-deployments/?page_size=2858&cursor="):
        assert client.get(base + path).status_code == 404, path
    assert client.get(f"/api/reviews/{lead_incident.reference}/").status_code == 404
