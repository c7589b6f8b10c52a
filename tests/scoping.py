"""The scopes that production callers set, for `@pytest.mark.scoped` tests.

Each one is exactly what a decorator of accounts.tenancy (or a public view, or a worker)
sets around the code it calls, so a service test run inside it proves that the service
works the way that caller uses it, and sees nothing of another tenant.
"""

from contextlib import AbstractContextManager

from django_scopes import scope

from accounts.models import Manufacturer, Reseller
from accounts.tenancy import partnered_manufacturer_ids
from channel.models import Partnership


def manufacturer_view_scope(manufacturer: Manufacturer) -> AbstractContextManager[None]:
    """`manufacturer_view`: the manufacturer portal, one tenant."""
    return scope(manufacturer=manufacturer)


def reseller_view_scope(reseller: Reseller) -> AbstractContextManager[None]:
    """`reseller_view`: the reseller dashboard, every manufacturer it partners with."""
    return scope(manufacturer=partnered_manufacturer_ids(reseller), reseller=reseller)


def reseller_partner_view_scope(partnership: Partnership) -> AbstractContextManager[None]:
    """`reseller_partner_view` (and the public affiliate page): one reseller, one manufacturer."""
    return scope(manufacturer=partnership.manufacturer, reseller=partnership.reseller)


def worker_scope() -> AbstractContextManager[None]:
    """A bare Celery worker or management command: scoping on, no tenant."""
    return scope()
