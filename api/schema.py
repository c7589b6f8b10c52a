"""The OpenAPI schema: every operation documents its errors in the shape api.exceptions
answers with, and the permission it needs."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    code = serializers.CharField(required=False, help_text="A stable code for programs.")


class FieldErrorsSerializer(serializers.Serializer):
    """`{"<field>": ["message", …]}`; errors of the whole body under `non_field_errors`."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


ERRORS = {
    "400": OpenApiResponse(
        FieldErrorsSerializer,
        description="Bad input: each field with its errors, or `detail` for a refused change "
        "(a status the workflow does not allow). Nothing was changed.",
    ),
    "401": OpenApiResponse(
        ErrorSerializer,
        description="No key, or a key that is unknown, revoked or expired, or whose maker "
        "no longer holds the role it was made with.",
    ),
    "403": OpenApiResponse(
        ErrorSerializer,
        description="A read-only key on a write, or a role that may not do this "
        "(a sales rep changing an order's status).",
    ),
    "404": OpenApiResponse(
        ErrorSerializer,
        description="No such row, or one of another tenant, or one outside a sales rep's "
        "portfolio: all three answer the same.",
    ),
    "413": OpenApiResponse(ErrorSerializer, description="The request body is too large."),
    "429": OpenApiResponse(
        ErrorSerializer, description="Too many requests for this key: wait `Retry-After` seconds."
    ),
}
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404", "429"]
        if self.method in WRITE_METHODS:
            codes.append("413")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ERRORS[code], code)
        return responses
