"""One FilterSet for incidents, shared by the list page and the API."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Case, CharField, IntegerField, Q, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import Team
from core import search
from core.filters import search_filter, slug_filter
from incidents.choices import IncidentKind, Severity, Status
from incidents.models import Incident
from services.models import Service

LABEL_PATTERN = r"^\s*[\w.\-/]+\s*=\s*\S.*$"

# The orders a list can be sorted in: name -> ORDER BY. Severity and status sort by meaning, not by spelling.
STATUS_ORDER = Case(
    *(When(status=status, then=Value(rank)) for rank, status in enumerate(Status)), output_field=IntegerField()
)
SORTS = {
    "-started": ("-started_at", "-id"),
    "started": ("started_at", "id"),
    "severity": ("severity", "-started_at", "-id"),
    "-severity": ("-severity", "-started_at", "-id"),
    "status": (STATUS_ORDER, "-started_at", "-id"),
}
SORT_CHOICES = [
    ("-started", "Newest first"),
    ("started", "Oldest first"),
    ("severity", "Most severe first"),
    ("-severity", "Least severe first"),
    ("status", "By status"),
]


def _start_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class IncidentFilterSet(django_filters.FilterSet):
    q = search_filter("Title or summary")
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, widget=forms.CheckboxSelectMultiple)
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, widget=forms.CheckboxSelectMultiple)
    kind = django_filters.ChoiceFilter(choices=IncidentKind.choices, empty_label="Any kind")
    # No DISTINCT: an incident names a service at most once, so the join cannot repeat a row.
    service = slug_filter(Service.objects.all(), "service", field_name="services", distinct=False)
    team = slug_filter(
        Team.objects.all(),
        "team",
        method="filter_team",
        help_text="The responding team, or the team owning an affected service.",
    )
    label = django_filters.CharFilter(
        method="filter_label",
        label="Label",
        validators=[RegexValidator(LABEL_PATTERN, "Write a label as key=value, e.g. region=eu-west.")],
        widget=forms.TextInput(attrs={"placeholder": "key=value"}),
    )
    started_after = django_filters.DateFilter(
        method="filter_started_after", label="Started from", widget=forms.DateInput(attrs={"type": "date"})
    )
    started_before = django_filters.DateFilter(
        method="filter_started_before", label="Started until", widget=forms.DateInput(attrs={"type": "date"})
    )
    # By the review's class: a lookup path, not an import (postmortems sits above incidents).
    root_cause_class = django_filters.CharFilter(
        field_name="review__primary_class__slug",
        label="Root-cause class",
        widget=forms.TextInput(attrs={"placeholder": "class slug"}),
    )
    root_cause_family = django_filters.CharFilter(
        method="filter_root_cause_family",
        label="Class or subclass",
        widget=forms.TextInput(attrs={"placeholder": "class slug"}),
    )
    exclude_from_metrics = django_filters.BooleanFilter(
        label="Metrics",
        widget=forms.Select(
            choices=[("", "All incidents"), ("false", "Counted in metrics"), ("true", "Excluded from metrics")]
        ),
    )
    sort = django_filters.ChoiceFilter(method="filter_sort", label="Sort", choices=SORT_CHOICES, empty_label=None)

    class Meta:
        model = Incident
        fields = [
            "q",
            "status",
            "severity",
            "kind",
            "service",
            "team",
            "label",
            "started_after",
            "started_before",
            "root_cause_class",
            "root_cause_family",
            "exclude_from_metrics",
            "sort",
        ]

    def filter_text(self, queryset, name, value):
        # The search index (typos corrected), not a scan of every title and summary; visibility stays the list's.
        return queryset.filter(pk__in=search.matching_ids(value, doc_type="incident"))

    def filter_team(self, queryset, name, team):
        affected = Incident.services.through.objects.filter(service__team=team).values("incident_id")
        return queryset.filter(Q(team=team) | Q(pk__in=affected))

    def filter_root_cause_family(self, queryset, name, slug):
        """Incidents whose review's primary class is this class or sits below it (up to three levels)."""
        path = "review__primary_class"
        matches = Q()
        for _ in range(4):
            matches |= Q(**{f"{path}__slug": slug})
            path += "__parent"
        return queryset.filter(matches)

    def filter_label(self, queryset, name, value):
        key, _, wanted = value.partition("=")
        # KeyTextTransform takes the key literally, so a key can never be read as a lookup ("a__in").
        value = Cast(KeyTextTransform(key.strip(), "labels"), CharField())
        return queryset.alias(label_value=value).filter(label_value=wanted.strip())

    def filter_started_after(self, queryset, name, day):
        return queryset.filter(started_at__gte=_start_of_day(day))

    def filter_started_before(self, queryset, name, day):
        return queryset.filter(started_at__lt=_start_of_day(day + timedelta(days=1)))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])
