"""What every list page shares: search, sorting on whitelisted columns, pages and CSV."""

import csv
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any, TypeVar

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_scopes import get_scope
from django_scopes.state import state as scope_state

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 25
MAX_SEARCH_LENGTH = 200
# Every export reads the same in every language (ISO 8601 dates and times from csv_date and
# csv_datetime, amounts as str(Decimal): a dot, no grouping), and says so in a response header
# that programs can check. The header row's column names are in the reader's language.
CSV_FORMAT = "dates=ISO-8601; decimal-separator=.; thousands-separator=none; charset=utf-8"
CSV_FORMAT_HEADER = "X-CSV-Format"
# The last row of an export that failed while it streamed.
EXPORT_FAILED = _("Export failed: the file is incomplete. Try again or contact support.")

logger = logging.getLogger(__name__)

# Control characters, the null byte among them: PostgreSQL refuses a NUL in any text
# parameter (a 500), and none of the others is ever part of a real search.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")

_M = TypeVar("_M", bound=Model)
_QS = TypeVar("_QS", bound=QuerySet[Any, Any])


# A list counts and pages through at most this many rows: the count and the deepest OFFSET
# stay bounded however long the tenant's history ("10,000+"; a filter or another sort
# reaches the rest), instead of a COUNT(*) and an OFFSET over every row on each page.
MAX_COUNTED = 10_000


class BoundedPaginator(Paginator):
    """A Paginator whose count stops at MAX_COUNTED (`capped` tells it stopped)."""

    capped = False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        found = self.object_list[: MAX_COUNTED + 1].count()
        if found > MAX_COUNTED:
            self.capped = True
            return MAX_COUNTED
        return found


def paginate(
    request: HttpRequest, queryset: QuerySet[_M] | Sequence[_M], per_page: int = PAGE_SIZE
) -> Page[_M]:
    """The requested page; a page number out of range shows the last page, junk the first.
    The count is bounded (`BoundedPaginator`)."""
    return BoundedPaginator(queryset, per_page).get_page(request.GET.get("page"))


def clean_search(value: str | None, *, max_length: int = MAX_SEARCH_LENGTH) -> str:
    """Search text as a query may use it: control characters (a null byte, say) become
    spaces, runs of white space one space, trimmed, and cut to `max_length` characters."""
    return " ".join(_CONTROL_CHARACTERS.sub(" ", value or "").split())[:max_length]


def search_query(request: HttpRequest, name: str = "q") -> str:
    """The search box of a list page (`?q=`), cleaned by `clean_search`.

    Every list that reads its search text straight from `request.GET` (not through a form,
    whose CharField refuses a null byte) reads it here."""
    return clean_search(request.GET.get(name))


def apply_sort(
    request: HttpRequest, queryset: _QS, allowed: dict[str, str], default: str
) -> tuple[_QS, str]:
    """Order by `?sort=<key>` or `-<key>` when the key is whitelisted, else by the default."""
    return apply_sort_params(request.GET, queryset, allowed, default)


def apply_sort_params(
    params: Mapping[str, str], queryset: _QS, allowed: dict[str, str], default: str
) -> tuple[_QS, str]:
    """`apply_sort` on query parameters kept apart from a request (a background export)."""
    requested = params.get("sort", "") or ""
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
    *, filename: str, header: "Sequence[StrOrPromise]", rows: Iterable[Sequence[object]]
) -> StreamingHttpResponse:
    """Stream a CSV download; the filename gets today's date.

    The rows are read while the response streams, long after the view answered 200. If one
    fails, the error is logged and the file ends with a row that says it is incomplete
    (`EXPORT_FAILED`), instead of stopping early as if it were whole.
    """
    writer = csv.writer(_Echo())
    # The rows are produced while the response streams, after the view (and the tenant
    # scope it ran in) has returned: each row is made inside that same scope again.
    request_scope = get_scope()

    def lines() -> Iterator[str]:
        yield "\ufeff"  # lets spreadsheet programs read UTF-8 names correctly
        yield writer.writerow(header)
        remaining = iter(rows)
        written = 0
        while True:
            token = scope_state.set(request_scope)
            try:
                row = next(remaining, None)
                line = None if row is None else writer.writerow([_csv_safe(v) for v in row])
            except Exception:
                logger.exception("CSV export %s failed after %d rows", filename, written)
                yield writer.writerow([str(EXPORT_FAILED)])
                return
            finally:
                scope_state.reset(token)
            if line is None:
                return
            written += 1
            yield line

    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    response[CSV_FORMAT_HEADER] = CSV_FORMAT
    return response


def csv_write(
    stream: IO[str],
    *,
    header: "Sequence[StrOrPromise]",
    rows: Iterable[Sequence[object]],
    on_progress: Callable[[int], None],
    every: int = 500,
) -> int:
    """Write a whole CSV file (as `csv_response` streams it) and report progress every
    `every` rows; the number of rows written."""
    writer = csv.writer(stream)
    stream.write("\ufeff")
    writer.writerow(header)
    written = 0
    for row in rows:
        writer.writerow([_csv_safe(v) for v in row])
        written += 1
        if written % every == 0:
            on_progress(written)
    return written


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


# A keyset list counts at most this many rows ("of more than 1,000"): its pages cost the
# same at any depth, so the total is all the count has to tell.
KEYSET_COUNTED = 1_000
_KEYSET_SALT = "core.listing.keyset"


class KeysetPage(Sequence[Any]):
    """One page of a keyset list: its rows and signed cursors to the pages either side.

    `cursor` in the query string is the position of the row before (`>`) or after (`<`)
    the page in the list's order; no OFFSET, so a deep page costs what the first does and a
    row added meanwhile neither repeats nor hides one."""

    is_keyset = True

    def __init__(
        self,
        rows: list[Any],
        *,
        next_cursor: str,
        previous_cursor: str,
        total: int,
        capped: bool,
        is_first: bool,
    ) -> None:
        self.object_list = rows
        self.next_cursor = next_cursor
        self.previous_cursor = previous_cursor
        self.total = total
        self.capped = capped
        self.is_first = is_first

    def __getitem__(self, index: Any) -> Any:
        return self.object_list[index]

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def _row_value(row: Any, path: str) -> Any:
    value = row
    for name in path.split("__"):
        value = getattr(value, name)
    return value


def _cursor_dump(sort: str, direction: str, row: Any, field_path: str, field: Any) -> str:
    value = _row_value(row, field_path)
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return signing.dumps([sort, direction, text, row.pk], salt=_KEYSET_SALT)


def _cursor_load(token: str, sort: str, field: Any) -> tuple[str, Any, int] | None:
    """(direction, value, pk) of a cursor this list signed for this sort; None for anything
    else (garbage, forged, another sort's): the caller shows the first page."""
    try:
        cursor_sort, direction, text, pk = signing.loads(token, salt=_KEYSET_SALT)
        if cursor_sort != sort or direction not in (">", "<") or not isinstance(pk, int):
            return None
        return direction, field.to_python(text), pk
    except (signing.BadSignature, ValueError, TypeError, ValidationError):
        return None


def keyset_paginate(
    request: HttpRequest,
    queryset: QuerySet[_M],
    allowed: dict[str, str],
    default: str,
    *,
    keyset: frozenset[str],
    per_page: int = PAGE_SIZE,
) -> tuple[KeysetPage | Page[_M], str]:
    """`apply_sort` then a page: keyset paging (`KeysetPage`, `?cursor=`) when the sort's
    field is one of `keyset` (non-null fields, each with the primary key as tie-breaker),
    else the bounded OFFSET paging of `paginate` (at most MAX_COUNTED rows deep)."""
    requested = request.GET.get("sort", "") or ""
    key = requested.removeprefix("-")
    if key in allowed:
        path, descending, sort = allowed[key], requested.startswith("-"), requested
    else:
        path, descending, sort = default.removeprefix("-"), default.startswith("-"), ""
    if path not in keyset:
        ordered, sort = apply_sort(request, queryset, allowed, default)
        return paginate(request, ordered, per_page), sort
    field = _model_field(queryset.model, path)
    count_query = queryset.order_by()[: KEYSET_COUNTED + 1].count()
    cursor = _cursor_load(request.GET.get("cursor", ""), sort, field)
    forward = cursor is None or cursor[0] == ">"
    # Walking forward follows the list's order; backward walks the reverse order, then flips.
    reverse = descending == forward
    order = [f"-{path}", "-pk"] if reverse else [path, "pk"]
    rows_query = queryset.order_by(*order)
    if cursor is not None:
        _, value, pk = cursor
        if reverse:
            rows_query = rows_query.filter(
                Q(**{f"{path}__lt": value}) | Q(**{path: value, "pk__lt": pk})
            )
            rows_query = rows_query.filter(**{f"{path}__lte": value})
        else:
            rows_query = rows_query.filter(
                Q(**{f"{path}__gt": value}) | Q(**{path: value, "pk__gt": pk})
            )
            rows_query = rows_query.filter(**{f"{path}__gte": value})
    rows = list(rows_query[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if not forward:
        rows.reverse()
    has_next = more if forward else True
    has_previous = cursor is not None and (forward or more)
    if not rows:
        has_next = has_previous = False
    page = KeysetPage(
        rows,
        next_cursor=_cursor_dump(sort, ">", rows[-1], path, field) if has_next else "",
        previous_cursor=_cursor_dump(sort, "<", rows[0], path, field) if has_previous else "",
        total=min(count_query, KEYSET_COUNTED),
        capped=count_query > KEYSET_COUNTED,
        is_first=not has_previous,
    )
    return page, sort


def _model_field(model: type[Model], path: str) -> Any:
    names = path.split("__")
    for name in names[:-1]:
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model._meta.get_field(names[-1])
