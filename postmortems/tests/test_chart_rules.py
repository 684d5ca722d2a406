import pytest
from django.core.exceptions import ValidationError

from postmortems import editing
from postmortems.charts import chart_warnings, mermaid_chart
from postmortems.models import CausalLink
from postmortems.tests.factories import CausalFactorFactory, CausalLinkFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_a_self_link_in_the_model(review):
    factor = CausalFactorFactory(review=review)
    with pytest.raises(ValidationError, match="cannot cause itself"):
        CausalLink(review=review, cause=factor, effect=factor).full_clean()


def test_it_refuses_a_self_link_in_the_workflow(review, responder):
    factor = CausalFactorFactory(review=review)
    with pytest.raises(ValidationError, match="cannot cause itself"):
        editing.add_link(review, cause=factor, effect=factor, by=responder)
    assert not CausalLink.objects.exists()


def test_it_refuses_a_link_across_reviews_in_the_model(review):
    ours, theirs = CausalFactorFactory(review=review), CausalFactorFactory(review=ReviewFactory())
    with pytest.raises(ValidationError, match="same review"):
        CausalLink(review=review, cause=ours, effect=theirs).full_clean()


def test_it_refuses_a_link_across_reviews_in_the_workflow(review, responder):
    other = ReviewFactory()
    ours, theirs = CausalFactorFactory(review=review), CausalFactorFactory(review=other)
    with pytest.raises(ValidationError, match="same review"):
        editing.add_link(review, cause=ours, effect=theirs, by=responder)
    with pytest.raises(ValidationError, match="same review"):
        editing.add_link(other, cause=ours, effect=theirs, by=responder)
    assert not CausalLink.objects.exists()


def test_it_refuses_a_cycle_in_the_model(review):
    a, b, c = (CausalFactorFactory(review=review, description=name) for name in "abc")
    CausalLinkFactory(review=review, cause=a, effect=b)
    CausalLinkFactory(review=review, cause=b, effect=c)
    with pytest.raises(ValidationError, match="cycle"):
        CausalLink(review=review, cause=c, effect=a).full_clean()


def test_it_refuses_a_cycle_in_the_workflow(review, responder):
    a, b, c = (CausalFactorFactory(review=review, description=name) for name in "abc")
    editing.add_link(review, cause=a, effect=b, by=responder)
    editing.add_link(review, cause=b, effect=c, by=responder)
    with pytest.raises(ValidationError, match="cycle"):
        editing.add_link(review, cause=c, effect=a, by=responder)
    assert CausalLink.objects.count() == 2


def test_it_refuses_a_duplicate_link(review, responder):
    a, b = CausalFactorFactory(review=review), CausalFactorFactory(review=review)
    editing.add_link(review, cause=a, effect=b, by=responder)
    with pytest.raises(ValidationError, match="already linked"):
        editing.add_link(review, cause=a, effect=b, by=responder)


def test_it_accepts_a_diamond(review, responder):
    a, b, c, d = (CausalFactorFactory(review=review) for _ in range(4))
    for cause, effect in [(a, b), (a, c), (b, d), (c, d)]:
        editing.add_link(review, cause=cause, effect=effect, by=responder)
    assert CausalLink.objects.filter(review=review).count() == 4


def test_it_refuses_a_cycle_on_the_page_with_a_message(client, review, responder):
    a, b = CausalFactorFactory(review=review, description="a"), CausalFactorFactory(review=review, description="b")
    CausalLinkFactory(review=review, cause=a, effect=b)
    client.force_login(responder)
    response = client.post(
        f"/reviews/{review.reference}/factors/{a.pk}/relate/",
        {"direction": "cause", "existing": b.pk, "kind": "event", "category": "technical"},
        HTTP_HX_REQUEST="true",
    )
    assert "would make a cycle" in response.content.decode()
    assert CausalLink.objects.count() == 1


def test_it_warns_about_a_root_cause_with_no_path_to_a_symptom(review):
    root = CausalFactorFactory(review=review, description="stray root", is_root_cause=True)
    symptom = CausalFactorFactory(review=review, description="outage", is_symptom=True)
    warnings = chart_warnings([root, symptom], [])
    assert any("stray root" in w and "no path" in w for w in warnings)
    assert any("outage" in w and "no root cause" in w for w in warnings)


def test_it_does_not_warn_when_every_root_reaches_a_symptom(review):
    link = CausalLinkFactory(
        review=review,
        cause=CausalFactorFactory(review=review, is_root_cause=True),
        effect=CausalFactorFactory(review=review, is_symptom=True),
    )
    assert chart_warnings([link.cause, link.effect], [link]) == []


def test_it_shows_the_warning_on_the_page(client, review, viewer):
    CausalFactorFactory(review=review, description="lonely symptom", is_symptom=True)
    client.force_login(viewer)
    assert "has no root cause leading to it" in client.get(review.get_absolute_url()).content.decode()


def test_it_gives_root_causes_and_symptoms_their_own_class(review):
    root = CausalFactorFactory(review=review, is_root_cause=True)
    symptom = CausalFactorFactory(review=review, is_symptom=True)
    text = mermaid_chart([root, symptom], [])
    assert f"f{root.pk}" in text
    assert ":::rootCause" in text
    assert ":::symptom" in text
    assert "classDef rootCause" in text
    assert "classDef symptom" in text


def test_it_escapes_chart_labels(review):
    factor = CausalFactorFactory(review=review, description='evil"] --> x\nclick f1 call alert() <b>`')
    text = mermaid_chart([factor], [])
    label_line = next(line for line in text.splitlines() if line.strip().startswith(f"f{factor.pk}"))
    assert label_line.count('"') == 2  # only the label's own quotes
    assert "<" not in text
    assert "\nclick" not in text
