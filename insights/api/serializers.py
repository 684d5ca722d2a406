from rest_framework import serializers

from actions.models import ActionItem
from insights import links, metrics
from insights.models import DurationRollup, MtbfRollup, RepeatIncident, SLOStatus, UnplannedWorkRollup


class MtbfRollupSerializer(serializers.ModelSerializer):
    """MTBF of a class or service over a window; median and mean are null when there is not enough data."""

    by = serializers.CharField(source="dimension")
    enough_data = serializers.SerializerMethodField()
    incidents_url = serializers.SerializerMethodField()

    class Meta:
        model = MtbfRollup
        fields = [
            "by",
            "key",
            "name",
            "window",
            "window_start",
            "window_end",
            "incident_count",
            "interval_count",
            "enough_data",
            "median_days",
            "mean_days",
            "previous_incident_count",
            "previous_median_days",
            "trend",
            "near_miss_count",
            "game_day_count",
            "incidents_url",
            "computed_at",
        ]

    def get_enough_data(self, row) -> bool:
        return row.interval_count >= metrics.MIN_INTERVALS

    def get_incidents_url(self, row) -> str:
        return links.mtbf_incidents(row)


class HistogramBucketSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class DurationRollupSerializer(serializers.ModelSerializer):
    """One duration's distribution for a team ("" = all) and severity ("" = all) in a quarter, in minutes."""

    histogram = serializers.SerializerMethodField()
    incidents_url = serializers.SerializerMethodField()

    class Meta:
        model = DurationRollup
        fields = [
            "team",
            "severity",
            "quarter",
            "measure",
            "count",
            "median_minutes",
            "p90_minutes",
            "mean_minutes",
            "histogram",
            "incidents_url",
            "computed_at",
        ]

    def get_histogram(self, row) -> HistogramBucketSerializer(many=True):
        return [
            {"label": label, "count": count}
            for label, count in zip(metrics.histogram_labels(), row.histogram, strict=False)
        ]

    def get_incidents_url(self, row) -> str:
        return links.quarter_incidents(row.quarter, team=row.team, severity=row.severity)


class RepeatActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionItem
        fields = ["id", "title", "category", "status", "verification"]


class RepeatIncidentSerializer(serializers.ModelSerializer):
    """An incident that repeated the previous one of its class on its service; `actions` were meant to stop it."""

    incident = serializers.CharField(source="incident.reference")
    started_at = serializers.DateTimeField(source="incident.started_at")
    previous = serializers.CharField(source="previous.reference")
    root_cause_class = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    within_30_days = serializers.BooleanField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = RepeatIncident
        fields = [
            "incident",
            "started_at",
            "previous",
            "root_cause_class",
            "service",
            "gap_days",
            "within_30_days",
            "actions",
            "computed_at",
        ]

    def get_actions(self, row) -> RepeatActionSerializer(many=True):
        return RepeatActionSerializer(meant_to_stop_it(row), many=True).data


def meant_to_stop_it(row):
    """The corrective and preventive actions of the previous incident's review (prefetched by the view)."""
    review = getattr(row.previous, "review", None)
    return getattr(review, "stopping_actions", []) if review is not None else []


class UnplannedWorkRollupSerializer(serializers.ModelSerializer):
    incidents_url = serializers.SerializerMethodField()

    class Meta:
        model = UnplannedWorkRollup
        fields = [
            "team",
            "quarter",
            "incident_count",
            "reviews_with_effort",
            "person_hours",
            "incidents_url",
            "computed_at",
        ]

    def get_incidents_url(self, row) -> str:
        return links.quarter_incidents(row.quarter, team=row.team)


class BurnAlertSerializer(serializers.Serializer):
    rule = serializers.CharField()
    severity = serializers.CharField()
    long_window = serializers.CharField()
    short_window = serializers.CharField()
    long_rate = serializers.FloatField()
    short_rate = serializers.FloatField()
    kind = serializers.CharField(help_text="spike (short window dominant) or creep (long window dominant)")


class SLOStatusSerializer(serializers.ModelSerializer):
    """An SLO's budget over its window, with the events behind it, burn rates per alert window and firing alerts."""

    slo = serializers.IntegerField(source="slo_id")
    service = serializers.CharField(source="slo.service.slug")
    name = serializers.CharField(source="slo.name")
    user_journey = serializers.CharField(source="slo.user_journey")
    objective_percent = serializers.DecimalField(source="slo.objective_percent", max_digits=6, decimal_places=3)
    window_days = serializers.IntegerField(source="slo.window_days")
    rates = serializers.DictField(child=serializers.FloatField(allow_null=True))
    alerts = BurnAlertSerializer(many=True)
    incident = serializers.SerializerMethodField()

    class Meta:
        model = SLOStatus
        fields = [
            "slo",
            "service",
            "name",
            "user_journey",
            "objective_percent",
            "window_days",
            "good",
            "total",
            "report_count",
            "budget_remaining",
            "burn_rate",
            "rates",
            "alerts",
            "burn_kind",
            "incident",
            "computed_at",
        ]

    def get_incident(self, row) -> str | None:
        """The incident a fast burn opened, if the reader may see it."""
        visible = self.context.get("visible_incident_ids", set())
        return f"INC-{row.incident_id}" if row.incident_id in visible else None
