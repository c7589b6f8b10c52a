"""Offers: written with their products, areas and named partners, published, announced.

Partners are told of an offer once (`OfferAnnouncement` is unique per offer and partner):
at publication if it is open to them then, otherwise by the nightly `offers_announce_due`
when their window opens (early access included). Notifications follow each reseller user's
preferences (kind `partner_announcement`).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import Manufacturer, Region, User
from catalog.models import Product
from channel.models import Partnership, PartnershipStatus
from channel.selectors import dangerously_all_partnerships
from core import formatting
from core.bounds import MAX_PRICE, MAX_QUANTITY, MAX_TEXT_LENGTH
from notifications.models import NotificationKind
from notifications.services import notify
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
    """Nightly: tell partners of published offers whose window opened for them since."""
    total = 0
    for manufacturer in Manufacturer.objects.order_by("pk"):
        with scope(manufacturer=manufacturer), transaction.atomic():
            today_ = today or timezone.localdate()
            offers = Offer.objects.filter(manufacturer=manufacturer, is_published=True).exclude(
                ends_on__lt=today_
            )
            for offer in offers.select_related("manufacturer"):
                total += _announce(offer=offer, partnerships=_open_partnerships(offer, today_))
    return total
