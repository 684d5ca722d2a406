"""`make backup` and `make restore FILE=…`: a backup of a database holding incidents, a review with its chart,
actions, history and playbooks, restored into an empty database, holds every row.

SQLite runs in the SQLite pass (the online backup API); PostgreSQL (pg_dump / pg_restore) in the
PostgreSQL pass, restoring into a database of its own that the test creates and drops.
"""

import sqlite3
import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from actions.models import ActionItem
from incidents.models import Incident, TimelineEvent
from playbooks.models import Playbook
from postmortems.models import CausalFactor, CausalLink, Review
from services.models import Service

pytestmark = pytest.mark.django_db(transaction=True)  # committed: a backup sees what others see


@pytest.fixture
def story(admin, team):
    """An incident with its timeline, a review with a causal chart, actions, edits in history, a playbook."""
    service = Service.objects.create(name="Payments API", slug="payments-api", team=team)
    incident = Incident.objects.create(
        title="Card payments failing", team=team, started_at=timezone.now() - timedelta(hours=3)
    )
    incident.services.set([service])
    TimelineEvent.objects.create(incident=incident, text="Error rate above 5%", occurred_at=incident.started_at)
    review = Review.objects.create(incident=incident, owner=admin, summary="Pool limit removed.")
    cause = CausalFactor.objects.create(review=review, description="Config push", is_root_cause=True)
    effect = CausalFactor.objects.create(review=review, description="Checkout 500s", is_symptom=True)
    CausalLink.objects.create(review=review, cause=cause, effect=effect)
    for category in ("corrective", "preventive"):
        ActionItem.objects.create(review=review, team=team, category=category, title=f"Cap the pool ({category})")
    review.summary = "Pool limit removed by a config push."
    review.save()  # a second history row
    Playbook.objects.create(title="Card payments failing", slug="card-payments", team=team, summary="Check the pool.")
    return incident


def row_counts(count):
    """{table: rows} for every model's table (history tables included), using count(table)."""
    return {model._meta.db_table: count(model._meta.db_table) for model in apps.get_models()}


def orm_counts():
    def count(table):
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            return cursor.fetchone()[0]

    return row_counts(count)


def assert_same_rows(before, after):
    for table in ("incidents_incident", "postmortems_review", "postmortems_causallink", "actions_actionitem"):
        assert before[table] > 0, table
    history = [table for table in before if "historical" in table]
    assert history
    assert sum(before[table] for table in history) > 0
    assert after == before


def test_it_restores_every_row_of_a_sqlite_backup_into_an_empty_database(story, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL pass runs test_it_restores_every_row_of_a_postgresql_backup")
    before = orm_counts()
    backup_file, restored = tmp_path / "hindsight.sqlite3", tmp_path / "restored.sqlite3"
    started = time.monotonic()
    call_command("backup", output=str(backup_file))
    call_command("restore", str(backup_file), database_url=f"sqlite:///{restored}")
    print(f"\nSQLite backup and restore: {time.monotonic() - started:.2f} s")

    with sqlite3.connect(restored) as database:
        after = row_counts(lambda table: database.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        title = database.execute("SELECT title FROM incidents_incident").fetchone()[0]
    assert_same_rows(before, after)
    assert title == story.title


def test_it_refuses_to_restore_over_a_database_that_is_not_empty(story, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite pass checks the refusal; pg_restore is told the same way")
    backup_file, restored = tmp_path / "hindsight.sqlite3", tmp_path / "restored.sqlite3"
    call_command("backup", output=str(backup_file))
    call_command("restore", str(backup_file), database_url=f"sqlite:///{restored}")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup_file), database_url=f"sqlite:///{restored}")


@pytest.mark.postgres
def test_it_restores_every_row_of_a_postgresql_backup_into_an_empty_database(story, tmp_path):
    import psycopg

    database = connection.settings_dict
    server = {"host": database["HOST"] or "127.0.0.1", "port": database["PORT"] or 5432}
    server["user"] = database["USER"] or "postgres"
    empty = f"{database['NAME']}_restore"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin_connection:
        admin_connection.execute(f'DROP DATABASE IF EXISTS "{empty}"')
        admin_connection.execute(f'CREATE DATABASE "{empty}"')
    try:
        before = orm_counts()
        backup_file = tmp_path / "hindsight.dump"
        started = time.monotonic()
        call_command("backup", output=str(backup_file))
        url = f"postgresql://{server['user']}@{server['host']}:{server['port']}/{empty}"
        call_command("restore", str(backup_file), database_url=url)
        print(f"\nPostgreSQL backup and restore: {time.monotonic() - started:.2f} s")

        with psycopg.connect(dbname=empty, **server) as restored:

            def count(table):
                return restored.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

            after = row_counts(count)
            title = restored.execute("SELECT title FROM incidents_incident").fetchone()[0]
        assert_same_rows(before, after)
        assert title == story.title
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin_connection:
            admin_connection.execute(f'DROP DATABASE IF EXISTS "{empty}"')
