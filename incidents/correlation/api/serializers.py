from rest_framework import serializers

from core.api import person_field
from incidents.models import SuspectDeployment
from services.models import Deployment


class SuspectDeploymentDeploymentSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Deployment
        fields = ["id", "service", "version", "environment", "status", "strategy", "started_at", "finished_at"]


class SuspectDeploymentSerializer(serializers.ModelSerializer):
    incident = serializers.CharField(source="incident.reference", read_only=True)
    deployment = SuspectDeploymentDeploymentSerializer(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    decided_by = person_field(read_only=True, allow_null=True)

    class Meta:
        model = SuspectDeployment
        fields = ["id", "incident", "deployment", "score", "reasons", "state", "decided_by", "decided_at"]
        read_only_fields = fields
