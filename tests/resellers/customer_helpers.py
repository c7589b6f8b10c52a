"""Plain helpers (not fixtures) for the end-customer and affiliate tests."""

from accounts.models import Reseller, User
from channel.models import EndCustomer
from resellers.services import end_customer_create
from tests.accounts.factories import ResellerFactory, ResellerUserFactory


def reseller_with_user(**reseller_fields) -> tuple[Reseller, User]:
    reseller = ResellerFactory(**reseller_fields)
    return reseller, ResellerUserFactory(reseller=reseller).user


def make_customer(reseller: Reseller, n: int = 0, **fields) -> EndCustomer:
    values = {
        "name": f"Customer {n:03d}",
        "email": f"customer{n}@{reseller.public_id.lower()}.example",
        "company": f"Company {n % 7}",
        "city": "Hamburg",
    }
    values.update(fields)
    return end_customer_create(reseller=reseller, **values)
