"""Validation of what monitoring systems send, and of intake sources (managed by site admins)."""

from rest_framework import serializers

from accounts.models import Team
from incidents.choices import AlertStatus, Severity
from incidents.models import IntakeSource

# Alertmanager sends this for an alert that has not ended ("zero time" in Go).
_GO_ZERO_TIME = "0001-01-01T00:00:00"


class AlertmanagerTimeField(serializers.DateTimeField):
    """An RFC 3339 time; Go's zero time means "not set" and becomes None."""

    def to_internal_value(self, value):
        if isinstance(value, str) and value.startswith(_GO_ZERO_TIME):
            return None
        return super().to_internal_value(value)


class LabelsField(serializers.DictField):
    """An object of label name → text value, as Prometheus labels and annotations are."""

    def __init__(self, *, max_value_length=1000, **kwargs):
        super().__init__(child=serializers.CharField(allow_blank=True, max_length=max_value_length), **kwargs)

    def to_internal_value(self, data):
        labels = super().to_internal_value(data)
        for name in labels:
            if not name or len(name) > 200 or "\x00" in name:
                raise serializers.ValidationError(f"Label names must be 1 to 200 characters without NUL; got {name!r}.")
        return labels


def _labels():
    return LabelsField(required=False, default=dict)


class AlertmanagerAlertSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AlertStatus.choices)
    labels = LabelsField(allow_empty=False)
    annotations = _labels()
    startsAt = AlertmanagerTimeField()
    endsAt = AlertmanagerTimeField(required=False, allow_null=True, default=None)
    generatorURL = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    fingerprint = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class AlertmanagerPayloadSerializer(serializers.Serializer):  # field names are Alertmanager's own
    """The Alertmanager webhook payload, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config)."""

    version = serializers.CharField()
    groupKey = serializers.CharField(max_length=1000)
    truncatedAlerts = serializers.IntegerField(required=False, min_value=0, default=0)
    status = serializers.ChoiceField(choices=AlertStatus.choices)
    receiver = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    groupLabels = _labels()
    commonLabels = _labels()
    commonAnnotations = _labels()
    externalURL = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    alerts = serializers.ListField(child=AlertmanagerAlertSerializer(), allow_empty=False, max_length=1000)

    def validate_version(self, value):
        if value != "4":
            raise serializers.ValidationError(f'Only webhook payload version "4" is understood; got "{value}".')
        return value


class GenericAlertSerializer(serializers.Serializer):
    """One alert from any system that can post JSON. Repeats with the same dedup_key join one incident."""

    dedup_key = serializers.CharField(
        max_length=255, help_text="Groups notifications: one open incident per dedup_key and source."
    )
    status = serializers.ChoiceField(choices=AlertStatus.choices, default=AlertStatus.FIRING)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    severity = serializers.CharField(
        max_length=50,
        required=False,
        allow_blank=True,
        default="",
        help_text="sev1–sev4, or a value of the source's severity mapping (e.g. critical).",
    )
    service = serializers.SlugField(max_length=100, required=False, help_text="A service slug.")
    services = serializers.ListField(
        child=serializers.SlugField(max_length=100), required=False, max_length=50, help_text="Service slugs."
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000, default="")
    occurred_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="When it started (firing) or ended (resolved)."
    )
    labels = LabelsField(
        max_value_length=200,
        required=False,
        default=dict,
        help_text="Business context: region, customer tier, tenant…",
    )

    def validate_severity(self, value):
        source = self.context.get("source")
        if not value or value in Severity.values or source is None:
            return value
        known = {str(key).lower() for key in source.severity_map}
        if value.lower() not in known:
            choices = ", ".join(sorted(Severity.values) + sorted(known))
            raise serializers.ValidationError(f'Unknown severity "{value}"; use one of {choices}.')
        return value

    def validate(self, attrs):
        if attrs["status"] == AlertStatus.FIRING and not attrs.get("title"):
            raise serializers.ValidationError({"title": "A firing alert needs a title."})
        return attrs


class IntakeResultSerializer(serializers.Serializer):
    incident = serializers.CharField(allow_null=True, help_text="The incident reference (INC-42), or null.")
    created = serializers.BooleanField(help_text="True when this notification opened the incident.")
    events_added = serializers.IntegerField(help_text="Timeline events this notification added.")
    detail = serializers.CharField()


class IntakeSourceSerializer(serializers.ModelSerializer):
    team = serializers.SlugRelatedField(slug_field="slug", queryset=Team.objects.all())
    severity_map = serializers.DictField(
        child=serializers.ChoiceField(choices=Severity.choices),
        required=False,
        help_text='Label value → severity, e.g. {"critical": "sev1", "warning": "sev3"}.',
    )
    token = serializers.SerializerMethodField(
        help_text="The token, shown only in the answer to the request that created the source."
    )

    class Meta:
        model = IntakeSource
        fields = [
            *IntakeSource.EDITABLE_FIELDS,
            "token_prefix",
            "token",
            "last_received_at",
            "created_at",
        ]
        read_only_fields = ["token_prefix", "last_received_at", "created_at"]

    def get_token(self, source) -> str | None:
        return getattr(source, "issued_token", None)
