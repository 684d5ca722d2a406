"""Request-wide middleware: request ids, and a clear 503 when a part is down."""

import re
import time
import uuid

import structlog
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, empty
from kombu.exceptions import OperationalError as BrokerError

log = structlog.get_logger("hindsight.request")

# Accept a caller's request id only if it looks like one, so logs stay clean.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give each request an id (the caller's X-Request-ID if sane), log it, return it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request.id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request.id)
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        log.info(
            "request",
            method=request.method,
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.monotonic() - started) * 1000, 1),
            user_id=loaded_user_id(request),
        )
        return response


def loaded_user_id(request):
    """The signed-in user's id if the request already loaded the user, else None.

    Logging must never query: during a database outage, loading the user from
    the session would turn the 503 into a 500.
    """
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    return getattr(user, "pk", None)


class BackgroundWorkMiddleware:
    """Say so when a committed write's background work could not be queued: it is kept and runs later.

    The answer carries `X-Background-Work: delayed`; a page also shows a note (on the page the
    write redirects to).
    """

    message = "Saved. The background work that follows (suspect deployments, checks) is delayed and will run shortly."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib import messages

        from core.outbox import background_delayed

        token = background_delayed.set(False)
        try:
            response = self.get_response(request)
            if background_delayed.get():
                response["X-Background-Work"] = "delayed"
                if not wants_json(request):
                    messages.warning(request, self.message)
        finally:
            background_delayed.reset(token)
        return response


def wants_json(request):
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


class ServiceUnavailableMiddleware:
    """Turn an unreachable database or broker into a 503 that names the part, never a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            part = "database"
        elif isinstance(exception, BrokerError):
            part = "task broker"
        else:
            return None
        log.error("dependency_unavailable", part=part, error=str(exception).splitlines()[0][:200])
        message = f"The {part} is unavailable. Nothing was saved; please try again shortly."
        if wants_json(request):
            response = JsonResponse({"detail": message, "unavailable": part}, status=503)
        else:
            # Rendered without the request: its context processors may need the database.
            response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
        response["Retry-After"] = "30"
        return response


class PrivateCacheMiddleware:
    """Mark what a signed-in person (or API token) was answered `Cache-Control: private`, unless the view said
    `private` or `no-store` itself: a shared cache between them and us must not keep a page of what they may
    see and hand it to someone else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if loaded_user_id(request) is not None and user.is_authenticated:
            directives = response.get("Cache-Control", "")
            if "private" not in directives and "no-store" not in directives:
                patch_cache_control(response, private=True)
        return response
