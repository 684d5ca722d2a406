"""Adding a cause or an effect of a factor in one step: a new factor and its link, or a link to an existing one."""

import pytest
from django.core.exceptions import ValidationError

from postmortems import editing
from postmortems.charts import reading_order
from postmortems.models import CausalFactor, CausalLink
from postmortems.tests.factories import CausalFactorFactory, CausalLinkFactory, ReviewFactory

pytestmark = pytest.mark.django_db

NEW = {"kind": "condition", "category": "procedural"}


def _relate_url(review, factor):
    return f"/reviews/{review.reference}/factors/{factor.pk}/relate/"


def test_it_adds_a_new_cause_and_its_link_together(review, responder):
    symptom = CausalFactorFactory(review=review, description="Checkout times out", is_symptom=True)
    cause, link = editing.add_related_factor(
        review, factor=symptom, direction="cause", by=responder, description="Pool exhausted", **NEW
    )
    assert (cause.description, cause.kind, cause.category) == ("Pool exhausted", "condition", "procedural")
    assert (link.cause, link.effect) == (cause, symptom)


def test_it_adds_a_new_effect_pointing_away_from_the_factor(review, responder):
    root = CausalFactorFactory(review=review, is_root_cause=True)
    effect, link = editing.add_related_factor(
        review, factor=root, direction="effect", by=responder, description="Retries pile up", is_symptom=True
    )
    assert (link.cause, link.effect) == (root, effect)
    assert effect.is_symptom


def test_it_leaves_no_new_factor_behind_when_the_link_is_refused(review, responder):
    a = CausalFactorFactory(review=review)
    other_review_factor = CausalFactorFactory(review=ReviewFactory())
    with pytest.raises(ValidationError, match="same review"):
        editing.add_related_factor(review, factor=other_review_factor, direction="cause", by=responder, description="x")
    assert list(review.factors.all()) == [a]


def test_it_refuses_a_cycle_through_an_existing_factor(review, responder):
    a, b = CausalFactorFactory(review=review), CausalFactorFactory(review=review)
    CausalLinkFactory(review=review, cause=a, effect=b)
    with pytest.raises(ValidationError, match="cycle"):
        editing.add_related_factor(review, factor=a, direction="cause", by=responder, existing=b)
    assert CausalLink.objects.count() == 1


def test_it_refuses_a_self_link_through_the_one_step_workflow(review, responder):
    a = CausalFactorFactory(review=review)
    with pytest.raises(ValidationError, match="cannot cause itself"):
        editing.add_related_factor(review, factor=a, direction="effect", by=responder, existing=a)
    assert not CausalLink.objects.exists()


def test_it_adds_a_cause_from_the_page_in_one_post(client, review, responder):
    symptom = CausalFactorFactory(review=review, description="Checkout times out", is_symptom=True)
    client.force_login(responder)
    response = client.post(
        _relate_url(review, symptom),
        {"direction": "cause", "description": "Pool of 20 per pod", "is_root_cause": "on", **NEW},
        HTTP_HX_REQUEST="true",
    )
    new = CausalFactor.objects.get(description="Pool of 20 per pod")
    assert new.is_root_cause
    assert CausalLink.objects.filter(cause=new, effect=symptom).exists()
    html = response.content.decode()
    # The keyboard goes on from the new factor: its own "Add a cause" button takes focus.
    assert 'aria-label="Add a cause of Pool of 20 per pod"' in html
    assert html.count("data-autofocus") == 1
    assert f'data-factor="{new.pk}" data-autofocus' in html


def test_it_links_an_existing_factor_from_the_page(client, review, responder):
    a, b = CausalFactorFactory(review=review), CausalFactorFactory(review=review)
    client.force_login(responder)
    client.post(_relate_url(review, a), {"direction": "effect", "existing": b.pk, **NEW}, HTTP_HX_REQUEST="true")
    assert CausalLink.objects.filter(cause=a, effect=b).exists()
    assert CausalFactor.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Describe the new factor, or choose an existing one"),
        ({"description": "new one", "existing": "EXISTING"}, "not both"),
        ({"description": "x" * 501}, "at most 500 characters"),
        ({"description": "ok", "kind": "rumour"}, "Select a valid choice"),
        ({"direction": "sideways", "description": "ok"}, "Select a valid choice"),
    ],
)
def test_it_refuses_bad_input_with_a_form_error_and_changes_nothing(client, review, responder, data, message):
    a, b = CausalFactorFactory(review=review), CausalFactorFactory(review=review)
    data = {"direction": "cause", **NEW, **data}
    if data.get("existing") == "EXISTING":
        data["existing"] = b.pk
    client.force_login(responder)
    response = client.post(_relate_url(review, a), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps only successful answers; the form comes back with its error
    html = response.content.decode()
    assert message in html
    assert 'id="relate-form"' in html
    assert CausalFactor.objects.count() == 2
    assert not CausalLink.objects.exists()


def test_it_shows_a_cycle_as_a_form_error_under_the_factor(client, review, responder):
    a, b = CausalFactorFactory(review=review, description="a"), CausalFactorFactory(review=review, description="b")
    CausalLinkFactory(review=review, cause=a, effect=b)
    client.force_login(responder)
    response = client.post(
        _relate_url(review, a), {"direction": "cause", "existing": b.pk, **NEW}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    form = html[html.index('id="relate-form"') :]
    assert 'class="form-error"' in form
    assert "would make a cycle" in form
    assert CausalLink.objects.count() == 1


def test_it_explains_a_refusal_without_javascript(client, review, responder):
    a, b = CausalFactorFactory(review=review, description="a"), CausalFactorFactory(review=review, description="b")
    CausalLinkFactory(review=review, cause=a, effect=b)
    client.force_login(responder)
    response = client.post(_relate_url(review, a), {"direction": "cause", "existing": b.pk, **NEW}, follow=True)
    assert "would make a cycle" in response.content.decode()


def test_it_opens_the_form_under_the_factor(client, review, responder):
    a = CausalFactorFactory(review=review, description="Disk filled")
    client.force_login(responder)
    response = client.get(_relate_url(review, a) + "?direction=effect", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Add an effect of “Disk filled”" in html
    assert 'name="description"' in html


def test_it_opens_the_form_in_the_page_without_javascript(client, review, responder):
    a = CausalFactorFactory(review=review, description="Disk filled")
    client.force_login(responder)
    response = client.get(_relate_url(review, a) + "?direction=cause", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"?add=cause&of={a.pk}#relate-{a.pk}")
    assert 'id="relate-form"' in html
    assert "Add a cause of “Disk filled”" in html


@pytest.mark.parametrize("persona", ["viewer", "outsider"])
def test_it_refuses_who_may_not_edit(client, review, request, persona):
    a = CausalFactorFactory(review=review)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(_relate_url(review, a), {"direction": "cause", "description": "x", **NEW})
    assert response.status_code == 403
    assert CausalFactor.objects.count() == 1


def test_it_refuses_a_factor_of_another_review(client, review, responder):
    stranger = CausalFactorFactory(review=ReviewFactory(incident__team=review.incident.team))
    client.force_login(responder)
    response = client.post(_relate_url(review, stranger), {"direction": "cause", "description": "x", **NEW})
    assert response.status_code == 404


def test_it_lists_each_factor_with_its_causes_and_effects(client, review, responder):
    a = CausalFactorFactory(review=review, description="Campaign launched unannounced")
    b = CausalFactorFactory(review=review, description="Pool exhausted")
    c = CausalFactorFactory(review=review, description="Checkout times out")
    CausalLinkFactory(review=review, cause=b, effect=c)
    CausalLinkFactory(review=review, cause=a, effect=b)
    client.force_login(responder)
    html = client.get(review.get_absolute_url()).content.decode()
    row = html[html.index(f'id="factor-{b.pk}"') : html.index(f'id="factor-{c.pk}"')]
    assert f'<dt>Caused by</dt><dd><a href="#factor-{a.pk}">' in row
    assert f'<a href="#factor-{c.pk}">#{c.pk} Checkout times out</a>' in row


def test_it_orders_the_factor_list_from_causes_to_effects(review):
    c, b, a = (CausalFactorFactory(review=review, description=name) for name in "cba")
    links = [CausalLinkFactory(review=review, cause=a, effect=b), CausalLinkFactory(review=review, cause=b, effect=c)]
    assert [f.description for f in reading_order([c, b, a], links)] == ["a", "b", "c"]


def test_it_hides_a_restricted_review_from_who_may_not_see_it(client, restricted_review, responder):
    factor = CausalFactorFactory(review=restricted_review)
    client.force_login(responder)
    response = client.post(_relate_url(restricted_review, factor), {"direction": "cause", "description": "x", **NEW})
    assert response.status_code == 404
    assert CausalFactor.objects.count() == 1
