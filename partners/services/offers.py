"""Offers: written with their products, areas and named partners, published, announced.

Partners are told of an offer once (`OfferAnnouncement` is unique per offer and partner):
at publication if it is open to them then, otherwise by the nightly `offers_announce_due`
when their window opens (early access included). Notifications follow each reseller user's
preferences (kind `partner_announcement`).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import Manufacturer, Region, User
from catalog.models import Product
from channel.models import EndCustomer, Partnership, PartnershipStatus
from channel.selectors import dangerously_all_partnerships
from core import formatting
from core.bounds import MAX_PRICE, MAX_QUANTITY, MAX_TEXT_LENGTH
from notifications.models import NotificationKind
from notifications.services import notify
from orders.models import NoteSide, Order
from orders.services.orders import LineRequest, OrderRefused, order_create, order_note_add
from partners.models import (
    AreaKind,
    Offer,
    OfferAnnouncement,
    OfferArea,
    OfferItem,
    OfferRecipient,
    Tier,
    Visibility,
)
from partners.selectors.offers import offers_open_to
from partners.services import PartnerRefused

MAX_POSTAL_PREFIX = 10


@dataclass
class OfferValues:
    title: str
    price: Decimal
    visibility: str
    starts_on: date
    terms: str = ""
    ends_on: date | None = None
    min_tier: Tier | None = None
    early_access: bool = True
    items: dict[int, int] = field(default_factory=dict)  # product id -> quantity
    regions: list[str] = field(default_factory=list)
    postal_prefixes: list[str] = field(default_factory=list)
    recipient_ids: list[int] = field(default_factory=list)  # partnership ids


def _validate(manufacturer: Manufacturer, values: OfferValues) -> list[str]:
    if not values.title.strip():
        raise PartnerRefused(_("An offer needs a title."))
    if len(values.terms) > MAX_TEXT_LENGTH:
        raise PartnerRefused(_("The terms are too long."))
    if not values.price.is_finite() or not Decimal("0") <= values.price <= MAX_PRICE:
        raise PartnerRefused(
            _("The offer price must be between 0 and %(max)s.") % {"max": MAX_PRICE}
        )
    if values.visibility not in Visibility.values:
        raise PartnerRefused(_("Unknown visibility."))
    if values.ends_on is not None and values.ends_on < values.starts_on:
        raise PartnerRefused(_("The end date is before the start date."))
    if values.visibility == Visibility.PREFERRED and (
        values.min_tier is None or values.min_tier.manufacturer_id != manufacturer.pk
    ):
        raise PartnerRefused(_("A preferred offer needs the minimum tier it is open to."))
    if values.visibility == Visibility.SELECTED and not values.recipient_ids:
        raise PartnerRefused(_("Name at least one partner for a selected offer."))
    if values.recipient_ids and values.visibility != Visibility.SELECTED:
        raise PartnerRefused(_("Only a selected offer names partners."))
    ours = set(
        dangerously_all_partnerships(manufacturer=manufacturer)
        .filter(pk__in=values.recipient_ids)
        .values_list("pk", flat=True)
    )
    if len(ours) != len(set(values.recipient_ids)):
        raise PartnerRefused(_("One or more of the named partners are not your partners."))
    if any(not 1 <= quantity <= MAX_QUANTITY for quantity in values.items.values()):
        raise PartnerRefused(_("Quantities must be between 1 and %(max)d.") % {"max": MAX_QUANTITY})
    products = Product.objects.filter(manufacturer=manufacturer, pk__in=list(values.items))
    if products.count() != len(values.items):
        raise PartnerRefused(_("One or more products are not in your catalog."))
    if any(region not in Region.values for region in values.regions):
        raise PartnerRefused(_("Unknown region."))
    prefixes = []
    for prefix in values.postal_prefixes:
        cleaned = prefix.replace(" ", "").upper()
        if not cleaned or len(cleaned) > MAX_POSTAL_PREFIX or not cleaned.isalnum():
            raise PartnerRefused(
                _("A postal-code prefix is 1 to %(max)d letters or digits.")
                % {"max": MAX_POSTAL_PREFIX}
            )
        prefixes.append(cleaned)
    return sorted(set(prefixes))


@transaction.atomic
def offer_save(*, manufacturer: Manufacturer, offer: Offer | None, values: OfferValues) -> Offer:
    """Create or change an offer with everything it names; refused, with nothing written, for
    an end before the start, another tenant's partner or product, or a preferred offer
    without its tier."""
    prefixes = _validate(manufacturer, values)
    target = offer or Offer(manufacturer=manufacturer)
    target.title = values.title.strip()
    target.terms = values.terms.strip()
    target.price = values.price
    target.visibility = values.visibility
    target.min_tier = values.min_tier if values.visibility == Visibility.PREFERRED else None
    target.starts_on, target.ends_on = values.starts_on, values.ends_on
    target.early_access = values.early_access
    target.save()
    OfferItem.objects.filter(offer=target).delete()
    OfferItem.objects.bulk_create(
        OfferItem(manufacturer=manufacturer, offer=target, product_id=pid, quantity=quantity)
        for pid, quantity in sorted(values.items.items())
    )
    OfferArea.objects.filter(offer=target).delete()
    OfferArea.objects.bulk_create(
        [
            *(
                OfferArea(manufacturer=manufacturer, offer=target, kind=AreaKind.REGION, value=r)
                for r in sorted(set(values.regions))
            ),
            *(
                OfferArea(manufacturer=manufacturer, offer=target, kind=AreaKind.POSTAL, value=p)
                for p in prefixes
            ),
        ]
    )
    OfferRecipient.objects.filter(offer=target).delete()
    OfferRecipient.objects.bulk_create(
        OfferRecipient(manufacturer=manufacturer, offer=target, partnership_id=pid)
        for pid in sorted(set(values.recipient_ids))
    )
    return target


def _announce(*, offer: Offer, partnerships: list[Partnership], changed: bool = False) -> int:
    """Tell each partnership's reseller users of the offer, once per partnership."""
    already = set(
        OfferAnnouncement.objects.filter(offer=offer).values_list("partnership_id", flat=True)
    )
    fresh = [p for p in partnerships if changed or p.pk not in already]
    now = timezone.now()
    values = {"manufacturer": offer.manufacturer.name, "title": offer.title}

    def title() -> str:
        if changed:
            return _("%(manufacturer)s changed the offer “%(title)s”") % values
        return _("New offer from %(manufacturer)s: %(title)s") % values

    def body() -> str:
        return _("%(price)s · %(terms)s") % {
            "price": formatting.money(offer.price, offer.manufacturer.currency),
            "terms": offer.terms,
        }

    for partnership in fresh:
        notify(
            users=User.objects.filter(
                reseller_memberships__reseller_id=partnership.reseller_id, is_active=True
            ),
            manufacturer=offer.manufacturer,
            kind=NotificationKind.PARTNER_ANNOUNCEMENT,
            title=title,
            body=body,
            url=f"/r/{partnership.reseller.public_id}/m/{offer.manufacturer.slug}/offers/{offer.pk}/",
            topic=f"offer:{offer.pk}",
        )
    OfferAnnouncement.objects.bulk_create(
        [
            OfferAnnouncement(
                manufacturer=offer.manufacturer, offer=offer, partnership=p, announced_at=now
            )
            for p in fresh
            if p.pk not in already
        ]
    )
    return len(fresh)


def _open_partnerships(offer: Offer, today: date | None = None) -> list[Partnership]:
    """The tenant's partnerships the offer is open to now (one rule: offers_open_to)."""
    partnerships = dangerously_all_partnerships(manufacturer=offer.manufacturer).filter(
        status=PartnershipStatus.ACTIVE
    )
    if offer.visibility == Visibility.SELECTED:
        partnerships = partnerships.filter(pk__in=offer.recipients.values("partnership_id"))
    return [
        p
        for p in partnerships.select_related("reseller", "manufacturer")
        if offers_open_to(partnership=p, today=today).filter(pk=offer.pk).exists()
    ]


@transaction.atomic
def offer_publish(*, offer: Offer) -> int:
    """Publish the offer and tell the partners it is open to now; returns how many."""
    locked = Offer.objects.select_for_update().select_related("manufacturer").get(pk=offer.pk)
    if locked.is_published:
        raise PartnerRefused(_("This offer is already published."))
    locked.is_published, locked.published_at = True, timezone.now()
    locked.save(update_fields=["is_published", "published_at"])
    offer.is_published, offer.published_at = locked.is_published, locked.published_at
    return _announce(offer=locked, partnerships=_open_partnerships(locked))


@transaction.atomic
def offer_announce_change(*, offer: Offer) -> int:
    """A published offer's price or terms changed: tell the partners who were told of it."""
    told = list(
        Partnership.objects.filter(
            pk__in=OfferAnnouncement.objects.filter(offer=offer).values("partnership_id")
        ).select_related("reseller")
    )
    return _announce(offer=offer, partnerships=told, changed=True)


def offers_announce_due(*, today: date | None = None) -> int:
    """Nightly: tell partners of published offers whose window opened for them since.

    The rule of who may see what is `offers_open_to`, asked once per partnership for all the
    tenant's live offers (not once per offer and partnership), and only of partnerships not
    yet told of every one of them: the nightly cost follows the partners still to tell, not
    the offers times the channel."""
    total = 0
    for manufacturer in Manufacturer.objects.order_by("pk"):
        with scope(manufacturer=manufacturer), transaction.atomic():
            today_ = today or timezone.localdate()
            offers = list(
                Offer.objects.filter(manufacturer=manufacturer, is_published=True)
                .exclude(ends_on__lt=today_)
                .select_related("manufacturer")
                .order_by("pk")
            )
            if not offers:
                continue
            offer_ids = [offer.pk for offer in offers]
            told_of_all = (
                OfferAnnouncement.objects.filter(offer_id__in=offer_ids)
                .order_by()
                .values("partnership_id")
                .annotate(told=Count("pk"))
                .filter(told__gte=len(offer_ids))
                .values("partnership_id")
            )
            untold = (
                dangerously_all_partnerships(manufacturer=manufacturer)
                .filter(status=PartnershipStatus.ACTIVE)
                .exclude(pk__in=told_of_all)
                .select_related("reseller", "manufacturer")
                .order_by("pk")
            )
            open_to: dict[int, list[Partnership]] = {pk: [] for pk in offer_ids}
            for partnership in untold:
                for offer_id in (
                    offers_open_to(partnership=partnership, today=today_)
                    .filter(pk__in=offer_ids)
                    .values_list("pk", flat=True)
                ):
                    open_to[offer_id].append(partnership)
            for offer in offers:
                total += _announce(offer=offer, partnerships=open_to[offer.pk])
    return total


# --- ordering from an offer --------------------------------------------------------------------

CENT = Decimal("0.01")


def offer_unit_prices(*, price: Decimal, items: list[tuple[Product, int]]) -> dict[int, Decimal]:
    """Split one bundle's price over its items, in proportion to their list value, so that
    the lines add up to the offer's price to the cent (the remainder goes to an item whose
    quantity divides it). Refused when no split is exact."""
    value = sum((product.price * quantity for product, quantity in items), Decimal("0"))
    units: dict[int, Decimal] = {}
    for product, quantity in items:
        share = price * product.price * quantity / value if value else price / len(items)
        units[product.pk] = (share / quantity).quantize(CENT, rounding=ROUND_DOWN)
    left = price - sum((units[p.pk] * q for p, q in items), Decimal("0"))
    if left:
        for product, quantity in sorted(items, key=lambda item: item[1]):
            if (left / CENT) % quantity == 0:
                units[product.pk] += left / quantity
                break
        else:
            raise PartnerRefused(
                _("This offer's price cannot be split over its items to the cent; ask %(m)s.")
                % {"m": items[0][0].manufacturer.name}
            )
    return units


@transaction.atomic
def offer_order(
    *,
    partnership: Partnership,
    offer: Offer,
    bundles: int,
    end_customer: EndCustomer | None,
    by: User,
) -> Order:
    """Order `bundles` of an offer at its price, through the orders domain: the agreed unit
    prices are frozen on the lines, and a note on the order says which offer it came from.
    The offer must still be open to the partner (a block takes effect at once)."""
    if not offers_open_to(partnership=partnership).filter(pk=offer.pk).exists():
        raise PartnerRefused(_("This offer is no longer open to you."))
    items = [(item.product, item.quantity) for item in offer.items.select_related("product")]
    if not items:
        raise PartnerRefused(_("This offer is a service bundle: ask the manufacturer for it."))
    most = MAX_QUANTITY // max(quantity for _product, quantity in items)
    if not 1 <= bundles <= most:
        raise PartnerRefused(_("Order between 1 and %(most)d of this offer.") % {"most": most})
    units = offer_unit_prices(price=offer.price, items=items)
    try:
        order = order_create(
            partnership=partnership,
            lines=[LineRequest(product_id=p.pk, quantity=q * bundles) for p, q in items],
            created_by=by,
            end_customer=end_customer,
            own_use=end_customer is None,
            unit_prices=units,
        )
    except OrderRefused as refused:
        raise PartnerRefused(refused.user_message) from refused
    order_note_add(
        order=order,
        author=by,
        side=NoteSide.RESELLER,
        is_internal=False,
        body=_("Ordered from the offer “%(title)s”: %(count)d × %(price)s %(currency)s.")
        % {
            "title": offer.title,
            "count": bundles,
            "price": offer.price,
            "currency": order.currency,
        },
    )
    return order
