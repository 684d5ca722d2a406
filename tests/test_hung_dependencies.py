"""A database or broker that accepts connections and never answers: every request answers within 10 s,
with a clear 503 naming the part (or, for a write with the broker hung, success with the task kept for
later), and /healthz stays up.

The hung part is a local TCP listener that accepts every connection and never sends a byte. The
database case runs a real gunicorn (the production server and command) with DATABASE_URL and the
broker pointing at it; the write with a hung broker runs in-process against the test database, with
the broker and cache clients built from the same settings.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from bench.server import free_port, stop
from core.models import PendingTask
from incidents.choices import IntakeKind
from incidents.models import Incident, IntakeSource
from services.models import Service

ANSWER_WITHIN = 10.0
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


class HungListener:
    """A TCP server that accepts connections and never answers: a database or Redis that hangs."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(256)
        self.port = self.socket.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted.append(connection)  # held open, never read from or written to

    def close(self):
        self.socket.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def hung():
    listener = HungListener()
    yield listener
    listener.close()


@contextmanager
def gunicorn(**environment):
    """Serve Hindsight with gunicorn (threaded workers, as README's production command runs it) in this environment."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        HINDSIGHT_TESTING="1",
        LOG_LEVEL="WARNING",
        HINDSIGHT_API_RATE_ANONYMOUS="100000/minute",
        **environment,
    )
    process = subprocess.Popen(
        [
            GUNICORN,
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "120",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = request(port, "GET", "/healthz", timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"gunicorn did not start:\n{process.communicate()[0][-3000:]}")
            time.sleep(0.3)
        yield port
    finally:
        stop(process, timeout=15)


def request(port, method, path, *, body=None, headers=None, timeout=30):
    """(status, elapsed seconds, parsed JSON or text) of one request to the server on port."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.monotonic()
    try:
        payload = json.dumps(body) if body is not None else None
        all_headers = {"Content-Type": "application/json", "Accept": "application/json", **(headers or {})}
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        text = response.read().decode()
    finally:
        connection.close()
    elapsed = time.monotonic() - started
    try:
        return response.status, elapsed, json.loads(text)
    except ValueError:
        return response.status, elapsed, text


TOKEN = {"Authorization": "Token 0123456789abcdef0123456789abcdef01234567"}
REQUESTS = {
    "readyz": ("GET", "/readyz", None, {}),
    "api write": ("POST", "/api/incidents/", {"title": "Card payments failing", "team": "payments"}, TOKEN),
    "intake": ("POST", "/api/intake/alertmanager/", {"status": "firing", "alerts": []}, TOKEN),
    "page": ("GET", "/incidents/", None, {"Accept": "text/html"}),
}


def test_it_answers_everything_within_seconds_and_stays_alive_when_the_database_hangs(hung):
    with gunicorn(
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:{hung.port}/hindsight",
        CELERY_BROKER_URL=f"redis://127.0.0.1:{hung.port}/0",
    ) as port:
        with ThreadPoolExecutor(max_workers=len(REQUESTS) * 2) as pool:
            # Every request twice at once: more hung requests than server workers.
            futures = {
                (name, copy): pool.submit(request, port, method, path, body=body, headers=headers)
                for name, (method, path, body, headers) in REQUESTS.items()
                for copy in range(2)
            }
            time.sleep(0.5)
            health = request(port, "GET", "/healthz", timeout=15)
            answers = {key: future.result() for key, future in futures.items()}
        after = request(port, "GET", "/healthz", timeout=15)
        assert hung.accepted, "the server never tried the hung listener"

    report = {name: round(elapsed, 2) for (name, _), (_, elapsed, _) in answers.items()}
    print(f"\nhung database: healthz {health[1]:.2f}s, then {after[1]:.2f}s; others {report}")
    assert health[0] == 200
    assert health[1] < ANSWER_WITHIN
    assert after[0] == 200
    assert after[1] < 2
    for (name, _), (status, elapsed, body) in answers.items():
        assert status == 503, (name, status, body)
        assert elapsed < ANSWER_WITHIN, (name, elapsed)
        assert "Traceback" not in str(body)
        if name == "readyz":
            assert body["checks"]["database"].startswith("unavailable")
        elif name == "page":
            assert "The database is unavailable" in body
        else:
            assert body["unavailable"] == "database", body


def test_it_says_the_broker_is_unavailable_within_seconds_when_it_hangs(hung, tmp_path):
    with gunicorn(
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        CELERY_BROKER_URL=f"redis://127.0.0.1:{hung.port}/0",
    ) as port:
        ready = request(port, "GET", "/readyz")
        health = request(port, "GET", "/healthz")
    print(f"\nhung broker: readyz {ready[1]:.2f}s, healthz {health[1]:.2f}s")
    assert ready[0] == 503
    assert ready[1] < ANSWER_WITHIN
    assert ready[2]["checks"] == {"database": "ok", "broker": ready[2]["checks"]["broker"]}
    assert ready[2]["checks"]["broker"].startswith("unavailable")
    assert health[0] == 200
    assert health[1] < 2


# --- A write while the broker (and the cache on the same Redis) hangs, in-process ---------------------


@contextmanager
def broker_and_cache_hung(port):
    """Point the task producer and the cache at the hung listener, with the timeouts settings give them."""
    from config.celery import app

    url = f"redis://127.0.0.1:{port}/0"
    saved = app.conf.get("broker_write_url"), app.conf.task_always_eager
    app._pool, app.amqp._producer_pool = None, None
    app.conf.broker_write_url, app.conf.task_always_eager = url, False
    cache = {
        "BACKEND": "core.cache.FailFastRedisCache",  # what settings configure for a Redis cache
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": settings.REDIS_CONNECT_TIMEOUT,
            "socket_timeout": settings.REDIS_SOCKET_TIMEOUT,
        },
    }
    assert app.conf.broker_transport_options["socket_timeout"] == settings.REDIS_SOCKET_TIMEOUT
    try:
        with override_settings(CACHES={"default": cache}):  # Django builds new cache clients from it
            yield
    finally:
        app._pool, app.amqp._producer_pool = None, None
        app.conf.broker_write_url, app.conf.task_always_eager = saved


@pytest.fixture
def catalog(team):
    return Service.objects.create(name="Payments API", slug="payments-api", team=team)


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_it_saves_a_write_within_seconds_and_keeps_its_task_when_the_broker_hangs(api, responder, catalog, hung):
    client = api(responder)
    with broker_and_cache_hung(hung.port):
        response, elapsed = timed(
            lambda: client.post(
                "/api/incidents/",
                {"title": "Card payments failing", "team": "payments", "services": ["payments-api"]},
                format="json",
            )
        )
    print(f"\nhung broker: API write {elapsed:.2f}s")
    assert response.status_code == 201, response.content
    assert elapsed < ANSWER_WITHIN
    assert response["X-Background-Work"] == "delayed"
    assert Incident.objects.count() == 1
    assert PendingTask.objects.filter(name="incidents.tasks.correlate_incident").exists()
    assert hung.accepted


@pytest.mark.django_db(transaction=True)
def test_it_takes_an_alert_within_seconds_and_keeps_its_task_when_the_broker_hangs(api, team, catalog, hung):
    _, key = IntakeSource.objects.create_with_token(name="am", kind=IntakeKind.ALERTMANAGER, team=team)
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    now = timezone.now().isoformat()
    alert = {"status": "firing", "labels": {"alertname": "HighErrorRate", "service": "payments-api"}, "startsAt": now}
    body = {"version": "4", "status": "firing", "groupKey": "g1", "alerts": [alert], "commonLabels": alert["labels"]}
    with broker_and_cache_hung(hung.port):
        response, elapsed = timed(lambda: client.post("/api/intake/alertmanager/", body, format="json"))
    print(f"\nhung broker: intake {elapsed:.2f}s")
    assert response.status_code == 201, response.content
    assert elapsed < ANSWER_WITHIN
    assert response["X-Background-Work"] == "delayed"
    assert PendingTask.objects.exists()
