"""Plain helpers (not fixtures) for the cart and payment-link tests."""

import re
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Manufacturer, Reseller, User
from catalog.models import Product
from catalog.services import retail_price_set
from channel.models import EndCustomer, Partnership
from orders.models import Cart
from orders.services.carts import cart_add_line, cart_get_or_create, cart_set_end_customer
from resellers.services import end_customer_create
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.catalog.factories import ProductFactory
from tests.resellers.factories import PartnershipFactory

PAY_URL_RE = re.compile(r"http://testserver/pay/([A-Za-z0-9_\-]+)/")


@dataclass
class Channel:
    manufacturer: Manufacturer
    partnership: Partnership
    reseller: Reseller
    user: User
    customer: EndCustomer
    products: list[Product]


def make_channel(manufacturer: Manufacturer, *, discount: str = "10.00") -> Channel:
    reseller = ResellerFactory(name="Soundhouse GmbH")
    partnership = PartnershipFactory(manufacturer=manufacturer, reseller=reseller)
    Partnership.objects.filter(pk=partnership.pk).update(discount_percent=Decimal(discount))
    partnership.refresh_from_db()
    user = ResellerUserFactory(reseller=reseller).user
    customer = end_customer_create(
        reseller=reseller,
        name="Jane Doe",
        email="jane@example.com",
        company="Doe AV",
        country="Germany",
    )
    products = [
        ProductFactory(manufacturer=manufacturer, name="Aria", price=Decimal("100.00")),
        ProductFactory(manufacturer=manufacturer, name="Bolero", price=Decimal("19.99")),
    ]
    set_retail_prices(products)
    return Channel(manufacturer, partnership, reseller, user, customer, products)


# Two markets with their own retail prices; a customer in Germany pays RETAIL_DE.
RETAIL_DE = (Decimal("129.00"), Decimal("24.90"))
RETAIL_AT = (Decimal("135.00"), Decimal("26.50"))
# 2 × Aria + 3 × Bolero: at the reseller's prices (10 % off) and at German retail prices.
RESELLER_TOTAL = Decimal("233.97")
CUSTOMER_TOTAL_DE = Decimal("332.70")


def set_retail_prices(products: list[Product]) -> None:
    for product, de, at in zip(products, RETAIL_DE, RETAIL_AT, strict=False):
        retail_price_set(product=product, market="Germany", price=de)
        retail_price_set(product=product, market="Austria", price=at)


def filled_cart(channel: Channel, quantities=(2, 3)) -> Cart:
    cart = cart_get_or_create(partnership=channel.partnership, user=channel.user)
    cart_set_end_customer(cart=cart, end_customer=channel.customer)
    for product, quantity in zip(channel.products, quantities, strict=False):
        cart_add_line(cart=cart, product_id=product.pk, quantity=quantity)
    return cart


def pay_url(token: str) -> str:
    return f"http://testserver/pay/{token}/"
