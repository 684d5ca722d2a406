"""Project-wide fixtures: personas, API clients, a real Celery worker, a real browser.

Personas follow the house style: each protected view and endpoint is tested
with an outsider who must be refused.
"""

import importlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.servers.basehttp import WSGIServer
from django.db.models.signals import post_migrate
from django.test.testcases import LiveServerThread
from rest_framework.test import APIClient

from accounts.models import ApiToken, Membership, Role, Team
from bench.server import stop
from scripts.screenshots import CHROMIUM, CHROMIUM_ARGS

IN_CI = os.environ.get("CI", "").lower() == "true"
BASE_DIR = Path(__file__).resolve().parent


def _is_postgres():
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    """On SQLite, leave PostgreSQL and worker tests to the PostgreSQL pass (deselected, not skipped). Tests
    marked `long` go first: in a parallel run (make test) one process starts on them while the others share
    the rest, instead of all waiting at the end for the one that drew them last."""
    if not _is_postgres():
        keep, later = [], []
        for item in items:
            (later if item.get_closest_marker("postgres") or item.get_closest_marker("worker") else keep).append(item)
        if later:
            config.hook.pytest_deselected(items=later)
            items[:] = keep
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


def missing_service(reason):
    """A service a test needs is not there: a failure in CI, a skip on a laptop."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing service is a failure)")
    pytest.skip(reason)


# The data migrations that seed rows (the root-cause taxonomy; fault types and tier policies), in order.
SEEDING_MIGRATIONS = [
    "postmortems.migrations.0003_seed_root_cause_classes",
    "failure_catalog.migrations.0002_seed_fault_types_and_tier_policies",
]


def seed_again(**kwargs):
    """Put back the rows the data migrations seed once a transactional test's flush has emptied every table, as
    Django puts back content types then (post_migrate): whatever ran before it in its process, a test finds
    the database as `migrate` leaves it."""
    for name in SEEDING_MIGRATIONS:
        importlib.import_module(name).seed(apps, None)


post_migrate.connect(seed_again, sender=apps.get_app_config("failure_catalog"), dispatch_uid="conftest.seed_again")


@pytest.fixture(autouse=True)
def forget_failed_dependencies():
    """A broker or cache a test made fail is tried again at once by the next test (see core.outbox, core.cache)."""
    yield
    import core.cache
    import core.outbox

    core.cache._last_failure = core.outbox._last_failure = None


def run_in_fresh_process(script, *args, **environment):
    """Run a Python script with args in a new process under the test settings and `environment` (no broker or
    cache unless it names them); return the JSON of the last line it printed."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", **environment}
    for name in ("CELERY_BROKER_URL", "REDIS_CACHE_URL"):
        if name not in environment:
            env.pop(name, None)
    completed = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- Personas ------------------------------------------------------------------


@pytest.fixture
def team(db):
    return Team.objects.create(name="Payments", slug="payments")


@pytest.fixture
def other_team(db):
    return Team.objects.create(name="Search", slug="search")


def _member(username, team, role, **extra):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)
    if team is not None:
        Membership.objects.create(user=user, team=team, role=role)
    return user


@pytest.fixture
def admin(team):
    return _member("ada-admin", team, Role.ADMIN, is_superuser=True, is_staff=True)


@pytest.fixture
def lead(team):
    return _member("lee-lead", team, Role.LEAD)


@pytest.fixture
def responder(team):
    return _member("rae-responder", team, Role.RESPONDER)


@pytest.fixture
def other_responder(other_team):
    """A responder of another team: may write that team's records, never `team`'s."""
    return _member("sid-search", other_team, Role.RESPONDER)


@pytest.fixture
def viewer(team):
    return _member("vic-viewer", team, Role.VIEWER)


@pytest.fixture
def outsider(db):
    return _member("otto-outsider", None, None)


@pytest.fixture
def api():
    """Return a function giving an API client authenticated as a user (or anonymous for None)."""

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            _, key = ApiToken.objects.create_with_token(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return client_for


# --- A real Celery worker ----------------------------------------------------------


def _database_url_for_worker():
    db = settings.DATABASES["default"]
    if not _is_postgres():
        pytest.fail("The celery_worker fixture needs PostgreSQL (mark the test with @pytest.mark.worker).")
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgresql://{user}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def celery_worker(transactional_db):
    """Run a real Celery worker process against Redis and the test database, on a queue of its own.

    Tasks sent during the test go to that worker instead of running in-process.
    """
    from bench.server import start_solo_worker
    from config.celery import app

    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        missing_service("CELERY_BROKER_URL is not set; a real worker needs Redis")
    try:
        app.connection_for_write().ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        missing_service(f"Redis at {broker} is not reachable: {exc}")
    queue = f"hindsight-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "HINDSIGHT_TESTING": "1",
        "DATABASE_URL": _database_url_for_worker(),
        "CELERY_QUEUE": queue,
        "LOG_LEVEL": "INFO",
    }
    log_path = BASE_DIR / "var" / f"worker-{queue}.log"
    log_path.parent.mkdir(exist_ok=True)
    with open(log_path, "w") as log:
        process = start_solo_worker(queue, env=env, log=log)
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not start; see {log_path}:\n{log_path.read_text()[-3000:]}")
        yield process
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        stop(process)


# --- A real browser ----------------------------------------------------------------


class OneRequestAtATimeServer(WSGIServer):
    """The live server for an in-memory SQLite database, which it shares with the test as one connection: a
    threaded server would use that connection from several request threads at once, and under load one
    thread's commit meets another's ("cannot commit - no transaction is active"). This one answers one
    request at a time (closing each connection, as Django's server does when it is not threaded)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        # Requests run in the server's own thread, where LiveServerThread.run() has installed those connections.
        super().__init__(*args, **kwargs)


def pytest_configure(config):
    if not _is_postgres():
        LiveServerThread.server_class = OneRequestAtATimeServer


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        missing_service("Chromium is not installed (Debian package: chromium)")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def page_as(browser, live_server):
    """Return a function opening a signed-in browser page for a user at a viewport width.

    The page fails the test on any Content-Security-Policy violation or console error.
    """
    pages = []

    def open_page(user, *, width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server.url)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
        page.goto("/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", "pw-" + user.username)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        errors = page.console_errors
        page.context.close()
        assert not errors, f"browser console errors: {errors}"


def wait_until(page, expression, *, seconds=5):
    """Poll a JavaScript expression until true (wait_for_function would need eval, which the CSP forbids)."""
    for _ in range(seconds * 20):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {expression}")


def screenshot(page, name):
    """Save a screenshot under test-artifacts/ for people to look at."""
    directory = BASE_DIR / "test-artifacts"
    directory.mkdir(exist_ok=True)
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True, caret="initial")


AXE = BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js"
# axe-core's result, cut to what a failure message needs: each violation with the first nodes it found.
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.impact} ${v.id}: ${v.help}\\n` + v.nodes.slice(0, 3)
      .map(n => `    ${n.target.join(" ")}: ${n.failureSummary.replace(/\\s+/g, " ")}`).join("\\n"));
}"""


def assert_accessible(page):
    """Run axe-core (static/vendor/axe-core) on the page as it is now; fail on a serious or critical violation.

    The script is evaluated through the browser's debugging protocol, not added as a <script>: the
    page's Content-Security-Policy rightly refuses an inline script, and no page links the file.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    violations = page.evaluate(AXE_RUN)
    assert not violations, f"axe-core on {page.url}:\n" + "\n".join(violations)


@pytest.fixture
def page_within(client, django_assert_max_num_queries):
    """Return a function: the page at `path` (with query `params`) as `user` gets it, failing the test if it took
    more than `queries` database queries (signing in is not counted)."""

    def get(user, path, params=None, *, queries):
        client.force_login(user)
        with django_assert_max_num_queries(queries):
            return client.get(path, params)

    return get


def if_match(client, path):
    """The If-Match header a write to a versioned record needs: the ETag a GET of it returns now."""
    return {"HTTP_IF_MATCH": client.get(path)["ETag"]}


def posted(form, **changes):
    """What a browser posts for a form as the page shows it, with `changes` typed over it."""
    data = {}
    for field in form:
        value = field.value()
        if field.widget_type == "checkbox":
            if value:
                data[field.html_name] = "on"
            continue
        formatted = field.field.widget.format_value(value)
        data[field.html_name] = "" if formatted is None else formatted
    data.update(changes)
    return data


def opened_form(client, user, path):
    """The form of the page at path as `user` opened it (to post later, as a browser would)."""
    client.force_login(user)
    return client.get(path).context["form"]


# --- Races -----------------------------------------------------------------------


def race(*steps, timeout=60):
    """Run each step in its own thread and database connection, released together; return what each
    returned or raised, in order. For PostgreSQL tests with `transactional_db` (SQLite has one writer)."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(steps))
    outcomes = [None] * len(steps)

    def run(index, step):
        try:
            barrier.wait()
            outcomes[index] = step()
        except Exception as error:  # the test decides which refusals are fine
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, step)) for index, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
