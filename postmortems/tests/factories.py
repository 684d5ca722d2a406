"""Factories for reviews and what they hang off. Plain factory_boy, real database rows."""

from datetime import timedelta

import factory
from django.utils import timezone

from incidents.choices import Severity, Status
from incidents.models import Incident, TimelineEvent
from postmortems.models import CausalFactor, CausalLink, Review, RootCauseClass


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    title = factory.Sequence(lambda n: f"Checkout errors #{n}")
    severity = Severity.SEV2
    status = Status.RESOLVED
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    resolved_at = factory.LazyAttribute(lambda incident: incident.started_at + timedelta(hours=2))


class TimelineEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineEvent

    incident = factory.SubFactory(IncidentFactory)
    text = factory.Sequence(lambda n: f"Observation {n}")


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    incident = factory.SubFactory(IncidentFactory)
    summary = "Checkout failed for 40 minutes after a configuration push."


class CausalFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CausalFactor

    review = factory.SubFactory(ReviewFactory)
    description = factory.Sequence(lambda n: f"Factor {n}")


class CausalLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CausalLink

    review = factory.SubFactory(ReviewFactory)
    cause = factory.SubFactory(CausalFactorFactory, review=factory.SelfAttribute("..review"))
    effect = factory.SubFactory(CausalFactorFactory, review=factory.SelfAttribute("..review"))


def root_cause_class(slug="configuration-change"):
    """A class from the seeded taxonomy."""
    return RootCauseClass.objects.get(slug=slug)


def publishable_review(*, team, owner, **extra):
    """A review with an owner, a primary class and a root cause that leads to a symptom."""
    review = ReviewFactory(incident=IncidentFactory(team=team), owner=owner, primary_class=root_cause_class(), **extra)
    root = CausalFactorFactory(review=review, description="Config push removed the pool limit", is_root_cause=True)
    symptom = CausalFactorFactory(review=review, description="Checkout returned 500s", is_symptom=True)
    CausalLinkFactory(review=review, cause=root, effect=symptom)
    return review
