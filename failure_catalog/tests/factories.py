from datetime import timedelta

import factory
from django.utils import timezone

from actions.tests.factories import ServiceFactory
from failure_catalog.choices import Outcome
from failure_catalog.models import Experiment, FailureModeAnalysis, FailureModeRow, FaultType, ResilienceRequirement


class ExperimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experiment

    service = factory.SubFactory(ServiceFactory)
    fault_type = factory.LazyFunction(lambda: FaultType.objects.get(slug="instance-loss"))
    title = factory.Sequence(lambda n: f"Experiment {n}")
    outcome = Outcome.HELD
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResilienceRequirement

    service = factory.SubFactory(ServiceFactory)
    fault_type = factory.LazyFunction(lambda: FaultType.objects.get(slug="instance-loss"))
    expected_behaviour = "Keeps answering."
    max_evidence_age_days = 30


class AnalysisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FailureModeAnalysis

    service = factory.SubFactory(ServiceFactory)
    title = factory.Sequence(lambda n: f"Design review {n}")


class FailureModeRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FailureModeRow

    analysis = factory.SubFactory(AnalysisFactory)
    fault_type = factory.LazyFunction(lambda: FaultType.objects.get(slug="dependency-latency"))
    failure_mode = factory.Sequence(lambda n: f"Failure mode {n}")
