"""Build a million incidents in seconds: set-based INSERT … SELECT from generate_series (PostgreSQL).

`bench/builders.py` makes rows in Python (bulk_create), which is right for thousands and hours too slow
for a million. Here every row is computed by the database. Columns the builder does not name get their
model default, so a field added later needs no change here.

The shape of the data is a company several years in: incidents spread evenly over five years, newest
first; the newest 0.1% still open, the next 2% resolved, the rest closed; 1 in 200 restricted (shared with
one team); each affecting one service, every third a second one; a review for 1 in 20 incidents and two
actions per review.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from accounts.models import Membership, Role, Team
from actions.models import ActionItem
from bench.builders import build_deployments, build_services
from incidents.choices import Severity
from incidents.models import Incident
from postmortems.models import Review

SPAN = timedelta(days=5 * 365)
TEAMS = 12
SERVICES = 300
RESTRICTED_EVERY = 200
REVIEW_EVERY = 20
DEPLOYMENTS = 20_000


def insert_select(model, count, expressions):
    """INSERT count rows of model, row i (0 … count - 1) taking each column from an SQL expression of `i`.

    Fields not in expressions get their default (as a query parameter). If "id" is not among the
    expressions, ids come from the sequence. Returns the id the first row got when "id" was given.
    """
    columns, values, params = [], [], []
    fields = model._meta.concrete_fields
    unknown = set(expressions) - {field.attname for field in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
    for field in fields:
        if field.primary_key and field.attname not in expressions:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in expressions:
            values.append(expressions[field.attname].replace("%", "%%"))
        else:
            values.append("%s")
            stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            params.append(field.get_db_prep_save(timezone.now() if stamped else field.get_default(), connection))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM generate_series(0, {int(count) - 1}) AS i"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def next_ids(model, count):
    """Reserve count ids of model's sequence; return the first (rows then take first + i)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count])
    return first


def array(values):
    """An SQL array literal of our own ids or choice values."""
    return "(ARRAY[" + ", ".join(f"'{value}'" if isinstance(value, str) else str(int(value)) for value in values) + "])"


def link_incident_services(first, incidents, *, services, count):
    """Incidents first … first + incidents - 1 each affect one of the `count` services (an SQL array), every third a second."""
    series = f"generate_series(0, {incidents - 1}) AS i"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Incident.services.through._meta.db_table} (incident_id, service_id) "
            f"SELECT {first} + i, {services}[1 + i % {count}] FROM {series} "
            f"UNION ALL SELECT {first} + i, {services}[1 + (i + 7) % {count}] FROM {series} WHERE i % 3 = 0"
        )


def share_restricted_incidents(first, incidents, *, teams, count, every):
    """Share every `every`-th of the incidents (the restricted ones) with one of the `count` teams (an SQL array)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Incident.allowed_teams.through._meta.db_table} (incident_id, team_id) "
            f"SELECT {first} + i, {teams}[1 + (i / {every}) % {count}] "
            f"FROM generate_series(0, {incidents - 1}) AS i WHERE i % {every} = 0"
        )


def build_scale(count):
    """Build teams, people, services, deployments, count incidents, their reviews and actions. Return the personas."""
    now = timezone.now().replace(microsecond=0)
    teams = [Team.objects.create(name=f"Team {n:02d}", slug=f"team-{n:02d}") for n in range(TEAMS)]
    users = get_user_model().objects
    responder = users.create_user("bench-responder", password="bench-responder")
    Membership.objects.create(user=responder, team=teams[0], role=Role.RESPONDER)
    outsider = users.create_user("bench-outsider", password="bench-outsider")
    users.create_user("bench-admin", password="bench-admin", is_superuser=True, is_staff=True)
    services = build_services(teams, SERVICES)
    build_deployments(services, DEPLOYMENTS, spread=timedelta(days=365))
    team_ids, service_ids = array(t.pk for t in teams), array(s.pk for s in services)
    open_until = max(count // 1000, 1)
    resolved_until = open_until + count // 50
    started = f"'{now.isoformat()}'::timestamptz - make_interval(secs => i * {SPAN.total_seconds() / count})"
    first = next_ids(Incident, count)
    insert_select(
        Incident,
        count,
        {
            "id": f"{first} + i",
            "created_at": started,
            "updated_at": started,
            "title": "'Incident ' || i || ': ' || "
            + array(
                [
                    "checkout latency above target",
                    "payment errors after deploy",
                    "search index lagging",
                    "login failures in one region",
                ]
            )
            + "[1 + i % 4]",
            "summary": "'Requests queued behind a slow dependency; **p99** above 2 s.'",
            "severity": f"{array(Severity.values)}[1 + (i * 7) % 4]",
            "status": f"CASE WHEN i < {open_until} THEN "
            f"{array(['investigating', 'identified', 'monitoring'])}[1 + i % 3] "
            f"WHEN i < {resolved_until} THEN 'resolved' ELSE 'closed' END",
            "started_at": started,
            "detected_at": f"{started} + interval '4 minutes'",
            "resolved_at": f"CASE WHEN i < {open_until} THEN NULL ELSE {started} + interval '1 hour' END",
            "team_id": f"{team_ids}[1 + i % {TEAMS}]",
            "labels": f"jsonb_build_object('region', {array(['eu-west-1', 'us-east-1'])}[1 + i % 2])",
            "restricted": f"i % {RESTRICTED_EVERY} = 0",
        },
    )
    link_incident_services(first, count, services=service_ids, count=SERVICES)
    share_restricted_incidents(first, count, teams=team_ids, count=TEAMS, every=RESTRICTED_EVERY)
    # Reviews of every REVIEW_EVERY-th incident past the open ones; two actions each.
    reviews = (count - open_until) // REVIEW_EVERY
    incident_of_review = f"({first} + {open_until} + i * {REVIEW_EVERY})"
    first_review = next_ids(Review, reviews)
    review_written = (
        f"'{now.isoformat()}'::timestamptz - make_interval(secs => ({open_until} + i * {REVIEW_EVERY}) "
        f"* {SPAN.total_seconds() / count}) + interval '2 days'"
    )
    insert_select(
        Review,
        reviews,
        {"id": f"{first_review} + i", "incident_id": incident_of_review, "created_at": review_written},
    )
    insert_select(
        ActionItem,
        2 * reviews,
        {
            "review_id": f"{first_review} + i / 2",
            "team_id": f"{team_ids}[1 + ({open_until} + (i / 2) * {REVIEW_EVERY}) % {TEAMS}]",
            "category": f"{array(['corrective', 'preventive'])}[1 + i % 2]",
            "title": "'Action ' || i",
            "due_date": f"('{now.date().isoformat()}'::date - (i % 400) + 60)",
            "status": "CASE WHEN i < 400 THEN 'open' ELSE 'done' END",
            "opened_at": f"'{now.isoformat()}'::timestamptz - make_interval(days => i % 700)",
            "done_at": f"CASE WHEN i < 400 THEN NULL ELSE '{now.isoformat()}'::timestamptz END",
            "closed_at": f"CASE WHEN i < 400 THEN NULL ELSE '{now.isoformat()}'::timestamptz END",
        },
    )
    return {"responder": responder, "outsider": outsider, "services": services}


def build_incident_search_documents():
    """Index every incident for search, set-based (the feed in incidents/search.py, in one statement).

    Run when the search index is missing incidents: rebuilding it through the feed would take an hour at 1M.
    """
    from core.models import SearchDocument, SearchTerm
    from core.search.text import vocabulary

    table = Incident._meta.db_table
    services = Incident.services.through._meta.db_table
    allowed = Incident.allowed_teams.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SearchDocument._meta.db_table} WHERE doc_type = 'incident'")
        cursor.execute(
            f"""
            INSERT INTO {SearchDocument._meta.db_table} (doc_type, object_id, url, reference, title, keywords,
                summary, body, services, restricted, allowed_team_ids, occurred_at, indexed_at)
            SELECT 'incident', i.id, '/incidents/INC-' || i.id || '/', 'INC-' || i.id, i.title,
                COALESCE((SELECT string_agg(key || ' ' || value, E'\\n') FROM jsonb_each_text(i.labels)), ''),
                i.summary, '',
                ' ' || COALESCE((SELECT string_agg(s.slug, ' ') FROM {services} x
                                 JOIN services_service s ON s.id = x.service_id WHERE x.incident_id = i.id), '') || ' ',
                i.restricted,
                ' ' || COALESCE((SELECT string_agg(a.team_id::text, ' ') FROM {allowed} a
                                 WHERE a.incident_id = i.id), '') || ' ',
                COALESCE(i.started_at, i.created_at), now()
            FROM {table} i
            """
        )
        cursor.execute(f"SELECT DISTINCT title, summary FROM {table} WHERE id % 1000 = 0")
        words = vocabulary(*(text for row in cursor.fetchall() for text in row), "region eu-west-1 us-east-1")
    SearchTerm.objects.bulk_create([SearchTerm(word=word) for word in sorted(words)], ignore_conflicts=True)
