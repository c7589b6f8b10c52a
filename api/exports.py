"""The API keys and webhook endpoints lists as CSV (core.exports): what the settings pages
show, for an audit of who holds which credential. Never a secret: a key's prefix only, an
endpoint's URL and events, not its signing secret."""

from collections.abc import Iterator, Mapping

from django.utils.translation import gettext as _

from accounts.models import Manufacturer, ManufacturerMembership
from api.models import KeyFields, WebhookEndpoint
from api.selectors import api_keys_visible_to
from api.webhooks import webhook_endpoints
from core.exports import CsvExport, csv_export
from core.listing import csv_datetime

API_KEYS_EXPORT = "api.keys"
WEBHOOKS_EXPORT = "api.webhooks"


def key_header(*, with_role: bool) -> list[str]:
    return [
        _("Name"), _("Key prefix"), _("Access"), *([_("Role")] if with_role else []),
        _("Made by"), _("Created"), _("Expires"), _("Last used"), _("Status"),
        _("Revoked"), _("Revoked by"),
    ]  # fmt: skip


def key_row(key: KeyFields, *, role: str | None = None) -> list[object]:
    return [
        key.name, key.prefix, key.get_access_display(), *([role] if role is not None else []),
        key.created_by.email, csv_datetime(key.created_at), csv_datetime(key.expires_at),
        csv_datetime(key.last_used_at), key.get_state_display(), csv_datetime(key.revoked_at),
        key.revoked_by.email if key.revoked_by else "",
    ]  # fmt: skip


@csv_export(API_KEYS_EXPORT)
def api_keys_export(
    manufacturer: Manufacturer, membership: ManufacturerMembership, params: Mapping[str, str]
) -> CsvExport:
    """The keys this member sees on the page (an owner: all of the tenant's)."""
    keys = api_keys_visible_to(manufacturer=manufacturer, membership=membership)

    def lines() -> Iterator[list[object]]:
        for key in keys.iterator(chunk_size=500):
            yield key_row(key, role=key.get_role_display())

    return CsvExport(
        filename=f"{manufacturer.slug}-api-keys",
        header=key_header(with_role=True),
        rows=lines(),
        size=keys.count,
    )


@csv_export(WEBHOOKS_EXPORT)
def webhooks_export(
    manufacturer: Manufacturer, membership: ManufacturerMembership, params: Mapping[str, str]
) -> CsvExport:
    endpoints = webhook_endpoints(manufacturer=manufacturer).select_related("created_by")

    def lines() -> Iterator[list[object]]:
        endpoint: WebhookEndpoint
        for endpoint in endpoints.iterator(chunk_size=500):
            yield [
                endpoint.url, endpoint.description, ", ".join(endpoint.events),
                _("Active") if endpoint.is_active else _("Paused"),
                endpoint.created_by.email if endpoint.created_by else "",
                csv_datetime(endpoint.created_at),
            ]  # fmt: skip

    return CsvExport(
        filename=f"{manufacturer.slug}-webhooks",
        header=[_("URL"), _("Description"), _("Events"), _("Status"), _("Added by"), _("Added")],
        rows=lines(),
        size=endpoints.count,
    )
