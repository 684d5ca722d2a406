"""One FilterSet per list, shared by the HTML list page and the API."""

import django_filters
from django import forms

from accounts.models import Team
from services.choices import DeploymentStatus, DeploymentStrategy, Tier
from services.models import Deployment, Service


class ServiceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or description"}),
    )
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), to_field_name="slug", empty_label="Any team")
    tier = django_filters.ChoiceFilter(choices=Tier.choices, empty_label="Any tier")

    class Meta:
        model = Service
        fields = ["q", "team", "tier"]

    def filter_text(self, queryset, name, value):
        return queryset.search(value)


class DeploymentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Version, commit or service"}),
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.all(), to_field_name="slug", empty_label="Any service"
    )
    team = django_filters.ModelChoiceFilter(
        field_name="service__team",
        queryset=Team.objects.all(),
        to_field_name="slug",
        empty_label="Any team",
        label="Team",
    )
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
