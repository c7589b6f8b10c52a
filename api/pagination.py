from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class PortalCursorPagination(CursorPagination):
    """Cursor pages (`next`/`previous` links): stable under inserts, and the cost of a page
    does not grow with how far into the list it is. `?page_size=` up to 200; more is a 400,
    not a silent cut."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering: tuple[str, ...] = ("-created_at", "-pk")

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        message = _("A page holds between 1 and %(max)d rows.") % {"max": self.max_page_size}
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({self.page_size_query_param: [message]}) from None
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [message]})
        return size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters


class ConversationCursorPagination(PortalCursorPagination):
    """The inbox's order: the latest message first."""

    ordering = ("-last_message_at", "-pk")


class IdCursorPagination(PortalCursorPagination):
    """For lists without a creation date of their own: in the order rows were made."""

    ordering = ("pk",)
