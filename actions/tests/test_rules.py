"""Each action rule has one home on the model; every entry point that can break it is refused by it."""

import pytest

from actions.models import ActionItem
from actions.tests.factories import CausalFactorFactory, IncidentFactory, ReviewFactory
from actions.tests.test_edit import edit_url, form_data
from conftest import if_match

pytestmark = pytest.mark.django_db

URL = "/api/actions/"


def patch(api, user, action, data):
    """PATCH an action as user, naming its current ETag."""
    client = api(user)
    path = f"{URL}{action.pk}/"
    return client.patch(path, data, format="json", **if_match(client, path))


# --- An action keeps its category ----------------------------------------------------


def test_it_refuses_a_category_change_in_the_api(api, responder, make_action):
    action = make_action(category="corrective")
    response = patch(api, responder, action, {"category": "immediate_fix"})
    assert response.status_code == 400
    assert "category" in response.data
    assert ActionItem.objects.get(pk=action.pk).category == "corrective"


def test_it_accepts_the_same_category_in_the_api(api, responder, make_action):
    action = make_action(category="corrective")
    response = patch(api, responder, action, {"category": "corrective", "title": "Y"})
    assert response.status_code == 200, response.data


def test_it_ignores_a_category_posted_to_the_edit_page(client, responder, make_action):
    action = make_action(category="corrective")
    client.force_login(responder)
    client.post(edit_url(action), form_data(action, category="immediate_fix", title="Renamed"))
    action.refresh_from_db()
    assert (action.title, action.category) == ("Renamed", "corrective")


def admin_form(action, **changes):
    data = {
        "review": action.review_id,
        "category": action.category,
        "title": action.title,
        "team": action.team_id,
        "priority": action.priority,
        "due_date": action.due_date.isoformat(),
        "findings-TOTAL_FORMS": 0,
        "findings-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_it_refuses_a_category_change_in_the_admin(client, admin, make_action):
    action = make_action(category="corrective")
    client.force_login(admin)
    response = client.post(f"/admin/actions/actionitem/{action.pk}/change/", admin_form(action, category="remedial"))
    assert response.status_code == 200
    assert "keeps its category" in response.content.decode()
    assert ActionItem.objects.get(pk=action.pk).category == "corrective"


# --- An action stays on its review, and addresses only its review's factors ------------


def test_it_refuses_moving_an_action_to_another_review_in_the_api(api, responder, make_action, team):
    action = make_action()
    other = ReviewFactory(incident=IncidentFactory(team=team))
    response = patch(api, responder, action, {"review": other.incident.reference})
    assert response.status_code == 400
    assert ActionItem.objects.get(pk=action.pk).review_id == action.review_id


def test_it_refuses_moving_an_action_to_another_review_in_the_admin(client, admin, make_action, team):
    action = make_action()
    other = ReviewFactory(incident=IncidentFactory(team=team))
    client.force_login(admin)
    response = client.post(f"/admin/actions/actionitem/{action.pk}/change/", admin_form(action, review=other.pk))
    assert response.status_code == 200
    assert ActionItem.objects.get(pk=action.pk).review_id == action.review_id


def test_it_refuses_factors_of_another_review_on_update_in_the_api(api, responder, make_action):
    action = make_action()
    response = patch(api, responder, action, {"factors": [CausalFactorFactory().pk]})
    assert response.status_code == 400
    assert "factors" in response.data
    assert not action.factors.exists()


def test_it_refuses_factors_of_another_review_in_the_admin(client, admin, make_action):
    action = make_action()
    client.force_login(admin)
    foreign = CausalFactorFactory()
    response = client.post(f"/admin/actions/actionitem/{action.pk}/change/", admin_form(action, factors=[foreign.pk]))
    assert response.status_code == 200
    assert "causal factors of its own review" in response.content.decode()
    assert not action.factors.exists()
