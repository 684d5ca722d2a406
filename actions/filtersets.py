"""The one FilterSet for action lists: the list page, the dashboard, the CSV export and the API."""

from datetime import timedelta

import django_filters
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Team
from actions.choices import Category, Priority, Status, Verification
from actions.models import ActionItem, open_q, overdue_q
from core.filters import YES_NO, search_filter, slug_filter
from incidents.models import parse_reference
from services.models import Service


class ActionItemFilterSet(django_filters.FilterSet):
    q = search_filter("Title or description")
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label="Any category")
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    team = slug_filter(Team.objects.all(), "team")
    service = slug_filter(Service.objects.all(), "service", field_name="services", distinct=True)
    owner = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.order_by("username"), to_field_name="username", empty_label="Any owner"
    )
    verification = django_filters.ChoiceFilter(choices=Verification.choices, empty_label="Any verification")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue", widget=YES_NO)
    open = django_filters.BooleanFilter(method="filter_open", label="Open", widget=YES_NO)
    due_within_days = django_filters.NumberFilter(
        method="filter_due_within_days", label="Due within (days)", min_value=0, max_value=3650
    )
    done_within_days = django_filters.NumberFilter(
        method="filter_done_within_days", label="Done within (days)", min_value=0, max_value=3650
    )
    on_time = django_filters.BooleanFilter(method="filter_on_time", label="Done on time", widget=YES_NO)
    priority = django_filters.ChoiceFilter(choices=Priority.choices, empty_label="Any priority")
    review = django_filters.CharFilter(method="filter_review", label="Incident (INC-…)")

    class Meta:
        model = ActionItem
        fields = [
            "q",
            "category",
            "status",
            "team",
            "service",
            "owner",
            "verification",
            "overdue",
            "open",
            "due_within_days",
            "done_within_days",
            "on_time",
            "priority",
            "review",
        ]

    # The fields the list page shows; the rest are reached by the dashboard's links.
    MAIN_FIELDS = ("q", "category", "status", "team", "service", "owner", "verification", "overdue")

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def filter_overdue(self, queryset, name, value):
        overdue = overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_open(self, queryset, name, value):
        return queryset.filter(open_q()) if value else queryset.exclude(open_q())

    def filter_due_within_days(self, queryset, name, value):
        return queryset.due_within(int(value))

    def filter_done_within_days(self, queryset, name, value):
        return queryset.done_since(timezone.now() - timedelta(days=int(value)))

    def filter_on_time(self, queryset, name, value):
        return queryset.done_on_time(on_time=value)

    def filter_review(self, queryset, name, value):
        number = parse_reference(value)
        return queryset.filter(review__incident_id=number) if number is not None else queryset.none()
