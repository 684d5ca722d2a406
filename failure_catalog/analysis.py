"""Failure-mode analyses (FMEA): starting one pre-filled from the catalog and the service's own incident history."""

from django.db import transaction

from failure_catalog.models import FailureModeAnalysis, FailureModeRow, FaultType
from incidents.models import Incident
from services.choices import DependencyKind

# The fault types a dependency of each kind most plainly brings, in the order the rows are offered.
FAULTS_BY_DEPENDENCY_KIND = {
    DependencyKind.SYNC: ("dependency-unavailable", "dependency-latency"),
    DependencyKind.ASYNC: ("dependency-unavailable",),
    DependencyKind.DATASTORE: ("database-failover", "dependency-latency"),
    DependencyKind.CACHE: ("cache-loss",),
    DependencyKind.EXTERNAL: ("dependency-errors", "dependency-latency"),
}


def fault_types_from_history(service):
    """Fault types the root-cause classes of the service's past reviewed incidents point to."""
    classes = Incident.objects.filter(services=service, review__primary_class__isnull=False).values(
        "review__primary_class"
    )
    return FaultType.objects.filter(root_cause_classes__in=classes).distinct().order_by("name")


@transaction.atomic
def start_analysis(*, service, title, notes="", analysed_at=None, by):
    """Create an analysis of service with a row per dependency and likely fault, and per fault its history points to.

    The rows have no detection and no mitigation yet: the team fills them in (and sees them flagged until then).
    """
    analysis = FailureModeAnalysis(service=service, title=title, notes=notes, created_by=by)
    if analysed_at is not None:
        analysis.analysed_at = analysed_at
    analysis.full_clean()
    analysis.save()
    fault_types = {fault_type.slug: fault_type for fault_type in FaultType.objects.all()}
    rows = []
    for dependency in service.dependencies.select_related("depends_on").order_by("-critical", "depends_on__name"):
        for slug in FAULTS_BY_DEPENDENCY_KIND.get(dependency.kind, ("dependency-unavailable",)):
            if slug in fault_types:
                rows.append(
                    FailureModeRow(
                        analysis=analysis,
                        dependency=dependency.depends_on,
                        fault_type=fault_types[slug],
                        failure_mode=f"{dependency.depends_on.name}: {fault_types[slug].name.lower()}",
                        severity=8 if dependency.critical else 5,
                    )
                )
    for fault_type in fault_types_from_history(service):
        rows.append(
            FailureModeRow(
                analysis=analysis,
                fault_type=fault_type,
                failure_mode=f"{service.name}: {fault_type.name.lower()} (seen in its incidents)",
                likelihood=7,
            )
        )
    for row in rows:
        row.risk_priority_number = row.severity * row.likelihood * row.detectability
    FailureModeRow.objects.bulk_create(rows)
    return analysis
