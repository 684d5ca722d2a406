"""API-wide helpers: the exception handler and conditional-write support."""

from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(APIException):
    status_code = 409
    default_detail = "This conflicts with the current state of the record."
    default_code = "conflict"


def exception_handler(exc, context):
    """DRF's handler, plus: Django's ValidationError from model rules becomes a 400 with field
    errors, and deleting a record others still point at becomes a 409 naming what blocks it."""
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.db.models import ProtectedError, RestrictedError
    from rest_framework.exceptions import ValidationError

    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        blockers = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in blockers})
        exc = Conflict(f"Cannot delete this while {', '.join(kinds)} still refer to it; move or delete those first.")
    return drf_exception_handler(exc, context)
