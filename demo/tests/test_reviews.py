import pytest

from demo.reviews import seed_reviews
from postmortems.charts import path_exists
from postmortems.models import CausalFactor, CausalLink, Review
from postmortems.tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def test_it_seeds_reviews_once_for_existing_incidents(team):
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
