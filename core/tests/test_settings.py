"""Settings come from the environment; a bad value stops start-up with a message naming the variable."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config import env

# Every variable the settings read, so a test's environment holds only what the test sets.
SETTINGS_VARIABLES = [
    "DEBUG",
    "HINDSIGHT_TESTING",
    "HINDSIGHT_DEMO",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_TASK_SOFT_TIME_LIMIT",
    "CELERY_TASK_TIME_LIMIT",
    "CELERY_VISIBILITY_TIMEOUT",
    "CELERY_MAX_DELIVERIES",
    "CELERY_QUEUE",
    "REDIS_CACHE_URL",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_CONN_HEALTH_CHECKS",
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_STATEMENT_TIMEOUT",
    "DATABASE_WORKER_STATEMENT_TIMEOUT",
    "REDIS_CONNECT_TIMEOUT",
    "REDIS_SOCKET_TIMEOUT",
    "METRICS_TOKEN",
    "METRICS_ALLOWED_NETS",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "BEHIND_TLS_PROXY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser fixture; never in production
]

PRODUCTION = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "hindsight.example.com"}


def run_with(environment, *command):
    """Run a Python command with DJANGO_SETTINGS_MODULE=config.settings and only `environment` configured."""
    clean = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, *command],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def django_setup(environment):
    return run_with(environment, "-c", "import django; django.setup()")


def test_it_starts_with_a_complete_production_environment():
    completed = django_setup(PRODUCTION)
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize(
    ("environment", "variable"),
    [
        ({"ALLOWED_HOSTS": "hindsight.example.com"}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"DEBUG": "1", "CELERY_BROKER_URL": "amqp://guest:guest@localhost:5672//"}, "CELERY_BROKER_URL"),
        (
            {"DEBUG": "1", "CELERY_TASK_TIME_LIMIT": "300", "CELERY_VISIBILITY_TIMEOUT": "300"},
            "CELERY_VISIBILITY_TIMEOUT",
        ),
        ({"DEBUG": "1", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"SECRET_KEY": PRODUCTION["SECRET_KEY"]}, "ALLOWED_HOSTS"),
        ({"DEBUG": "1", "CELERY_TASK_TIME_LIMIT": "ten"}, "CELERY_TASK_TIME_LIMIT"),
        ({"DEBUG": "1", "DATABASE_CONN_MAX_AGE": "-1"}, "DATABASE_CONN_MAX_AGE"),
        ({"DEBUG": "1", "DATABASE_STATEMENT_TIMEOUT": "30s"}, "DATABASE_STATEMENT_TIMEOUT"),
        ({"DEBUG": "1", "REDIS_SOCKET_TIMEOUT": "0"}, "REDIS_SOCKET_TIMEOUT"),
    ],
    ids=[
        "secret-key-missing-in-production",
        "debug-not-a-boolean",
        "database-url-mysql",
        "broker-amqp",
        "visibility-timeout-not-longer-than-time-limit",
        "log-level-unknown",
        "allowed-hosts-missing-in-production",
        "time-limit-not-a-number",
        "connection-age-negative",
        "statement-timeout-with-a-unit",
        "redis-timeout-zero",
    ],
)
def test_it_refuses_a_bad_environment_naming_the_variable(environment, variable):
    completed = django_setup(environment)
    last_line = completed.stderr.strip().splitlines()[-1]
    assert completed.returncode != 0
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert variable in last_line


def test_it_passes_the_deployment_checklist_in_production():
    completed = run_with(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert completed.returncode == 0, completed.stdout + completed.stderr


# --- The readers themselves --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("ON", True), (" true ", True), ("0", False), ("off", False)]
)
def test_it_reads_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("HINDSIGHT_FLAG", raw)
    assert env.env_bool("HINDSIGHT_FLAG") is expected


def test_it_uses_the_default_for_an_unset_boolean(monkeypatch):
    monkeypatch.delenv("HINDSIGHT_FLAG", raising=False)
    assert env.env_bool("HINDSIGHT_FLAG", True) is True


def test_it_refuses_a_boolean_it_cannot_read(monkeypatch):
    monkeypatch.setenv("HINDSIGHT_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="HINDSIGHT_FLAG"):
        env.env_bool("HINDSIGHT_FLAG")


def test_it_reads_whole_numbers(monkeypatch):
    monkeypatch.setenv("HINDSIGHT_NUMBER", "42")
    assert env.env_int("HINDSIGHT_NUMBER", 1) == 42


def test_it_uses_the_default_for_an_empty_number(monkeypatch):
    monkeypatch.setenv("HINDSIGHT_NUMBER", " ")
    assert env.env_int("HINDSIGHT_NUMBER", 7) == 7


def test_it_refuses_a_number_it_cannot_read(monkeypatch):
    monkeypatch.setenv("HINDSIGHT_NUMBER", "4.5")
    with pytest.raises(ImproperlyConfigured, match="HINDSIGHT_NUMBER"):
        env.env_int("HINDSIGHT_NUMBER", 1)


def test_it_refuses_a_number_below_the_minimum(monkeypatch):
    monkeypatch.setenv("HINDSIGHT_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="HINDSIGHT_NUMBER must be at least 1"):
        env.env_int("HINDSIGHT_NUMBER", 5, minimum=1)


def test_it_reads_comma_separated_lists_ignoring_blanks(monkeypatch):
    monkeypatch.setenv("HINDSIGHT_LIST", " a.example.com, ,b.example.com ,")
    assert env.env_list("HINDSIGHT_LIST") == ["a.example.com", "b.example.com"]


def test_it_reads_a_postgresql_url():
    config = env.database_from_url("postgresql://hindsight:secret@db.internal:5433/hindsight")
    assert (config["ENGINE"], config["HOST"], config["PORT"], config["NAME"]) == (
        "django.db.backends.postgresql",
        "db.internal",
        5433,
        "hindsight",
    )


def test_it_refuses_a_database_url_without_a_database_name():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database_from_url("postgresql://db.internal:5432")


def test_it_refuses_a_database_url_of_another_kind():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database_from_url("mysql://x/y")


def test_it_runs_tasks_in_process_without_a_broker(monkeypatch):
    monkeypatch.setenv("HINDSIGHT_BROKER", "  ")
    assert env.broker_url("HINDSIGHT_BROKER") is None


def test_it_accepts_a_tls_redis_broker(monkeypatch):
    monkeypatch.setenv("HINDSIGHT_BROKER", "rediss://redis.internal:6380/0")
    assert env.broker_url("HINDSIGHT_BROKER") == "rediss://redis.internal:6380/0"


def test_it_refuses_a_broker_that_is_not_redis(monkeypatch):
    monkeypatch.setenv("HINDSIGHT_BROKER", "amqp://localhost//")
    with pytest.raises(ImproperlyConfigured, match="HINDSIGHT_BROKER"):
        env.broker_url("HINDSIGHT_BROKER")


TABLE = {"immediate_fix": {"sev1": 2, "sev2": 3}, "preventive": {"sev1": 90, "sev2": 90}}


def test_it_overrides_single_table_entries_from_json(monkeypatch):
    monkeypatch.setenv("DUE", '{"immediate_fix": {"sev1": 1}}')
    assert env.env_table_override("DUE", TABLE) == {
        "immediate_fix": {"sev1": 1, "sev2": 3},
        "preventive": {"sev1": 90, "sev2": 90},
    }


def test_it_leaves_the_defaults_alone_while_overriding(monkeypatch):
    monkeypatch.setenv("DUE", '{"immediate_fix": {"sev1": 1}}')
    env.env_table_override("DUE", TABLE)
    assert TABLE["immediate_fix"]["sev1"] == 2


@pytest.mark.parametrize(
    "raw",
    [
        '{"unknown": {"sev1": 1}}',
        '{"immediate_fix": {"sev9": 1}}',
        '{"immediate_fix": {"sev1": -1}}',
        '{"immediate_fix": {"sev1": "soon"}}',
        "[1, 2]",
        "{not json",
    ],
)
def test_it_refuses_a_table_override_it_cannot_use(monkeypatch, raw):
    monkeypatch.setenv("DUE", raw)
    with pytest.raises(ImproperlyConfigured, match="DUE"):
        env.env_table_override("DUE", TABLE)


def test_it_runs_management_commands_in_a_bare_checkout():
    # No SECRET_KEY means a developer's checkout: manage.py works without any environment.
    completed = run_with({}, "manage.py", "makemigrations", "--check", "--dry-run")
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_it_still_refuses_to_serve_without_a_secret_key():
    completed = run_with({"ALLOWED_HOSTS": "hindsight.example.com"}, "-c", "import config.wsgi")
    assert "SECRET_KEY" in completed.stderr.strip().splitlines()[-1]


def installed_apps(environment):
    completed = run_with(
        environment,
        "-c",
        "import django; django.setup(); from django.conf import settings; print(settings.INSTALLED_APPS)",
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_it_leaves_the_demo_seeder_out_of_production():
    assert "'demo'" not in installed_apps(PRODUCTION)


def test_it_installs_the_demo_seeder_in_development_or_when_asked():
    assert "'demo'" in installed_apps({"DEBUG": "1"})
    assert "'demo'" in installed_apps({**PRODUCTION, "HINDSIGHT_DEMO": "1"})


# --- Connections: timeouts and reuse ------------------------------------------------------

SHOW_CONNECTIONS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default'], 'cache': s.CACHES['default'], "
    "'broker': s.CELERY_BROKER_TRANSPORT_OPTIONS, 'backend': [s.CELERY_REDIS_SOCKET_CONNECT_TIMEOUT, "
    "s.CELERY_REDIS_SOCKET_TIMEOUT]}, default=str))"
)


def connection_settings(environment):
    completed = run_with({"DEBUG": "1", **environment}, "-c", SHOW_CONNECTIONS)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


POSTGRES = {"DATABASE_URL": "postgresql://hindsight@db.internal:5432/hindsight"}


def test_it_gives_postgresql_connect_and_statement_timeouts_and_bounded_reuse_by_default():
    db = connection_settings(POSTGRES)["db"]
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (60, True)
    assert db["OPTIONS"]["connect_timeout"] == 3
    assert db["OPTIONS"]["options"] == "-c statement_timeout=30000"


def test_it_reads_postgresql_timeouts_and_reuse_from_the_environment():
    db = connection_settings(
        {
            **POSTGRES,
            "DATABASE_CONN_MAX_AGE": "0",
            "DATABASE_CONN_HEALTH_CHECKS": "off",
            "DATABASE_CONNECT_TIMEOUT": "7",
            "DATABASE_STATEMENT_TIMEOUT": "12",
        }
    )["db"]
    assert (db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"]) == (0, False)
    assert (db["OPTIONS"]["connect_timeout"], db["OPTIONS"]["options"]) == (7, "-c statement_timeout=12000")


def test_it_keeps_options_from_the_database_url_beside_the_statement_timeout():
    url = POSTGRES["DATABASE_URL"] + "?options=-c%20search_path%3Dhindsight&connect_timeout=9"
    db = connection_settings({"DATABASE_URL": url, "DATABASE_STATEMENT_TIMEOUT": "0"})["db"]
    assert (db["OPTIONS"]["connect_timeout"], db["OPTIONS"]["options"]) == (9, "-c search_path=hindsight")


def test_it_gives_the_broker_the_result_backend_and_the_cache_redis_timeouts():
    found = connection_settings({"CELERY_BROKER_URL": "redis://redis.internal:6379/0", "REDIS_SOCKET_TIMEOUT": "1.5"})
    assert found["cache"]["BACKEND"] == "core.cache.FailFastRedisCache"
    timeouts = {"socket_connect_timeout": 2.0, "socket_timeout": 1.5}
    assert found["cache"]["OPTIONS"] == timeouts
    assert timeouts.items() <= found["broker"].items()
    assert found["backend"] == [2.0, 1.5]


def test_it_lets_a_worker_statement_run_as_long_as_a_task():
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "from config.celery import allow_background_statements_their_time as f; f(); "
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    completed = run_with({"DEBUG": "1", **POSTGRES, "CELERY_TASK_TIME_LIMIT": "600"}, "-c", script)
    assert completed.stdout.strip().splitlines()[-1] == "-c statement_timeout=600000", completed.stderr


def metrics_access(environment):
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(bool(s.METRICS_TOKEN), [str(n) for n in s.METRICS_ALLOWED_NETS])"
    )
    completed = run_with({"DEBUG": "1", **environment}, "-c", script)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip().splitlines()[-1]


def test_it_serves_metrics_only_to_this_machine_unless_told():
    assert metrics_access({}) == "False ['127.0.0.0/8', '::1/128']"


def test_it_serves_metrics_to_any_address_with_a_token_or_to_the_networks_named():
    assert metrics_access({"METRICS_TOKEN": "t" * 32}) == "True ['0.0.0.0/0', '::/0']"
    assert metrics_access({"METRICS_ALLOWED_NETS": "10.0.0.0/8, fd00::/8"}) == "False ['10.0.0.0/8', 'fd00::/8']"


@pytest.mark.parametrize("environment", [{"METRICS_TOKEN": "short"}, {"METRICS_ALLOWED_NETS": "10.0.0.0/33"}])
def test_it_refuses_a_metrics_setting_it_cannot_use(environment):
    completed = django_setup({"DEBUG": "1", **environment})
    assert next(iter(environment)) in completed.stderr.strip().splitlines()[-1]
