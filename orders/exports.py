"""The orders' CSV exports (core.exports): the columns, and the manufacturer's list as a job
can rebuild it from the page's filters."""

from collections.abc import Iterator, Mapping

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Manufacturer, ManufacturerMembership
from channel import selectors as channel_selectors
from core.exports import CsvExport, csv_export
from core.listing import apply_sort_params
from orders.forms import ManufacturerOrderFilterForm
from orders.models import Order
from orders.selectors.orders import MANUFACTURER_SORTS, orders_for_manufacturer

MANUFACTURER_ORDERS_EXPORT = "orders.manufacturer"

ORDER_CSV_HEADER = [
    gettext_lazy("Order"),
    gettext_lazy("Date"),
    gettext_lazy("Status"),
    gettext_lazy("Manufacturer"),
    gettext_lazy("Reseller"),
    gettext_lazy("Reseller ID"),
    gettext_lazy("End customer"),
    gettext_lazy("Own use"),
    gettext_lazy("Manual"),
    gettext_lazy("Total"),
    gettext_lazy("Currency"),
]


def order_csv_rows(orders: QuerySet[Order]) -> Iterator[list[object]]:
    for order in orders.iterator(chunk_size=500):
        yield [
            order.number,
            order.created_at.date().isoformat(),
            order.get_status_display(),
            order.manufacturer.name,
            order.reseller.name,
            order.reseller.public_id,
            str(order.end_customer) if order.end_customer else "",
            _("yes") if order.own_use else _("no"),
            _("yes") if order.is_manual else _("no"),
            order.total,
            order.currency,
        ]


@csv_export(MANUFACTURER_ORDERS_EXPORT)
def manufacturer_orders_export(
    manufacturer: Manufacturer, membership: ManufacturerMembership, params: Mapping[str, str]
) -> CsvExport:
    """The orders page's list, with its filters and sort, as this member may see it."""
    form = ManufacturerOrderFilterForm(
        params or None,
        resellers=channel_selectors.resellers_visible_to(
            manufacturer=manufacturer, membership=membership
        ),
    )
    orders = orders_for_manufacturer(
        manufacturer=manufacturer, membership=membership, filters=form.to_filters()
    )
    orders, _sort = apply_sort_params(params, orders, MANUFACTURER_SORTS, "-created_at")
    return CsvExport(
        filename="orders", header=ORDER_CSV_HEADER, rows=order_csv_rows(orders), size=orders.count
    )
