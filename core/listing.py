"""What every list page shares: search, sorting on whitelisted columns, pages and CSV."""

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django_scopes import get_scope
from django_scopes.state import state as scope_state

PAGE_SIZE = 25

_M = TypeVar("_M", bound=Model)
_QS = TypeVar("_QS", bound=QuerySet[Any, Any])


def paginate(
    request: HttpRequest, queryset: QuerySet[_M] | Sequence[_M], per_page: int = PAGE_SIZE
) -> Page[_M]:
    """The requested page; a page number out of range shows the last page, junk the first."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def apply_sort(
    request: HttpRequest, queryset: _QS, allowed: dict[str, str], default: str
) -> tuple[_QS, str]:
    """Order by `?sort=<key>` or `-<key>` when the key is whitelisted, else by the default."""
    requested = request.GET.get("sort", "")
    key = requested.removeprefix("-")
    if key in allowed:
        field = allowed[key]
        order = f"-{field}" if requested.startswith("-") else field
        return queryset.order_by(order, "pk"), requested
    return queryset.order_by(default, "pk"), ""


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse:
    """Stream a CSV download; the filename gets today's date."""
    writer = csv.writer(_Echo())
    # The rows are produced while the response streams, after the view (and the tenant
    # scope it ran in) has returned: each row is made inside that same scope again.
    request_scope = get_scope()

    def lines() -> Iterator[str]:
        yield "\ufeff"  # lets spreadsheet programs read UTF-8 names correctly
        yield writer.writerow(header)
        remaining = iter(rows)
        while True:
            token = scope_state.set(request_scope)
            try:
                row = next(remaining, None)
            finally:
                scope_state.reset(token)
            if row is None:
                return
            yield writer.writerow([_csv_safe(value) for value in row])

    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response


def csv_date(value: datetime | date | None) -> str:
    """ISO date for a CSV cell (a timestamp's local date); empty when there is none."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value.isoformat()


def csv_datetime(value: datetime | None) -> str:
    """ISO timestamp in local time, to the second, for a CSV cell; empty when there is none."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds")


def _csv_safe(value: object) -> object:
    """Neutralise spreadsheet formulas in user-entered text (CSV injection)."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return "" if value is None else value
