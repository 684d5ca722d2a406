"""The deployment gate: may this service, at this version, go to this environment? If not, why.

Every condition that holds is a reason; the service's tier policy says whether it blocks, warns or is ignored.
The decision is the strongest effect among the reasons (block > warn > allow), and every decision is recorded.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from actions.choices import VERIFIED_CATEGORIES
from actions.models import ActionItem
from failure_catalog.choices import CellState, Decision, GateCondition, Outcome, PolicyEffect
from failure_catalog.coverage import coverage_for
from failure_catalog.models import Experiment, FaultType, GateDecision, TierPolicy
from incidents.choices import OPEN_STATUSES, Severity, SuspectState
from incidents.models import Incident, SuspectDeployment


@dataclass
class Reason:
    code: str
    message: str
    link: str
    effect: str

    def as_dict(self):
        return {"code": self.code, "message": self.message, "link": self.link, "effect": self.effect}


def _names(fault_types):
    return ", ".join(fault_type.name for fault_type in fault_types)


def _coverage_link(service):
    return reverse("services:service_detail", args=[service.slug]) + "#resilience"


def held_on_version(service, version, fault_types):
    """Ids of the fault types among these with a held experiment on exactly this version."""
    if not version or not fault_types:
        return set()
    return set(
        Experiment.objects.filter(
            service=service, version=version, outcome=Outcome.HELD, fault_type__in=[f.pk for f in fault_types]
        ).values_list("fault_type_id", flat=True)
    )


def conditions(service, *, version, user, now):
    """Return [(GateCondition, message, link)] for every condition that holds for service at version."""
    policy = TierPolicy.for_tier(service.tier)
    fault_types = list(FaultType.objects.all())
    by_id = {fault_type.pk: fault_type for fault_type in fault_types}
    cells = coverage_for([service], fault_types=fault_types, now=now, with_analyses=False)[0].cells
    found = []

    unproven = [cell for cell in cells if cell.state in (CellState.MISSING, CellState.STALE)]
    if unproven:
        parts = [
            f"{cell.fault_type.name} ({'never run' if cell.state == CellState.MISSING else f'last held {(now - cell.latest_at).days} days ago, over {cell.max_age_days}'})"
            for cell in unproven
        ]
        found.append(
            (
                GateCondition.NO_FRESH_EVIDENCE,
                f"No fresh held evidence for required fault types: {'; '.join(parts)}.",
                _coverage_link(service),
            )
        )
    failing = [cell for cell in cells if cell.state == CellState.FAILING]
    if failing:
        found.append(
            (
                GateCondition.FAILING_EXPERIMENT,
                f"The latest experiment deviated under: {_names(cell.fault_type for cell in failing)}.",
                reverse("failure_catalog:experiment_list") + f"?service={service.slug}&outcome=deviated",
            )
        )

    on_version = [cell.fault_type for cell in cells if cell.evidence_on_version]
    history_window = now - timedelta(days=policy.history_window_days)
    history_classes = set(
        Incident.objects.filter(services=service, started_at__gte=history_window, review__primary_class__isnull=False)
        .order_by()
        .values_list("review__primary_class_id", flat=True)
        .distinct()
    )
    history_faults = []
    if history_classes:
        history_faults = list(
            FaultType.objects.filter(root_cause_classes__in=history_classes).distinct().order_by("name")
        )
    held = held_on_version(service, version, {*on_version, *history_faults})
    lacking_version = [fault_type for fault_type in on_version if fault_type.pk not in held]
    if lacking_version:
        found.append(
            (
                GateCondition.VERSION_EVIDENCE_MISSING,
                f"No held experiment on version {version} for: {_names(lacking_version)} (required on the version deployed).",
                reverse("failure_catalog:experiment_list") + f"?service={service.slug}&version={version}",
            )
        )
    lacking_history = [fault_type for fault_type in history_faults if fault_type.pk not in held]
    if lacking_history:
        found.append(
            (
                GateCondition.INCIDENT_HISTORY,
                f"Incidents in the last {policy.history_window_days} days were of classes that call for evidence on "
                f"version {version} under: {_names(lacking_history)}.",
                reverse("incidents:incident_list") + f"?service={service.slug}",
            )
        )

    overdue = (
        ActionItem.objects.overdue(today=timezone.localdate(now))
        .filter(services=service, category__in=VERIFIED_CATEGORIES)
        .count()
    )
    if overdue:
        found.append(
            (
                GateCondition.ACTIONS_OVERDUE,
                f"{overdue} corrective or preventive action{'s' if overdue != 1 else ''} on {service.name} "
                f"{'are' if overdue != 1 else 'is'} past due.",
                reverse("actions:action_list") + f"?service={service.slug}&overdue=true",
            )
        )

    suspects = list(
        SuspectDeployment.objects.filter(
            state=SuspectState.CONFIRMED,
            deployment__service=service,
            deployment__version=version,
            incident__status__in=OPEN_STATUSES,
            incident__severity__in=(Severity.SEV1, Severity.SEV2),
        )
        .values_list("incident_id", "incident__restricted")
        .distinct()
    )
    if suspects:
        visible = set(
            Incident.objects.visible_to(user).filter(pk__in=[pk for pk, _ in suspects]).values_list("pk", flat=True)
        )
        named = [f"INC-{pk}" for pk, _ in sorted(suspects) if pk in visible]
        hidden = len(suspects) - len(named)
        words = ", ".join(named + ([f"{hidden} restricted incident{'s' if hidden != 1 else ''}"] if hidden else []))
        found.append(
            (
                GateCondition.SUSPECT_INCIDENT,
                f"Open SEV1/SEV2 incidents have version {version} as a confirmed suspect deployment: {words}.",
                reverse("incidents:incident_list") + f"?service={service.slug}",
            )
        )
    return policy, found, by_id


EFFECT_ORDER = {PolicyEffect.BLOCK: 2, PolicyEffect.WARN: 1, PolicyEffect.IGNORE: 0}


@transaction.atomic
def check_gate(service, *, version, environment, user, now=None):
    """Decide whether service may ship version to environment, record the decision and return it."""
    now = now or timezone.now()
    policy, found, _ = conditions(service, version=version, user=user, now=now)
    reasons = []
    for condition, message, link in found:
        effect = policy.effect(condition)
        if effect != PolicyEffect.IGNORE:
            reasons.append(Reason(code=condition.value, message=message, link=link, effect=effect.value))
    strongest = max((EFFECT_ORDER[PolicyEffect(reason.effect)] for reason in reasons), default=0)
    decision = {2: Decision.BLOCK, 1: Decision.WARN, 0: Decision.ALLOW}[strongest]
    return GateDecision.objects.create(
        service=service,
        version=version,
        environment=environment,
        decision=decision,
        reasons=[reason.as_dict() for reason in reasons],
        tier=service.tier,
        asked_by=user if user.is_authenticated else None,
        checked_at=now,
    )


def recent_decisions(service, *, limit=20):
    return GateDecision.objects.filter(service=service).select_related("asked_by")[:limit]
