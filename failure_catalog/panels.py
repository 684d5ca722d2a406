"""The catalog's panels on lower apps' pages: a service's resilience, a review's guardrails."""

from accounts.permissions import has_team_role
from failure_catalog.coverage import SCORE_FORMULA, coverage_for
from failure_catalog.forms import ReviewRequirementForm
from failure_catalog.models import Experiment, FaultType, GateDecision, ResilienceRequirement

EVIDENCE_HISTORY = 15
GATE_HISTORY = 10


def service_resilience_context(request, service):
    """The service's coverage row, its requirements, evidence history, latest analysis and gate decisions."""
    fault_types = list(FaultType.objects.all())
    requirements = list(
        ResilienceRequirement.objects.filter(service=service).select_related(
            "fault_type", "review__incident", "factor", "failure_mode_row__analysis"
        )
    )
    coverage = coverage_for([service], fault_types=fault_types, requirements=requirements)[0]
    return {
        "coverage": coverage,
        "required_cells": [cell for cell in coverage.cells if cell.required or cell.state == "failing"],
        "formula": SCORE_FORMULA,
        "experiments": Experiment.objects.filter(service=service)
        .select_related("fault_type")
        .defer("raw_document")[:EVIDENCE_HISTORY],
        "requirements": requirements,
        "decisions": GateDecision.objects.filter(service=service).select_related("asked_by")[:GATE_HISTORY],
        "can_edit": has_team_role(request.user, service.team_id),
    }


def review_guardrails_context(request, review):
    """The requirements learned from this review, and the form that turns a root-cause factor into one."""
    requirements = ResilienceRequirement.objects.filter(review=review).select_related("service", "fault_type", "factor")
    form = ReviewRequirementForm(review=review) if has_team_role(request.user, review.incident.team_id) else None
    if form is not None and not form.fields["factor"].queryset.exists():
        form = None
    return {"requirements": requirements, "form": form, "review": review}
