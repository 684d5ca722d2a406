"""Tasks: a real worker answers through Redis, and a poisoned task is dropped after too many deliveries."""

import uuid

import pytest
from django.conf import settings

from core.tasks import ping


def deliver(task, task_id):
    """Run task the way a worker runs one delivery of task_id (not eagerly), returning its result."""
    task.push_request(id=task_id, is_eager=False, delivery_info={"redelivered": True})
    try:
        return task()
    finally:
        task.pop_request()


def test_it_runs_a_task_until_it_was_delivered_too_often():
    task_id = str(uuid.uuid4())
    results = [deliver(ping, task_id) for _ in range(settings.CELERY_MAX_DELIVERIES + 2)]
    assert results == ["pong"] * settings.CELERY_MAX_DELIVERIES + [None, None]


def test_it_counts_deliveries_per_task_id():
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    for _ in range(settings.CELERY_MAX_DELIVERIES):
        deliver(ping, first)
    assert deliver(ping, second) == "pong"


def test_it_never_drops_a_task_run_in_process():
    assert [ping.delay().get() for _ in range(settings.CELERY_MAX_DELIVERIES + 1)][-1] == "pong"


@pytest.mark.worker
def test_it_gets_pong_from_a_real_worker(celery_worker):
    assert ping.delay().get(timeout=30) == "pong"


@pytest.mark.worker
def test_it_has_a_real_worker_drop_a_task_delivered_too_often(celery_worker):
    # Sending the same task id again is what a redelivery looks like to the worker.
    task_id = str(uuid.uuid4())
    results = []
    for _ in range(settings.CELERY_MAX_DELIVERIES + 1):
        result = ping.apply_async(task_id=task_id)
        results.append(result.get(timeout=30))
        result.forget()
    assert results == ["pong"] * settings.CELERY_MAX_DELIVERIES + [None]
