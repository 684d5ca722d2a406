"""One FilterSet per list, shared by the HTML list page and the API."""

import django_filters
from django import forms

from accounts.models import Team
from core.filters import search_filter, slug_filter
from services.choices import DeploymentStatus, DeploymentStrategy, Tier
from services.models import Deployment, Service


class ServiceFilterSet(django_filters.FilterSet):
    q = search_filter("Name or description")
    team = slug_filter(Team.objects.all(), "team")
    tier = django_filters.ChoiceFilter(choices=Tier.choices, empty_label="Any tier")

    class Meta:
        model = Service
        fields = ["q", "team", "tier"]

    def filter_text(self, queryset, name, value):
        return queryset.search(value)


class DeploymentFilterSet(django_filters.FilterSet):
    q = search_filter("Version, commit or service")
    service = slug_filter(Service.objects.all(), "service")
    team = slug_filter(Team.objects.all(), "team", field_name="service__team")
    environment = django_filters.CharFilter(
        lookup_expr="iexact", widget=forms.TextInput(attrs={"placeholder": "production"})
    )
    status = django_filters.ChoiceFilter(choices=DeploymentStatus.choices, empty_label="Any status")
    strategy = django_filters.ChoiceFilter(choices=DeploymentStrategy.choices, empty_label="Any strategy")
    # ISO 8601 in the API; the browser's date-time picker sends the same format.
    started_after = django_filters.IsoDateTimeFilter(
        field_name="started_at",
        lookup_expr="gte",
        label="Started after",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    started_before = django_filters.IsoDateTimeFilter(
        field_name="started_at",
        lookup_expr="lt",
        label="Started before",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    source = django_filters.CharFilter(widget=forms.TextInput(attrs={"placeholder": "Pipeline name"}))

    class Meta:
        model = Deployment
        fields = [
            "q",
            "service",
            "team",
            "environment",
            "status",
            "strategy",
            "started_after",
            "started_before",
            "source",
        ]

    def filter_text(self, queryset, name, value):
        return queryset.search(value)
