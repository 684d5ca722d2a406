"""The demo organisation: teams, people, services, dependencies and deployments.

Deterministic (a fixed random seed) and idempotent: rows are found by natural
key and only created when missing, so a second run changes nothing.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Membership, Role, Team
from services.choices import DependencyKind, DeploymentStatus, DeploymentStrategy
from services.models import Dependency, Deployment, Service

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "hindsight-demo"

TEAMS = {
    "payments": ("Payments", "Card processing, payouts and the ledger."),
    "checkout": ("Checkout", "Cart, checkout flow and pricing."),
    "identity": ("Identity", "Sign-in, sessions, permissions."),
    "platform": ("Platform", "Kubernetes, networking, the edge and shared datastores."),
    "search": ("Search & Discovery", "Catalog search, recommendations."),
    "data": ("Data", "Events pipeline, warehouse and reporting."),
}

# slug: (name, team, tier, description)
SERVICES = {
    "edge-gateway": ("Edge Gateway", "platform", 1, "Public HTTPS entry point: TLS termination, routing, rate limits."),
    "auth-api": ("Auth API", "identity", 1, "Issues and validates session tokens and API keys."),
    "user-profile": ("User Profile", "identity", 2, "Profiles, preferences and addresses."),
    "permissions": ("Permissions", "identity", 2, "Role and policy evaluation for every request."),
    "checkout-api": ("Checkout API", "checkout", 1, "Orchestrates cart → order → payment."),
    "cart": ("Cart", "checkout", 2, "Shopping carts, persisted per user."),
    "pricing": ("Pricing", "checkout", 1, "Prices, discounts and tax calculation."),
    "promotions": ("Promotions", "checkout", 3, "Vouchers and campaign rules."),
    "payments-api": ("Payments API", "payments", 1, "Authorises and captures card payments."),
    "ledger": ("Ledger", "payments", 1, "Double-entry ledger of every money movement."),
    "payouts": ("Payouts", "payments", 2, "Merchant settlements and bank transfers."),
    "fraud-scoring": ("Fraud Scoring", "payments", 2, "Risk score for each payment attempt."),
    "card-vault": ("Card Vault", "payments", 1, "Tokenised card storage (PCI scope)."),
    "search-api": ("Search API", "search", 1, "Catalog search queries and autocomplete."),
    "indexer": ("Indexer", "search", 2, "Keeps the search index in step with the catalog."),
    "recommendations": ("Recommendations", "search", 3, "'You might also like' ranking."),
    "catalog": ("Catalog", "search", 2, "Products, variants and stock levels."),
    "events-pipeline": ("Events Pipeline", "data", 2, "Kafka-fed stream of domain events."),
    "warehouse-loader": ("Warehouse Loader", "data", 3, "Batches events into the warehouse hourly."),
    "reporting": ("Reporting", "data", 3, "Finance and product dashboards."),
    "notifications": ("Notifications", "platform", 2, "Email, SMS and push delivery."),
    "postgres-main": ("Postgres Main", "platform", 1, "The primary PostgreSQL cluster."),
    "redis-cache": ("Redis Cache", "platform", 2, "Shared cache and rate-limit counters."),
    "kafka": ("Kafka", "platform", 1, "The event bus."),
    "object-storage": ("Object Storage", "platform", 3, "Images, exports and backups."),
    "dns": ("DNS", "platform", 1, "Internal and external name resolution."),
}

# (service, depends_on, kind, critical)
DEPENDENCIES = [
    ("edge-gateway", "auth-api", DependencyKind.SYNC, True),
    ("edge-gateway", "dns", DependencyKind.EXTERNAL, True),
    ("edge-gateway", "redis-cache", DependencyKind.CACHE, False),
    ("auth-api", "postgres-main", DependencyKind.DATASTORE, True),
    ("auth-api", "redis-cache", DependencyKind.CACHE, True),
    ("auth-api", "permissions", DependencyKind.SYNC, True),
    ("user-profile", "postgres-main", DependencyKind.DATASTORE, True),
    ("permissions", "redis-cache", DependencyKind.CACHE, False),
    ("checkout-api", "cart", DependencyKind.SYNC, True),
    ("checkout-api", "pricing", DependencyKind.SYNC, True),
    ("checkout-api", "payments-api", DependencyKind.SYNC, True),
    ("checkout-api", "user-profile", DependencyKind.SYNC, False),
    ("checkout-api", "events-pipeline", DependencyKind.ASYNC, False),
    ("cart", "redis-cache", DependencyKind.CACHE, True),
    ("cart", "catalog", DependencyKind.SYNC, False),
    ("pricing", "promotions", DependencyKind.SYNC, False),
    ("pricing", "postgres-main", DependencyKind.DATASTORE, True),
    ("payments-api", "card-vault", DependencyKind.SYNC, True),
    ("payments-api", "fraud-scoring", DependencyKind.SYNC, False),
    ("payments-api", "ledger", DependencyKind.ASYNC, True),
    ("ledger", "postgres-main", DependencyKind.DATASTORE, True),
    ("payouts", "ledger", DependencyKind.SYNC, True),
    ("fraud-scoring", "events-pipeline", DependencyKind.ASYNC, False),
    ("search-api", "catalog", DependencyKind.SYNC, False),
    ("indexer", "kafka", DependencyKind.ASYNC, True),
    ("indexer", "catalog", DependencyKind.SYNC, True),
    ("recommendations", "events-pipeline", DependencyKind.ASYNC, False),
    ("catalog", "postgres-main", DependencyKind.DATASTORE, True),
    ("catalog", "object-storage", DependencyKind.DATASTORE, False),
    ("events-pipeline", "kafka", DependencyKind.ASYNC, True),
    ("warehouse-loader", "events-pipeline", DependencyKind.ASYNC, True),
    ("warehouse-loader", "object-storage", DependencyKind.DATASTORE, True),
    ("reporting", "warehouse-loader", DependencyKind.ASYNC, False),
    ("notifications", "kafka", DependencyKind.ASYNC, True),
]

# username: (first, last, {team: role})
PEOPLE = {
    "amara": ("Amara", "Okafor", {"payments": Role.LEAD}),
    "jonas": ("Jonas", "Berg", {"payments": Role.RESPONDER}),
    "priya": ("Priya", "Natarajan", {"checkout": Role.LEAD}),
    "mateo": ("Mateo", "García", {"checkout": Role.RESPONDER, "payments": Role.VIEWER}),
    "lin": ("Lin", "Zhao", {"identity": Role.LEAD}),
    "sam": ("Sam", "Whitfield", {"identity": Role.RESPONDER}),
    "noor": ("Noor", "Haddad", {"platform": Role.LEAD}),
    "ivan": ("Ivan", "Petrov", {"platform": Role.RESPONDER}),
    "chloe": ("Chloe", "Martin", {"search": Role.LEAD}),
    "kofi": ("Kofi", "Mensah", {"search": Role.RESPONDER, "data": Role.RESPONDER}),
    "elena": ("Elena", "Rossi", {"data": Role.LEAD}),
    "tomas": ("Tomás", "Silva", {"platform": Role.VIEWER}),
}

PIPELINES = ["github-actions", "argo-cd", "spinnaker"]


def seed_organisation(*, now=None, rng=None):
    """Create the demo teams, people, services, dependencies and ~90 days of deployments."""
    now = now or timezone.now()
    rng = rng or random.Random(20261128)
    teams = {}
    for slug, (name, description) in TEAMS.items():
        teams[slug], _ = Team.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})

    users = get_user_model().objects
    # Everyone signs in with the demo password, hashed once: a hash costs a quarter of a second by design.
    password = make_password(DEMO_PASSWORD)
    demo = users.filter(username=DEMO_USERNAME).first()
    if demo is None:
        demo = users.create_superuser(DEMO_USERNAME, "demo@hindsight.example", first_name="Dana", last_name="Demo")
        _set_demo_password(demo, password)
    Membership.objects.get_or_create(user=demo, team=teams["platform"], defaults={"role": Role.ADMIN})
    for username, (first, last, roles) in PEOPLE.items():
        user = users.filter(username=username).first()
        if user is None:
            user = users.create_user(username, f"{username}@hindsight.example", first_name=first, last_name=last)
            _set_demo_password(user, password)
        for team_slug, role in roles.items():
            Membership.objects.get_or_create(user=user, team=teams[team_slug], defaults={"role": role})

    services = {}
    for slug, (name, team_slug, tier, description) in SERVICES.items():
        services[slug], _ = Service.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "team": teams[team_slug],
                "tier": tier,
                "description": description,
                "links": [
                    {"title": "Dashboard", "url": f"https://grafana.example.com/d/{slug}"},
                    {"title": "Repository", "url": f"https://git.example.com/{team_slug}/{slug}"},
                ],
            },
        )
    for service, depends_on, kind, critical in DEPENDENCIES:
        Dependency.objects.get_or_create(
            service=services[service], depends_on=services[depends_on], defaults={"kind": kind, "critical": critical}
        )

    _seed_deployments(services, now=now, rng=rng)
    return {"teams": teams, "services": services, "demo_user": demo}


def _set_demo_password(user, password_hash):
    user.password = password_hash
    user.save(update_fields=["password"])


def _seed_deployments(services, *, now, rng):
    """About 400 deployments over 90 days, weekdays and office hours mostly, a few failed or rolled back."""
    existing = set(Deployment.objects.filter(source__in=PIPELINES).values_list("source", "external_id"))
    new = []
    for slug, service in sorted(services.items()):
        per_week = {1: 2.0, 2: 1.2, 3: 0.6}[service.tier]
        count = int(per_week * 90 / 7)
        version = [1, rng.randint(0, 20), 0]
        pipeline = PIPELINES[sum(map(ord, slug)) % len(PIPELINES)]
        for number in range(count):
            day = rng.randint(0, 89)
            moment = now - timedelta(days=day)
            if moment.weekday() >= 5 and rng.random() < 0.8:
                moment -= timedelta(days=2)
            started = moment.replace(hour=rng.randint(8, 18), minute=rng.randint(0, 59), second=0, microsecond=0)
            if started > now:
                started -= timedelta(days=1)
            version[2] += 1
            if rng.random() < 0.1:
                version[1] += 1
                version[2] = 0
            roll = rng.random()
            status = (
                DeploymentStatus.FAILED
                if roll < 0.04
                else DeploymentStatus.ROLLED_BACK
                if roll < 0.08
                else DeploymentStatus.SUCCEEDED
            )
            external_id = f"{slug}-{number:04d}"
            if (pipeline, external_id) in existing:
                continue
            new.append(
                Deployment(
                    service=service,
                    version=f"v{version[0]}.{version[1]}.{version[2]}",
                    environment="production",
                    commit_sha=f"{rng.getrandbits(160):040x}",
                    config_version=f"cfg-{rng.randint(100, 999)}" if rng.random() < 0.3 else "",
                    started_at=started,
                    finished_at=started + timedelta(minutes=rng.randint(3, 25)),
                    status=status,
                    strategy=DeploymentStrategy.CANARY
                    if service.tier == 1 and rng.random() < 0.4
                    else DeploymentStrategy.GLOBAL,
                    source=pipeline,
                    external_id=external_id,
                )
            )
    Deployment.objects.bulk_create(new)
