"""Fixtures for playbook tests: a runbook and a playbook of the persona team, and incidents to use them in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from incidents.conftest import alertmanager_source, catalog, send  # noqa: F401 - the intake's fixtures, shared
from incidents.models import Incident
from playbooks.choices import Kind
from playbooks.models import Playbook
from services.models import Service

POOL_RUNBOOK_BODY = """Check who holds the connections first.

1. Look at the pools on pgbouncer:
   ```
   psql -p 6432 pgbouncer -c 'SHOW POOLS;'
   ```
   Why: restarting pgbouncer in INC-1 dropped every in-flight payment.
2. Kill sessions idle in a transaction for more than five minutes.
3. Raise `default_pool_size` only if the pool is full of active queries.
"""


@pytest.fixture
def service(team):
    return Service.objects.create(name="Payments API", slug="payments-api", team=team, tier=1)


def make_playbook(*, team, services=(), classes=(), **fields):
    values = {"kind": Kind.RUNBOOK, "title": "A runbook", "slug": "a-runbook"}
    values.update(fields)
    playbook = Playbook.objects.create(team=team, **values)
    playbook.services.set(services)
    playbook.classes.set(classes)
    return playbook


@pytest.fixture
def runbook(team, service, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_playbook(
            team=team,
            services=[service],
            title="Database connection pool exhausted",
            slug="connection-pool-exhausted",
            summary="Find who holds the connections before raising the pool size.",
            symptoms=["requests time out waiting for a connection", "too many clients"],
            alert_names=["PgBouncerPoolSaturated"],
            warnings="Do not restart pgbouncer while payments are in flight.",
            body=POOL_RUNBOOK_BODY,
        )


@pytest.fixture
def incident(team, service):
    incident = Incident.objects.create(
        title="Payments failing: connection pool exhausted", team=team, started_at=timezone.now() - timedelta(hours=1)
    )
    incident.services.set([service])
    return incident
