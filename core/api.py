"""API-wide helpers: the exception handler, and the serializer base that runs the model's rules."""

import copy

import structlog
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.concurrency import StaleEdit, claim_version, etag
from core.models import update_fields_for

log = structlog.get_logger("hindsight.api")

BAD_VALUE = (
    "A value in this request cannot be stored or searched for: "
    "check for NUL characters and for dates or time zone offsets out of range."
)


# What the schema says of a field naming a person by username. Without it the schema repeats the user
# model's own help text ("Required. 150 characters or fewer…") on fields that are optional.
PERSON_HELP = "A person's username, or null for nobody."


def person_field(**kwargs):
    """A field naming a person by username: read-only, or writable as any user's username."""
    if not kwargs.get("read_only"):
        kwargs.setdefault("queryset", get_user_model().objects.all())
    return serializers.SlugRelatedField(slug_field="username", help_text=PERSON_HELP, **kwargs)


def created_or_repeated(serializer, *, repeat):
    """The schema's answers of an idempotent POST: 201 with what it created, or 200 with the record of a repeat
    (`repeat` says which record that is)."""
    return {201: serializer, 200: OpenApiResponse(serializer, description=repeat)}


class Conflict(APIException):
    status_code = 409
    default_detail = "This conflicts with the current state of the record."
    default_code = "conflict"


def exception_handler(exc, context):
    """DRF's handler, plus: Django's ValidationError from model rules becomes a 400 with field
    errors, deleting a record others still point at becomes a 409 naming what blocks it, and a value
    the database refuses to store or compare (a NUL character, a time zone offset PostgreSQL does not
    accept) becomes a 400 instead of a 500."""
    from django.db import DataError
    from django.db.models import ProtectedError, RestrictedError

    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(field_errors(exc))
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


class ValidatedModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that holds writes to the model's own rules, as a ModelForm does.

    `validate()` builds the instance as it would be after this write (a copy of the stored one with
    the new values, or a new one), runs its `full_clean()` (field validators and `Model.clean()`),
    and then `Model.clean_many_to_many(values)` when the model has rules about its many-to-many
    fields (those cannot live in `clean()`, which runs before they are saved). Errors come back per
    field, as a 400. So a rule written once on the model holds for pages, the API and the admin.

    Like a ModelForm, field validation skips model fields this serializer does not write; `clean()`
    always runs. To extend:
    - `instance_defaults()`: values the view sets on save (the review named in the URL, say), so
      `clean()` sees them on a new instance;
    - `update()` saves only the fields the request sent (`update_fields`); a subclass that pops
      nested data does so and calls `super().update()`;
    - `validate()`: call `super().validate(attrs)` and add what only the API needs (a read-only
      field, an immutable field); rules that hold everywhere belong on the model;
    - `checks_model_uniqueness = True` (with `Meta.validators = []`): the model's unique fields and
      constraints are checked too, so a duplicate gets the model's own message.
    """

    checks_model_uniqueness = False

    def update(self, instance, validated_data):
        """Write only the fields this request sent (and their many-to-many values), not the whole row."""
        many_to_many = {field.name for field in instance._meta.many_to_many}
        related = {name: validated_data.pop(name) for name in list(validated_data) if name in many_to_many}
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save(update_fields=update_fields_for(instance, validated_data))
        for name, value in related.items():
            getattr(instance, name).set(value)
        return instance

    def instance_defaults(self):
        """Field values a new instance gets from the view rather than from the request."""
        return {}

    def would_be_instance(self, attrs):
        """The instance as it would be after this write (not saved), and its many-to-many values."""
        model = self.Meta.model
        many_to_many = {field.name for field in model._meta.many_to_many}
        concrete = {field.name for field in model._meta.concrete_fields}
        values = {name: value for name, value in attrs.items() if name in concrete}
        if self.instance is None:
            instance = model(**{**self.instance_defaults(), **values})
        else:
            instance = copy.copy(self.instance)
            for name, value in values.items():
                setattr(instance, name, value)
        related = {}
        for name in many_to_many:
            if name in attrs:
                related[name] = list(attrs[name])
            elif self.instance is not None and self.instance.pk is not None:
                related[name] = list(getattr(self.instance, name).all())
            else:
                related[name] = []
        return instance, related

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance, related = self.would_be_instance(attrs)
        written = {field.source for field in self._writable_fields}
        exclude = [field.name for field in instance._meta.fields if field.name not in written]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            if self.checks_model_uniqueness:
                # Every field, not only those written: a PATCH of `name` must still meet (service, name).
                instance.validate_unique()
                instance.validate_constraints()
            if hasattr(instance, "clean_many_to_many"):
                instance.clean_many_to_many(related)
        except DjangoValidationError as error:
            raise serializers.ValidationError(field_errors(error)) from error
        return attrs


def field_errors(error):
    """A Django ValidationError as DRF's field errors (`__all__` becomes `non_field_errors`)."""
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name): messages
        for name, messages in error.message_dict.items()
    }
