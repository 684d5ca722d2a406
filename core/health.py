"""Liveness and readiness endpoints for load balancers and orchestrators, and the metrics Prometheus scrapes."""

import hmac
import ipaddress
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections, transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView


@transaction.non_atomic_requests
@require_GET
@never_cache
def healthz(request):
    """The process is alive and serving requests; checks nothing else."""
    return JsonResponse({"status": "ok"})


def check_database():
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")


def check_broker():
    # The project's Celery app (config/__init__.py makes it the current one): core imports no project module.
    from celery import current_app

    with current_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
        # A TCP connection proves little (a hung broker accepts them): ask it something and wait for the answer,
        # within the transport's socket timeout.
        client = getattr(connection.default_channel, "client", None)
        if client is not None:
            client.ping()


def outcome(check):
    """ "ok", or "unavailable: <error class>" (run in a thread of its own, with its own database connections)."""
    try:
        check()
    except Exception as exc:  # any failure to reach a part means "not ready"
        return f"unavailable: {type(exc).__name__}"
    finally:
        connections.close_all()
    return "ok"


@transaction.non_atomic_requests
@require_GET
@never_cache
def readyz(request):
    """The database and, when one is configured, the task broker answer; 503 naming the failing part otherwise."""
    checks = {"database": check_database}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = check_broker
    # At once, so a hung database and a hung broker cost their timeouts once, not one after the other.
    with ThreadPoolExecutor(max_workers=len(checks)) as pool:
        results = dict(zip(checks, pool.map(outcome, checks.values()), strict=True))
    ready = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": results}, status=200 if ready else 503
    )


@transaction.non_atomic_requests
@require_GET
@never_cache
def metrics(request):
    """Prometheus metrics, for callers from METRICS_ALLOWED_NETS bearing METRICS_TOKEN when one is set.

    401 without the token, 403 with a wrong one or from another address.
    """
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        address = None
    if address is None or not any(address in network for network in settings.METRICS_ALLOWED_NETS):
        return HttpResponse("Metrics are not served to this address.\n", status=403, content_type="text/plain")
    # A reverse proxy on this machine makes every caller look local: through one, only the token lets in.
    proxied = "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
    if proxied and not settings.METRICS_TOKEN:
        return HttpResponse("Metrics through a proxy need METRICS_TOKEN.\n", status=403, content_type="text/plain")
    if settings.METRICS_TOKEN:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            response = HttpResponse(
                "Send the metrics token as a Bearer token.\n", status=401, content_type="text/plain"
            )
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
        if not hmac.compare_digest(token.strip().encode(), settings.METRICS_TOKEN.encode()):
            return HttpResponse("Wrong metrics token.\n", status=403, content_type="text/plain")
    return ExportToDjangoView(request)
