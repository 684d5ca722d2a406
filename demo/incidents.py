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
from demo.organisation import DEPENDENCIES, PEOPLE, SERVICES
from demo.stories import CAUSES, JOURNEYS, PROVIDERS, A, D, F
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
from services.choices import DependencyKind, DeploymentStatus
from services.models import Deployment

INCIDENT_COUNT = 150
DAYS = 540
DEPLOY_SOURCE = "demo-incidents"
REGIONS = ["eu-west", "eu-central", "us-east", "ap-southeast"]
TIERS = ["all", "enterprise", "self-serve", "marketplace"]

PLAN = {
    "security": 4,
    "near_miss": 8,
    "game_day": 6,
    "deploy": 28,
    "config": 18,
    "capacity": 26,
    "dependency": 26,
    "database": 18,
    "certificate": 6,
    "provider": 10,
}
# Causes an open incident may have: a drill or a near miss is never left open.
OPEN_CAUSES = {"deploy", "config", "capacity", "dependency", "database", "certificate", "provider", "security"}
DATASTORE = "postgres-main"
INFRASTRUCTURE = {"postgres-main", "redis-cache", "kafka", "dns", "object-storage"}


def cause_of(title):
    """Return (cause, symptom template) this generator gave an incident title, or (None, None) for other titles."""
    for cause, stories in CAUSES.items():
        for symptom in stories:
            pattern = re.sub(r"\\\{\w+\\\}", ".+", re.escape(symptom))
            if re.fullmatch(r".+?: " + pattern, title):
                return cause, symptom
    return None, None


def placements():
    """Return {placement rule: [(service slug, dependency slug or None), …]}: where each story is believable."""
    applications = sorted(slug for slug in SERVICES if slug not in INFRASTRUCTURE)
    calls = [(s, d) for s, d, kind, _c in DEPENDENCIES if kind in (DependencyKind.SYNC, DependencyKind.CACHE)]
    datastore_users = sorted(s for s, d, kind, _c in DEPENDENCIES if d == DATASTORE)
    return {
        "anywhere": [(slug, None) for slug in sorted(SERVICES)],
        "applications": [(slug, None) for slug in applications],
        # A release that breaks its callers: the caller is named as the dependency that saw it.
        "called_applications": sorted((d, s) for s, d in calls if d in applications),
        "public_entry": [
            (slug, None)
            for slug in ("edge-gateway", "auth-api", "checkout-api", "search-api", "payments-api", "catalog", "cart")
        ],
        "postgres": [(DATASTORE, None)] + [(slug, DATASTORE) for slug in datastore_users],
        "postgres_clients": [(slug, DATASTORE) for slug in datastore_users],
        "consumers": sorted((s, d) for s, d, kind, _c in DEPENDENCIES if kind == DependencyKind.ASYNC),
        "sync_dependencies": sorted(
            (s, d)
            for s, d, kind, _c in DEPENDENCIES
            if kind in (DependencyKind.SYNC, DependencyKind.CACHE, DependencyKind.DATASTORE)
        ),
        "tls_endpoints": [(slug, None) for slug in ("edge-gateway", "auth-api", "payments-api")],
        "mtls_services": [(slug, None) for slug in ("card-vault", "ledger", "permissions", "payments-api")],
        "certificate_holders": [
            (slug, None) for slug in ("edge-gateway", "auth-api", "payments-api", "card-vault", "ledger")
        ],
        "third_party": sorted(
            {(slug, None) for slug in PROVIDERS}
            | {(s, None) for s, _d, kind, _c in DEPENDENCIES if kind == DependencyKind.EXTERNAL}
        ),
        "sign_in": [("auth-api", None), ("edge-gateway", None)],
        "card_data": [("card-vault", None)],
        "api_keys": [("auth-api", None), ("payments-api", None), ("edge-gateway", None)],
        "stateful": [(slug, None) for slug in ("postgres-main", "kafka", "redis-cache", "object-storage")],
        "exports": [(slug, None) for slug in ("reporting", "warehouse-loader", "user-profile", "ledger")],
        "tier_one": [(slug, None) for slug, (_n, _t, tier, _d) in sorted(SERVICES.items()) if tier == 1],
    }


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


def _incident_specs(services, *, now, rng):
    """Plan every incident first (titles, times, causes), so the plan never depends on what exists."""
    where = placements()
    plan = [cause for cause, count in PLAN.items() for _ in range(count)]
    rng.shuffle(plan)
    # The first few are the open incidents: real ones, not drills or near misses.
    for position in range(3):
        if plan[position] not in OPEN_CAUSES:
            swap = next(i for i in range(3, len(plan)) if plan[i] in OPEN_CAUSES)
            plan[position], plan[swap] = plan[swap], plan[position]
    slots = list(range(len(plan)))
    rng.shuffle(slots)
    titles, specs = set(), []
    for number, cause in enumerate(plan[:INCIDENT_COUNT]):
        for _attempt in range(30):
            symptom = rng.choice(sorted(CAUSES[cause]))
            slug, dep = rng.choice(where[CAUSES[cause][symptom]["where"]])
            version = f"v{rng.randint(2, 4)}.{rng.randint(0, 40)}.{rng.randint(0, 9)}"
            region = rng.choice(REGIONS)
            title = f"{services[slug].name}: " + symptom.format(
                version=version, dep=services[dep].name if dep else "", region=region
            )
            if title not in titles:
                break
        titles.add(title)
        # Spread evenly over the period, denser lately: the organisation (and its incident count) grew.
        days_ago = max(0.5, DAYS * ((slots[number] + rng.random()) / len(plan)) ** 1.3)
        started = (now - timedelta(days=days_ago)).replace(
            hour=rng.choice([2, 9, 10, 11, 13, 14, 15, 16, 17, 19, 21]), minute=rng.randint(0, 59)
        )
        if number < 3 or started > now - timedelta(minutes=30):
            # The open incidents (and any that would start in the future) began in the last few hours.
            started = now - timedelta(minutes=rng.randint(40, 300))
        specs.append(
            {
                "number": number,
                "title": title,
                "cause": cause,
                "symptom": symptom,
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


def _detection_source(cause, story, rng):
    if cause == "game_day":
        return DetectionSource.CHAOS
    sources = story["sources"]
    return DetectionSource(rng.choices(sorted(sources), weights=[sources[name] for name in sorted(sources)])[0])


def _lifecycle(spec, *, severity, source, rng):
    """Return started, detected, acknowledged, identified, mitigated, resolved and status, in order and before now."""
    now, started = spec["now"], spec["started_at"]
    if source == DetectionSource.CHAOS:
        detected = started
    elif source == DetectionSource.ALERT:
        detected = started + timedelta(minutes=rng.randint(2, 12))
    else:  # people notice later than alerts do
        detected = started + timedelta(minutes=rng.randint(15, 75))
    acknowledged = detected + timedelta(minutes=rng.randint(1, 9))
    scale = {Severity.SEV1: 1.0, Severity.SEV2: 1.5, Severity.SEV3: 2.5, Severity.SEV4: 4.0}[severity]
    mitigated = acknowledged + timedelta(minutes=int(rng.randint(15, 90) * scale))
    resolved = mitigated + timedelta(minutes=int(rng.randint(15, 240) * scale))
    identified = acknowledged + (mitigated - acknowledged) * rng.uniform(0.35, 0.6)
    status = Status.CLOSED if (now - started).days > 21 and rng.random() < 0.85 else Status.RESOLVED
    if not spec["open_as"] and resolved > now - timedelta(minutes=2):
        # A recent incident that would end in the future happened earlier instead.
        shift = resolved - (now - timedelta(minutes=rng.randint(30, 240)))
        started, detected, acknowledged = started - shift, detected - shift, acknowledged - shift
        identified, mitigated, resolved = identified - shift, mitigated - shift, resolved - shift
        status = Status.RESOLVED
    if spec["open_as"]:
        # An open incident's story so far fits between its start and now.
        status = spec["open_as"]
        latest = now - timedelta(minutes=2)
        span = latest - started
        detected = started + span * 0.08
        acknowledged = started + span * 0.14
        identified = started + span * 0.5
        mitigated = started + span * 0.8 if status == Status.MONITORING else None
        resolved = None
    return {
        "started": started,
        "detected": detected,
        "acknowledged": acknowledged,
        "identified": identified,
        "mitigated": mitigated,
        "resolved": resolved,
        "status": status,
        "latest": now - timedelta(minutes=2),
    }


def story_numbers(title, severity):
    """The numbers an incident's story is told with, drawn from its title and severity alone.

    The incident's summary and timeline and its review's sections all take their numbers from here, so they agree.
    """
    rng = random.Random(f"{title}/numbers")
    low, high = {Severity.SEV1: (35, 80), Severity.SEV2: (12, 35), Severity.SEV3: (3, 12), Severity.SEV4: (1, 3)}[
        severity
    ]
    replicas = rng.choice([8, 12, 16, 20])
    gb = rng.choice([500, 750, 1000, 1500])
    return {
        "pct": rng.randint(low, high),
        "p99": f"{rng.uniform(2.1, 9.5):.1f}",
        "tickets": rng.randint(12, 60) * (5 - int(severity[-1])),
        "customers": f"{rng.randint(300, 9000):,}",
        "replicas": replicas,
        "more_replicas": replicas * 2,
        "pool": rng.choice([20, 40, 50]),
        "lag": rng.randint(6, 24),
        "backlog": f"{rng.randint(120, 900)}k",
        "cfg": f"cfg-{rng.randint(500, 999)}",
        "old_cfg": f"cfg-{rng.randint(100, 499)}",
        "count": f"{rng.randint(2, 40) * 1000:,}",
        "ticket": rng.randint(40000, 89999),
        "gb": gb,
        "more_gb": gb * 2,
    }


def _words(spec, *, services, severity, times):
    """The words a story is told in: names, the incident's numbers, and how long it lasted."""
    service = services[spec["slug"]]
    dep = services[spec["dep"]] if spec["dep"] else None
    journey, audience = JOURNEYS[spec["slug"]]
    end = times["mitigated"] or spec["now"]
    minutes = max(int((end - times["started"]).total_seconds() // 60), 5)
    return {
        "service": service.name,
        # A datastore's own incident names itself where a client's would name the datastore.
        "dep": dep.name if dep else service.name,
        "version": spec["version"],
        "region": spec["region"],
        "journey": journey,
        "audience": audience,
        "provider": PROVIDERS.get(spec["slug"], "the upstream provider"),
        "for_minutes": f"for the last {duration(minutes)}"
        if times["mitigated"] is None
        else f"for {duration(minutes)}",
        **story_numbers(spec["title"], severity),
    }


def duration(minutes):
    """Minutes as people say them: "40 minutes", "about 3 hours"."""
    if minutes < 120:
        return f"{minutes} minutes"
    return f"about {round(minutes / 60)} hours"


def sentence(text):
    """Text with its first letter capitalised: a story line may begin with a name like "the card acquirer"."""
    return text[:1].upper() + text[1:]


def _create_incident(spec, *, services, teams, people, rng):
    cause, service = spec["cause"], services[spec["slug"]]
    story = CAUSES[cause][spec["symptom"]]
    dep = services[spec["dep"]] if spec["dep"] else None
    severity = _severity(cause, rng)
    kind = {"near_miss": IncidentKind.NEAR_MISS, "game_day": IncidentKind.GAME_DAY}.get(cause, IncidentKind.INCIDENT)
    source = _detection_source(cause, story, rng)
    times = _lifecycle(spec, severity=severity, source=source, rng=rng)
    words = _words(spec, services=services, severity=severity, times=times)

    team_slug = service.team.slug if service.team_id else None
    crew = people.get(team_slug) or people["platform"]
    commander = crew[0]
    words["person"] = crew[-1].first_name
    incident = Incident.objects.create(
        kind=kind,
        title=spec["title"],
        summary=sentence(rng.choice(story["summaries"]).format(**words)),
        severity=severity,
        status=times["status"],
        started_at=times["started"],
        detected_at=times["detected"],
        acknowledged_at=times["acknowledged"],
        mitigated_at=times["mitigated"],
        resolved_at=times["resolved"],
        team=service.team,
        commander=commander,
        reporter=crew[-1],
        detection_source=source,
        labels=_labels(spec, cause, rng),
        exclude_from_metrics=cause == "game_day" or (cause == "near_miss" and rng.random() < 0.25),
        restricted=cause == "security",
    )
    incident.services.set([service] + ([dep] if dep else []))
    if cause == "security":
        incident.allowed_teams.set([service.team, teams["platform"]])
    if cause in ("capacity", "database") and rng.random() < 0.6:
        component = {
            "database": ["primary-db", "replica", "wal-archiver"],
            "capacity": ["connection-pool", "autoscaler", "worker-queue", "jvm-heap"],
        }[cause]
        IncidentTag.objects.create(
            incident=incident, kind=TagKind.COMPONENT, value=rng.choice(component), service=service
        )
    if cause == "config":
        IncidentTag.objects.create(incident=incident, kind=TagKind.CONFIG_VERSION, value=words["cfg"], service=service)
    deployment = _deploy_cause(incident, service, spec, commander=commander, rng=rng) if cause == "deploy" else None
    _timeline(incident, story, words, times=times, crew=crew, rng=rng, deployment=deployment)


def _labels(spec, cause, rng):
    labels = {"region": spec["region"]}
    if cause == "provider" and spec["slug"] in PROVIDERS:
        labels["provider"] = PROVIDERS[spec["slug"]]
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
    return deployment


def _timeline(incident, story, words, *, times, crew, rng, deployment=None):
    """Between 4 and 10 events: detection, the story's diagnosis, fix and aftermath, and the status changes.

    Diagnosis lines fall between acknowledgement and identification, fix lines between identification and
    mitigation, aftermath lines between mitigation and resolution; an open incident tells only what has happened.
    """
    commander, status = crew[0], incident.status
    events = []
    if deployment:
        events.append(
            _event(
                incident,
                min(deployment.finished_at, incident.started_at),
                TimelineKind.DEPLOY,
                f"Deploy of `{deployment.version}` to {words['service']} (production) finished.",
                source=DEPLOY_SOURCE,
            )
        )
    events.append(_detection_event(incident, story, words, reporter=crew[-1], commander=commander))
    acknowledged = (
        f"Drill lead: {commander.first_name}. Abort criteria agreed; dashboards open."
        if incident.detection_source == DetectionSource.CHAOS
        else f"Acknowledged; {commander.first_name} is incident commander."
    )
    events.append(_event(incident, times["acknowledged"], TimelineKind.ACTION, acknowledged, author=commander))

    lines = {phase: [(kind, text) for p, kind, text in story["story"] if p == phase] for phase in (D, F, A)}
    if status == Status.INVESTIGATING:
        lines[F], lines[A] = [], []
    elif status == Status.IDENTIFIED:
        # The fix is decided but not done yet.
        lines[F] = [(k, t) for k, t in lines[F] if k in (TimelineKind.DECISION, TimelineKind.COMMUNICATION)]
    if not times["resolved"]:
        lines[A] = []
    # Ten events at most: the aftermath gives way first.
    fixed = 2 + bool(deployment) + len(lines[D]) + len(lines[F]) + 3
    lines[A] = lines[A][: max(0, 10 - fixed)]
    diagnosis_end = times["latest"] if status == Status.INVESTIGATING else times["identified"]
    fix_end = times["mitigated"] or times["latest"]
    spans = [
        (D, times["acknowledged"], diagnosis_end),
        (F, times["identified"], fix_end),
        (A, times["mitigated"], times["resolved"]),
    ]
    for phase, begin, end in spans:
        if lines[phase]:
            events.extend(_spread(incident, lines[phase], begin, end, words=words, crew=crew, rng=rng))
    if status != Status.INVESTIGATING and incident.kind != IncidentKind.GAME_DAY:
        # A drill knows its cause from the start: it goes straight to monitoring once traffic is restored.
        events.append(_status_event(incident, times["identified"], Status.IDENTIFIED, commander))
    if times["mitigated"]:
        events.append(_status_event(incident, times["mitigated"], Status.MONITORING, commander))
    if times["resolved"]:
        events.append(_status_event(incident, times["resolved"], Status.RESOLVED, commander))
    TimelineEvent.objects.bulk_create(sorted(events, key=lambda event: event.occurred_at))


def _spread(incident, lines, begin, end, *, words, crew, rng):
    """Story lines evenly between begin and end (exclusive), each by someone from the crew."""
    step = (end - begin) / (len(lines) + 1)
    return [
        _event(incident, begin + step * index, kind, sentence(text.format(**words)), author=rng.choice(crew))
        for index, (kind, text) in enumerate(lines, start=1)
    ]


def _detection_event(incident, story, words, *, reporter, commander):
    source = incident.detection_source
    if source == DetectionSource.ALERT:
        text = "**[FIRING]** " + story["alert"].format(**words)
        return _event(incident, incident.detected_at, TimelineKind.DETECTION, text, source="alertmanager")
    if source == DetectionSource.CHAOS:
        text = story["chaos"].format(**words)
        return _event(incident, incident.detected_at, TimelineKind.DETECTION, text, author=commander)
    text = sentence(story[source].format(**words))
    return _event(incident, incident.detected_at, TimelineKind.DETECTION, text, author=reporter)


def _event(incident, at, kind, text, *, author=None, source="manual"):
    return TimelineEvent(
        incident=incident,
        occurred_at=at.replace(microsecond=0),
        kind=kind,
        text=text,
        author=author,
        source=source,
    )


def _status_event(incident, at, status, author):
    return _event(incident, at, TimelineKind.STATUS_CHANGE, f"Status changed to **{status.label}**.", author=author)
