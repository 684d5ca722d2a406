"""Factories for the rows actions hang off: services, incidents, reviews, causal factors, actions."""

from datetime import timedelta

import factory
from django.utils import timezone

from actions.models import ActionItem, RemedialFinding
from incidents.models import Incident
from postmortems.models import CausalFactor, Review, RootCauseClass
from services.models import Service


class NamedAfterSlugFactory(factory.django.DjangoModelFactory):
    """A catalog row named after its slug ("service-3" is "Service 3"); the row with that slug when there is one."""

    class Meta:
        abstract = True
        django_get_or_create = ("slug",)

    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class ServiceFactory(NamedAfterSlugFactory):
    class Meta:
        model = Service

    slug = factory.Sequence(lambda n: f"service-{n}")


class RootCauseClassFactory(NamedAfterSlugFactory):
    class Meta:
        model = RootCauseClass

    slug = factory.Sequence(lambda n: f"class-{n}")


class AffectingServicesFactory(factory.django.DjangoModelFactory):
    """A row whose `services` can be given: `ActionItemFactory(services=[payments])`."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)


class IncidentFactory(AffectingServicesFactory):
    class Meta:
        model = Incident

    title = factory.Sequence(lambda n: f"Incident {n}")
    severity = "sev2"
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    incident = factory.SubFactory(IncidentFactory)
    status = "published"
    published_at = factory.LazyFunction(timezone.now)


class CausalFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CausalFactor

    review = factory.SubFactory(ReviewFactory)
    description = factory.Sequence(lambda n: f"Causal factor {n}")
    is_root_cause = True


class ActionItemFactory(AffectingServicesFactory):
    class Meta:
        model = ActionItem

    review = factory.SubFactory(ReviewFactory)
    category = "corrective"
    title = factory.Sequence(lambda n: f"Action {n}")


class RemedialFindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RemedialFinding

    action = factory.SubFactory(ActionItemFactory, category="remedial")
    text = factory.Sequence(lambda n: f"Similar hole {n}")


def bulk_actions(review, team, count, *, title="Action"):
    """`count` actions of `review` and `team` in one query, in turn of every category and status, due from 60 days
    ago to 60 days ahead; the done ones wait for verification."""
    now, today = timezone.now(), timezone.localdate()
    ActionItem.objects.bulk_create(
        ActionItem(
            review=review,
            team=team,
            category=("immediate_fix", "corrective", "remedial", "preventive")[i % 4],
            title=f"{title} {i}",
            due_date=today + timedelta(days=(i % 120) - 60),
            status=("open", "in_progress", "done", "wont_do")[i % 4],
            wont_do_reason="Superseded" if i % 4 == 3 else "",
            opened_at=now - timedelta(days=i % 200),
            done_at=now - timedelta(days=i % 100) if i % 4 == 2 else None,
            closed_at=now - timedelta(days=i % 100) if i % 4 in (2, 3) else None,
            verification="pending" if i % 4 == 2 else "",
        )
        for i in range(count)
    )
