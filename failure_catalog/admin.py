from django.contrib import admin

from failure_catalog.models import (
    Experiment,
    ExperimentIncident,
    FailureModeAnalysis,
    FailureModeRow,
    FaultType,
    GateDecision,
    ResilienceRequirement,
    TierPolicy,
)
from failure_catalog.requirements import sync_tier_requirements


@admin.register(FaultType)
class FaultTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "category"]
    list_filter = ["category"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["root_cause_classes"]


@admin.register(TierPolicy)
class TierPolicyAdmin(admin.ModelAdmin):
    """Which fault types each tier must be verified against, and which gate conditions warn or block it."""

    list_display = [
        "tier",
        "no_fresh_evidence",
        "failing_experiment",
        "version_evidence_missing",
        "actions_overdue",
        "suspect_incident",
        "incident_history",
    ]
    filter_horizontal = ["required_fault_types"]
    fieldsets = [
        (None, {"fields": ["tier", "required_fault_types", "max_evidence_age_days", "evidence_on_version"]}),
        (
            "What each gate condition does for this tier",
            {
                "fields": [
                    "no_fresh_evidence",
                    "failing_experiment",
                    "version_evidence_missing",
                    "actions_overdue",
                    "suspect_incident",
                    "incident_history",
                    "history_window_days",
                ]
            },
        ),
    ]

    def save_related(self, request, form, formsets, change):
        # The required fault types are saved here, after the policy: only now can its services follow it.
        super().save_related(request, form, formsets, change)
        sync_tier_requirements()


class ExperimentIncidentInline(admin.TabularInline):
    model = ExperimentIncident
    extra = 0
    raw_id_fields = ["incident"]


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = ["title", "service", "fault_type", "outcome", "environment", "version", "started_at", "source"]
    list_filter = ["outcome", "environment", "source", "fault_type"]
    search_fields = ["title", "service__name", "version"]
    list_select_related = ["service", "fault_type"]
    raw_id_fields = ["service", "actions", "recorded_by"]
    date_hierarchy = "started_at"
    inlines = [ExperimentIncidentInline]


@admin.register(ResilienceRequirement)
class ResilienceRequirementAdmin(admin.ModelAdmin):
    list_display = ["service", "fault_type", "origin", "max_evidence_age_days", "evidence_on_version"]
    list_filter = ["origin", "fault_type"]
    search_fields = ["service__name", "expected_behaviour"]
    list_select_related = ["service", "fault_type"]
    raw_id_fields = ["service", "review", "factor", "failure_mode_row", "created_by"]


class FailureModeRowInline(admin.TabularInline):
    model = FailureModeRow
    extra = 0
    raw_id_fields = ["dependency"]


@admin.register(FailureModeAnalysis)
class FailureModeAnalysisAdmin(admin.ModelAdmin):
    list_display = ["title", "service", "analysed_at"]
    search_fields = ["title", "service__name"]
    raw_id_fields = ["service", "created_by"]
    inlines = [FailureModeRowInline]


@admin.register(GateDecision)
class GateDecisionAdmin(admin.ModelAdmin):
    list_display = ["service", "version", "environment", "decision", "asked_by", "checked_at"]
    list_filter = ["decision", "tier"]
    search_fields = ["service__name", "version"]
    list_select_related = ["service", "asked_by"]
    date_hierarchy = "checked_at"

    def has_add_permission(self, request):
        return False  # decisions are the gate's record, not something to write by hand
