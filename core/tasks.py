from celery import shared_task
from django.db import OperationalError


@shared_task(ignore_result=False)
def ping():
    """Answer "pong": proves a worker is consuming the queue (used by the smoke test)."""
    return "pong"


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def refresh_search_documents(doc_type, object_ids):
    """Rewrite these objects' search documents from their feed (see core.search); safe to run twice."""
    from core import search

    search.reindex(doc_type, object_ids)
