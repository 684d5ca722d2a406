from rest_framework import serializers

from accounts.models import Team
from core.api import ValidatedModelSerializer, person_field
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


class IncidentSerializer(ValidatedModelSerializer):
    """An incident, with related objects named by natural key (slugs, usernames)."""

    reference = serializers.CharField(read_only=True, help_text="INC-<number>: how the API and people name it.")
    severity_description = serializers.CharField(read_only=True)
    team = serializers.SlugRelatedField(slug_field="slug", queryset=Team.objects.all(), allow_null=True, required=False)
    services = serializers.SlugRelatedField(
        slug_field="slug", queryset=Service.objects.all(), many=True, required=False
    )
    commander = person_field(allow_null=True, required=False)
    reporter = person_field(allow_null=True, required=False)
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
            *Incident.WRITABLE_FIELDS,
            "severity_description",
            "durations",
            "tags",
            "source",
            "external_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # (source, external_id) idempotency is handled by the view (a repeat answers 200), not a 400.
        validators = []

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

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            for name in ("source", "external_id"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: "Where an incident came from cannot change."})
        return attrs

    def would_be_instance(self, attrs):
        """The incident as this write would leave it, before any status change: a new status goes
        through `Incident.change_status`, which sets the times it implies and checks the result."""
        incident, related = super().would_be_instance(attrs)
        if self.instance is not None:
            incident.status = self.instance.status
        return incident, related


class TimelineEventSerializer(serializers.ModelSerializer):
    """One event on an incident's timeline, addressed by id under its incident."""

    author = person_field(read_only=True, allow_null=True)

    class Meta:
        model = TimelineEvent
        fields = ["id", "occurred_at", "kind", "text", "author", "source", "created_at", "updated_at"]
        read_only_fields = ["id", "author", "source", "created_at", "updated_at"]
