"""Services of the partnership: partnering, status, conditions, the reseller's details.

Each one runs in a transaction and either does all of its change or none of it; a broken
rule raises `PartnershipRefused`, whose message is shown to the user as it is.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Manufacturer, Reseller
from accounts.services import reseller_create
from catalog.models import PriceList
from channel.models import Partnership, PartnershipStatus, PaymentMethod, ShippingMethod
from core.bounds import MAX_PERCENT
from core.exceptions import DomainRefused

# The reseller company fields a manufacturer may fill in or correct.
RESELLER_DETAIL_FIELDS = (
    "name",
    "reseller_type",
    "public_email",
    "website",
    "phone",
    "street",
    "postal_code",
    "city",
    "country",
    "region",
)


class PartnershipRefused(DomainRefused):
    """The change breaks a rule; the message says which, and nothing was changed."""


@transaction.atomic
def partnership_create(
    *, manufacturer: Manufacturer, reseller: Reseller, status: str = PartnershipStatus.ACTIVE
) -> Partnership:
    return Partnership.objects.create(manufacturer=manufacturer, reseller=reseller, status=status)


def _already_partnered(reseller: Reseller) -> PartnershipRefused:
    return PartnershipRefused(
        _("You are already partnered with %(name)s (%(id)s).")
        % {"name": reseller.name, "id": reseller.public_id}
    )


@transaction.atomic
def partnership_add_existing(*, manufacturer: Manufacturer, public_id: str) -> Partnership:
    """Partner with a reseller already on the platform, found by its public ID."""
    public_id = public_id.strip().upper()
    reseller = Reseller.objects.filter(public_id=public_id).first()
    if reseller is None:
        raise PartnershipRefused(
            _("No reseller has the ID %(id)s. Check the ID, or create a new reseller.")
            % {"id": public_id}
        )
    if Partnership.objects.filter(manufacturer=manufacturer, reseller=reseller).exists():
        raise _already_partnered(reseller)
    try:
        with transaction.atomic():
            return partnership_create(manufacturer=manufacturer, reseller=reseller)
    except IntegrityError as error:  # partnered at the same moment in another request
        raise _already_partnered(reseller) from error


@transaction.atomic
def reseller_onboard(*, manufacturer: Manufacturer, **details: str) -> Partnership:
    """Create a reseller company (it gets a fresh public ID) and partner with it."""
    unknown = set(details) - set(RESELLER_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"reseller_onboard() got unexpected fields: {sorted(unknown)}")
    reseller = reseller_create(**{key: value.strip() for key, value in details.items()})
    return partnership_create(manufacturer=manufacturer, reseller=reseller)


@transaction.atomic
def partnership_set_status(*, partnership: Partnership, status: str) -> Partnership:
    """Activate, suspend or end a partnership (an ended one can be reactivated)."""
    if status not in PartnershipStatus.values:
        raise PartnershipRefused(_("Unknown partnership status."))
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    locked.status = status
    locked.save(update_fields=["status"])
    partnership.status = status
    return partnership


@transaction.atomic
def partnership_update_conditions(
    *,
    partnership: Partnership,
    price_list: PriceList | None,
    discount_percent: Decimal,
    payment_method: str,
    shipping_method: str,
) -> Partnership:
    """Set the commercial conditions that new orders of this reseller are priced with."""
    if price_list is not None and price_list.manufacturer_id != partnership.manufacturer_id:
        raise PartnershipRefused(_("That price list belongs to another manufacturer."))
    if not discount_percent.is_finite() or not 0 <= discount_percent <= MAX_PERCENT:
        raise PartnershipRefused(_("The discount must be between 0 and 100%."))
    if payment_method not in PaymentMethod.values:
        raise PartnershipRefused(_("Unknown payment method."))
    if shipping_method not in ShippingMethod.values:
        raise PartnershipRefused(_("Unknown shipping method."))
    partnership.price_list = price_list
    partnership.discount_percent = discount_percent
    partnership.payment_method = payment_method
    partnership.shipping_method = shipping_method
    partnership.save(
        update_fields=["price_list", "discount_percent", "payment_method", "shipping_method"]
    )
    return partnership


@transaction.atomic
def reseller_update_details(*, reseller: Reseller, **details: str) -> Reseller:
    """Correct the reseller's business and contact data (shared by all its manufacturers)."""
    unknown = set(details) - set(RESELLER_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"reseller_update_details() got unexpected fields: {sorted(unknown)}")
    for name, value in details.items():
        setattr(reseller, name, value.strip())
    try:
        reseller.full_clean()
    except ValidationError as error:
        raise PartnershipRefused(error.messages) from error
    reseller.save(update_fields=list(details))
    return reseller
