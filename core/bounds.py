"""The domain's bounds: the largest number anyone may enter, and what the columns must hold.

One order of 100,000,000 units once made a €36.96 bn order and a "+53,750,259%" dashboard,
and one of 10¹² made every page that sums the tenant's orders fail. Every quantity, price,
discount, rate and amount therefore has a maximum here, and each layer holds it:

- models: validators (`quantity_validators()`, …) and a `CheckConstraint` per column
  (`between()`), so not even the admin or a bulk write stores more;
- forms: `min_value`/`max_value` from the same constants (a model form takes them from the
  validators), so a user reads "at most 9,999" next to the field;
- services: a refusal (a `DomainRefused` subclass) before anything is written, for callers
  that bypass the forms (the demo, tasks, the API);
- aggregates: a sum over a tenant's whole life is computed with `SUM_FIELD`, whose digits
  hold `MAX_AMOUNT` times any number of orders the order number counter can give out.

The maxima are far above any real order of the channel (the cart always capped a line at
9,999) and far below what the columns hold, so a correct order never meets them.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# A line of an order, a cart or a return.
MAX_QUANTITY = 9_999
# A unit price: a product's list price, a price list's price, an order line's price.
MAX_PRICE = Decimal("999999.99")
# Lines of one manual order: far more than any real order, few enough that one form post
# (and the order it creates) stays small.
MAX_ORDER_LINES = 200
# Discounts and commission rates, in %.
MAX_PERCENT = Decimal("100.00")
# One order's subtotal or total, a line total, a return, a payment. A full line at the
# highest price (9,999 × 999,999.99) fits; an order of several such lines does not.
MAX_AMOUNT = Decimal("9999999999.99")
# Commission holding and payout windows, in weeks (two years).
MAX_WEEKS = 104

# Stored money: a price has up to 12 digits, an amount up to 14 (both with 2 decimals).
PRICE_DIGITS = 12
AMOUNT_DIGITS = 14
MONEY_PLACES = 2
# Sums over many rows: 24 digits hold 10¹² orders of MAX_AMOUNT each.
SUM_DIGITS = 24
SUM_FIELD: "models.DecimalField[Decimal, Decimal]" = models.DecimalField(
    max_digits=SUM_DIGITS, decimal_places=MONEY_PLACES
)

# A change against a previous period beyond ±999.9% says nothing a reader can use; it is
# shown as "more than +999%" instead (resellers.statistics.delta_percent).
MAX_DELTA_PERCENT = Decimal("999.9")

# Free text a user writes: notes, messages, interaction logs, descriptions.
MAX_TEXT_LENGTH = 4000


Validators = list[MinValueValidator | MaxValueValidator]


def quantity_validators() -> Validators:
    return [MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]


def price_validators() -> Validators:
    return [MinValueValidator(Decimal("0.00")), MaxValueValidator(MAX_PRICE)]


def percent_validators() -> Validators:
    return [MinValueValidator(Decimal("0.00")), MaxValueValidator(MAX_PERCENT)]


def amount_validators() -> Validators:
    return [MinValueValidator(Decimal("0.00")), MaxValueValidator(MAX_AMOUNT)]


def between(field: str, low: object, high: object, *, name: str) -> models.CheckConstraint:
    """A check constraint that `low <= field <= high`, named `name`."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": low, f"{field}__lte": high}), name=name
    )
