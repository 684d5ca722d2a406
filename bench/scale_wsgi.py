"""The application as gunicorn serves it, plus what the scale benchmark needs to see inside a request.

- Every response carries `X-Bench-Queries` and `X-Bench-SQL-Ms`: how many queries the request ran
  and how long they took, so the benchmark can report the share of time spent in SQL.
- With `X-Bench-Capture: <file>` the request's SQL and parameters are appended to that file as JSON
  lines, for the benchmark to EXPLAIN.
- `/bench/anchor/<id>/` is the raw anchor: one hand-written query returning the same JSON as
  `/api/incidents/INC-<id>/`, with no framework in the way. The detail API is measured against it.

Only `make bench-scale` serves this module; production serves config.wsgi.
"""

import json
import time

from django.db import connection

from config.wsgi import application as hindsight

ANCHOR_PREFIX = "/bench/anchor/"
ANCHOR_SQL = """
SELECT json_build_object(
  'reference', 'INC-' || i.id, 'kind', i.kind, 'title', i.title, 'summary', i.summary,
  'severity', i.severity, 'status', i.status, 'started_at', i.started_at, 'detected_at', i.detected_at,
  'acknowledged_at', i.acknowledged_at, 'mitigated_at', i.mitigated_at, 'resolved_at', i.resolved_at,
  'team', t.slug, 'commander', c.username, 'reporter', r.username, 'detection_source', i.detection_source,
  'labels', i.labels, 'exclude_from_metrics', i.exclude_from_metrics, 'restricted', i.restricted,
  'services', ARRAY(SELECT s.slug FROM incidents_incident_services x JOIN services_service s ON s.id = x.service_id
                    WHERE x.incident_id = i.id ORDER BY s.slug),
  'allowed_teams', ARRAY(SELECT a.slug FROM incidents_incident_allowed_teams y JOIN accounts_team a ON a.id = y.team_id
                         WHERE y.incident_id = i.id),
  'tags', ARRAY(SELECT json_build_object('kind', g.kind, 'value', g.value, 'service', gs.slug)
                FROM incidents_incidenttag g LEFT JOIN services_service gs ON gs.id = g.service_id
                WHERE g.incident_id = i.id),
  'durations', json_build_object(
    'time_to_detect', EXTRACT(EPOCH FROM i.detected_at - i.started_at),
    'time_to_acknowledge', EXTRACT(EPOCH FROM i.acknowledged_at - i.started_at),
    'time_to_mitigate', EXTRACT(EPOCH FROM i.mitigated_at - i.started_at),
    'time_to_resolve', EXTRACT(EPOCH FROM i.resolved_at - i.started_at)),
  'severity_description', CASE i.severity WHEN 'sev1' THEN 'Critical' WHEN 'sev2' THEN 'Major'
                          WHEN 'sev3' THEN 'Minor' ELSE 'Low' END,
  'created_at', i.created_at, 'updated_at', i.updated_at)::text
FROM incidents_incident i
LEFT JOIN accounts_team t ON t.id = i.team_id
LEFT JOIN auth_user c ON c.id = i.commander_id
LEFT JOIN auth_user r ON r.id = i.reporter_id
WHERE i.id = %s
"""


def anchor(environ, start_response):
    number = environ["PATH_INFO"].removeprefix(ANCHOR_PREFIX).strip("/")
    with connection.cursor() as cursor:
        cursor.execute(ANCHOR_SQL, [int(number)])
        row = cursor.fetchone()
    body = (row[0] if row else '{"detail": "Not found."}').encode()
    start_response("200 OK" if row else "404 Not Found", [("Content-Type", "application/json")])
    return [body]


def application(environ, start_response):
    if environ["PATH_INFO"].startswith(ANCHOR_PREFIX):
        return anchor(environ, start_response)
    capture_path = environ.get("HTTP_X_BENCH_CAPTURE")
    queries, seconds, captured = 0, 0.0, []

    def measure(execute, sql, params, many, context):
        nonlocal queries, seconds
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds += time.perf_counter() - started
            queries += 1
            if capture_path:
                captured.append({"sql": sql, "params": list(params or [])})

    def start_with_counts(status, headers, exc_info=None):
        headers = [*headers, ("X-Bench-Queries", str(queries)), ("X-Bench-SQL-Ms", f"{seconds * 1000:.3f}")]
        return start_response(status, headers, exc_info)

    with connection.execute_wrapper(measure):
        # Django runs the whole view inside this call; the body is already rendered when it returns.
        response = hindsight(environ, start_with_counts)
    if capture_path:
        with open(capture_path, "a") as file:
            for query in captured:
                file.write(json.dumps({"path": environ["PATH_INFO"], **query}, default=str) + "\n")
    return response
