"""The coverage table on a review: one click per root cause and category opens the add-action form with both set."""

import re

import pytest
from django.urls import reverse

from actions.tests.factories import CausalFactorFactory

pytestmark = pytest.mark.django_db


def _cell_url(review, category, factor_id):
    return (
        reverse("actions:action_create") + f"?review={review.incident.reference}&category={category}&factor={factor_id}"
    )


def _input(html, name, value=None):
    """The <input> tag named `name` (with `value`, for one of several checkboxes)."""
    value_part = f' value="{value}"' if value is not None else ""
    return re.search(rf'<input[^>]*name="{name}"{value_part}[^>]*>', html).group(0)


def _open_cell(client, user, review, category, factor_id, **headers):
    client.force_login(user)
    return client.get(_cell_url(review, category, factor_id), **headers)


def test_it_offers_an_add_link_in_every_cell_of_a_root_cause(client, responder, review):
    cause = CausalFactorFactory(review=review, description="Config pushed without a canary")
    client.force_login(responder)
    html = client.get(review.get_absolute_url()).content.decode()
    row = html.split(f'data-factor="{cause.pk}"')[1].split("</tr>")[0]
    for phrase in ("an immediate fix", "a corrective action", "a remedial action", "a preventive action"):
        assert f'aria-label="Add {phrase} for Config pushed without a canary"' in row


def test_it_offers_no_add_link_to_readers(client, viewer, review):
    CausalFactorFactory(review=review)
    client.force_login(viewer)
    assert 'class="coverage-add"' not in client.get(review.get_absolute_url()).content.decode()


def test_it_opens_the_form_with_the_category_and_the_root_cause_set(client, responder, review):
    cause = CausalFactorFactory(review=review, description="No canary")
    other = CausalFactorFactory(review=review)
    response = _open_cell(client, responder, review, "corrective", cause.pk, HTTP_HX_REQUEST="true")
    form = response.context["form"]
    assert form["category"].value() == "corrective"
    assert [int(pk) for pk in form["factors"].value()] == [cause.pk]
    html = response.content.decode()
    assert "checked" in _input(html, "factors", cause.pk)
    assert "checked" not in _input(html, "factors", other.pk)
    assert "data-autofocus" in _input(html, "title")
    assert "New corrective action for the root cause “No canary”" in html
    assert '<details class="add-action" open>' in html


def test_it_opens_the_form_on_its_own_page_without_javascript(client, responder, review):
    cause = CausalFactorFactory(review=review, description="No canary")
    response = _open_cell(client, responder, review, "preventive", cause.pk)
    assert response.templates[0].name == "actions/action_form.html"
    assert response.context["form"]["category"].value() == "preventive"
    assert "New preventive action for the root cause “No canary”" in response.content.decode()


@pytest.mark.parametrize("case", ["not a root cause", "another review", "no such category", "not a number"])
def test_it_opens_a_plain_form_for_a_cell_query_that_names_nothing_valid(client, responder, review, case):
    factor = {
        "not a root cause": lambda: CausalFactorFactory(review=review, is_root_cause=False).pk,
        "another review": lambda: CausalFactorFactory().pk,
        "no such category": lambda: CausalFactorFactory(review=review).pk,
        "not a number": lambda: "1;DROP",
    }[case]()
    category = "everything" if case == "no such category" else "corrective"
    response = _open_cell(client, responder, review, category, factor, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["form"]["factors"].value() in (None, [])
    assert "New corrective action" not in response.content.decode()


def test_it_covers_the_root_cause_once_the_action_from_its_cell_is_saved(client, responder, review, team):
    cause = CausalFactorFactory(review=review)
    form = _open_cell(client, responder, review, "preventive", cause.pk, HTTP_HX_REQUEST="true").context["form"]
    data = {
        "category": form["category"].value(),
        "title": "Canary every config push",
        "team": team.pk,
        "priority": "high",
        "factors": form["factors"].value(),
    }
    response = client.post(
        reverse("actions:action_create") + f"?review={review.incident.reference}", data, HTTP_HX_REQUEST="true"
    )
    assert list(review.actions.get().factors.all()) == [cause]
    assert "no corrective or preventive action" not in response.content.decode()


def test_it_explains_the_warning_and_links_the_table(client, responder, review):
    CausalFactorFactory(review=review)
    client.force_login(responder)
    html = client.get(review.get_absolute_url()).content.decode()
    warning = html.split('class="coverage-warning"')[1].split("</div>")[0]
    assert "An action counts for a root cause only when it names that cause" in warning
    assert 'href="#coverage-table"' in warning
    assert 'id="coverage-table"' in html


def test_it_hides_a_restricted_review_from_a_cell_link(client, responder, restricted_review):
    cause = CausalFactorFactory(review=restricted_review)
    assert _open_cell(client, responder, restricted_review, "corrective", cause.pk).status_code == 404
