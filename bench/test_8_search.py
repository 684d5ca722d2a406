"""Search: /api/search/ through a real HTTP server on loopback over 100,000 documents, and the cost of keeping the index current.

The documents are written through `core.search.write_documents` (the path every feed takes) with
incident- and playbook-like text of realistic lengths drawn from a fixed vocabulary. The queries
mix exact terms, multi-word symptoms, misspellings, rare and very common words. Each query is
timed over HTTP (token authentication, the view, the JSON) and, in the same run, as the in-process
`search()` call alone (the SQL, plus parsing the query): the raw SQL time.
"""

import os
import random
import statistics
import time
import urllib.parse
from datetime import timedelta
from functools import partial

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ApiToken
from bench.conftest import refresh_planner_statistics
from bench.server import Gunicorn, database_url, environment
from config.celery import app
from core import search
from incidents.models import Incident, TimelineEvent
from playbooks.search_views import viewer_for

# HINDSIGHT_BENCH_SEARCH_DOCUMENTS runs it smaller, to check the benchmark itself.
DOCUMENTS = int(os.environ.get("HINDSIGHT_BENCH_SEARCH_DOCUMENTS", "100000"))
BATCH = 2_000
QUERIES = 300

COMPONENTS = [
    "checkout",
    "payments",
    "ledger",
    "pgbouncer",
    "postgres",
    "redis",
    "kafka",
    "ingress",
    "coredns",
    "gateway",
    "scheduler",
    "indexer",
    "warehouse",
    "notifications",
    "cart",
    "pricing",
    "fraud",
    "vault",
    "auth",
    "profile",
]
SYMPTOMS = [
    "connection pool exhausted",
    "certificate expired",
    "consumer lag growing",
    "disk full",
    "replication lag",
    "memory leak after deploy",
    "evictions spiking",
    "dns lookups failing",
    "latency above target",
    "errors after release",
    "rate limited by provider",
    "lock contention",
    "queue backlog",
    "pods crash looping",
    "health checks failing",
    "clock skew",
    "token validation failing",
    "timeouts calling dependency",
    "wal archive failing",
    "oom killed",
]
FILLER = [
    "the",
    "on-call",
    "engineer",
    "checked",
    "the",
    "dashboard",
    "and",
    "saw",
    "requests",
    "queued",
    "behind",
    "a",
    "slow",
    "dependency",
    "while",
    "the",
    "error",
    "ratio",
    "climbed;",
    "we",
    "rolled",
    "back",
    "the",
    "release,",
    "drained",
    "the",
    "node,",
    "restarted",
    "the",
    "consumer,",
    "raised",
    "the",
    "pool",
    "size,",
    "paged",
    "the",
    "database",
    "team,",
    "confirmed",
    "the",
    "fix",
    "with",
    "a",
    "synthetic",
    "probe",
    "and",
    "watched",
    "the",
    "graphs",
    "for",
    "thirty",
    "minutes",
]
RARE = ["zanzibar", "quokka", "fjord", "halibut", "obsidian", "marzipan", "tangerine", "walrus"]
MISSPELLED = [
    "conection pool exausted",
    "certficate expird",
    "consumr lag",
    "replicaton lag",
    "memroy leak",
    "evictons",
    "dns lookps failing",
    "latancy",
    "pgbounser",
    "helth checks",
    "crash loping pods",
    "timouts dependency",
]


def _sentence(rng, words):
    return " ".join(rng.choice(FILLER) for _ in range(words)).capitalize() + "."


def _document(n, rng, now):
    component = COMPONENTS[n % len(COMPONENTS)]
    symptom = SYMPTOMS[(n * 7) % len(SYMPTOMS)]
    rare = f" {RARE[n % len(RARE)]}" if n % 997 == 0 else ""
    if n % 10 == 0:  # one in ten is a playbook or runbook: longer, with steps
        body = "\n".join(f"{step}. {_sentence(rng, 14)}" for step in range(1, 8))
        return search.Document(
            doc_type="runbook" if n % 20 == 0 else "playbook",
            object_id=n,
            url=f"/playbooks/bench-{n}/",
            reference=f"bench-{n}",
            title=f"{component.title()}: {symptom}{rare}",
            keywords=f"{component.title()}{symptom.title().replace(' ', '')}\n{symptom} on {component}",
            summary=_sentence(rng, 20),
            body=body,
            services=[f"svc-{n % 40:03d}"],
            occurred_at=now - timedelta(hours=n),
        )
    timeline = "\n".join(_sentence(rng, 12) for _ in range(8))
    return search.Document(
        doc_type="incident",
        object_id=n,
        url=f"/incidents/INC-{n}/",
        reference=f"INC-{n}",
        title=f"{component.title()} {symptom}{rare}",
        keywords=f"region eu-west-{n % 3}",
        summary=_sentence(rng, 30),
        body=timeline,
        services=[f"svc-{n % 40:03d}", f"svc-{(n + 1) % 40:03d}"],
        restricted=n % 50 == 0,
        allowed_team_ids=[1] if n % 50 == 0 else [],
        occurred_at=now - timedelta(hours=n),
    )


def _queries(rng):
    """A few hundred mixed queries: exact terms, symptoms, misspellings, rare and very common words."""
    kinds = [
        lambda: rng.choice(COMPONENTS),
        lambda: rng.choice(SYMPTOMS),
        lambda: f"{rng.choice(COMPONENTS)} {rng.choice(SYMPTOMS)}",
        lambda: rng.choice(MISSPELLED),
        lambda: rng.choice(RARE),
        lambda: rng.choice(["the", "engineer dashboard", "rolled back release", "requests"]),
    ]
    return [kinds[i % len(kinds)]() for i in range(QUERIES)]


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))]


@pytest.mark.django_db(transaction=True)
def test_search_over_http(bench, viewer):
    rng = random.Random(9)
    now = timezone.now()
    started = time.perf_counter()
    for start in range(0, DOCUMENTS, BATCH):
        with transaction.atomic():
            search.write_documents([_document(n, rng, now) for n in range(start, min(start + BATCH, DOCUMENTS))])
    build_seconds = time.perf_counter() - started
    refresh_planner_statistics()
    headers = {"Authorization": f"Token {ApiToken.objects.create_with_token(user=viewer)[1]}"}
    queries = _queries(rng)

    http_ms, sql_ms, sql_queries, hits = [], [], [], []
    with Gunicorn(environment(database_url()), log="bench-search-gunicorn.log") as server:
        for text in queries[:10]:  # warm the caches and the connections, in both processes
            server.get("/api/search/?" + urllib.parse.urlencode({"q": text}), headers)
            search.search(text, viewer=viewer_for(viewer))
        for text in queries:
            begun = time.perf_counter()
            status, body, _ = server.get("/api/search/?" + urllib.parse.urlencode({"q": text}), headers)
            http_ms.append((time.perf_counter() - begun) * 1000)
            assert status == 200, body[:300]
            hits.append(body.count(b'"rank"'))
            with CaptureQueriesContext(connection) as captured:
                begun = time.perf_counter()
                search.search(text, viewer=viewer_for(viewer))
                sql_ms.append((time.perf_counter() - begun) * 1000)
            sql_queries.append(len(captured))

    table = bench(
        f"Search: GET /api/search/ through gunicorn, {DOCUMENTS:,} documents",
        note=f"{QUERIES} mixed queries (exact terms, symptoms, misspellings, rare and very common words), one client, "
        "gunicorn (one sync worker, production settings) on loopback. `search()` is the same search called "
        f"in-process: its SQL plus parsing the query. Writing the {DOCUMENTS:,} documents took "
        f"{build_seconds:.0f} s; a query matched {statistics.mean(hits):.1f} of 20 results on average.",
    )
    for name, values in (("HTTP /api/search/", http_ms), ("in-process search() (raw SQL)", sql_ms)):
        row = table.measure(name, lambda: None, rows=DOCUMENTS, repeat=1, warmup=0)
        row.timings = [value / 1000 for value in values]
        row.queries = sql_queries
        print(
            f"\n{name}: p50 {statistics.median(values):.1f} ms, p95 {_percentile(values, 0.95):.1f} ms, "
            f"p99 {_percentile(values, 0.99):.1f} ms over {len(values)} queries ({connection.vendor})"
        )
    ratio = _percentile(http_ms, 0.95) / max(_percentile(sql_ms, 0.95), 0.001)
    print(f"HTTP p95 / raw SQL p95: {ratio:.2f}×")


@pytest.mark.django_db(transaction=True)
def test_index_maintenance_on_incident_and_timeline_writes(bench, team):
    """A write commits, then the incident's document is rewritten once (on commit): what that adds."""
    incident = Incident.objects.create(
        title="Checkout errors after release", summary="Card payments failed.", team=team
    )
    for n in range(30):
        TimelineEvent.objects.create(incident=incident, text=f"Observation {n}: " + " ".join(FILLER[:25]))
    table = bench(
        "Search index upkeep on writes",
        note="An incident with 30 timeline events; autocommit, so each write's after-commit index refresh runs "
        "inside the call (no broker: in-process). The refresh alone is `reindex` of that one incident. With "
        "CELERY_BROKER_URL set, a last row sends the refresh to the broker instead, as a write does when a worker runs.",
    )
    counter = iter(range(10_000))
    measure = partial(table.measure, rows=30, repeat=50, warmup=3)

    def add_event():
        TimelineEvent.objects.create(incident=incident, text=f"Step {next(counter)}: drained the node")

    def write_alone():
        # Rolled back: the after-commit refresh is never queued to run, so this is the write without it.
        with transaction.atomic():
            add_event()
            transaction.set_rollback(True)

    def rename():
        incident.title = f"Checkout errors after release {next(counter)}"
        incident.save()

    measure("timeline event added, rolled back (the write alone)", write_alone)
    measure("timeline event added (write + index refresh)", add_event)
    measure("incident saved (write + index refresh)", rename)
    measure("index refresh alone (reindex one incident)", lambda: search.reindex("incident", [incident.pk]))
    broker = os.environ.get("CELERY_BROKER_URL")
    if broker:
        # As in production with a worker: the commit only queues the refresh (nothing consumes this queue).
        app.conf.update(task_always_eager=False, broker_url=broker, task_default_queue="hindsight-bench-unconsumed")
        try:
            measure("timeline event added, refresh queued to the broker", add_event)
        finally:
            app.conf.update(task_always_eager=True)
            with app.connection_for_write() as connection:
                connection.default_channel.queue_purge("hindsight-bench-unconsumed")
