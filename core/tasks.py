from celery import shared_task


@shared_task(ignore_result=False)
def ping():
    """Answer "pong": proves a worker is consuming the queue (used by the smoke test)."""
    return "pong"
