"""CSV exports that a background job can build as well as a request.

A domain registers a builder under a name (`@csv_export("orders.manufacturer")`): given the
tenant, the member asking and the list page's query parameters, it returns the same rows the
page's "Export CSV" link would stream. A small export streams at once; a large one becomes a
job (accounts.exports) that runs the same builder in a worker, with a progress bar.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The tenant (`accounts.Manufacturer`) and the member asking (`accounts.ManufacturerMembership`):
# core may not name the models of the layer above it, not even for type checkers.
Manufacturer = Any
ManufacturerMembership = Any


@dataclass(frozen=True)
class CsvExport:
    filename: str
    header: "Sequence[StrOrPromise]"
    rows: Iterable[Sequence[object]]
    # How many rows the export holds (a COUNT of the same query), for the progress bar.
    size: Callable[[], int]


CsvExportBuilder = Callable[[Manufacturer, ManufacturerMembership, Mapping[str, str]], CsvExport]

_BUILDERS: dict[str, CsvExportBuilder] = {}


def csv_export(name: str) -> Callable[[CsvExportBuilder], CsvExportBuilder]:
    """Register `builder` under `name` (called from the domain's `AppConfig.ready()`)."""

    def register(builder: CsvExportBuilder) -> CsvExportBuilder:
        _BUILDERS[name] = builder
        return builder

    return register


def csv_export_names() -> list[str]:
    return sorted(_BUILDERS)


def build_csv_export(
    name: str,
    *,
    manufacturer: Manufacturer,
    membership: ManufacturerMembership,
    params: Mapping[str, str],
) -> CsvExport:
    """The export `name` for this member, filtered and sorted as `params` say."""
    return _BUILDERS[name](manufacturer, membership, params)


def export_params(query: Mapping[str, Any]) -> dict[str, str]:
    """A list page's query parameters as a job keeps them: one value each, no paging."""
    getter = getattr(query, "get", None)
    return {
        key: str(getter(key) if getter else query[key])
        for key in query
        if key not in {"format", "page"}
    }
