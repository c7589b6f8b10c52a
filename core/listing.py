"""What every list page shares: search, sorting on whitelisted columns, pages and CSV."""

import csv
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
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


def paginate(
    request: HttpRequest, queryset: QuerySet[_M] | Sequence[_M], per_page: int = PAGE_SIZE
) -> Page[_M]:
    """The requested page; a page number out of range shows the last page, junk the first."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


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
