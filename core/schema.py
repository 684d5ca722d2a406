"""The OpenAPI schema's answers for errors, so clients (and the API fuzz test) know every status code.

drf-spectacular documents only the success answer of each operation. This schema class adds the
error answers our views give, unless a view already documents that code itself.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

WRITE_METHODS = {"POST", "PUT", "PATCH"}


class ErrorSerializer(serializers.Serializer):
    """An error that is not about one field."""

    detail = serializers.CharField(help_text="What went wrong, in words.")


class ValidationErrorSerializer(serializers.Serializer):
    """Bad input: each field name maps to its messages; `non_field_errors` holds the rest."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        ref_name = "ValidationError"


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self.error_responses().items():
            responses.setdefault(code, self._get_response_for_code(response, code, direction=direction))
        return responses

    def error_responses(self):
        """The error answers this operation can give: code → OpenApiResponse."""
        errors = {}
        reads_input = self.method in WRITE_METHODS or self._is_list_view()
        if reads_input:
            errors["400"] = OpenApiResponse(
                ValidationErrorSerializer, description="Bad input: field errors. Nothing was written."
            )
        if self.method in WRITE_METHODS:
            errors["415"] = OpenApiResponse(
                ErrorSerializer,
                description="A body of a media type the operation does not read, or one that is malformed.",
            )
        if not all(permission is AllowAny for permission in self.view.permission_classes):
            errors["401"] = OpenApiResponse(ErrorSerializer, description="No valid token.")
            errors["403"] = OpenApiResponse(ErrorSerializer, description="Your role does not allow this.")
        if "{" in self.path or self._is_list_view():
            errors["404"] = OpenApiResponse(
                ErrorSerializer, description="No such record (or page), or one you may not see."
            )
        if self.method == "DELETE":
            errors["409"] = OpenApiResponse(
                ErrorSerializer, description="Other records still refer to this one; nothing was deleted."
            )
        if any(parameter["name"] == "If-Match" for parameter in self._get_parameters()):
            errors["412"] = OpenApiResponse(
                ErrorSerializer, description="Someone saved since you read it (If-Match is stale); GET it again."
            )
            errors["428"] = OpenApiResponse(ErrorSerializer, description="Send the ETag you read in If-Match.")
        return errors
