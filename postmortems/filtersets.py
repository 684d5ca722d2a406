"""One FilterSet per list, shared by the review list page and the API."""

import django_filters
from django.db.models import Q

from accounts.models import Team
from core.filters import search_filter, slug_filter
from postmortems.choices import ReviewStatus
from postmortems.models import Review, RootCauseClass
from services.models import Service


class ReviewFilterSet(django_filters.FilterSet):
    q = search_filter("Incident title or summary")
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, empty_label="Any status")
    root_cause_class = slug_filter(
        RootCauseClass.objects.all(), "class", label="Root-cause class", method="filter_class"
    )
    service = slug_filter(Service.objects.all(), "service", method="filter_service")
    team = slug_filter(Team.objects.all(), "team", field_name="incident__team")
    published_after = django_filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="gte", label="Published after"
    )
    published_before = django_filters.IsoDateTimeFilter(
        field_name="published_at", lookup_expr="lt", label="Published before"
    )

    class Meta:
        model = Review
        fields = ["q", "status", "root_cause_class", "service", "team", "published_after", "published_before"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(incident__title__icontains=value) | Q(summary__icontains=value))

    def filter_class(self, queryset, name, value: str):
        return queryset.with_class(value.slug)

    def filter_service(self, queryset, name, value: str):
        return queryset.with_service(value.slug)


class RootCauseClassFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label="Search")
    parent = django_filters.ModelChoiceFilter(queryset=RootCauseClass.objects.all(), to_field_name="slug")

    class Meta:
        model = RootCauseClass
        fields = ["q", "parent"]

    def filter_text(self, queryset, name, value):
        return queryset.search(value)
