"""Importing history: 1,000 past reviews through POST /api/import/reviews/ in batches, then the same again.

Each record is what a team brings from its old post-mortems: a closed incident with a five-entry
timeline, a published review (every section, two root-cause classes, a six-factor chart with six links)
and four actions, one per category, in the states such actions end up in. One in fifty is restricted.
"""

import itertools
import time
from datetime import UTC, datetime, timedelta

from django.apps import apps

from bench.builders import build_services
from incidents.models import Incident
from postmortems.models import SECTION_FIELDS

RECORDS = 1000
BATCH = 100
CLASSES = ["configuration-change", "code-defect", "capacity-load", "dependency-failure", "network"]
STATES = [
    {"status": "done", "done_at": 1},
    {"status": "done", "done_at": 20},
    {"status": "wont_do", "wont_do_reason": "Superseded by the platform migration.", "closed_at": 9},
    {"status": "open"},
]


def moment(start, **delta):
    return (start + timedelta(**delta)).isoformat()


def record(n, *, services, team):
    """Past incident n (one every two days back from 2025), its published review and four actions."""
    start = datetime(2025, 6, 1, 9, tzinfo=UTC) - timedelta(days=2 * n, minutes=n)
    service = services[n % len(services)]
    factors = [
        {"key": "change", "description": f"Change {n} rolled out to every region at once", "is_root_cause": True},
        {"key": "guard", "kind": "condition", "description": "No canary stage for this kind of change"},
        {"key": "limit", "kind": "condition", "description": "Connection pool sized for last year's traffic"},
        {"key": "retry", "kind": "contributing", "category": "procedural", "description": "Clients retried at once"},
        {"key": "errors", "description": "Error rate rose above 5%", "timeline_event": 0},
        {"key": "customers", "description": "Customers could not pay", "is_symptom": True, "timeline_event": 1},
    ]
    links = [
        ("change", "limit"),
        ("guard", "change"),
        ("limit", "errors"),
        ("retry", "errors"),
        ("errors", "customers"),
    ]
    links.append(("guard", "errors"))
    actions = []
    for position, category in enumerate(["immediate_fix", "corrective", "remedial", "preventive"]):
        state = dict(STATES[(n + position) % len(STATES)])
        for name in ("done_at", "closed_at"):
            if name in state:
                state[name] = moment(start, days=7 + state[name])
        actions.append(
            {
                "category": category,
                "title": f"{category.replace('_', ' ').capitalize()} for incident {n}",
                "description": "What we agreed in the review.",
                "owner": "lee-lead",
                "services": [service],
                "factors": ["change"] if category != "immediate_fix" else [],
                "opened_at": moment(start, days=7),
                "due_date": (start + timedelta(days=30 + 30 * position)).date().isoformat(),
                **state,
            }
        )
    restricted = n % 50 == 0
    return {
        "incident": {
            "source": "confluence",
            "external_id": f"PM-{n:04d}",
            "title": f"Checkout errors after change {n}",
            "summary": "Payments failed for a share of customers until the change was rolled back.",
            "severity": ["sev1", "sev2", "sev3"][n % 3],
            "status": "closed",
            "started_at": moment(start),
            "detected_at": moment(start, minutes=6),
            "acknowledged_at": moment(start, minutes=9),
            "mitigated_at": moment(start, minutes=50),
            "resolved_at": moment(start, minutes=70),
            "team": team,
            "services": [service],
            "detection_source": ["alert", "customer", "unknown"][n % 3],
            "labels": {"region": "eu-west-1"},
            "restricted": restricted,
            "allowed_teams": [team] if restricted else [],
            "timeline": [
                {"occurred_at": moment(start, minutes=6), "kind": "detection", "text": "Error rate alert fired"},
                {"occurred_at": moment(start, minutes=12), "kind": "observation", "text": "Support: payments fail"},
                {"occurred_at": moment(start, minutes=20), "kind": "decision", "text": "Roll the change back"},
                {"occurred_at": moment(start, minutes=50), "kind": "action", "text": "Rollback finished"},
                {"occurred_at": moment(start, minutes=70), "kind": "communication", "text": "All clear posted"},
            ],
        },
        "review": {
            "status": "published",
            "published_at": moment(start, days=6, hours=5),
            "owner": "lee-lead",
            "authors": ["lee-lead"],
            "primary_class": CLASSES[n % len(CLASSES)],
            "secondary_classes": [CLASSES[(n + 1) % len(CLASSES)]],
            **{
                name: f"The {name.replace('_', ' ')} of incident {n}, as the team wrote it then."
                for name in SECTION_FIELDS
            },
            "customers_affected": 100 + n,
            "responder_hours": "6.5",
            "factors": factors,
            "links": [{"cause": cause, "effect": effect} for cause, effect in links],
        },
        "actions": actions,
    }


def rows_everywhere():
    return sum(model._default_manager.count() for model in apps.get_models())


def test_import_history(bench, api, lead, team, other_team):
    services = [service.slug for service in build_services([team, other_team], 20) if service.team_id == team.pk]
    client = api(lead)
    records = [record(n, services=services, team=team.slug) for n in range(RECORDS)]
    batches = [{"records": records[i : i + BATCH]} for i in range(0, RECORDS, BATCH)]
    calls, created, skipped = itertools.count(1), [], []

    def post(body, expected, into):
        next(calls)
        response = client.post("/api/import/reviews/", body, format="json")
        assert response.status_code == expected, response.content[:2000]
        into.append(response.json())
        return response

    table = bench(f"Importing history: POST /api/import/reviews/, {RECORDS:,} records in batches of {BATCH}")

    def post_every_batch(name, expected, into):
        """One measurement of the whole history: each batch posted once, each call timed."""
        pending = iter(batches)
        return table.measure(
            name,
            lambda: post(next(pending), expected, into),
            rows=RECORDS,
            repeat=len(batches),
            warmup=0,
            throughput=True,
        )

    cpu = time.process_time()
    first = post_every_batch(f"batch of {BATCH} new records (201)", 201, created)
    total = sum(first.timings)
    cpu = time.process_time() - cpu  # this process's own CPU: what the import costs on a machine others share
    imported_calls = next(calls) - 1
    assert sum(body["created"] for body in created) == RECORDS
    assert Incident.objects.filter(source="confluence").count() == RECORDS

    before = rows_everywhere()
    repeated = post_every_batch("the same batch again: nothing new (200)", 200, skipped)
    repeat_total = sum(repeated.timings)
    assert sum(body["skipped"] for body in skipped) == RECORDS
    assert rows_everywhere() == before

    counts = created[0]["counts"]
    per_record = sum(first.queries) / RECORDS
    table.note = (
        f"Each record: a closed incident with {counts['timeline_events'] // BATCH} timeline entries, a published "
        f"review with {counts['factors'] // BATCH} factors and {counts['links'] // BATCH} links, and "
        f"{counts['actions'] // BATCH} actions. **{RECORDS:,} records in {imported_calls} HTTP calls, "
        f"{total:.1f} s ({RECORDS / total:.0f} records/s; {cpu:.1f} s of this process's CPU, which on SQLite includes "
        f"the database's), {per_record:.1f} queries per record; the same "
        f"document again: {len(batches)} calls, {repeat_total:.1f} s, nothing written.** The work queued on "
        "commit (search index, deploy correlation, rollups, effectiveness checks) is not part of the requests."
    )
    assert first.result.status_code == 201
