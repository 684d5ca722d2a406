"""`make bench-scale`: Hindsight at 10,000 and 1,000,000 incidents on PostgreSQL, through gunicorn on loopback.

For each size it makes (once) a database of its own beside the one DATABASE_URL names (suffix `_scale_10k`,
`_scale_1m`; kept between runs, rebuilt only when its size is wrong, or with --rebuild), migrates it, builds
the data with bench/scale_builders.py, then serves it with gunicorn (production settings, one sync worker)
and requests every list page and API list, the home page, the dashboards and the detail API one at a time:
p50 / p95 / requests per second, queries per request and the share of the time spent in SQL. The raw anchor
(one hand-written query returning the detail API's JSON) runs in the same server. Last, it EXPLAINs every
query of the list, count and home-page requests and names any sequential scan of the incidents table.

Usage: DATABASE_URL=postgresql://… python bench/scale.py [--sizes 10000,1000000] [--rebuild]
Prints a table and writes it to var/bench-scale-results.md, the plans to var/bench-scale-plans-<size>.txt.
"""

import argparse
import base64
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"
PYTHON = sys.executable
GOAL_P95_MS = 100
GOAL_FLATNESS = 2.0
GOAL_ANCHOR_SHARE = 0.5


def database_url(base, size):
    parts = urlsplit(base)
    suffix = f"_scale_{size // 1000}k" if size < 1_000_000 else f"_scale_{size // 1_000_000}m"
    return urlunsplit(parts._replace(path=parts.path + suffix))


def run(env, *command, timeout=3600):
    completed = subprocess.run(command, cwd=BASE_DIR, env=env, text=True, capture_output=True, timeout=timeout)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{completed.stdout}\n{completed.stderr}")
    return completed.stdout


def create_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url):
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')


def tune_planner(url):
    """Tell the planner the database is on an SSD, as a production PostgreSQL on SSDs should be told.

    The default random_page_cost (4) prices an index probe like a disk seek, so the planner would rather
    read all of incidents than walk 10,000 index entries; 1.1 is the usual setting for SSDs (README).
    """
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')


# --- Inside Django: build the data, hand out credentials -----------------------------------


def django_build(size):
    """(Subprocess, Django set up on the scale database.) Build the data unless it is there; print the personas."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction

    from accounts.models import ApiToken
    from bench.scale_builders import build_incident_search_documents, build_scale
    from core.models import SearchDocument
    from incidents.models import Incident

    if Incident.objects.exists() and not SearchDocument.objects.filter(doc_type="incident").exists():
        with transaction.atomic():
            build_incident_search_documents()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    if not Incident.objects.exists():
        started = time.perf_counter()
        with transaction.atomic():
            build_scale(size)
            build_incident_search_documents()
        built = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(
            f"built {size:,} incidents in {built:.0f} s (VACUUM ANALYZE took {time.perf_counter() - started - built:.0f} s)",
            file=sys.stderr,
        )
    users = get_user_model().objects
    personas = {}
    for name in ("responder", "outsider", "admin"):
        user = users.get(username=f"bench-{name}")
        session = SessionStore()
        session.update(
            {
                "_auth_user_id": str(user.pk),
                "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": user.get_session_auth_hash(),
            }
        )
        session.create()
        personas[name] = {"session": session.session_key, "token": ApiToken.objects.create_with_token(user=user)[1]}
    ordered = Incident.objects.order_by("-started_at", "-id")
    middle = ordered.values("pk", "started_at")[size // 2]
    personas["incidents"] = Incident.objects.count()
    personas["newest"] = ordered.values_list("pk", flat=True).first()
    personas["middle_cursor"] = base64.urlsafe_b64encode(
        json.dumps({"after": [middle["started_at"].isoformat(), middle["pk"]], "back": 0}).encode()
    ).decode()
    personas["service"] = "svc-003"
    print(json.dumps(personas))


# --- Outside: serve and measure -----------------------------------------------------------------


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(server, path, headers, runs):
    """Request path runs times (after two unmeasured); return the numbers of one table row."""
    for _ in range(2):
        status, body, _ = server.get(path, headers)
        if status != 200:
            raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
    timings, sql, queries = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        status, _, response = server.get(path, headers)
        timings.append(time.perf_counter() - started)
        sql.append(float(response.getheader("X-Bench-SQL-Ms", "0")) / 1000)
        queries.append(int(response.getheader("X-Bench-Queries", "0")))
    return {
        "p50": statistics.median(timings) * 1000,
        "p95": percentile(timings, 0.95) * 1000,
        "per_second": len(timings) / sum(timings),
        "queries": f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}–{max(queries)}",
        "sql_share": sum(sql) / sum(timings),
    }


def seq_scans(node, table="incidents_incident"):
    """The sequential scans of table anywhere in a JSON plan node."""
    found = []
    if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") == table:
        found.append(node)
    for child in node.get("Plans", []):
        found.extend(seq_scans(child, table))
    return found


def explain(url, captured_file, size):
    """EXPLAIN every captured query that reads incidents; write the plans; return [(path, sql)] that seq-scan it."""
    import psycopg

    offenders, lines = [], []
    seen = set()
    with psycopg.connect(url, autocommit=True) as conn:
        for line in captured_file.read_text().splitlines():
            query = json.loads(line)
            sql = query["sql"]
            if "incidents_incident" not in sql or not sql.lstrip().upper().startswith("SELECT") or sql in seen:
                continue
            seen.add(sql)
            plan = conn.execute("EXPLAIN (FORMAT JSON) " + sql, query["params"]).fetchone()[0][0]["Plan"]
            text = "\n".join(row[0] for row in conn.execute("EXPLAIN " + sql, query["params"]).fetchall())
            lines += [f"-- {query['path']}", sql, text, ""]
            if seq_scans(plan):
                offenders.append((query["path"], sql))
    (VAR / f"bench-scale-plans-{size}.txt").write_text("\n".join(lines))
    return offenders


def scenarios(data):
    newest, service, cursor = data["newest"], data["service"], data["middle_cursor"]
    deepest = min(10_000, data["incidents"] * 9 // 10) // 25  # the last page the capped page numbers reach
    return [
        # (name, path, persona, kind) — kind: "page" (HTML list), "api" (API list), "other"
        ("home page", "/", "responder", "home"),
        ("incident list", "/incidents/", "responder", "page"),
        ("incident list, outsider", "/incidents/", "outsider", "page"),
        ("incident list, status + service", f"/incidents/?status=investigating&service={service}", "responder", "page"),
        ("incident list, search 'latency'", "/incidents/?q=latency", "responder", "page"),
        ("incident list, deepest numbered page", f"/incidents/?page={deepest}", "responder", "page"),
        ("incident list, most severe first", "/incidents/?sort=severity", "responder", "page"),
        ("review list", "/reviews/", "responder", "page"),
        ("action list", "/actions/", "responder", "page"),
        ("actions dashboard", "/actions/dashboard/", "responder", "page"),
        ("service list", "/services/", "responder", "page"),
        ("deployment list", "/deployments/", "responder", "page"),
        ("API incidents", "/api/incidents/", "responder", "api"),
        ("API incidents, outsider", "/api/incidents/", "outsider", "api"),
        (
            "API incidents, status + service",
            f"/api/incidents/?status=investigating&service={service}",
            "responder",
            "api",
        ),
        ("API incidents, halfway (cursor)", f"/api/incidents/?cursor={cursor}", "responder", "api"),
        ("API reviews", "/api/reviews/", "responder", "api"),
        ("API actions", "/api/actions/", "responder", "api"),
        ("API services", "/api/services/", "responder", "api"),
        ("API deployments", "/api/deployments/", "responder", "api"),
        ("API incident detail", f"/api/incidents/INC-{newest}/", "responder", "detail"),
        ("raw anchor (one query)", f"/bench/anchor/{newest}/", "responder", "anchor"),
    ]


def bench_size(base_url, size, *, rebuild, runs):
    from bench.server import Gunicorn, environment

    url = database_url(base_url, size)
    if rebuild:
        drop_database(url)
    create_database(url)
    tune_planner(url)
    env = environment(url)
    run(env, PYTHON, "manage.py", "migrate", "--no-input")
    data = json.loads(run(env, PYTHON, __file__, "--build", str(size)))
    if data["incidents"] != size:
        raise SystemExit(f"{url} holds {data['incidents']:,} incidents, not {size:,}: run with --rebuild")
    server = Gunicorn(env, app="bench.scale_wsgi:application", log="bench-scale-gunicorn.log")
    capture = VAR / f"bench-scale-queries-{size}.jsonl"
    capture.unlink(missing_ok=True)
    rows = {}
    try:
        for name, path, persona, kind in scenarios(data):
            headers = {"Cookie": f"sessionid={data[persona]['session']}"}
            if path.startswith("/api/"):
                headers = {"Authorization": f"Token {data[persona]['token']}"}
            count = runs * 4 if kind in ("detail", "anchor") else runs
            rows[name] = {"kind": kind, **measure(server, path, headers, count)}
            if kind in ("home", "page", "api"):
                server.get(path, {**headers, "X-Bench-Capture": str(capture)})
            print(
                f"  {size:>9,}  {name:<42} p50 {rows[name]['p50']:7.1f} ms  p95 {rows[name]['p95']:7.1f} ms"
                f"  {rows[name]['queries']:>5} queries  SQL {rows[name]['sql_share']:4.0%}",
                flush=True,
            )
    finally:
        server.stop()
    offenders = explain(url, capture, size)
    (VAR / f"bench-scale-{size}.json").write_text(json.dumps({"rows": rows, "offenders": offenders}, indent=1))
    return rows, offenders


def render(results, sizes):
    small, large = sizes[0], sizes[-1]
    header = [
        "what",
        *(f"p50 / p95 ms at {size:,}" for size in sizes),
        f"req/s at {large:,}",
        "queries",
        "SQL share",
        "goal",
    ]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "--:|" * (len(header) - 1)]
    misses = []
    anchor = results[large][0]["raw anchor (one query)"]["per_second"]
    for name, row in results[large][0].items():
        cells = [name]
        for size in sizes:
            r = results[size][0][name]
            cells.append(f"{r['p50']:.1f} / {r['p95']:.1f}")
        cells += [f"{row['per_second']:.0f}", row["queries"], f"{row['sql_share']:.0%}"]
        if row["kind"] == "detail":
            met = row["per_second"] >= GOAL_ANCHOR_SHARE * anchor
            cells.append(f"{row['per_second'] / anchor:.2f}× anchor " + ("✓" if met else "✗"))
        elif row["kind"] == "anchor":
            met = True
            cells.append("")
        else:
            flat = row["p95"] <= GOAL_FLATNESS * max(results[small][0][name]["p95"], 1.0)
            met = row["p95"] < GOAL_P95_MS and flat
            cells.append(("✓" if met else "✗") + ("" if flat else " (not flat)"))
        if not met:
            misses.append(name)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), misses


def main(argv):
    from bench.server import environment

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        return django_build(args.build)
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        raise SystemExit("bench-scale needs PostgreSQL: set DATABASE_URL=postgresql://…")
    VAR.mkdir(exist_ok=True)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    run(environment(database_url(base_url, sizes[0])), PYTHON, "manage.py", "collectstatic", "--no-input")
    results = {}
    for size in sizes:
        print(f"== {size:,} incidents", flush=True)
        results[size] = bench_size(base_url, size, rebuild=args.rebuild, runs=args.runs)
    table, misses = render(results, sizes)
    report = [
        f"### Hindsight at {', '.join(f'{s:,}' for s in sizes)} incidents (PostgreSQL, gunicorn, one client)",
        "",
        table,
        "",
    ]
    for size in sizes:
        offenders = results[size][1]
        if offenders:
            report.append(f"Sequential scans of incidents at {size:,}: " + "; ".join(sorted({p for p, _ in offenders})))
        else:
            report.append(
                f"No list, count or home-page query scans incidents sequentially at {size:,} (plans in var/bench-scale-plans-{size}.txt)."
            )
    report.append("Rows missing a goal: " + (", ".join(misses) if misses else "none"))
    text = "\n".join(report)
    print("\n" + text)
    (VAR / "bench-scale-results.md").write_text(text + "\n")
    return 1 if any(results[size][1] for size in sizes[-1:]) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    sys.exit(main(sys.argv[1:]))
