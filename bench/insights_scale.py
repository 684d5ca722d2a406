"""`make bench-scale-insights`: insights rollups at scale on PostgreSQL (default 1,000,000 incidents over five years).

In a database of its own beside the one DATABASE_URL names (suffix `_insights_<size>`; kept between runs, so
the data is built once), it builds the incidents with set-based SQL, then measures:

1. the full recomputation of every rollup (what the nightly job runs), in this process;
2. one incremental update end to end: an incident's severity changes and commits, a real Celery worker
   (Redis, CELERY_BROKER_URL) recomputes its buckets; timed until the last of them is current;
3. `/insights/` and `/api/insights/mtbf/` through gunicorn on loopback (production settings, two sync
   workers), 200 sequential requests each: p50 and p95.

Usage: DATABASE_URL=postgresql://… CELERY_BROKER_URL=redis://… python bench/insights_scale.py [--size N]
Prints a table and writes it to var/bench-insights-<size>.md. Measures; asserts nothing.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"
REQUESTS = 200
QUEUE = f"hindsight-bench-{uuid.uuid4().hex[:8]}"
RESTRICTED_EVERY = 200
REVIEW_EVERY = 5


def scale_url(base, size):
    if base.startswith("sqlite"):
        return f"sqlite:///{VAR / f'bench-insights-{size}.sqlite3'}"
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path}_insights_{size}"))


def create_database(url):
    if url.startswith("sqlite"):
        return
    from bench.scale import create_database as create_postgres_database

    create_postgres_database(url)


def server_environment(url, broker):
    from bench.server import environment

    # Recomputing a million incidents in a worker takes statements longer than a task's limit.
    return environment(
        url,
        CELERY_BROKER_URL=broker,
        CELERY_QUEUE=QUEUE,
        STATIC_ROOT=str(VAR / "bench-insights-static"),
        DATABASE_WORKER_STATEMENT_TIMEOUT="0",
    )


def build(size):
    """Incidents over five years with set-based SQL; one in five reviewed with a class and responder effort.

    The rows come from bench/scale_builders.py's INSERT … SELECT builder: a column it is not told
    gets its model default, so a field added later (a version, say) needs no change here.
    """
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from bench.scale_builders import array, insert_select, link_incident_services, next_ids, share_restricted_incidents
    from incidents.choices import Severity
    from incidents.models import Incident
    from postmortems.models import Review

    if Incident.objects.exists():
        return
    if connection.vendor == "sqlite":
        return build_in_python(size)
    started = time.perf_counter()
    now = timezone.now().replace(microsecond=0)
    span = timedelta(days=5 * 365).total_seconds()
    with transaction.atomic():
        teams, services, classes = _organisation()
        team_ids, service_ids = array(t.pk for t in teams), array(s.pk for s in services)
        start = f"'{now.isoformat()}'::timestamptz - make_interval(secs => i * {span / size})"
        first = next_ids(Incident, size)
        insert_select(
            Incident,
            size,
            {
                "id": f"{first} + i",
                "created_at": start,
                "updated_at": start,
                "kind": "CASE WHEN i % 50 = 0 THEN 'near_miss' WHEN i % 97 = 0 THEN 'game_day' ELSE 'incident' END",
                "title": "'Incident ' || i",
                "severity": f"{array(Severity.values)}[1 + (i * 7) % 4]",
                "status": "'closed'",
                "started_at": start,
                "detected_at": f"{start} + make_interval(mins => 2 + i % 15)",
                "acknowledged_at": f"{start} + make_interval(mins => 5 + i % 20)",
                "mitigated_at": f"{start} + make_interval(mins => 20 + i % 90)",
                "resolved_at": f"{start} + make_interval(mins => 60 + i % 600)",
                "team_id": f"{team_ids}[1 + i % {len(teams)}]",
                "detection_source": "'alert'",
                "exclude_from_metrics": "i % 101 = 0",
                "restricted": f"i % {RESTRICTED_EVERY} = 0",
            },
        )
        link_incident_services(first, size, services=service_ids, count=len(services))
        share_restricted_incidents(first, size, teams=team_ids, count=len(teams), every=RESTRICTED_EVERY)
        insert_select(
            Review,
            (size + REVIEW_EVERY - 1) // REVIEW_EVERY,
            {
                "incident_id": f"{first} + i * {REVIEW_EVERY}",
                "status": "'published'",
                "primary_class_id": f"{array(classes)}[1 + i % {len(classes)}]",
                "responder_hours": f"2 + (i * {REVIEW_EVERY}) % 30",
            },
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"built {size:,} incidents in {time.perf_counter() - started:.0f} s", flush=True)


def _organisation():
    """Twelve teams, 300 services, the seeded root-cause classes and a site admin: (teams, services, class ids)."""
    from django.contrib.auth import get_user_model

    from accounts.models import Team
    from bench.builders import build_services
    from postmortems.models import RootCauseClass

    teams = Team.objects.bulk_create(Team(name=f"Team {n:02d}", slug=f"team-{n:02d}") for n in range(12))
    services = build_services(teams, 300, prefix="service")
    classes = list(RootCauseClass.objects.values_list("pk", flat=True))
    get_user_model().objects.create_user("bench-admin", password="bench-admin", is_superuser=True, is_staff=True)
    return teams, services, classes


def build_in_python(size):
    """SQLite has no generate_series: the same shape of data with bulk_create (slower, fine at 100,000)."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from incidents.models import Incident
    from postmortems.models import Review

    started = time.perf_counter()
    now = timezone.now().replace(microsecond=0)
    step = timedelta(days=5 * 365) / size
    with transaction.atomic():
        teams, services, classes = _organisation()
        for chunk in range(0, size, 10_000):
            numbers = range(chunk, min(chunk + 10_000, size))
            incidents = Incident.objects.bulk_create(
                Incident(
                    kind="near_miss" if i % 50 == 0 else "game_day" if i % 97 == 0 else "incident",
                    title=f"Incident {i}",
                    severity=("sev1", "sev2", "sev3", "sev4")[(i * 7) % 4],
                    status="closed",
                    started_at=(at := now - i * step),
                    detected_at=at + timedelta(minutes=2 + i % 15),
                    acknowledged_at=at + timedelta(minutes=5 + i % 20),
                    mitigated_at=at + timedelta(minutes=20 + i % 90),
                    resolved_at=at + timedelta(minutes=60 + i % 600),
                    team=teams[i % 12],
                    exclude_from_metrics=i % 101 == 0,
                    restricted=i % 200 == 0,
                )
                for i in numbers
            )
            links = [
                Incident.services.through(incident_id=x.pk, service_id=services[i % 300].pk)
                for i, x in zip(numbers, incidents, strict=True)
            ]
            links += [
                Incident.services.through(incident_id=x.pk, service_id=services[(i + 7) % 300].pk)
                for i, x in zip(numbers, incidents, strict=True)
                if i % 3 == 0
            ]
            Incident.services.through.objects.bulk_create(links)
            Review.objects.bulk_create(
                Review(
                    incident=x,
                    status="published",
                    primary_class_id=classes[(i // 5) % len(classes)],
                    responder_hours=2 + i % 30,
                )
                for i, x in zip(numbers, incidents, strict=True)
                if i % 5 == 0
            )
    print(f"built {size:,} incidents in {time.perf_counter() - started:.0f} s", flush=True)


def time_incremental_in_process():
    """SQLite (no worker): the same recomputation the task runs, timed in this process after the change commits."""
    from django.db import transaction

    from incidents.models import Incident
    from insights.tasks import refresh_incident_rollups

    incident = Incident.objects.filter(review__primary_class__isnull=False, kind="incident").order_by("-pk").first()
    started = time.perf_counter()
    with transaction.atomic():
        incident.severity = "sev1" if incident.severity != "sev1" else "sev2"
        incident.save()
    refresh_incident_rollups([incident.pk])
    return time.perf_counter() - started


def time_full_recompute():
    from insights import rollups

    started = time.perf_counter()
    rows = rollups.recompute_all()
    return time.perf_counter() - started, rows


def time_incremental(env):
    """Change one reviewed incident's severity; time until a real worker has recomputed its last bucket."""
    from django.db import transaction
    from django.utils import timezone

    from bench.server import start_solo_worker
    from config.celery import app
    from incidents.models import Incident
    from insights.models import MtbfRollup

    log = open(VAR / "bench-insights-worker.log", "w")  # noqa: SIM115 - closed below
    worker = start_solo_worker(QUEUE, env=env, log=log)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("the worker did not start: see var/bench-insights-worker.log")
        incident = Incident.objects.filter(review__primary_class__isnull=False, kind="incident").order_by("-pk").first()
        service_slug = incident.services.order_by("slug").values_list("slug", flat=True).last()
        changed_at = timezone.now()
        started = time.perf_counter()
        with transaction.atomic():
            incident.severity = "sev1" if incident.severity != "sev1" else "sev2"
            incident.save()
        # Buckets are recomputed class, quarter, service (the task sorts them): the service row is last.
        last = MtbfRollup.objects.filter(scope="all", dimension="service", key=service_slug, window="all")
        while not last.filter(computed_at__gte=changed_at).exists():
            if time.perf_counter() - started > 120:
                raise SystemExit("the incremental update took over 120 s: see var/bench-insights-worker.log")
            time.sleep(0.02)
        return time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()


def time_requests(env):
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import ApiToken
    from bench.server import Gunicorn

    admin = get_user_model().objects.get(username="bench-admin")
    session = SessionStore()
    session["_auth_user_id"] = str(admin.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = admin.get_session_auth_hash()
    session.create()
    _, key = ApiToken.objects.create_with_token(user=admin)
    targets = {
        "/insights/ (page, site admin)": ("/insights/", {"Cookie": f"sessionid={session.session_key}"}),
        "/api/insights/mtbf/?by=class&window=365d": (
            "/api/insights/mtbf/?by=class&window=365d",
            {"Authorization": f"Token {key}"},
        ),
        "/api/insights/mtbf/?by=service&window=90d": (
            "/api/insights/mtbf/?by=service&window=90d",
            {"Authorization": f"Token {key}"},
        ),
    }
    results = {}
    with Gunicorn(env, workers=2, log="bench-insights-gunicorn.log") as server:
        for name, (path, headers) in targets.items():
            timings = []
            for n in range(REQUESTS + 5):
                started = time.perf_counter()
                status = server.get(path, headers)[0]
                if status != 200:
                    raise SystemExit(f"{path} answered {status}")
                if n >= 5:  # warm-up
                    timings.append(time.perf_counter() - started)
            ordered = sorted(timings)
            results[name] = (statistics.median(ordered) * 1000, ordered[int(0.95 * len(ordered)) - 1] * 1000)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    base, broker = os.environ.get("DATABASE_URL", ""), os.environ.get("CELERY_BROKER_URL", "")
    sqlite = base.startswith("sqlite")
    if not sqlite and (not base.startswith("postgres") or not broker.startswith("redis")):
        raise SystemExit(
            "Set DATABASE_URL to PostgreSQL and CELERY_BROKER_URL to Redis (or DATABASE_URL to sqlite:///…)."
        )
    url = scale_url(base, args.size)
    create_database(url)
    env = server_environment(url, "" if sqlite else broker)
    VAR.mkdir(exist_ok=True)
    for command in (["migrate"], ["collectstatic"]):
        subprocess.run([sys.executable, "manage.py", *command, "--no-input", "-v0"], cwd=BASE_DIR, env=env, check=True)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    build(args.size)
    full, rows = time_full_recompute()
    print(f"full recompute: {full:.1f} s ({rows:,} rows)", flush=True)
    incremental = time_incremental_in_process() if sqlite else time_incremental(env)
    print(f"incremental, end to end: {incremental:.2f} s", flush=True)
    requests = time_requests(env)
    lines = [
        f"### Insights at {args.size:,} incidents ("
        + ("SQLite, tasks in-process" if sqlite else "PostgreSQL, Celery worker on Redis")
        + ", gunicorn on loopback)",
        "",
        "| what | result | goal |",
        "|---|--:|--:|",
        f"| full recompute of every rollup ({rows:,} rows) | {full:.1f} s | < 60 s |",
        f"| one incident changed → its rollups current ({'in-process' if sqlite else 'real worker'}) "
        f"| {incremental:.2f} s | < 2 s |",
        *(
            f"| {name}, p50 / p95 of {REQUESTS} | {p50:.0f} / {p95:.0f} ms | p95 < 100 ms |"
            for name, (p50, p95) in requests.items()
        ),
    ]
    text = "\n".join(lines)
    print(text)
    (VAR / f"bench-insights-{args.size}.md").write_text(text + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    main()
