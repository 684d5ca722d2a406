"""Build benchmark data fast: bulk_create, deterministic, no signals (so no correlation runs while building)."""

from datetime import timedelta

from django.utils import timezone

from incidents.choices import Severity, Status
from incidents.models import Incident
from services.choices import DeploymentStatus, DeploymentStrategy
from services.models import Dependency, Deployment, Service

STATUSES = list(Status)
SEVERITIES = list(Severity)
DEPLOY_STATUSES = [DeploymentStatus.SUCCEEDED] * 7 + [DeploymentStatus.FAILED, DeploymentStatus.ROLLED_BACK]


def build_services(teams, count, *, prefix="svc"):
    """count services, owned in turn by teams, each depending on the next two (one of them critically)."""
    services = Service.objects.bulk_create(
        Service(
            name=f"{prefix.title()} {i:03d}",
            slug=f"{prefix}-{i:03d}",
            team=teams[i % len(teams)],
            tier=1 + i % 3,
            description=f"Benchmark service {i}",
        )
        for i in range(count)
    )
    Dependency.objects.bulk_create(
        Dependency(service=services[i], depends_on=services[(i + step) % count], critical=step == 1)
        for i in range(count)
        for step in (1, 2)
        if count > 2
    )
    return services


def build_incidents(count, *, teams, services, restricted_every=50, now=None, **fields):
    """count incidents, newest first, each affecting two services; every restricted_every-th is restricted.

    Restricted incidents are shared with one of teams, in turn. Returns the incidents.
    """
    now = now or timezone.now()
    incidents = Incident.objects.bulk_create(
        Incident(
            title=f"Benchmark incident {i}: checkout latency above target",
            summary="Requests queued behind a slow dependency; **p99** above 2 s.",
            severity=SEVERITIES[i % len(SEVERITIES)],
            status=STATUSES[i % len(STATUSES)],
            started_at=now - timedelta(hours=3 * i),
            detected_at=now - timedelta(hours=3 * i) + timedelta(minutes=4),
            resolved_at=(now - timedelta(hours=3 * i) + timedelta(hours=1))
            if STATUSES[i % 5] in ("resolved", "closed")
            else None,
            team=teams[i % len(teams)],
            labels={"region": ("eu-west-1", "us-east-1")[i % 2]},
            restricted=i % restricted_every == 0,
            **fields,
        )
        for i in range(count)
    )
    through = Incident.services.through
    through.objects.bulk_create(
        through(incident_id=incident.pk, service_id=services[(i + offset) % len(services)].pk)
        for i, incident in enumerate(incidents)
        for offset in (0, 1)
    )
    allowed = Incident.allowed_teams.through
    allowed.objects.bulk_create(
        allowed(incident_id=incident.pk, team_id=teams[(i // restricted_every) % len(teams)].pk)
        for i, incident in enumerate(incidents)
        if incident.restricted
    )
    return incidents


def build_deployments(services, count, *, end=None, spread=timedelta(days=365), source="bench-pipeline"):
    """count deployments of services (in turn), spread evenly over `spread` before end, newest first."""
    end = end or timezone.now()
    step = spread / count
    return Deployment.objects.bulk_create(
        Deployment(
            service=services[i % len(services)],
            version=f"v1.{i // 100}.{i % 100}",
            environment="production" if i % 10 else "staging",
            commit_sha=f"{i:040x}",
            started_at=end - step * i,
            finished_at=end - step * i + timedelta(minutes=6),
            status=DEPLOY_STATUSES[i % len(DEPLOY_STATUSES)],
            strategy=DeploymentStrategy.CANARY if i % 7 == 0 else DeploymentStrategy.GLOBAL,
            source=source,
            external_id=f"{source}-{i}",
        )
        for i in range(count)
    )
