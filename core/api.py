"""API-wide helpers: the exception handler and conditional-write support."""

import structlog
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.concurrency import StaleEdit, claim_version, etag

log = structlog.get_logger("hindsight.api")

BAD_VALUE = (
    "A value in this request cannot be stored or searched for: "
    "check for NUL characters and for dates or time zone offsets out of range."
)


class Conflict(APIException):
    status_code = 409
    default_detail = "This conflicts with the current state of the record."
    default_code = "conflict"


def exception_handler(exc, context):
    """DRF's handler, plus: Django's ValidationError from model rules becomes a 400 with field
    errors, deleting a record others still point at becomes a 409 naming what blocks it, and a value
    the database refuses to store or compare (a NUL character, a time zone offset PostgreSQL does not
    accept) becomes a 400 instead of a 500."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.db import DataError
    from django.db.models import ProtectedError, RestrictedError

    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        blockers = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in blockers})
        exc = Conflict(f"Cannot delete this while {', '.join(kinds)} still refer to it; move or delete those first.")
    elif isinstance(exc, DataError):
        # Logged: if our own code ever produces such a value, it should not pass unnoticed as a 400.
        log.warning("api.data_error", error=str(exc).strip())
        exc = ValidationError({"non_field_errors": [BAD_VALUE]})
    return drf_exception_handler(exc, context)


class PreconditionFailed(ValidationError):
    status_code = 412


class PreconditionRequired(ValidationError):
    status_code = 428


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True, description="The ETag a GET of this record returned."
)


def require_if_match(request, instance):
    """Refuse a write that does not name the record's current ETag: 428 without If-Match, 412 if it is stale."""
    expected = request.headers.get("If-Match")
    noun = instance._meta.verbose_name
    if not expected:
        raise PreconditionRequired({"detail": f"Send the {noun}'s ETag in If-Match to change it."})
    if expected.strip() != etag(instance):
        raise PreconditionFailed(
            {"detail": f"Someone saved this {noun} since you read it; GET it again.", "current_etag": etag(instance)}
        )


class ConditionalUpdateMixin:
    """A viewset of a versioned record: GET of one answers with an ETag; PUT and PATCH must send it in If-Match.

    The update claims the version before it saves, so of two writes naming one ETag only the first succeeds.
    """

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return Response(self.get_serializer(instance).data, headers={"ETag": etag(instance)})

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        require_if_match(request, instance)
        try:
            with transaction.atomic():
                claim_version(instance, instance.version)
                response = super().update(request, *args, **kwargs)
        except StaleEdit:
            raise PreconditionFailed({"detail": "Someone saved this since you read it; GET it again."}) from None
        response["ETag"] = etag(type(instance)._default_manager.get(pk=instance.pk))
        return response

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)
