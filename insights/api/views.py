"""Read-only API over the rollup tables, filtered by the dashboard's FilterSet and the reader's scope."""

from django.db.models import Prefetch
from rest_framework import generics

from actions.choices import VERIFIED_CATEGORIES
from actions.models import ActionItem
from incidents.models import Incident
from insights.api.serializers import (
    DurationRollupSerializer,
    MtbfRollupSerializer,
    RepeatIncidentSerializer,
    SLOStatusSerializer,
    UnplannedWorkRollupSerializer,
)
from insights.filtersets import InsightsFilterSet
from insights.models import SLOStatus


class RollupListView(generics.ListAPIView):
    filterset_class = InsightsFilterSet

    def get_queryset(self):
        return self.serializer_class.Meta.model.objects.for_user(self.request.user)


class MtbfListView(RollupListView):
    """MTBF per root-cause class (`by=class`, or `class_tree` with subclasses) or per service (`by=service`) over
    `window` (90d, 365d, all). Counts only incidents in metrics; site admins' figures include restricted incidents,
    everyone else's leave them out."""

    serializer_class = MtbfRollupSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("dimension", "name", "key", "window")


class DurationListView(RollupListView):
    """Time to detect, acknowledge, understand, mitigate and resolve per quarter: count, median, p90 (minutes).
    Without `team` the rows are for all teams; without `severity`, for all severities."""

    serializer_class = DurationRollupSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("quarter", "severity", "measure")


class RepeatListView(RollupListView):
    """Incidents of the same class on the same service within 90 days of the previous one, newest first, with the
    corrective and preventive actions of the previous incident's review."""

    serializer_class = RepeatIncidentSerializer

    def get_queryset(self):
        stopping = ActionItem.objects.filter(category__in=VERIFIED_CATEGORIES).order_by("pk")
        return (
            super()
            .get_queryset()
            .select_related("incident", "previous__review", "root_cause_class", "service")
            .prefetch_related(Prefetch("previous__review__actions", queryset=stopping, to_attr="stopping_actions"))
            .order_by("-started_at", "-incident_id", "service_id")
        )


class UnplannedWorkListView(RollupListView):
    """Incidents and recorded responder effort (person-hours) per quarter; all teams unless `team` is given."""

    serializer_class = UnplannedWorkRollupSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("quarter", "team")


class SLOStatusListView(generics.ListAPIView):
    """Each SLO's error budget over its window: events counted, budget remaining, burn rate, burn rate per alert
    window, the SRE workbook's multi-window alerts firing (each a spike or a creep) and the incident a fast burn
    opened."""

    serializer_class = SLOStatusSerializer
    filterset_class = InsightsFilterSet

    def get_queryset(self):
        return SLOStatus.objects.select_related("slo__service").order_by("slo__service__name", "slo__name")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "visible_incident_ids": self.visible_incident_ids}

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.visible_incident_ids = visible_incident_ids(request.user, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def visible_incident_ids(user, statuses):
    """Which of the incidents these SLO statuses opened the user may see (one query)."""
    ids = {status.incident_id for status in statuses if status.incident_id}
    return set(Incident.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
