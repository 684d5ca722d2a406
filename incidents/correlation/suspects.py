"""Deploy correlation: which deployments may have caused an incident, scored, and people's verdicts.

Candidates are deployments that started within the look-back window
(settings.HINDSIGHT_CORRELATION_WINDOW_HOURS) before the incident started, of
the affected services and of the services they depend on — one hop (direct
dependencies) and two hops (their dependencies). The score is the product of:

- closeness in time: halves every SCORE_HALF_LIFE before the incident start;
- how the service relates to the incident: affected service 1.0, direct
  critical dependency 0.7, direct non-critical 0.5, two hops 0.4 / 0.3;
- how the rollout went: failed or rolled back 1.0, still in progress 0.9,
  succeeded 0.75 (a rollout that went wrong is the likelier culprit);
- canary rollouts times 0.8 (they reach few users), non-production times 0.3.

Re-running updates suggested rows, adds new ones and drops suggested rows that
left the window; confirmed and dismissed rows are people's decisions and never
change. The same inputs give the same rows and scores.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.templatetags.hindsight import duration
from incidents.choices import SuspectState, TagKind, TimelineKind
from incidents.models import Incident, IncidentTag, SuspectDeployment, TimelineEvent
from services.choices import DeploymentStatus, DeploymentStrategy
from services.models import Dependency, Deployment

SCORE_HALF_LIFE = timedelta(hours=4)
RELATION_WEIGHT = {(0, True): 1.0, (1, True): 0.7, (1, False): 0.5, (2, True): 0.4, (2, False): 0.3}
STATUS_WEIGHT = {
    DeploymentStatus.FAILED: 1.0,
    DeploymentStatus.ROLLED_BACK: 1.0,
    DeploymentStatus.IN_PROGRESS: 0.9,
    DeploymentStatus.SUCCEEDED: 0.75,
}
CANARY_WEIGHT = 0.8
NON_PRODUCTION_WEIGHT = 0.3
PRODUCTION = "production"
# Suggestions beyond this many are noise nobody reads.
MAX_SUGGESTIONS = 25


@dataclass
class Relation:
    """How a service relates to the incident: affected (hops 0) or a dependency `hops` away."""

    hops: int
    critical: bool
    path: list = field(default_factory=list)  # service names from the affected service to this one

    @property
    def weight(self):
        return RELATION_WEIGHT[(self.hops, self.critical or self.hops == 0)]


@dataclass
class Suspicion:
    deployment: Deployment
    score: float
    reasons: list


def correlation_window():
    return timedelta(hours=settings.HINDSIGHT_CORRELATION_WINDOW_HOURS)


def moved(moment, delta):
    """Return moment + delta, or the calendar's end it would run past (rows older than the range rule
    may sit near year 1 or 9999, and their correlation must not fail on every delivery)."""
    try:
        return moment + delta
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC) if delta > timedelta(0) else datetime.min.replace(tzinfo=UTC)


def incident_start(incident):
    """When the incident started, or the best we know: detected, or recorded."""
    return incident.started_at or incident.detected_at or incident.created_at


def related_services(service_ids):
    """Return {service_id: Relation} for the affected services and their dependencies up to two hops."""
    relations = {}
    for service_id in service_ids:
        relations[service_id] = Relation(hops=0, critical=True)
    frontier = list(service_ids)
    for hops in (1, 2):
        if not frontier:
            break
        edges = Dependency.objects.filter(service_id__in=frontier).select_related("service", "depends_on")
        next_frontier = []
        for edge in edges:
            via = relations[edge.service_id]
            path = (via.path or [edge.service.name]) + [edge.depends_on.name]
            candidate = Relation(hops=hops, critical=edge.critical and (via.critical or via.hops == 0), path=path)
            current = relations.get(edge.depends_on_id)
            if current is None:
                relations[edge.depends_on_id] = candidate
                next_frontier.append(edge.depends_on_id)
            elif current.hops == hops and candidate.critical and not current.critical:
                relations[edge.depends_on_id] = candidate
        frontier = next_frontier
    return relations


def score_deployments(incident, *, window=None):
    """Return Suspicions for incident's candidate deployments, best first (not saved)."""
    window = window or correlation_window()
    start = incident_start(incident)
    relations = related_services([service.pk for service in incident.services.all()])
    if not relations or start is None:
        return []
    deployments = Deployment.objects.filter(
        service_id__in=list(relations), started_at__gte=moved(start, -window), started_at__lte=start
    ).select_related("service")
    suspicions = [_suspicion(deployment, relations[deployment.service_id], start) for deployment in deployments]
    suspicions.sort(key=lambda suspicion: (-suspicion.score, -suspicion.deployment.started_at.timestamp()))
    return suspicions[:MAX_SUGGESTIONS]


def _suspicion(deployment, relation, start):
    age = start - deployment.started_at
    closeness = 0.5 ** (age / SCORE_HALF_LIFE)
    score = closeness * relation.weight * STATUS_WEIGHT[DeploymentStatus(deployment.status)]
    when = f"{duration(age)} before the incident started" if age >= timedelta(minutes=1) else "as the incident started"
    service = deployment.service.name
    if relation.hops == 0:
        reasons = [f"Deployed to {service} {when}"]
    else:
        kind = "critical dependency" if relation.critical else "dependency"
        affected = relation.path[0]
        if relation.hops == 1:
            reasons = [f"Deployed to {service}, a {kind} of {affected}, {when}"]
        else:
            reasons = [
                f"Deployed to {service}, a {kind} two hops from {affected} ({' → '.join(relation.path)}), {when}"
            ]
    if deployment.status == DeploymentStatus.ROLLED_BACK:
        reasons.append("Rolled back")
    elif deployment.status == DeploymentStatus.FAILED:
        reasons.append("The rollout failed")
    elif deployment.status == DeploymentStatus.IN_PROGRESS:
        reasons.append("Still rolling out")
    if deployment.strategy == DeploymentStrategy.CANARY:
        score *= CANARY_WEIGHT
        reasons.append("Canary rollout: reached only part of the traffic")
    if deployment.environment != PRODUCTION:
        score *= NON_PRODUCTION_WEIGHT
        reasons.append(f"Deployed to {deployment.environment}, not production")
    return Suspicion(deployment=deployment, score=round(score, 4), reasons=reasons)


@transaction.atomic
def correlate_incident(*, incident):
    """Bring incident's suggested suspect deployments up to date; return how many rows changed.

    Confirmed and dismissed suspects are left exactly as people decided them.
    """
    # Serialises concurrent runs for one incident (PostgreSQL; SQLite has one writer anyway).
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    suspicions = {suspicion.deployment.pk: suspicion for suspicion in score_deployments(incident)}
    existing = {suspect.deployment_id: suspect for suspect in incident.suspect_deployments.all()}
    changed = 0
    new = []
    for deployment_id, suspicion in suspicions.items():
        suspect = existing.get(deployment_id)
        if suspect is None:
            new.append(
                SuspectDeployment(
                    incident=incident, deployment=suspicion.deployment, score=suspicion.score, reasons=suspicion.reasons
                )
            )
        elif suspect.state == SuspectState.SUGGESTED and (suspect.score, suspect.reasons) != (
            suspicion.score,
            suspicion.reasons,
        ):
            # Conditional, like the delete below: a suggestion someone decided on meanwhile is theirs.
            changed += SuspectDeployment.objects.filter(pk=suspect.pk, state=SuspectState.SUGGESTED).update(
                score=suspicion.score, reasons=suspicion.reasons, updated_at=timezone.now()
            )
    SuspectDeployment.objects.bulk_create(new)
    stale = [
        suspect.pk
        for deployment_id, suspect in existing.items()
        if suspect.state == SuspectState.SUGGESTED and deployment_id not in suspicions
    ]
    if stale:
        SuspectDeployment.objects.filter(pk__in=stale, state=SuspectState.SUGGESTED).delete()
    return changed + len(new) + len(stale)


def _locked(suspect):
    """Suspect re-read under its incident's row lock, the lock `correlate_incident` holds while it
    rewrites suggestions: a decision and a re-correlation of one incident take turns."""
    Incident.objects.select_for_update().filter(pk=suspect.incident_id).values_list("pk").get()
    return SuspectDeployment.objects.select_related("incident", "deployment__service", "confirmed_tag").get(
        pk=suspect.pk
    )


@transaction.atomic
def confirm_suspect(*, suspect, by):
    """Confirm suspect: the deployment becomes the incident's linked deploy version (an IncidentTag)."""
    suspect = _locked(suspect)
    if suspect.state == SuspectState.CONFIRMED:
        return suspect
    deployment = suspect.deployment
    tag, created = IncidentTag.objects.get_or_create(
        incident=suspect.incident, kind=TagKind.DEPLOY_VERSION, value=deployment.version, service=deployment.service
    )
    suspect.state, suspect.decided_by, suspect.decided_at = SuspectState.CONFIRMED, by, timezone.now()
    suspect.confirmed_tag = tag if created else None
    suspect.save(update_fields=["state", "decided_by", "decided_at", "confirmed_tag", "updated_at"])
    _note(suspect, by, f"Confirmed deployment {deployment.service.name} `{deployment.version}` as involved.")
    return suspect


@transaction.atomic
def dismiss_suspect(*, suspect, by):
    """Dismiss suspect; remove the deploy-version tag if confirming it had added that tag."""
    suspect = _locked(suspect)
    if suspect.state == SuspectState.DISMISSED:
        return suspect
    was_confirmed = suspect.state == SuspectState.CONFIRMED
    tag = suspect.confirmed_tag
    suspect.state, suspect.decided_by, suspect.decided_at = SuspectState.DISMISSED, by, timezone.now()
    suspect.confirmed_tag = None
    suspect.save(update_fields=["state", "decided_by", "decided_at", "confirmed_tag", "updated_at"])
    if tag is not None:
        tag.delete()
    if was_confirmed:
        deployment = suspect.deployment
        _note(
            suspect, by, f"Dismissed deployment {deployment.service.name} `{deployment.version}` after confirming it."
        )
    return suspect


def _note(suspect, by, text):
    TimelineEvent.objects.create(
        incident=suspect.incident, kind=TimelineKind.DECISION, text=text, author=by, source="correlation"
    )
