"""One FilterSet per list, shared by the page and the API."""

import django_filters
from django import forms

from accounts.models import Team
from core.filters import search_filter, slug_filter
from failure_catalog.choices import Decision, Environment, FaultCategory, Outcome, RequirementOrigin, Source
from failure_catalog.models import (
    Experiment,
    FailureModeAnalysis,
    FaultType,
    GateDecision,
    ResilienceRequirement,
)
from incidents.models import parse_reference
from services.filtersets import ServiceFilterSet
from services.models import Service


def service_field(field_name="service"):
    return slug_filter(Service.objects.all(), "service", field_name=field_name)


def team_field(field_name="service__team"):
    return slug_filter(Team.objects.all(), "team", field_name=field_name)


def fault_type_field():
    return slug_filter(FaultType.objects.all(), "fault type")


class SearchMixin:
    def filter_text(self, queryset, name, value):
        return queryset.search(value)


class FaultTypeFilterSet(SearchMixin, django_filters.FilterSet):
    q = search_filter("Name or description")
    category = django_filters.ChoiceFilter(choices=FaultCategory.choices, empty_label="Any category")

    class Meta:
        model = FaultType
        fields = ["q", "category"]


class ExperimentFilterSet(SearchMixin, django_filters.FilterSet):
    q = search_filter("Title, hypothesis or version")
    service = service_field()
    team = team_field()
    fault_type = fault_type_field()
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, empty_label="Any outcome")
    environment = django_filters.ChoiceFilter(choices=Environment.choices, empty_label="Any environment")
    source = django_filters.ChoiceFilter(choices=Source.choices, empty_label="Any source")
    version = django_filters.CharFilter(widget=forms.TextInput(attrs={"placeholder": "2.4.0"}))

    class Meta:
        model = Experiment
        fields = ["q", "service", "team", "fault_type", "outcome", "environment", "source", "version"]


class RequirementFilterSet(django_filters.FilterSet):
    service = service_field()
    team = team_field()
    fault_type = fault_type_field()
    origin = django_filters.ChoiceFilter(choices=RequirementOrigin.choices, empty_label="Any origin")
    review = django_filters.CharFilter(method="filter_review", label="Review (INC-…)")

    class Meta:
        model = ResilienceRequirement
        fields = ["service", "team", "fault_type", "origin", "review"]

    def filter_review(self, queryset, name, value):
        number = parse_reference(value)
        return queryset.filter(review__incident_id=number) if number is not None else queryset.none()


class CoverageFilterSet(ServiceFilterSet):
    """Which services' rows the coverage matrix shows: the service list's filters."""


class FailureModeAnalysisFilterSet(django_filters.FilterSet):
    service = service_field()
    team = team_field()

    class Meta:
        model = FailureModeAnalysis
        fields = ["service", "team"]


class GateDecisionFilterSet(django_filters.FilterSet):
    service = service_field()
    team = team_field()
    decision = django_filters.ChoiceFilter(choices=Decision.choices, empty_label="Any decision")
    version = django_filters.CharFilter()
    environment = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = GateDecision
        fields = ["service", "team", "decision", "version", "environment"]
