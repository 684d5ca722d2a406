"""One FilterSet for playbooks and runbooks, shared by the list page and the API."""

import django_filters

from accounts.models import Team
from core import search
from core.filters import YES_NO, search_filter, slug_filter
from playbooks.choices import Kind
from playbooks.models import Playbook
from postmortems.models import RootCauseClass
from services.models import Service


class PlaybookFilterSet(django_filters.FilterSet):
    q = search_filter("Symptom, alert, title…")
    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label="Playbooks and runbooks")
    service = slug_filter(Service.objects.all(), "service", field_name="services", distinct=True)
    # `class` is a Python keyword, so this filter is put into the class namespace by name.
    locals()["class"] = slug_filter(
        RootCauseClass.objects.all(), "class", label="Root-cause class", field_name="classes", distinct=True
    )
    team = slug_filter(Team.objects.all(), "team")
    stale = django_filters.BooleanFilter(method="filter_stale", label="Flagged stale", widget=YES_NO)

    class Meta:
        model = Playbook
        fields = ["q", "kind", "service", "class", "team", "stale"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(pk__in=search.matching_ids(value, doc_type=Kind.values))

    def filter_stale(self, queryset, name, value):
        stale = Playbook.objects.stale().values("pk")
        return queryset.filter(pk__in=stale) if value else queryset.exclude(pk__in=stale)
