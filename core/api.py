"""API-wide helpers: the exception handler and conditional-write support."""

import structlog
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler

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
    from rest_framework.exceptions import ValidationError

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
