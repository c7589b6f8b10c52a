"""The reseller's cart: one per reseller user and partnership, holding products the reseller
may order. The cart stores no prices: `orders.selectors.carts.cart_priced` prices its lines
at the reseller's prices now. Each service changes state in one transaction.
"""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.gate import orderable_products
from channel.models import EndCustomer, Partnership
from core.bounds import MAX_QUANTITY
from orders.models import Cart, CartLine
from orders.selectors.carts import cart_find
from orders.services.orders import OrderRefused, quantity_refusal

MAX_LINE_QUANTITY = MAX_QUANTITY  # the domain's bound (core.bounds), by the cart's old name


class CheckoutRefused(OrderRefused):
    """The cart change or checkout breaks a rule; the message says which, nothing changed."""


@transaction.atomic
def cart_get_or_create(*, partnership: Partnership, user: User) -> Cart:
    cart = cart_find(partnership=partnership, user=user)
    if cart is None:
        try:
            with transaction.atomic():
                cart = Cart.objects.create(
                    manufacturer_id=partnership.manufacturer_id,
                    partnership=partnership,
                    created_by=user,
                )
        except IntegrityError:  # the user's other tab created it a moment ago
            cart = cart_find(partnership=partnership, user=user)
            if cart is None:
                raise
    return cart


@transaction.atomic
def cart_set_end_customer(*, cart: Cart, end_customer: EndCustomer | None) -> Cart:
    """`end_customer` is a resellers.EndCustomer of the cart's reseller (or None)."""
    if end_customer is not None and end_customer.reseller_id != cart.partnership.reseller_id:
        raise CheckoutRefused(_("That customer does not belong to this reseller."))
    cart.end_customer = end_customer
    cart.save(update_fields=["end_customer", "updated_at"])
    return cart


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise CheckoutRefused(quantity_refusal())


@transaction.atomic
def cart_add_line(*, cart: Cart, product_id: int, quantity: int) -> CartLine:
    """Add a product the reseller may order, or raise its quantity if already in the cart."""
    _check_quantity(quantity)
    partnership = cart.partnership
    product = (
        orderable_products(manufacturer=partnership.manufacturer, reseller=partnership.reseller)
        .filter(pk=product_id)
        .first()
    )
    if product is None:
        raise CheckoutRefused(_("This product is not available to you."))
    Cart.objects.select_for_update().filter(pk=cart.pk).first()
    line = CartLine.objects.filter(cart=cart, product=product).first()
    if line is None:
        line = CartLine.objects.create(
            manufacturer_id=cart.manufacturer_id, cart=cart, product=product, quantity=quantity
        )
    else:
        line.quantity = min(line.quantity + quantity, MAX_LINE_QUANTITY)
        line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def cart_update(*, cart: Cart, quantities: Mapping[int, int]) -> None:
    """Set the quantity per product id; 0 removes the line. Products not in the cart are
    ignored (a stale form cannot add what the reseller may not order)."""
    for quantity in quantities.values():
        if quantity != 0:
            _check_quantity(quantity)
    lines = {line.product_id: line for line in CartLine.objects.filter(cart=cart)}
    for product_id, quantity in quantities.items():
        line = lines.get(product_id)
        if line is None:
            continue
        if quantity == 0:
            line.delete()
        elif line.quantity != quantity:
            line.quantity = quantity
            line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])


@transaction.atomic
def cart_remove_line(*, cart: Cart, product_id: int) -> None:
    CartLine.objects.filter(cart=cart, product_id=product_id).delete()


@transaction.atomic
def cart_clear(*, cart: Cart) -> None:
    """Empty the cart and forget its customer."""
    CartLine.objects.filter(cart=cart).delete()
    cart.end_customer = None
    cart.save(update_fields=["end_customer", "updated_at"])
