"""The one FilterSet of the insights dashboard: the page and every /api/insights/ list read through it.

Each filter knows how it narrows each rollup table. Rollups are computed per class, per service,
per team and severity and quarter, so a filter applies where the table has that dimension: MTBF
per class is not split by team or severity (the page says so); MTBF per service follows the
team that owns the service.
"""

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone

from accounts.models import Team
from core.filters import slug_filter
from incidents.choices import Severity
from insights import metrics
from insights.models import (
    WINDOW_DAYS,
    Dimension,
    DurationRollup,
    MtbfRollup,
    RepeatIncident,
    SLOStatus,
    UnplannedWorkRollup,
    Window,
)
from services.models import Service

DEFAULTS = {"window": Window.DAYS_365, "by": Dimension.CLASS}

# Where a table's rows keep their service and severity; a table missing from one is not split that way.
SERVICE_LOOKUPS = {RepeatIncident: "service", SLOStatus: "slo__service"}
SEVERITY_LOOKUPS = {RepeatIncident: "incident__severity", DurationRollup: "severity"}


def first_quarter(window, *, now=None):
    """The earliest quarter a window reaches into ("2025Q4"), or None for all time."""
    days = WINDOW_DAYS[Window(window)]
    return None if days is None else metrics.quarter_of((now or timezone.now()) - timedelta(days=days))


class InsightsFilterSet(django_filters.FilterSet):
    team = slug_filter(Team.objects.all(), "team", method="filter_team")
    service = slug_filter(Service.objects.all(), "service", method="filter_service")
    severity = django_filters.ChoiceFilter(
        choices=Severity.choices, method="filter_severity", label="Severity", empty_label="Any severity"
    )
    window = django_filters.ChoiceFilter(
        choices=Window.choices, method="filter_window", label="Period", empty_label=None
    )
    by = django_filters.ChoiceFilter(
        choices=Dimension.choices,
        method="filter_by",
        label="MTBF by",
        empty_label=None,
        widget=forms.HiddenInput,
    )

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        for name, value in DEFAULTS.items():
            if not data.get(name):
                data[name] = value
        super().__init__(data, *args, **kwargs)

    @property
    def rows_model(self):
        return self.queryset.model

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if queryset.model in (DurationRollup, UnplannedWorkRollup) and not data.get("team"):
            queryset = queryset.filter(team="")
        if queryset.model is DurationRollup and not data.get("severity"):
            queryset = queryset.filter(severity="")
        return queryset

    def filter_team(self, queryset, name, value: str):
        team = value
        if self.rows_model is MtbfRollup:
            owned = Service.objects.filter(team=team).values("slug")
            return queryset.filter(dimension=Dimension.SERVICE, key__in=owned)
        if self.rows_model is RepeatIncident:
            return queryset.filter(service__team=team)
        if self.rows_model is SLOStatus:
            return queryset.filter(slo__service__team=team)
        return queryset.filter(team=team.slug)

    def filter_service(self, queryset, name, value: str):
        service = value
        if self.rows_model is MtbfRollup:
            return queryset.filter(dimension=Dimension.SERVICE, key=service.slug)
        return self._filter_by_lookup(queryset, SERVICE_LOOKUPS, service)

    def filter_severity(self, queryset, name, severity):
        return self._filter_by_lookup(queryset, SEVERITY_LOOKUPS, severity)

    def _filter_by_lookup(self, queryset, lookups, value):
        lookup = lookups.get(self.rows_model)
        return queryset if lookup is None else queryset.filter(**{lookup: value})

    def filter_window(self, queryset, name, window):
        if self.rows_model is SLOStatus:
            return queryset  # an SLO has its own window
        if self.rows_model is MtbfRollup:
            return queryset.filter(window=window)
        days = WINDOW_DAYS[Window(window)]
        if days is None:
            return queryset
        if self.rows_model is RepeatIncident:
            return queryset.filter(started_at__gte=timezone.now() - timedelta(days=days))
        return queryset.filter(quarter__gte=first_quarter(window))

    def filter_by(self, queryset, name, by):
        if self.rows_model is MtbfRollup and not (self.data.get("service") or self.data.get("team")):
            return queryset.filter(dimension=by)
        return queryset
