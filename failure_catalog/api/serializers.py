from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import ValidatedModelSerializer, person_field
from failure_catalog.choices import CellState, Decision, Environment, RequirementOrigin
from failure_catalog.models import (
    Experiment,
    FailureModeAnalysis,
    FailureModeRow,
    FaultType,
    GateDecision,
    ResilienceRequirement,
)
from services.models import Service


def slug_field(queryset, **kwargs):
    return serializers.SlugRelatedField(slug_field="slug", queryset=queryset, **kwargs)


class FaultTypeSerializer(serializers.ModelSerializer):
    root_cause_classes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = FaultType
        fields = ["slug", "name", "category", "description", "how_to_inject", "root_cause_classes"]


class ExperimentSerializer(ValidatedModelSerializer):
    service = slug_field(Service.objects.all())
    fault_type = slug_field(FaultType.objects.all())
    incidents = serializers.SerializerMethodField(
        help_text="Incidents it caused or reproduced, or game days it belonged to."
    )
    recorded_by = person_field(read_only=True, allow_null=True)

    class Meta:
        model = Experiment
        fields = [
            "id",
            "title",
            "service",
            "fault_type",
            "environment",
            "version",
            "hypothesis",
            "method",
            "blast_radius",
            "abort_conditions",
            "started_at",
            "ended_at",
            "outcome",
            "observations",
            "incidents",
            "source",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["source", "created_at"]

    def get_incidents(self, experiment) -> list[dict]:
        """The links the view prefetched: only to incidents the requester may see (see Incident.visible_to)."""
        return [
            {"incident": f"INC-{link.incident_id}", "relation": link.relation}
            for link in getattr(experiment, "visible_incident_links", [])
        ]


class ImportRequestSerializer(serializers.Serializer):
    """The document itself may be the body; or wrap it with the fields that win over its tags."""

    document = serializers.JSONField(
        required=False, help_text="The journal / ChaosResult / JUnit XML, as an object or a string."
    )
    journal = serializers.JSONField(required=False, help_text="Chaos Toolkit: the same as `document`.")
    service = serializers.CharField(required=False, allow_blank=True, max_length=100)
    fault_type = serializers.CharField(required=False, allow_blank=True, max_length=100)
    version = serializers.CharField(required=False, allow_blank=True, max_length=100)
    environment = serializers.ChoiceField(choices=Environment.choices, required=False)


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="Experiments this request created.")
    existing = serializers.IntegerField(help_text="Experiments already imported from the same document.")
    experiments = ExperimentSerializer(many=True)


class RequirementSerializer(ValidatedModelSerializer):
    service = slug_field(Service.objects.all())
    fault_type = slug_field(FaultType.objects.all())
    review = serializers.SerializerMethodField()
    failure_mode_row = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    created_by = person_field(read_only=True, allow_null=True)

    class Meta:
        model = ResilienceRequirement
        fields = [
            "id",
            "service",
            "fault_type",
            "expected_behaviour",
            "max_evidence_age_days",
            "evidence_on_version",
            "origin",
            "review",
            "factor",
            "failure_mode_row",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["origin", "factor", "created_at"]

    def instance_defaults(self):
        return {"origin": RequirementOrigin.PERSON}

    def get_review(self, requirement) -> str | None:
        return f"INC-{requirement.review.incident_id}" if requirement.review_id else None


class CellSerializer(serializers.Serializer):
    """Documents a cell; CoverageSerializer writes cells as plain dicts (a page of coverage holds hundreds)."""

    fault_type = serializers.CharField()
    state = serializers.ChoiceField(choices=CellState.choices)
    required = serializers.BooleanField()
    max_evidence_age_days = serializers.IntegerField(allow_null=True)
    evidence_on_version = serializers.BooleanField()
    latest_experiment = serializers.IntegerField(allow_null=True)
    latest_at = serializers.DateTimeField(allow_null=True)
    latest_version = serializers.CharField()


class CoverageSerializer(serializers.Serializer):
    service = serializers.CharField(source="service.slug")
    team = serializers.CharField(source="service.team.slug")
    tier = serializers.IntegerField(source="service.tier")
    score = serializers.IntegerField(
        allow_null=True, help_text="100 x (verified + stale / 2) / required; null if none."
    )
    analysis = serializers.SerializerMethodField(help_text="none, old (over a year) or current")
    cells = serializers.SerializerMethodField()

    def get_analysis(self, coverage) -> str:
        return coverage.analysis_state()

    @extend_schema_field(CellSerializer(many=True))
    def get_cells(self, coverage):
        return [
            {
                "fault_type": cell.fault_type.slug,
                "state": str(cell.state),
                "required": cell.required,
                "max_evidence_age_days": cell.max_age_days,
                "evidence_on_version": cell.evidence_on_version,
                "latest_experiment": cell.latest_id,
                "latest_at": cell.latest_at.isoformat().replace("+00:00", "Z") if cell.latest_at else None,
                "latest_version": cell.latest_version,
            }
            for cell in coverage.cells
        ]


class FailureModeRowSerializer(serializers.ModelSerializer):
    dependency = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    fault_type = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lacks_detection = serializers.BooleanField(read_only=True)
    lacks_mitigation = serializers.BooleanField(read_only=True)

    class Meta:
        model = FailureModeRow
        fields = [
            "id",
            *FailureModeRow.EDITABLE_FIELDS,
            "risk_priority_number",
            "lacks_detection",
            "lacks_mitigation",
        ]


class FailureModeAnalysisSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    rows = FailureModeRowSerializer(many=True, read_only=True)
    is_old = serializers.BooleanField(read_only=True)

    class Meta:
        model = FailureModeAnalysis
        fields = ["id", "service", "title", "notes", "analysed_at", "is_old", "rows"]


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    link = serializers.CharField()
    effect = serializers.ChoiceField(choices=["block", "warn"])


class GateDecisionSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    decision = serializers.ChoiceField(choices=Decision.choices, read_only=True)
    reasons = ReasonSerializer(many=True, read_only=True)
    asked_by = person_field(read_only=True, allow_null=True)

    class Meta:
        model = GateDecision
        fields = ["id", "service", "version", "environment", "tier", "decision", "reasons", "asked_by", "checked_at"]


class GateQuerySerializer(serializers.Serializer):
    service = serializers.SlugField(max_length=100)
    version = serializers.CharField(max_length=100)
    environment = serializers.CharField(max_length=50, default="production")
