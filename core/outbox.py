"""Queue a task after commit without ever failing a write that committed (the transactional outbox).

`queue_after_commit(task, **kwargs)` sends the task once the current transaction commits. If the
broker cannot be reached then, the task is written to the PendingTask table instead, the request is
marked so the page or API can say the background part is delayed, and the periodic
`requeue_pending_tasks` (or `manage.py requeue_pending_tasks`) sends it when the broker is back.
"""

import contextvars

import structlog
from django.db import transaction

log = structlog.get_logger("hindsight.outbox")

# Set during a request when some of its background work could not be queued (see BackgroundWorkMiddleware).
background_delayed = contextvars.ContextVar("background_delayed", default=False)


def send_or_keep(name, args=(), kwargs=None):
    """Send the task now; if the broker is unreachable, keep it in the outbox. Return True if sent."""
    from config.celery import TEMPORARY_ERRORS, app
    from core.models import PendingTask

    kwargs = kwargs or {}
    if app.conf.task_always_eager:
        # Autodiscovery is lazy: a task named here may live in a module this process never imported.
        if name not in app.tasks:
            app.loader.import_default_modules()
        app.tasks[name].apply(args=args, kwargs=kwargs, throw=app.conf.task_eager_propagates)
        return True
    try:
        # No publish retries: a broker that refuses now goes to the outbox at once, not after seconds.
        app.send_task(name, args=list(args), kwargs=kwargs, retry=False)
    except TEMPORARY_ERRORS as exc:
        # One row per distinct task: a task queued twice in one transaction runs once later.
        if not PendingTask.objects.filter(name=name, args=list(args), kwargs=kwargs).exists():
            PendingTask.objects.create(name=name, args=list(args), kwargs=kwargs, last_error=str(exc)[:500])
        background_delayed.set(True)
        log.warning("task_kept_for_later", task=name, error=str(exc).splitlines()[0][:200])
        return False
    return True


def queue_after_commit(task, *args, **kwargs):
    """Send task(*args, **kwargs) once the current transaction commits (see the module docstring)."""
    transaction.on_commit(lambda: send_or_keep(task.name, args, kwargs))
