from rest_framework import serializers

from accounts.models import Team
from services.models import Dependency, Deployment, Service


class DependencySerializer(serializers.ModelSerializer):
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
