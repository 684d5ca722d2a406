"""The Celery application, configured for at-least-once delivery.

- Tasks are acknowledged after they finish (acks_late), so a worker that dies
  mid-task leaves it on the queue; reject_on_worker_lost re-queues it when the
  worker process is killed.
- Redis re-delivers an unacknowledged task after the visibility timeout, which
  settings insist is longer than the hard time limit.
- Every task counts its deliveries; past CELERY_MAX_DELIVERIES it is dropped
  with an error log, so a task that kills its worker cannot loop forever.
- Tasks take ids and are queued with `delay_on_commit`, so a worker never sees
  a row its transaction has not committed yet; if the broker is unreachable at
  commit, the task waits in an outbox table and is sent when it is back
  (core/outbox.py): the write that committed still answers success.
- Only temporary errors (database or broker unreachable) are retried.
"""

import os

import structlog
from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import worker_init
from django.db.utils import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

log = structlog.get_logger("hindsight.tasks")

TEMPORARY_ERRORS = (OperationalError, InterfaceError, BrokerError)


class DeliveryCapExceeded(Exception):
    """A task was delivered more than CELERY_MAX_DELIVERIES times and was dropped unrun."""


def count_delivery(task_id):
    """Record one more delivery of task_id and return how many there have been."""
    from django.conf import settings
    from django.core.cache import cache

    key = f"celery-deliveries:{task_id}"
    ttl = settings.CELERY_VISIBILITY_TIMEOUT * (settings.CELERY_MAX_DELIVERIES + 1)
    cache.add(key, 0, timeout=ttl)
    return cache.incr(key)


class HindsightTask(DjangoTask):
    """Base task: retries temporary errors with backoff and drops poisoned deliveries."""

    autoretry_for = TEMPORARY_ERRORS
    max_retries = 5
    retry_backoff = True
    retry_backoff_max = 300
    retry_jitter = True

    def __call__(self, *args, **kwargs):
        from django.conf import settings

        if not self.request.is_eager and self.request.id:
            deliveries = count_delivery(self.request.id)
            if deliveries > settings.CELERY_MAX_DELIVERIES:
                log.error("task_dropped", task=self.name, task_id=self.request.id, deliveries=deliveries)
                # A failure, not a success: the work was not done. Not a temporary error, so no retry;
                # acknowledged, so not delivered again.
                raise DeliveryCapExceeded(f"{self.name} dropped after {deliveries} deliveries")
        return super().__call__(*args, **kwargs)

    def delay_on_commit(self, *args, **kwargs):
        """Queue after commit; with the broker unreachable then, keep the task for later (core.outbox)."""
        from core.outbox import queue_after_commit

        queue_after_commit(self, *args, **kwargs)


app = Celery("hindsight", task_cls=HindsightTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def allow_background_statements_their_time(**kwargs):
    """A worker's statements may run as long as a task may (DATABASE_WORKER_STATEMENT_TIMEOUT), not only as long
    as a web request's (DATABASE_STATEMENT_TIMEOUT). Runs before the worker connects or forks its pool."""
    from django.conf import settings

    from config.env import with_statement_timeout

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        database["OPTIONS"] = with_statement_timeout(database["OPTIONS"], settings.DATABASE_WORKER_STATEMENT_TIMEOUT)
