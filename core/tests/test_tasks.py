"""Tasks: a real worker answers through Redis, and a poisoned task is dropped after too many deliveries."""

import uuid

import pytest
from django.conf import settings

from config.celery import DeliveryCapExceeded, count_delivery
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
    results = [deliver(ping, task_id) for _ in range(settings.CELERY_MAX_DELIVERIES)]
    assert results == ["pong"] * settings.CELERY_MAX_DELIVERIES
    with pytest.raises(DeliveryCapExceeded):  # reported as a failure, never as a success
        deliver(ping, task_id)


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
    # The worker counts deliveries in the shared Redis cache. Record the deliveries a
    # crash-looping task would have had, then deliver it once more: the worker drops it.
    # (Each task id is sent once, so no result of an earlier delivery can be read back.)
    task_id = str(uuid.uuid4())
    for _ in range(settings.CELERY_MAX_DELIVERIES):
        count_delivery(task_id)
    with pytest.raises(DeliveryCapExceeded):
        ping.apply_async(task_id=task_id).get(timeout=30)


@pytest.mark.worker
def test_it_has_a_real_worker_run_a_task_still_under_the_cap(celery_worker):
    task_id = str(uuid.uuid4())
    for _ in range(settings.CELERY_MAX_DELIVERIES - 1):
        count_delivery(task_id)
    assert ping.apply_async(task_id=task_id).get(timeout=30) == "pong"
