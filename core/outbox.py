"""Queue a task after commit without ever failing a write that committed (the transactional outbox).

`queue_after_commit(task, **kwargs)` sends the task once the current transaction commits (once,
however often it was queued with the same arguments). If the broker cannot be reached then, the
task is written to the PendingTask table instead, the request is marked so the page or API can say
the background part is delayed, and the periodic
`requeue_pending_tasks` (or `manage.py requeue_pending_tasks`) sends it when the broker is back.
"""

import contextvars
import time
from functools import partial

import structlog
from django.db import transaction

log = structlog.get_logger("hindsight.outbox")

# Set during a request when some of its background work could not be queued (see BackgroundWorkMiddleware).
background_delayed = contextvars.ContextVar("background_delayed", default=False)


# After a send failed, later sends in this process skip the broker for this many seconds and keep their
# task at once: a broker that hangs would otherwise cost every task of a write a whole socket timeout.
SKIP_BROKER_AFTER_FAILURE = 5.0
_last_failure = None  # time.monotonic() of this process's last failed send


def broker_recently_failed():
    return _last_failure is not None and time.monotonic() - _last_failure < SKIP_BROKER_AFTER_FAILURE


def send_or_keep(name, args=(), kwargs=None, *, even_if_recently_failed=False):
    """Send the task now; if the broker is unreachable, keep it in the outbox. Return True if sent.

    Within seconds of a failed send the broker is not tried again (unless `even_if_recently_failed`):
    the task is kept at once.
    """
    global _last_failure
    from config.celery import TEMPORARY_ERRORS, app

    kwargs = kwargs or {}
    if app.conf.task_always_eager:
        # Autodiscovery is lazy: a task named here may live in a module this process never imported.
        if name not in app.tasks:
            app.loader.import_default_modules()
        app.tasks[name].apply(args=args, kwargs=kwargs, throw=app.conf.task_eager_propagates)
        return True
    if broker_recently_failed() and not even_if_recently_failed:
        keep(name, args, kwargs, error="The broker failed moments ago; not tried again yet.")
        return False
    try:
        # No publish retries: a broker that refuses now goes to the outbox at once, not after seconds.
        app.send_task(name, args=list(args), kwargs=kwargs, retry=False)
    except TEMPORARY_ERRORS as exc:
        _last_failure = time.monotonic()
        keep(name, args, kwargs, error=str(exc))
        return False
    _last_failure = None
    return True


def keep(name, args, kwargs, *, error):
    """Write the task to the outbox (once: a task queued twice in one transaction runs once later)."""
    from core.models import PendingTask

    if not PendingTask.objects.filter(name=name, args=list(args), kwargs=kwargs).exists():
        PendingTask.objects.create(name=name, args=list(args), kwargs=kwargs, last_error=error[:500])
    background_delayed.set(True)
    log.warning("task_kept_for_later", task=name, error=error.splitlines()[0][:200] if error else "")


def queue_after_commit(task, *args, **kwargs):
    """Send task(*args, **kwargs) once the current transaction commits (see the module docstring).

    Queued again with the same arguments before then, it is sent once: run after the commit, one run
    sees every change the transaction made.
    """
    key = ("task", task.name, repr(args), repr(sorted(kwargs.items())))
    on_commit_collect(key, (), lambda _: send_or_keep(task.name, args, kwargs))


def on_commit_collect(key, items, work):
    """Call work(items) once the current transaction commits, with all the items collected under key until then.

    However often this is called in one transaction, work runs once (a thousand saves: one call).
    Every call registers a callback, because one registered in a savepoint that rolls back is dropped;
    the first callback to run takes the items, the others find none left.
    """
    _collected(transaction.get_connection()).setdefault(key, set()).update(items)
    transaction.on_commit(partial(run_collected, key, work))


def drop_collected(key):
    """Forget what the current transaction collected under key: work done since has made it needless."""
    _collected(transaction.get_connection()).pop(key, None)


def _collected(connection):
    """{key: items} of the current transaction. A new outermost atomic block starts afresh: what a transaction
    that rolled back collected is not carried into the next one. Outside any block (autocommit, or the
    callbacks of a commit running) the last transaction's items are kept for its callbacks still to run."""
    outermost = connection.atomic_blocks[0] if connection.atomic_blocks else None
    state = connection.__dict__.get("hindsight_on_commit")
    if state is None or (outermost is not None and state[0] is not outermost):
        state = connection.__dict__["hindsight_on_commit"] = (outermost, {})
    return state[1]


def run_collected(key, work):
    state = transaction.get_connection().__dict__.get("hindsight_on_commit")
    items = state[1].pop(key, None) if state else None
    if items is not None:
        work(items)
