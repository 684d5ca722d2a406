"""Demo incidents: ~150 over 18 months, with timelines, deploy causes and a few restricted ones.

Deterministic (a fixed random seed; timestamps relative to now) and idempotent: an incident is
found by its title, which the generator keeps unique, so a second run changes nothing.
"""

import random
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Role
from demo.organisation import DEPENDENCIES, PEOPLE
from incidents.choices import (
    DetectionSource,
    IncidentKind,
    Severity,
    Status,
    SuspectState,
    TagKind,
    TimelineKind,
)
from incidents.models import Incident, IncidentTag, SuspectDeployment, TimelineEvent
from services.choices import DeploymentStatus
from services.models import Deployment

INCIDENT_COUNT = 150
DAYS = 540
DEPLOY_SOURCE = "demo-incidents"
REGIONS = ["eu-west", "eu-central", "us-east", "ap-southeast"]
TIERS = ["all", "enterprise", "self-serve", "marketplace"]

# cause: (title symptoms, summary, [(kind, text), …] told after detection; {service} {dep} {version} {region})
CAUSES = {
    "deploy": (
        ["errors after deploying {version}", "elevated 5xx after release {version}", "{version} broke requests"],
        "Release **{version}** of {service} went out to all of {region} and requests began failing "
        "shortly after. Rolling back restored service.",
        [
            (TimelineKind.OBSERVATION, "Error rate on {service} jumped from 0.1% to 12% within two minutes."),
            (TimelineKind.OBSERVATION, "The spike lines up with the rollout of `{version}` finishing."),
            (TimelineKind.DECISION, "Roll back to the previous version rather than fix forward."),
            (TimelineKind.ACTION, "Rollback of {service} started via the pipeline."),
            (TimelineKind.COMMUNICATION, "Status page updated: *degraded performance* in {region}."),
            (TimelineKind.OBSERVATION, "Error rate back to baseline after the rollback completed."),
        ],
    ),
    "config": (
        ["bad configuration push", "feature flag misfire", "rate limits too strict after config change"],
        "A configuration change to {service} ({region}) was applied without a canary and changed "
        "behaviour for every request. Reverting the change fixed it.",
        [
            (TimelineKind.OBSERVATION, "Spike in 429 and 503 responses from {service}."),
            (TimelineKind.OBSERVATION, "Config version changed 6 minutes before the first alert."),
            (TimelineKind.ACTION, "Reverted the configuration to the previous version."),
            (TimelineKind.COMMUNICATION, "Posted in #incidents: cause found, revert in progress."),
        ],
    ),
    "capacity": (
        ["p99 latency above 2 s", "connection pool exhausted", "CPU saturation at peak", "queue backlog growing"],
        "Traffic on {service} outgrew its capacity during the evening peak in {region}; requests queued "
        "and timed out until we scaled out.",
        [
            (TimelineKind.OBSERVATION, "p99 latency on {service} at 2.4 s (SLO: 400 ms)."),
            (TimelineKind.OBSERVATION, "All pods at their CPU limit; the autoscaler is at its maximum."),
            (TimelineKind.ACTION, "Raised the autoscaler maximum from 12 to 24 replicas."),
            (TimelineKind.ACTION, "Increased the database connection pool size to 80."),
            (TimelineKind.OBSERVATION, "Latency recovering as new replicas become ready."),
        ],
    ),
    "dependency": (
        ["timeouts calling {dep}", "degraded because {dep} is slow", "cascading failures from {dep}"],
        "{dep} slowed down and {service} kept waiting on it; with no timeout budget left, {service} "
        "failed its own callers too.",
        [
            (TimelineKind.OBSERVATION, "Most failed requests on {service} are timeouts calling {dep}."),
            (TimelineKind.OBSERVATION, "{dep} dashboards show elevated latency since a node failure."),
            (TimelineKind.DECISION, "Shed non-critical traffic to {dep} while it recovers."),
            (TimelineKind.ACTION, "Enabled the circuit breaker for {dep} calls."),
            (TimelineKind.COMMUNICATION, "Owners of {dep} paged and joined the call."),
        ],
    ),
    "database": (
        ["slow queries and lock contention", "replication lag over 5 minutes", "disk full on primary"],
        "A long-running migration on the database behind {service} held locks; writes queued behind it.",
        [
            (TimelineKind.OBSERVATION, "Write latency on {service} above 10 s; reads unaffected."),
            (TimelineKind.OBSERVATION, "`pg_stat_activity` shows a migration holding an exclusive lock."),
            (TimelineKind.DECISION, "Cancel the migration; reschedule it with a lock timeout."),
            (TimelineKind.ACTION, "Cancelled the backend running the migration."),
        ],
    ),
    "certificate": (
        ["TLS certificate expired", "mTLS handshakes failing"],
        "The certificate used by {service} expired; renewal had silently failed for two weeks.",
        [
            (TimelineKind.OBSERVATION, "Clients report `certificate has expired` when calling {service}."),
            (TimelineKind.ACTION, "Issued a new certificate manually and reloaded the proxies."),
            (TimelineKind.DECISION, "Add an alert on certificate expiry at 14 days."),
        ],
    ),
    "provider": (
        ["upstream provider outage in {region}", "third-party API returning errors"],
        "An external provider {service} relies on had an outage in {region}. We failed over where we could.",
        [
            (TimelineKind.OBSERVATION, "Provider status page confirms an incident in {region}."),
            (TimelineKind.DECISION, "Fail over to the secondary provider for new requests."),
            (TimelineKind.ACTION, "Failover flag switched on."),
            (TimelineKind.COMMUNICATION, "Customer support briefed with a holding statement."),
        ],
    ),
    "security": (
        ["credential-stuffing attack", "suspicious access to card tokens", "leaked API key used from unknown IPs"],
        "Unusual access patterns against {service}. Details are restricted to the teams handling it.",
        [
            (TimelineKind.OBSERVATION, "Login failure rate 40× normal, from a few thousand IPs."),
            (TimelineKind.DECISION, "Treat as a security incident; restrict this record."),
            (TimelineKind.ACTION, "Blocked the offending ranges at the edge; rotated the exposed credentials."),
            (TimelineKind.COMMUNICATION, "Security lead and legal informed."),
        ],
    ),
    "near_miss": (
        ["near miss: nearly ran out of disk", "near miss: certificate about to expire", "near miss: wrong region"],
        "Caught before customers noticed: {service} was hours away from failing.",
        [
            (TimelineKind.OBSERVATION, "Noticed during a routine check, not by an alert."),
            (TimelineKind.ACTION, "Fixed before any customer impact."),
            (TimelineKind.DECISION, "Write it up anyway: the alert that should have fired did not."),
        ],
    ),
    "game_day": (
        ["game day: lose {dep}", "game day: region failover drill", "game day: kill the primary"],
        "A planned chaos exercise on {service}: we removed {dep} and watched what happened.",
        [
            (TimelineKind.DECISION, "Hypothesis: {service} degrades gracefully without {dep}."),
            (TimelineKind.ACTION, "Blocked traffic from {service} to {dep}."),
            (TimelineKind.OBSERVATION, "Fallback served cached results; error rate stayed under 1%."),
            (TimelineKind.ACTION, "Restored traffic; experiment over."),
        ],
    ),
}


def cause_of(title):
    """Return (cause, symptom template) this generator gave an incident title, or (None, None) for other titles."""
    for cause, (symptoms, _summary, _story) in CAUSES.items():
        for symptom in symptoms:
            pattern = re.sub(r"\\\{\w+\\\}", ".+", re.escape(symptom))
            if re.fullmatch(r".+?: " + pattern, title):
                return cause, symptom
    return None, None


SECURITY_SERVICES = ["auth-api", "card-vault", "permissions", "edge-gateway"]
INFRASTRUCTURE = {"postgres-main", "redis-cache", "kafka", "dns", "object-storage"}


def _candidates(cause, slugs):
    """Services a cause is believable for: application causes on applications, databases where there is one."""
    if cause == "security":
        return SECURITY_SERVICES
    if cause == "database":
        return sorted({"postgres-main"} | {s for s, d, _k, _c in DEPENDENCIES if d == "postgres-main"})
    if cause in ("deploy", "config", "dependency", "game_day"):
        return [slug for slug in slugs if slug not in INFRASTRUCTURE]
    return slugs


def seed_incidents(organisation, *, now=None, rng=None):
    """Create the demo incidents (and the deployments that caused some of them); return how many were created."""
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    rng = rng or random.Random(20250512)
    services, teams = organisation["services"], organisation["teams"]
    people = _people_by_team()
    existing = set(Incident.objects.values_list("title", flat=True))
    created = 0
    for spec in _incident_specs(services, now=now, rng=rng):
        if spec["title"] in existing:
            continue
        _create_incident(spec, services=services, teams=teams, people=people, rng=random.Random(spec["title"]))
        created += 1
    return created


def _people_by_team():
    users = {user.username: user for user in get_user_model().objects.filter(username__in=PEOPLE)}
    by_team = {}
    for username, (_first, _last, roles) in PEOPLE.items():
        for team, role in roles.items():
            if role != Role.VIEWER and username in users:
                by_team.setdefault(team, []).append(users[username])
    return by_team


def _dependencies_of(slug):
    return [depends_on for service, depends_on, _kind, _critical in DEPENDENCIES if service == slug]


def _incident_specs(services, *, now, rng):
    """Plan every incident first (titles, times, causes), so the plan never depends on what exists."""
    slugs = sorted(services)
    plan = (
        ["security"] * 4
        + ["near_miss"] * 8
        + ["game_day"] * 6
        + ["deploy"] * 28
        + ["config"] * 18
        + ["capacity"] * 26
        + ["dependency"] * 26
        + ["database"] * 18
        + ["certificate"] * 6
        + ["provider"] * 10
    )
    rng.shuffle(plan)
    titles, specs = set(), []
    for number, cause in enumerate(plan[:INCIDENT_COUNT]):
        for _attempt in range(20):
            slug = rng.choice(_candidates(cause, slugs))
            deps = _dependencies_of(slug)
            if cause in ("dependency", "game_day") and not deps:
                continue
            dep = rng.choice(deps) if deps else None
            version = f"v{rng.randint(2, 4)}.{rng.randint(0, 40)}.{rng.randint(0, 9)}"
            region = rng.choice(REGIONS)
            symptom = rng.choice(CAUSES[cause][0])
            title = f"{services[slug].name}: " + symptom.format(
                version=version, dep=services[dep].name if dep else "", region=region
            )
            if title not in titles:
                break
        titles.add(title)
        days_ago = rng.uniform(0.5, DAYS) if number >= 3 else rng.uniform(0.02, 1.5)
        started = now - timedelta(days=days_ago)
        started = started.replace(
            hour=rng.choice([2, 9, 10, 11, 13, 14, 15, 16, 17, 19, 21]), minute=rng.randint(0, 59)
        )
        if started > now - timedelta(minutes=30):
            started = now - timedelta(minutes=rng.randint(30, 180))
        specs.append(
            {
                "number": number,
                "title": title,
                "cause": cause,
                "slug": slug,
                "dep": dep,
                "version": version,
                "region": region,
                "started_at": started,
                "open_as": [Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING][number] if number < 3 else None,
                "now": now,
            }
        )
    return specs


def _severity(cause, rng):
    if cause in ("near_miss", "game_day"):
        return Severity.SEV4 if rng.random() < 0.6 else Severity.SEV3
    if cause == "security":
        return Severity.SEV2
    return rng.choices(list(Severity), weights=[8, 22, 45, 25])[0]


def _create_incident(spec, *, services, teams, people, rng):
    cause, service = spec["cause"], services[spec["slug"]]
    dep = services[spec["dep"]] if spec["dep"] else None
    words = {
        "service": service.name,
        "dep": dep.name if dep else "",
        "version": spec["version"],
        "region": spec["region"],
    }
    severity = _severity(cause, rng)
    kind = {"near_miss": IncidentKind.NEAR_MISS, "game_day": IncidentKind.GAME_DAY}.get(cause, IncidentKind.INCIDENT)
    source = (
        DetectionSource.CHAOS
        if cause == "game_day"
        else rng.choices(
            [DetectionSource.ALERT, DetectionSource.CUSTOMER, DetectionSource.EMPLOYEE], weights=[70, 15, 15]
        )[0]
    )
    if cause == "near_miss":
        source = DetectionSource.EMPLOYEE

    # Lifecycle: detection within minutes (customers take longer), mitigation and resolution by severity.
    started = spec["started_at"]
    detected = started + timedelta(
        minutes=rng.randint(1, 12) if source == DetectionSource.ALERT else rng.randint(15, 90)
    )
    acknowledged = detected + timedelta(minutes=rng.randint(1, 9))
    scale = {Severity.SEV1: 1.0, Severity.SEV2: 1.5, Severity.SEV3: 2.5, Severity.SEV4: 4.0}[severity]
    mitigated = acknowledged + timedelta(minutes=int(rng.randint(10, 90) * scale))
    resolved = mitigated + timedelta(minutes=int(rng.randint(15, 240) * scale))
    status = Status.CLOSED if (spec["now"] - started).days > 21 and rng.random() < 0.85 else Status.RESOLVED
    if spec["open_as"]:
        status = spec["open_as"]
        resolved = None
        if status != Status.MONITORING:
            mitigated = None
    now = spec["now"]
    if mitigated and mitigated > now:
        mitigated = now - timedelta(minutes=5)
    if acknowledged > now:
        detected, acknowledged = started + timedelta(minutes=2), started + timedelta(minutes=4)

    team_slug = service.team.slug if service.team_id else None
    crew = people.get(team_slug) or people["platform"]
    commander = crew[0]
    incident = Incident.objects.create(
        kind=kind,
        title=spec["title"],
        summary=CAUSES[cause][1].format(**words),
        severity=severity,
        status=status,
        started_at=started,
        detected_at=detected,
        acknowledged_at=acknowledged,
        mitigated_at=mitigated,
        resolved_at=resolved,
        team=service.team,
        commander=commander,
        reporter=crew[-1],
        detection_source=source,
        labels=_labels(spec, rng),
        exclude_from_metrics=cause == "game_day" or (cause == "near_miss" and rng.random() < 0.25),
        restricted=cause == "security",
    )
    incident.services.set([service] + ([dep] if dep and cause in ("dependency", "game_day") else []))
    if cause == "security":
        incident.allowed_teams.set([service.team, teams["platform"]])
    if cause in ("capacity", "database") and rng.random() < 0.6:
        component = rng.choice(["connection-pool", "autoscaler", "primary-db", "worker-queue", "jvm-heap"])
        IncidentTag.objects.create(incident=incident, kind=TagKind.COMPONENT, value=component, service=service)
    if cause == "config":
        IncidentTag.objects.create(
            incident=incident, kind=TagKind.CONFIG_VERSION, value=f"cfg-{rng.randint(100, 999)}", service=service
        )
    if cause == "deploy":
        _deploy_cause(incident, service, spec, commander=commander, rng=rng)
    _timeline(incident, cause, words, crew=crew, rng=rng)


def _labels(spec, rng):
    labels = {"region": spec["region"]}
    if rng.random() < 0.7:
        labels["customer_tier"] = rng.choice(TIERS)
    if rng.random() < 0.15:
        labels["tenant"] = rng.choice(["acme", "globex", "initech", "umbrella"])
    return labels


def _deploy_cause(incident, service, spec, *, commander, rng):
    """The release that caused the incident, a confirmed suspect, and a deploy-version tag."""
    started = incident.started_at - timedelta(minutes=rng.randint(4, 40))
    deployment, _ = Deployment.objects.get_or_create(
        source=DEPLOY_SOURCE,
        external_id=f"cause-{spec['number']:03d}-{service.slug}",
        defaults={
            "service": service,
            "version": spec["version"],
            "environment": "production",
            "commit_sha": f"{rng.getrandbits(160):040x}",
            "started_at": started,
            "finished_at": started + timedelta(minutes=rng.randint(3, 12)),
            "status": DeploymentStatus.ROLLED_BACK,
        },
    )
    minutes = int((incident.started_at - deployment.started_at).total_seconds() // 60)
    SuspectDeployment.objects.get_or_create(
        incident=incident,
        deployment=deployment,
        defaults={
            "score": round(rng.uniform(0.75, 0.97), 2),
            "reasons": [f"Deployed {minutes} min before the incident started", f"Same service: {service.name}"],
            "state": SuspectState.CONFIRMED,
            "decided_by": commander,
            "decided_at": incident.acknowledged_at + timedelta(minutes=8),
        },
    )
    IncidentTag.objects.get_or_create(
        incident=incident, kind=TagKind.DEPLOY_VERSION, value=deployment.version, service=service
    )


def _timeline(incident, cause, words, *, crew, rng):
    """Between 4 and 10 events: detection, the cause's story between acknowledgement and mitigation, status changes."""
    alert = incident.detection_source == DetectionSource.ALERT
    events = [
        TimelineEvent(
            incident=incident,
            occurred_at=incident.detected_at,
            kind=TimelineKind.DETECTION,
            text=f"**[FIRING]** {words['service']} error budget burn rate above 14×"
            if alert
            else f"Reported: {incident.get_detection_source_display().lower()} noticed {words['service']} misbehaving.",
            source="alertmanager" if alert else "manual",
            author=None if alert else crew[-1],
        ),
        TimelineEvent(
            incident=incident,
            occurred_at=incident.acknowledged_at,
            kind=TimelineKind.ACTION,
            text=f"Acknowledged; {crew[0].first_name} is incident commander.",
            author=crew[0],
        ),
    ]
    story = CAUSES[cause][2]
    end = incident.mitigated_at or (incident.acknowledged_at + timedelta(minutes=20))
    step = (end - incident.acknowledged_at) / (len(story) + 1)
    for index, (kind, text) in enumerate(story, start=1):
        events.append(
            TimelineEvent(
                incident=incident,
                occurred_at=incident.acknowledged_at + step * index,
                kind=kind,
                text=text.format(**words),
                author=rng.choice(crew),
            )
        )
    if incident.mitigated_at and incident.status != Status.IDENTIFIED:
        events.append(_status_event(incident, incident.mitigated_at, Status.MONITORING, crew[0]))
    if incident.resolved_at:
        events.append(_status_event(incident, incident.resolved_at, Status.RESOLVED, crew[0]))
    latest = timezone.now()
    for event in events:
        event.occurred_at = min(event.occurred_at, latest)
    TimelineEvent.objects.bulk_create(events[:10])


def _status_event(incident, at, status, author):
    return TimelineEvent(
        incident=incident,
        occurred_at=at,
        kind=TimelineKind.STATUS_CHANGE,
        text=f"Status changed to **{status.label}**.",
        author=author,
    )
