"""Work queued in a transaction runs once at its commit: a task queued twice is sent once, search refreshes of
one type go in one task, a savepoint that rolls back does not lose what was queued after it, and a transaction
that rolled back leaves nothing for the next."""

from contextlib import suppress
from unittest import mock

import pytest
from django.db import transaction

from core import search
from core.outbox import drop_collected, on_commit_collect
from core.tasks import ping


@pytest.fixture
def sent():
    with mock.patch("core.outbox.send_or_keep") as send_or_keep:
        yield send_or_keep


def collect_then_roll_back(items, run):
    """Collect items under "key" in an atomic block that then rolls back (a savepoint, or an outermost transaction)."""
    with suppress(RuntimeError), transaction.atomic():
        on_commit_collect("key", items, run)
        raise RuntimeError


@pytest.mark.django_db
def test_it_sends_a_task_queued_twice_with_the_same_arguments_once(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ping.delay_on_commit()
        ping.delay_on_commit()

    sent.assert_called_once_with(ping.name, (), {})


@pytest.mark.django_db
def test_it_sends_a_task_queued_with_other_arguments_again(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ping.delay_on_commit(1)
        ping.delay_on_commit(2)

    assert [call.args for call in sent.call_args_list] == [(ping.name, (1,), {}), (ping.name, (2,), {})]


@pytest.mark.django_db
def test_it_refreshes_the_documents_of_one_type_in_one_task(sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        search.queue_reindex("incident", 3)
        search.queue_reindex("incident", 1)
        search.queue_reindex("review", 2)
        search.queue_reindex("incident", 3)

    assert [call.kwargs["args"] for call in sent.call_args_list] == [("incident", [1, 3]), ("review", [2])]


@pytest.mark.django_db
def test_it_keeps_what_was_queued_after_a_savepoint_rolled_back(django_capture_on_commit_callbacks):
    collected = []
    with django_capture_on_commit_callbacks(execute=True):
        collect_then_roll_back([1], collected.append)
        on_commit_collect("key", [2], collected.append)

    # The rolled-back item comes too: work queued this way must be safe to run for nothing changed.
    assert collected == [{1, 2}]


@pytest.mark.django_db
def test_it_runs_the_work_of_each_commit(django_capture_on_commit_callbacks):
    collected = []
    for item in (1, 2):
        with django_capture_on_commit_callbacks(execute=True):
            on_commit_collect("key", [item], collected.append)

    assert collected == [{1}, {2}]


@pytest.mark.django_db(transaction=True)
def test_it_forgets_what_a_transaction_that_rolled_back_collected():
    collected = []
    collect_then_roll_back([1], collected.append)
    with transaction.atomic():
        on_commit_collect("key", [2], collected.append)

    assert collected == [{2}]


@pytest.mark.django_db(transaction=True)
def test_work_run_at_a_commit_may_collect_more_and_loses_nothing_still_waiting():
    collected = []

    def first(items):
        collected.append(("first", items))
        on_commit_collect("second", [3], lambda items: collected.append(("late", items)))  # autocommit: runs now

    with transaction.atomic():
        on_commit_collect("first", [1], first)
        on_commit_collect("second", [2], lambda items: collected.append(("second", items)))

    assert collected == [("first", {1}), ("late", {2, 3})]


@pytest.mark.django_db
def test_dropped_items_are_not_run_and_later_ones_are(django_capture_on_commit_callbacks):
    collected = []
    with django_capture_on_commit_callbacks(execute=True):
        on_commit_collect("key", [1], collected.append)
        drop_collected("key")
        on_commit_collect("key", [2], collected.append)
        on_commit_collect("other", [3], collected.append)
        drop_collected("missing")  # nothing collected under it: nothing happens

    assert collected == [{2}, {3}]
