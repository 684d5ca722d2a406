from celery import shared_task
from django.db import OperationalError


@shared_task(ignore_result=False)
def ping():
    """Answer "pong": proves a worker is consuming the queue (used by the smoke test)."""
    return "pong"


@shared_task
def requeue_pending_tasks(limit=500):
    """Send the tasks kept while the broker was unreachable; return how many were sent."""
    from core.models import PendingTask
    from core.outbox import send_or_keep

    sent = 0
    for pending in PendingTask.objects.order_by("id")[:limit]:
        # Claim the row first (healthchecks' claim): two sweeps never send the same row.
        if PendingTask.objects.filter(pk=pending.pk).delete()[0] != 1:
            continue
        # The sweep is how the process learns the broker is back, so it tries even after a recent failure;
        # a failure (the task kept again) ends it: a broker that hangs would cost each row a socket timeout.
        if not send_or_keep(pending.name, pending.args, pending.kwargs, even_if_recently_failed=sent == 0):
            break
        sent += 1
    return sent


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def refresh_search_documents(doc_type, object_ids):
    """Rewrite these objects' search documents from their feed (see core.search); safe to run twice."""
    from core import search

    search.reindex(doc_type, object_ids)
