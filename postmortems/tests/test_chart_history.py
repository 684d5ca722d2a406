"""Causal-factor and link edits are kept in history and shown, interleaved with document saves."""

import pytest

from postmortems import editing
from postmortems.models import CausalFactor, CausalLink

pytestmark = pytest.mark.django_db


def history_page(client, user, review):
    client.force_login(user)
    return client.get(f"/reviews/{review.reference}/history/").content.decode()


def test_it_records_who_added_a_factor_through_the_page(client, review, responder):
    client.force_login(responder)
    client.post(
        f"/reviews/{review.reference}/factors/",
        {"description": "Pool limit removed by a config push", "kind": "condition", "category": "technical"},
    )
    record = CausalFactor.history.get()
    assert (record.history_type, record.history_user, record.description) == (
        "+",
        responder,
        "Pool limit removed by a config push",
    )


def test_it_shows_an_added_factor_on_the_history_page(client, review, responder, viewer):
    editing.add_factor(review, by=responder, description="Pool limit removed", kind="condition")
    page = history_page(client, viewer, review)
    assert "Added a causal factor" in page
    assert "Pool limit removed" in page
    assert "rae-responder" in page


def test_it_shows_only_the_fields_a_factor_edit_changed(client, review, responder, lead, viewer):
    factor = editing.add_factor(review, by=responder, description="Pool limit removed")
    editing.update_factor(factor, by=lead, is_root_cause=True)
    entries = [entry for entry in editing.review_history(review) if entry.kind == "factor"]
    changed = entries[0]
    assert (changed.title, changed.user, [(c.label, c.before, c.after) for c in changed.changes]) == (
        "Changed a causal factor: “Pool limit removed”",
        lead,
        [("Root cause", "no", "yes")],
    )


def test_it_records_links_removed_with_their_factor(client, review, responder, lead):
    cause = editing.add_factor(review, by=responder, description="Config push")
    effect = editing.add_factor(review, by=responder, description="Checkout 500s")
    editing.add_link(review, cause=cause, effect=effect, by=responder)
    client.force_login(lead)
    client.post(f"/reviews/{review.reference}/factors/{cause.pk}/delete/")
    removed = CausalLink.history.filter(history_type="-").get()
    assert removed.history_user == lead
    page = history_page(client, lead, review)
    assert "Removed a link" in page
    assert "Config push → Checkout 500s" in page
    assert "Removed a causal factor" in page


def test_it_records_the_api_user_for_a_link(api, review, responder):
    cause = editing.add_factor(review, by=responder, description="Config push")
    effect = editing.add_factor(review, by=responder, description="Checkout 500s")
    response = api(responder).post(
        f"/api/reviews/{review.reference}/links/", {"cause": cause.pk, "effect": effect.pk}, format="json"
    )
    assert response.status_code == 201
    assert CausalLink.history.get().history_user == responder


def test_it_interleaves_document_saves_and_chart_edits_newest_first(review, responder, lead):
    editing.update_review(review, version=review.version, changes={"summary": "First"}, by=responder)
    editing.add_factor(review, by=lead, description="Config push")
    editing.update_review(review, version=review.version, changes={"summary": "Second"}, by=responder)
    kinds = [(entry.kind, entry.user) for entry in editing.review_history(review)]
    assert kinds[:3] == [("document", responder), ("factor", lead), ("document", responder)]


def test_it_hides_a_restricted_reviews_chart_history(client, restricted_review, lead):
    editing.add_factor(restricted_review, by=None, description="HSM key leaked")
    client.force_login(lead)
    assert client.get(f"/reviews/{restricted_review.reference}/history/").status_code == 404
