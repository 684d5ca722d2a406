import pytest
from django.utils import timezone

from demo.reviews import seed_reviews
from postmortems.charts import path_exists
from postmortems.models import CausalFactor, CausalLink, Review
from postmortems.tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def test_it_seeds_reviews_once_for_existing_incidents(team, lead):
    for severity in ["sev1", "sev2", "sev3", "sev4"] * 5:
        IncidentFactory(team=team, severity=severity, title=f"Database pool {severity}")
    first = seed_reviews()
    counts = (Review.objects.count(), CausalFactor.objects.count(), CausalLink.objects.count())
    assert first > 0
    assert seed_reviews() == 0
    assert (Review.objects.count(), CausalFactor.objects.count(), CausalLink.objects.count()) == counts
    assert not Review.objects.filter(incident__severity="sev4").exists()


def test_it_seeds_published_reviews_with_sensible_charts(team, lead):
    for _ in range(12):
        IncidentFactory(team=team, severity="sev2")
    seed_reviews()
    published = Review.objects.published()
    assert published.exists()
    for review in published:
        factors = list(review.factors.all())
        edges = list(review.links.values_list("cause_id", "effect_id"))
        assert 5 <= len(factors) <= 12
        assert review.publish_problems() == []
        assert not any(path_exists(edges, start=effect, goal=cause) for cause, effect in edges)


def test_it_writes_each_review_through_its_workflow(team, lead):
    for _ in range(12):
        IncidentFactory(team=team, severity="sev2")
    seed_reviews()
    review = Review.objects.published().first()
    reasons = list(
        review.history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True)
    )
    # Starting records the review and then its first author: two records with one reason.
    assert list(dict.fromkeys(reasons)) == ["Started", "Edited", "Sent for review", "Published"]
    assert (review.published_by, review.published_at < timezone.now()) == (lead, True)


def test_it_adds_each_chart_link_through_the_chart_rules(team, lead):
    for _ in range(12):
        IncidentFactory(team=team, severity="sev2")
    seed_reviews()
    links = CausalLink.objects.filter(review__status="published")
    assert links.exists()
    assert all(link.history.filter(history_type="+", history_user=link.review.owner).exists() for link in links)
