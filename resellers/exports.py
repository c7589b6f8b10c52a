"""The reseller directory's CSV export (core.exports), rebuilt from the page's filters."""

from collections.abc import Iterator, Mapping

from django.http import QueryDict
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership
from core.exports import CsvExport, csv_export
from core.listing import apply_sort_params
from resellers import directory
from resellers.forms_manufacturer import DirectoryFilterForm

DIRECTORY_EXPORT = "resellers.directory"


@csv_export(DIRECTORY_EXPORT)
def directory_export(
    manufacturer: Manufacturer, membership: ManufacturerMembership, params: Mapping[str, str]
) -> CsvExport:
    """The directory as this member sees it (a rep: the portfolio), filtered and sorted."""
    rep_choices = (
        directory.sales_rep_choices(manufacturer=manufacturer) if membership.is_staff_role else None
    )
    query = QueryDict(mutable=True)
    query.update(params)
    filters = DirectoryFilterForm(query, rep_choices=rep_choices).filters()
    rows = directory.directory_rows(
        manufacturer=manufacturer, membership=membership, filters=filters
    )
    rows, _sort = apply_sort_params(
        params, rows, directory.DIRECTORY_SORTS, default=directory.DEFAULT_SORT
    )
    days = filters.days
    header = [
        _("Reseller ID"), _("Name"), _("Type"), _("Region"), _("City"), _("Country"),
        _("Public email"), _("Status"), _("Qualifying status"),
        _("Sales (last %(days)s days)") % {"days": days}, _("Orders (last %(days)s days)")
        % {"days": days}, _("Open orders"), _("Last invoice"), _("Currency"), _("Partner since"),
    ]  # fmt: skip
    currency = manufacturer.currency

    def lines() -> Iterator[list[object]]:
        for p in rows.iterator(chunk_size=500):
            reseller = p.reseller
            yield [
                reseller.public_id, reseller.name, reseller.get_reseller_type_display(),
                reseller.get_region_display(), reseller.city, reseller.country,
                reseller.public_email, p.get_status_display(), p.get_qualifying_status_display(),
                p.sales, p.order_count, p.open_orders,
                p.last_invoice_at.date().isoformat() if p.last_invoice_at else "",
                currency, p.created_at.date().isoformat(),
            ]  # fmt: skip

    return CsvExport(
        filename=f"{manufacturer.slug}-resellers", header=header, rows=lines(), size=rows.count
    )
