from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.models import Team
from incidents.choices import Status
from incidents.models import Incident, IncidentTag, TimelineEvent
from services.models import Service


class IncidentTagSerializer(serializers.ModelSerializer):
    """A tag of an incident; its service (optional) named by slug."""

    service = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = IncidentTag
        fields = ["kind", "value", "service"]


class DurationsSerializer(serializers.Serializer):
    """Seconds between lifecycle moments; null when either end is unknown."""

    time_to_detect = serializers.FloatField(allow_null=True)
    time_to_acknowledge = serializers.FloatField(allow_null=True)
    time_to_mitigate = serializers.FloatField(allow_null=True)
    time_to_resolve = serializers.FloatField(allow_null=True)

    def to_representation(self, incident):
        return {
            name: (delta.total_seconds() if (delta := getattr(incident, name)) is not None else None)
            for name in self.fields
        }


class IncidentSerializer(serializers.ModelSerializer):
    """An incident, with related objects named by natural key (slugs, usernames)."""

    reference = serializers.CharField(read_only=True, help_text="INC-<number>: how the API and people name it.")
    severity_description = serializers.CharField(read_only=True)
    team = serializers.SlugRelatedField(slug_field="slug", queryset=Team.objects.all(), allow_null=True, required=False)
    services = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.all(), many=True, required=False
    )
    commander = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all(), allow_null=True, required=False
    )
    reporter = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all(), allow_null=True, required=False
    )
    allowed_teams = serializers.SlugRelatedField(
        slug_field="slug", queryset=Team.objects.all(), many=True, required=False
    )
    labels = serializers.DictField(child=serializers.CharField(max_length=200), required=False)
    tags = IncidentTagSerializer(
        many=True,
        required=False,
        help_text="Writing replaces the whole list: tags left out are removed, new ones added, the rest kept.",
    )
    durations = DurationsSerializer(source="*", read_only=True)

    class Meta:
        model = Incident
        fields = [
            "reference",
            "kind",
            "title",
            "summary",
            "severity",
            "severity_description",
            "status",
            "started_at",
            "detected_at",
            "acknowledged_at",
            "mitigated_at",
            "resolved_at",
            "durations",
            "team",
            "services",
            "commander",
            "reporter",
            "detection_source",
            "labels",
            "exclude_from_metrics",
            "restricted",
            "allowed_teams",
            "tags",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def create(self, validated_data):
        tags = validated_data.pop("tags", None)
        incident = super().create(validated_data)
        if tags is not None:
            incident.replace_tags(tags)
        return incident

    def update(self, instance, validated_data):
        tags = validated_data.pop("tags", None)
        incident = super().update(instance, validated_data)
        if tags is not None:
            incident.replace_tags(tags)
        return incident

    def validate_status(self, status):
        incident = self.instance
        if incident is not None and status != incident.status and not incident.can_transition_to(status):
            allowed = ", ".join(s.value for s in incident.allowed_next_statuses()) or "nothing (it is final)"
            raise serializers.ValidationError(
                f"{incident.reference} cannot go from {incident.status} to {status}; it can go to {allowed}."
            )
        return status

    def validate(self, attrs):
        """Check the lifecycle order (and the rest of Incident.clean) on the incident as it would be."""
        probe = Incident(
            **{
                field: attrs.get(field, getattr(self.instance, field, None))
                for field in ("status", "started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at")
            }
        )
        if probe.status is None:
            probe.status = Status.INVESTIGATING
        # A status change through the lifecycle sets resolved_at itself; don't demand it up front.
        if self.instance is not None and attrs.get("status", self.instance.status) != self.instance.status:
            probe.status = self.instance.status
        try:
            probe.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        restricted = attrs.get("restricted", getattr(self.instance, "restricted", False))
        allowed_teams = attrs.get("allowed_teams")
        if allowed_teams is None and self.instance is not None:
            allowed_teams = list(self.instance.allowed_teams.all())
        if restricted and not allowed_teams:
            raise serializers.ValidationError(
                {"allowed_teams": "Name at least one team that may see this restricted incident."}
            )
        return attrs


class TimelineEventSerializer(serializers.ModelSerializer):
    """One event on an incident's timeline, addressed by id under its incident."""

    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = TimelineEvent
        fields = ["id", "occurred_at", "kind", "text", "author", "source", "created_at", "updated_at"]
        read_only_fields = ["id", "author", "source", "created_at", "updated_at"]
