"""One FilterSet for playbooks and runbooks, shared by the list page and the API."""

import django_filters
from django import forms

from accounts.models import Team
from core import search
from playbooks.choices import Kind
from playbooks.models import Playbook
from postmortems.models import RootCauseClass
from services.models import Service

YES_NO = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])


class PlaybookFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_text",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Symptom, alert, title…"}),
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label="Playbooks and runbooks")
    service = django_filters.ModelChoiceFilter(
        field_name="services",
        queryset=Service.objects.all(),
        to_field_name="slug",
        empty_label="Any service",
        label="Service",
        distinct=True,
    )
    # `class` is a Python keyword, so this filter is put into the class namespace by name.
    locals()["class"] = django_filters.ModelChoiceFilter(
        field_name="classes",
        queryset=RootCauseClass.objects.all(),
        to_field_name="slug",
        empty_label="Any class",
        label="Root-cause class",
        distinct=True,
    )
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), to_field_name="slug", empty_label="Any team")
    stale = django_filters.BooleanFilter(method="filter_stale", label="Flagged stale", widget=YES_NO)

    class Meta:
        model = Playbook
        fields = ["q", "kind", "service", "class", "team", "stale"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(pk__in=search.matching_ids(value, doc_type=Kind.values))

    def filter_stale(self, queryset, name, value):
        stale = Playbook.objects.stale().values("pk")
        return queryset.filter(pk__in=stale) if value else queryset.exclude(pk__in=stale)
