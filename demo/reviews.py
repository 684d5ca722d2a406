"""Demo post-incident reviews for the incidents already in the database.

Deterministic and idempotent: an incident that already has a review is left
alone, so a second run changes nothing. Most resolved incidents above SEV4 get
a published review with a causal-factor chart; some get a draft; a few get
none, so the review list has overdue work to show.
"""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model

from accounts.models import Role
from incidents.choices import Severity
from incidents.models import Incident
from postmortems.choices import FactorCategory as C
from postmortems.choices import FactorKind as K
from postmortems.choices import ReviewStatus
from postmortems.models import SECTION_FIELDS, CausalFactor, CausalLink, Review, RootCauseClass

# Each scenario: classes, sections (formatted with {service} and {title}), and a chart:
# factors as (key, description, kind, category, root cause, symptom), links as (cause key, effect key).
SCENARIOS = [
    {
        "match": ("config", "flag", "rate limit", "gateway", "edge"),
        "primary": "configuration-change",
        "secondary": ["human-procedural"],
        "summary": "A configuration change to **{service}** was rolled out to every region at once and "
        "rejected a large share of legitimate requests until it was reverted.",
        "impact": "- Roughly a third of requests failed for 38 minutes.\n- Mobile clients retried aggressively, "
        "doubling load on the edge.\n- Support received 212 tickets.",
        "narrative": "A routine change tightened a limit in {service}. The change passed review and CI, but the "
        "value had been copied from a staging file. It went out globally, not through the canary stage.",
        "detection": "The error-rate alert fired 6 minutes after the rollout. A customer report arrived a minute later.",
        "response": "The on-call engineer suspected the deploy at once, but the rollback tool only covered code "
        "versions, not configuration, which cost 20 minutes.",
        "recovery": "The previous configuration was re-applied by hand; error rates returned to normal within 4 minutes.",
        "went_well": "- The alert fired quickly.\n- The incident channel was calm and well coordinated.",
        "went_wrong": "- Configuration skipped the canary stage.\n- Rollback for configuration was manual.",
        "got_lucky": "It happened during office hours with the author still online.",
        "surprises": "We believed configuration went through the same canary as code. It did not.",
        "lessons": "Treat configuration as code: same pipeline, same canary, same one-click rollback.",
        "factors": [
            ("value", "Limit value copied from the staging configuration", K.CONDITION, C.HUMAN, False, False),
            ("nocanary", "Configuration changes bypass the canary stage", K.CONDITION, C.PROCEDURAL, True, False),
            ("rollout", "Change rolled out to all regions at once", K.EVENT, C.TECHNICAL, False, False),
            ("reject", "Legitimate requests rejected with 429", K.EVENT, C.TECHNICAL, False, False),
            ("retries", "Mobile clients retry without back-off", K.CONTRIBUTING, C.TECHNICAL, False, False),
            ("errors", "Customers see failed page loads", K.EVENT, C.TECHNICAL, False, True),
            ("norollback", "No one-click rollback for configuration", K.CONDITION, C.ORGANISATIONAL, True, False),
            ("slowfix", "Mitigation took 20 minutes longer than a code rollback", K.EVENT, C.PROCEDURAL, False, True),
        ],
        "links": [
            ("value", "rollout"),
            ("nocanary", "rollout"),
            ("rollout", "reject"),
            ("reject", "errors"),
            ("retries", "errors"),
            ("norollback", "slowfix"),
        ],
    },
    {
        "match": ("database", "postgres", "connection", "pool", "ledger", "replica"),
        "primary": "capacity-load",
        "secondary": ["dependency-failure"],
        "summary": "**{service}** exhausted its database connection pool during a traffic peak; requests queued "
        "and timed out for 52 minutes.",
        "impact": "- p99 latency above 30 s for 52 minutes.\n- 4.1 % of checkouts failed.\n- No data was lost.",
        "narrative": "A marketing campaign started at 09:00 without notice to the platform team. {service} scaled "
        "out from 12 to 40 pods; each pod opened its full pool, exceeding the database's connection limit.",
        "detection": "Latency alerts fired after 9 minutes; the database saturation alert did not exist.",
        "response": "Responders first suspected the most recent deploy and rolled it back, which did not help.",
        "recovery": "Capping the autoscaler at 16 pods and restarting the pods brought connections under the limit.",
        "went_well": "- Rollback was fast, even if it was the wrong lead.\n- Customer communication went out early.",
        "went_wrong": "- No alert on database connection saturation.\n- Autoscaling was unaware of the shared limit.",
        "got_lucky": "The ledger writes were idempotent, so retries did not double-book.",
        "surprises": "Scaling out made things worse: more pods meant more connections, not more throughput.",
        "lessons": "Put a connection pooler in front of the database and size pools for the maximum pod count.",
        "factors": [
            ("campaign", "Campaign traffic 3× normal, unannounced", K.EVENT, C.ORGANISATIONAL, False, False),
            ("scale", "Autoscaler grew to 40 pods", K.EVENT, C.TECHNICAL, False, False),
            ("pool", "Each pod opens a pool of 20 connections", K.CONDITION, C.TECHNICAL, True, False),
            ("limit", "Database max_connections reached", K.EVENT, C.TECHNICAL, False, False),
            ("queue", "Requests queue waiting for a connection", K.EVENT, C.TECHNICAL, False, False),
            ("timeouts", "Checkout requests time out", K.EVENT, C.TECHNICAL, False, True),
            ("noalert", "No alert on connection saturation", K.CONDITION, C.PROCEDURAL, True, False),
            ("wronglead", "Responders chased the latest deploy", K.CONTRIBUTING, C.HUMAN, False, False),
            ("late", "Diagnosis took 35 minutes", K.EVENT, C.PROCEDURAL, False, True),
        ],
        "links": [
            ("campaign", "scale"),
            ("scale", "limit"),
            ("pool", "limit"),
            ("limit", "queue"),
            ("queue", "timeouts"),
            ("noalert", "wronglead"),
            ("wronglead", "late"),
        ],
    },
    {
        "match": ("certificate", "tls", "cert", "expired", "secret", "token"),
        "primary": "certificate-secret-expiry",
        "secondary": ["human-procedural"],
        "summary": "An expired TLS certificate on **{service}** broke calls from every client that validates "
        "certificates, for 71 minutes.",
        "impact": "- All calls from internal services failed TLS handshakes.\n- Partners saw errors; browsers did not.",
        "narrative": "The certificate had been issued by hand two years ago, outside the automated issuer. The renewal "
        "reminder went to the mailbox of someone who had since left.",
        "detection": "A partner reported errors first; our synthetic checks did not validate certificates.",
        "response": "The cause was clear within 15 minutes; finding who could issue a certificate took 40 more.",
        "recovery": "A new certificate was issued from the automated issuer and rolled out.",
        "went_well": "- The diagnosis was quick once the right logs were read.",
        "went_wrong": "- Nobody owned the manual certificate.\n- Synthetic checks skipped TLS validation.",
        "got_lucky": "Browsers had cached sessions, so most shoppers were unaffected.",
        "surprises": "We thought every certificate came from the automated issuer.",
        "lessons": "Inventory every certificate; alert 30 days before expiry to a team, not a person.",
        "factors": [
            ("manual", "Certificate issued by hand outside the issuer", K.CONDITION, C.PROCEDURAL, True, False),
            ("mailbox", "Expiry reminder sent to a departed engineer", K.CONDITION, C.ORGANISATIONAL, True, False),
            ("expiry", "Certificate expired at 02:14", K.EVENT, C.TECHNICAL, False, False),
            ("handshake", "TLS handshakes fail for validating clients", K.EVENT, C.TECHNICAL, False, False),
            ("synthetic", "Synthetic checks do not validate TLS", K.CONTRIBUTING, C.TECHNICAL, False, False),
            ("partners", "Partner API calls fail", K.EVENT, C.TECHNICAL, False, True),
            ("latedetect", "Detected by a partner, 47 minutes in", K.EVENT, C.PROCEDURAL, False, True),
        ],
        "links": [
            ("manual", "expiry"),
            ("mailbox", "expiry"),
            ("expiry", "handshake"),
            ("handshake", "partners"),
            ("synthetic", "latedetect"),
            ("handshake", "latedetect"),
        ],
    },
    {
        "match": ("deploy", "release", "bug", "regression", "crash", "memory"),
        "primary": "code-defect",
        "secondary": ["capacity-load"],
        "summary": "A release of **{service}** contained a memory leak; pods were OOM-killed in waves for two hours.",
        "impact": "- Intermittent 502s for about 8 % of requests over two hours.\n- Background jobs were delayed.",
        "narrative": "A refactor cached parsed responses without a bound. Under production traffic the cache grew "
        "until the container's memory limit killed the pod; restarts came in waves as pods filled up together.",
        "detection": "Restart-count alerts fired 40 minutes after the deploy.",
        "response": "The release was suspected immediately (the correlation task ranked it first) and rolled back.",
        "recovery": "Rollback completed 25 minutes after the decision; pods stabilised.",
        "went_well": "- The suspect deployment was ranked first.\n- The rollback was uneventful.",
        "went_wrong": "- Load tests did not run long enough to show the leak.\n- Canary ran for 10 minutes only.",
        "got_lucky": "The leak was slow; a faster one would have taken all pods down at once.",
        "surprises": "The canary looked healthy: the leak needed 30 minutes to show.",
        "lessons": "Canary long enough to see memory trends; bound every cache.",
        "factors": [
            ("cache", "Unbounded response cache introduced in a refactor", K.EVENT, C.TECHNICAL, True, False),
            ("canary", "Canary judged healthy after 10 minutes", K.CONDITION, C.PROCEDURAL, True, False),
            ("growth", "Memory grows with traffic", K.CONDITION, C.TECHNICAL, False, False),
            ("oom", "Pods OOM-killed in waves", K.EVENT, C.TECHNICAL, False, False),
            ("errors", "Users see intermittent 502s", K.EVENT, C.TECHNICAL, False, True),
            ("jobs", "Background jobs delayed", K.EVENT, C.TECHNICAL, False, True),
            ("loadtest", "Load tests run for 5 minutes only", K.CONTRIBUTING, C.PROCEDURAL, False, False),
        ],
        "links": [
            ("cache", "growth"),
            ("growth", "oom"),
            ("canary", "oom"),
            ("loadtest", "canary"),
            ("oom", "errors"),
            ("oom", "jobs"),
        ],
    },
    {
        "match": ("dns", "network", "latency", "packet", "timeout", "kafka"),
        "primary": "network",
        "secondary": ["dependency-failure", "infrastructure-hardware"],
        "summary": "Packet loss between two availability zones made **{service}** time out on cross-zone calls "
        "for 44 minutes.",
        "impact": "- 12 % of requests timed out.\n- Event consumers fell 20 minutes behind.",
        "narrative": "The cloud provider had a partial failure in one zone's network fabric. Our services spread "
        "calls evenly across zones and kept sending traffic to the degraded one.",
        "detection": "Timeout alerts fired within 3 minutes.",
        "response": "Responders confirmed packet loss with the provider's status page after 20 minutes.",
        "recovery": "We drained the affected zone; errors stopped within 5 minutes.",
        "went_well": "- Alerts were fast.\n- Draining a zone worked as rehearsed.",
        "went_wrong": "- No zone-aware health checks.\n- The drain decision waited for the provider's confirmation.",
        "got_lucky": "The failure was in one zone only.",
        "surprises": "Health checks stayed green: they ran inside each zone.",
        "lessons": "Health-check across zones and drain on our own evidence, not the provider's status page.",
        "factors": [
            ("fabric", "Provider network fabric degraded in one zone", K.EVENT, C.TECHNICAL, True, False),
            ("evenly", "Calls spread evenly across zones", K.CONDITION, C.TECHNICAL, False, False),
            ("health", "Health checks only within a zone", K.CONDITION, C.TECHNICAL, True, False),
            ("loss", "Packet loss on cross-zone calls", K.EVENT, C.TECHNICAL, False, False),
            ("timeouts", "Requests time out", K.EVENT, C.TECHNICAL, False, True),
            ("lag", "Event consumers fall behind", K.EVENT, C.TECHNICAL, False, True),
            ("wait", "Drain waited for provider confirmation", K.CONTRIBUTING, C.PROCEDURAL, False, False),
        ],
        "links": [
            ("fabric", "loss"),
            ("evenly", "loss"),
            ("health", "evenly"),
            ("loss", "timeouts"),
            ("loss", "lag"),
            ("wait", "timeouts"),
        ],
    },
    {
        "match": (),
        "primary": "dependency-failure",
        "secondary": ["human-procedural"],
        "summary": "A dependency of **{service}** slowed down and, without timeouts, tied up every worker; "
        "the service stopped answering for 33 minutes.",
        "impact": "- Requests to {service} failed for 33 minutes.\n- Two downstream services degraded too.",
        "narrative": "The dependency answered in 20 s instead of 50 ms. {service} called it without a timeout, so "
        "every worker thread waited, and health checks failed.",
        "detection": "Health-check failures paged the on-call engineer after 4 minutes.",
        "response": "Restarting {service} helped for a minute each time. Thread dumps showed the blocked calls.",
        "recovery": "A feature flag disabled the call to the slow dependency; the service recovered at once.",
        "went_well": "- A kill switch already existed for that call.\n- Thread dumps pointed straight at the cause.",
        "went_wrong": "- No client timeout.\n- No circuit breaker.",
        "got_lucky": "The kill switch had been added for an unrelated reason a month earlier.",
        "surprises": "The HTTP client's default timeout is infinite.",
        "lessons": "Every remote call gets a timeout and a circuit breaker; default settings are not safe.",
        "factors": [
            ("slow", "Dependency responds in 20 s instead of 50 ms", K.EVENT, C.TECHNICAL, False, False),
            ("notimeout", "Client calls without a timeout", K.CONDITION, C.TECHNICAL, True, False),
            ("nobreaker", "No circuit breaker on the call", K.CONDITION, C.TECHNICAL, True, False),
            ("threads", "Every worker thread blocked", K.EVENT, C.TECHNICAL, False, False),
            ("down", "Service stops answering", K.EVENT, C.TECHNICAL, False, True),
            ("cascade", "Downstream services degrade", K.EVENT, C.TECHNICAL, False, True),
        ],
        "links": [
            ("slow", "threads"),
            ("notimeout", "threads"),
            ("nobreaker", "threads"),
            ("threads", "down"),
            ("down", "cascade"),
        ],
    },
]

DRAFT_SECTIONS = {
    "summary": "Draft: {title}. Still collecting the timeline and numbers.",
    "narrative": "To be written after the review meeting.",
}


def _scenario(incident):
    title = " " + " ".join(re.findall(r"[a-z0-9]+", incident.title.lower())) + " "
    for scenario in SCENARIOS:
        if any(f" {word} " in title for word in scenario["match"]):
            return scenario
    return SCENARIOS[incident.pk % len(SCENARIOS)]


def _team_people(incident):
    """Return (the team's first lead or None, every member), by username."""
    users = get_user_model().objects.order_by("username")
    lead = users.filter(memberships__team=incident.team, memberships__role=Role.LEAD).first()
    return lead, list(users.filter(memberships__team=incident.team).distinct())


def _fill(text, incident, service):
    return text.format(service=service, title=incident.title)


def seed_reviews(*, now=None):
    """Create reviews for the resolved incidents above SEV4 that have none; return how many were created."""
    incidents = (
        Incident.objects.exclude(severity=Severity.SEV4)
        .filter(resolved_at__isnull=False, review__isnull=True)
        .select_related("team", "commander")
        .prefetch_related("services")
        .order_by("pk")
    )
    classes = {cls.slug: cls for cls in RootCauseClass.objects.all()}
    created = 0
    for incident in incidents:
        fate = incident.pk % 10
        if fate >= 8:
            continue  # left without a review: shows up as overdue once past its deadline
        scenario = _scenario(incident)
        service = next(iter(incident.services.all()), None)
        service_name = service.name if service else (incident.team.name if incident.team else "the service")
        lead, people = _team_people(incident) if incident.team else (None, [])
        owner = incident.commander or lead or (people[0] if people else None)
        published = fate < 6
        review = Review(incident=incident, owner=owner, facilitator=lead if lead != owner else None)
        if published:
            for name in SECTION_FIELDS:
                setattr(review, name, _fill(scenario[name], incident, service_name))
            review.primary_class = classes.get(scenario["primary"])
            review.status = ReviewStatus.PUBLISHED
            review.published_at = incident.resolved_at + timedelta(days=2 + incident.pk % 4)
            review.published_by = lead or owner
            review.customers_affected = 150 * (1 + incident.pk % 17)
            review.requests_failed = 12000 * (1 + incident.pk % 23)
            review.version = 3
        else:
            for name, text in DRAFT_SECTIONS.items():
                setattr(review, name, _fill(text, incident, service_name))
            review.status = ReviewStatus.IN_REVIEW if fate == 7 else ReviewStatus.DRAFT
        review._history_user = owner
        review._change_reason = "Published" if published else "Started"
        review.save()
        if owner:
            review.authors.add(owner)
        if published:
            review.secondary_classes.set([classes[slug] for slug in scenario["secondary"] if slug in classes])
            _seed_chart(review, scenario, full=True)
        elif fate == 7:
            _seed_chart(review, scenario, full=False)
        # Reviews start the day after resolution (the demo is seeded all at once).
        Review.objects.filter(pk=review.pk).update(created_at=incident.resolved_at + timedelta(days=1))
        created += 1
    return created


def _seed_chart(review, scenario, *, full):
    rows = scenario["factors"] if full else scenario["factors"][:3]
    factors = {}
    for key, description, kind, category, root, symptom in rows:
        factors[key] = CausalFactor.objects.create(
            review=review,
            description=description,
            kind=kind,
            category=category,
            is_root_cause=root and full,
            is_symptom=symptom,
        )
    CausalLink.objects.bulk_create(
        [
            CausalLink(review=review, cause=factors[cause], effect=factors[effect])
            for cause, effect in scenario["links"]
            if cause in factors and effect in factors
        ]
    )
