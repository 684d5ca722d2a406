from rest_framework import serializers

from accounts.models import Team
from core.api import ValidatedModelSerializer
from services.models import SLO, Dependency, Deployment, Service, SLIReport


class DependencySerializer(ValidatedModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", queryset=Service.objects.all())
    depends_on = serializers.SlugRelatedField(slug_field="slug", queryset=Service.objects.all())

    class Meta:
        model = Dependency
        fields = ["id", "service", "depends_on", "kind", "critical"]


class ServiceLinkSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    url = serializers.URLField(max_length=500)


class ServiceSerializer(serializers.ModelSerializer):
    team = serializers.SlugRelatedField(slug_field="slug", queryset=Team.objects.all())
    links = ServiceLinkSerializer(many=True, required=False)
    depends_on = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = ["slug", "name", "team", "tier", "description", "links", "depends_on", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def get_depends_on(self, service) -> list[str]:
        return [dependency.depends_on.slug for dependency in service.dependencies.all()]


class DeploymentSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", queryset=Service.objects.all())

    class Meta:
        model = Deployment
        fields = [
            "id",
            "service",
            "version",
            "environment",
            "commit_sha",
            "config_version",
            "started_at",
            "finished_at",
            "status",
            "strategy",
            "source",
            "external_id",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        # (source, external_id) idempotency is handled by the view, not a 400.
        validators = []

    def validate(self, attrs):
        started = attrs.get("started_at", getattr(self.instance, "started_at", None))
        finished = attrs.get("finished_at", getattr(self.instance, "finished_at", None))
        if started and finished and finished < started:
            raise serializers.ValidationError({"finished_at": "A deployment cannot finish before it started."})
        if attrs.get("external_id") and not attrs.get("source", getattr(self.instance, "source", "")):
            raise serializers.ValidationError({"source": "An external_id needs the source that issued it."})
        return attrs


class SLOSerializer(ValidatedModelSerializer):
    """An SLO of a service (by slug); its budget and burn are at /api/insights/slo/."""

    service = serializers.SlugRelatedField(slug_field="slug", queryset=Service.objects.all())
    # (service, name) uniqueness is checked by the model's full_clean, with the model's own message.
    checks_model_uniqueness = True

    class Meta:
        model = SLO
        fields = ["id", "service", "name", "user_journey", "description", "objective_percent", "window_days"]
        validators = []


class SLIReportSerializer(serializers.ModelSerializer):
    """Good and total events of an SLO over one period; posting the same (slo, period) again updates it."""

    class Meta:
        model = SLIReport
        fields = ["id", "slo", "period_start", "period_end", "good", "total", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
        # (slo, period) idempotency is handled by the view, not a 400.
        validators = []

    def validate(self, attrs):
        if attrs["good"] > attrs["total"]:
            raise serializers.ValidationError({"good": "Good events cannot outnumber all events."})
        if attrs["period_end"] <= attrs["period_start"]:
            raise serializers.ValidationError({"period_end": "The period must end after it starts."})
        return attrs


class OpenSLOImportSerializer(serializers.Serializer):
    document = serializers.CharField(
        max_length=200_000, trim_whitespace=False, help_text="OpenSLO v1 YAML; documents of kind SLO are imported."
    )
