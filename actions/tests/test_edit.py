"""Editing an existing action's fields on its own page."""

from datetime import date

import pytest
from django.urls import reverse

from actions.tests.factories import CausalFactorFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def edit_url(action):
    return reverse("actions:action_edit", args=[action.pk])


def form_data(action, **changes):
    data = {
        "title": action.title,
        "description": action.description,
        "owner": action.owner_id or "",
        "team": action.team_id,
        "services": [service.pk for service in action.services.all()],
        "factors": [factor.pk for factor in action.factors.all()],
        "priority": action.priority,
        "due_date": action.due_date.isoformat(),
        "external_url": action.external_url,
    }
    data.update(changes)
    return data


def test_it_edits_every_field_of_an_action(client, responder, lead, make_action, review, service):
    action = make_action(title="Add a timeout")
    factor = CausalFactorFactory(review=review, is_root_cause=True)
    client.force_login(responder)
    response = client.post(
        edit_url(action),
        form_data(
            action,
            title="Add a 2 s timeout to the card vault client",
            description="Because **it hung**.",
            owner=lead.pk,
            services=[service.pk],
            factors=[factor.pk],
            priority="high",
            due_date="2027-01-15",
            external_url="https://tracker.example/PAY-7",
        ),
    )
    assert (response.status_code, response["Location"]) == (302, action.get_absolute_url())
    action.refresh_from_db()
    assert (
        action.title,
        action.description,
        action.owner,
        list(action.services.all()),
        list(action.factors.all()),
        action.priority,
        action.due_date,
        action.external_url,
    ) == (
        "Add a 2 s timeout to the card vault client",
        "Because **it hung**.",
        lead,
        [service],
        [factor],
        "high",
        date(2027, 1, 15),
        "https://tracker.example/PAY-7",
    )


def test_it_keeps_the_edit_in_the_actions_history(client, responder, make_action):
    action = make_action(title="Add a timeout")
    client.force_login(responder)
    client.post(edit_url(action), form_data(action, title="Add a 2 s timeout"))
    record = action.history.order_by("-history_date", "-history_id").first()
    assert (record.title, record.history_user, record.history_change_reason) == (
        "Add a 2 s timeout",
        responder,
        "edited",
    )
    page = client.get(action.get_absolute_url()).content.decode()
    assert "rae-responder: edited" in page


def test_it_refuses_a_factor_of_another_review_with_a_form_error(client, responder, make_action, team):
    action = make_action()
    elsewhere = CausalFactorFactory(review=ReviewFactory(incident__team=team))
    client.force_login(responder)
    response = client.post(edit_url(action), form_data(action, factors=[elsewhere.pk]))
    assert response.status_code == 400
    assert "factors" in response.context["form"].errors
    assert not action.factors.exists()


def test_it_refuses_an_empty_title_and_changes_nothing(client, responder, make_action):
    action = make_action(title="Add a timeout")
    client.force_login(responder)
    response = client.post(edit_url(action), form_data(action, title="", priority="high"))
    action.refresh_from_db()
    assert (response.status_code, action.title, action.priority) == (400, "Add a timeout", "medium")


def test_it_refuses_moving_an_action_to_a_team_the_editor_is_not_in(client, responder, make_action, team, other_team):
    action = make_action()
    client.force_login(responder)
    response = client.post(edit_url(action), form_data(action, team=other_team.pk))
    action.refresh_from_db()
    assert (response.status_code, action.team_id) == (400, team.pk)
    assert "team" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["viewer", "outsider", "other_responder"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_refuses_editing_to_those_who_may_not_change_the_action(client, request, make_action, persona, method):
    action = make_action(title="Add a timeout")
    client.force_login(request.getfixturevalue(persona))
    response = getattr(client, method)(edit_url(action), form_data(action, title="Hijacked"))
    action.refresh_from_db()
    assert (response.status_code, action.title) == (403, "Add a timeout")


def test_it_hides_the_edit_page_of_a_restricted_incidents_action(client, viewer, make_action, restricted_review):
    action = make_action(review=restricted_review)
    client.force_login(viewer)
    assert client.get(edit_url(action)).status_code == 404


def test_it_links_the_edit_page_from_the_action_page_for_editors_only(client, responder, viewer, make_action):
    action = make_action()
    client.force_login(viewer)
    assert edit_url(action) not in client.get(action.get_absolute_url()).content.decode()
    client.force_login(responder)
    assert f'href="{edit_url(action)}"' in client.get(action.get_absolute_url()).content.decode()


def test_it_does_not_offer_the_category_on_the_edit_form(client, responder, make_action):
    action = make_action(category="corrective")
    client.force_login(responder)
    client.post(edit_url(action), form_data(action, category="preventive"))
    action.refresh_from_db()
    assert action.category == "corrective"


def test_it_fills_the_due_date_in_the_format_a_date_input_reads(client, responder, make_action):
    action = make_action(due_date=date(2027, 1, 15))
    client.force_login(responder)
    page = client.get(edit_url(action)).content.decode()
    assert 'name="due_date" value="2027-01-15"' in page
