"""Two people editing one action: the second stale save is refused with the other's change shown (page) or 412 (API)."""

import pytest

from actions.models import ActionItem
from conftest import if_match, opened_form, posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(make_action):
    return make_action(title="Cap the connection pool", priority="medium")


def open_edit_page(client, user, action):
    return opened_form(client, user, f"/actions/{action.pk}/edit/")


def test_it_refuses_the_second_stale_save_and_shows_the_first_ones_change(client, action, responder, lead):
    mine, theirs = open_edit_page(client, responder, action), open_edit_page(client, lead, action)
    client.force_login(lead)
    assert client.post(f"/actions/{action.pk}/edit/", posted(theirs, title="Cap the pool at 50")).status_code == 302
    client.force_login(responder)
    response = client.post(f"/actions/{action.pk}/edit/", posted(mine, priority="high"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "saved this action item after you opened it" in page
    assert "Cap the pool at 50" in page
    assert ActionItem.objects.values_list("title", "priority").get() == ("Cap the pool at 50", "medium")


def test_it_refuses_an_edit_opened_before_the_action_was_marked_done(client, action, responder):
    form = open_edit_page(client, responder, action)
    action.transition("done", by=responder)
    response = client.post(f"/actions/{action.pk}/edit/", posted(form, title="Renamed"))
    assert (response.status_code, ActionItem.objects.get().title) == (409, "Cap the connection pool")


def test_it_refuses_the_second_api_write_naming_the_same_etag_with_412(api, responder, lead, action):
    path = f"/api/actions/{action.pk}/"
    read = if_match(api(responder), path)
    assert api(responder).patch(path, {"title": "First"}, format="json", **read).status_code == 200
    response = api(lead).patch(path, {"status": "done"}, format="json", **read)
    assert (response.status_code, ActionItem.objects.values_list("title", "status").get()) == (412, ("First", "open"))


def test_it_requires_if_match_to_change_an_action(api, responder, action):
    response = api(responder).patch(f"/api/actions/{action.pk}/", {"title": "Renamed"}, format="json")
    assert (response.status_code, ActionItem.objects.get().title) == (428, "Cap the connection pool")
