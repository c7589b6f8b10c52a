"""Query parameters are checked by the same forms the pages filter with: the API and the
page cannot disagree on what a filter means. Where a page ignores a bad value, the API
answers 400 with the form's errors."""

from typing import Any, TypeVar, cast

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

F = TypeVar("F", bound=forms.BaseForm)


def checked(form: F) -> F:
    """The form, bound to the query; ValidationError (400) with its errors if it is invalid."""
    if not form.is_valid():
        raise ValidationError(
            {
                ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
                for name, messages in form.errors.items()
            }
        )
    return form


def _parameter(name: str, field: forms.Field) -> OpenApiParameter:
    kind: Any = OpenApiTypes.STR
    enum = None
    if isinstance(field, forms.DateField):
        kind = OpenApiTypes.DATE
    elif isinstance(field, forms.IntegerField):
        kind = OpenApiTypes.INT
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = cast("list[tuple[Any, Any]]", list(cast(Any, field.choices)))
        enum = [str(value) for value, _label in choices if value != ""] or None
    return OpenApiParameter(
        name, kind, OpenApiParameter.QUERY, required=False, enum=enum,
        description=str(field.help_text or field.label or ""),
    )  # fmt: skip


def form_parameters(
    form_class: type[forms.Form], *, extra: dict[str, forms.Field] | None = None,
    skip: frozenset[str] = frozenset(), descriptions: dict[str, str] | None = None,
) -> list[OpenApiParameter]:  # fmt: skip
    """The form's fields as OpenAPI query parameters (fields a form adds in __init__ come
    in `extra`)."""
    fields = {**form_class.base_fields, **(extra or {})}
    parameters = []
    for name, field in fields.items():
        if name in skip:
            continue
        parameter = _parameter(name, field)
        if descriptions and name in descriptions:
            parameter.description = descriptions[name]
        parameters.append(parameter)
    return parameters
