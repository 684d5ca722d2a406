import pytest
from django.utils import timezone

from demo.reviews import seed_reviews
from incidents.models import Incident
from postmortems.charts import path_exists
from postmortems.models import CausalFactor, CausalLink, Review
from postmortems.tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db


def _incidents(team):
    """Twelve resolved incidents, named the same in every run: what the demo makes of each follows from its title."""
    for n in range(12):
        IncidentFactory(team=team, severity="sev2", title=f"Checkout API: errors after a configuration push ({n})")


def test_it_seeds_reviews_once_for_existing_incidents(team, lead):
    for severity in ["sev1", "sev2", "sev3", "sev4"] * 5:
        IncidentFactory(team=team, severity=severity, title=f"Database pool {severity}")
    first = seed_reviews()
    counts = (Review.objects.count(), CausalFactor.objects.count(), CausalLink.objects.count())
    assert first > 0
    assert seed_reviews() == 0
    assert (Review.objects.count(), CausalFactor.objects.count(), CausalLink.objects.count()) == counts
    assert not Review.objects.filter(incident__severity="sev4").exists()


def test_the_story_does_not_depend_on_the_ids_the_database_hands_out(team, lead):
    def told():
        _incidents(team)
        seed_reviews()
        reviews = Review.objects.select_related("incident", "primary_class")
        return sorted(
            (r.incident.title, r.status, r.primary_class, r.published_at and r.published_at - r.incident.resolved_at)
            for r in reviews
        )

    first = told()
    Incident.objects.all().delete()
    Incident.objects.filter(pk__in=[IncidentFactory(team=team).pk for _ in range(3)]).delete()
    assert told() == first


def test_it_seeds_published_reviews_with_sensible_charts(team, lead):
    _incidents(team)
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
    _incidents(team)
    seed_reviews()
    review = Review.objects.published().first()
    reasons = list(
        review.history.order_by("history_date", "history_id").values_list("history_change_reason", flat=True)
    )
    # Starting records the review and then its first author: two records with one reason.
    assert list(dict.fromkeys(reasons)) == ["Started", "Edited", "Sent for review", "Published"]
    assert (review.published_by, review.published_at < timezone.now()) == (lead, True)


def test_it_adds_each_chart_link_through_the_chart_rules(team, lead):
    _incidents(team)
    seed_reviews()
    links = CausalLink.objects.filter(review__status="published")
    assert links.exists()
    assert all(link.history.filter(history_type="+", history_user=link.review.owner).exists() for link in links)
