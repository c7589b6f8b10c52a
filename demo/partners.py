"""Demo partner performance: scorecards from the demo orders, partners in all three tiers, a
pending promotion and a demotion, offers of each visibility, an incident at its second step,
a blocked partner, and two regional exclusives (one in breach, one in good standing).

Tier history and proposals are written as rows with past timestamps rather than through the
services, which would notify every reseller of changes that "happened" months ago. Offers,
incidents and exclusives go through the services. Idempotent: a manufacturer that already has
offers is left alone.
"""

import math
import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum
from django.utils import timezone

from accounts.models import Manufacturer, Region, Reseller, Role, User
from catalog.gate import orderable_products
from channel.models import Partnership, PartnershipStatus
from orders.models import Order, OrderStatus
from orders.services.orders import LineRequest, order_create, order_transition
from orders.workflow import MANUFACTURER
from partners.metrics import add_months, month_start
from partners.models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementKind,
    AnnouncementStatus,
    Audience,
    Meeting,
    OrderRating,
    PartnerNote,
    PartnerTier,
    ProposalStatus,
    Scorecard,
    Tier,
    TierChange,
    TierProposal,
    Visibility,
)
from partners.services.announcements import AnnouncementValues, announcement_save, audience_of
from partners.services.exclusives import ExclusiveTerms, exclusive_grant
from partners.services.incidents import incident_raise, incident_step_take
from partners.services.meetings import FollowUpValues, meeting_hold, meetings_schedule
from partners.services.offers import OfferValues, offer_save
from partners.services.scorecards import scorecards_refresh
from partners.services.tiers import proposal_figures, proposal_reasons, tiers_create_defaults

if TYPE_CHECKING:
    from demo.channel import DemoReport

# The demo login's company is Silver at Northwind: its dashboard shows a tier, early access
# and the way to Gold.
SILVER_LOGIN = {"northwind": "36G8J2Z"}


def _rate_orders(manufacturer: Manufacturer, rng: random.Random, report: "DemoReport") -> None:
    """Staff ratings on about a third of the completed orders."""
    completed = list(
        Order.objects.filter(manufacturer=manufacturer, status=OrderStatus.COMPLETED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ratings = [
        OrderRating(
            manufacturer=manufacturer,
            order_id=pk,
            satisfaction=rng.choice([3, 4, 4, 5, 5, 5]),
            address_accurate=rng.random() > 0.1,
        )
        for pk in completed
        if rng.random() < 0.35
    ]
    OrderRating.objects.bulk_create(ratings, ignore_conflicts=True)
    report.count("order ratings", len(ratings))


def _by_orders(manufacturer: Manufacturer) -> list[Partnership]:
    totals = dict(
        Scorecard.objects.filter(manufacturer=manufacturer)
        .values("partnership_id")
        .annotate(n=Sum("orders"))
        .values_list("partnership_id", "n")
    )
    active = Partnership.objects.filter(
        manufacturer=manufacturer, status=PartnershipStatus.ACTIVE
    ).select_related("reseller")
    return sorted(active, key=lambda p: (-(totals.get(p.pk) or 0), p.reseller.name))


def _place(partnership: Partnership, tier: Tier, reason: str, when_days: int) -> None:
    when = timezone.now() - timedelta(days=when_days)
    PartnerTier.objects.update_or_create(
        partnership=partnership,
        defaults={"manufacturer_id": partnership.manufacturer_id, "tier": tier, "since": when},
    )
    TierChange.objects.create(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        from_tier=None,
        to_tier=tier,
        reason=reason,
        created_at=when,
    )


def _orders_to_meet(card: Scorecard | None, tier: Tier) -> int:
    """How many more completed orders the month needs to meet the tier's order, completion
    and cancellation criteria."""
    n, done, cancelled = (card.orders, card.completed, card.cancelled) if card else (0, 0, 0)
    needed = max(tier.min_monthly_orders - n, 0)
    if tier.min_completion_rate is not None:
        rate = tier.min_completion_rate / 100  # done + k >= rate * (n + k)
        needed = max(needed, math.ceil((rate * n - done) / (1 - rate)) if rate < 1 else 0)
    if tier.max_cancellation_rate is not None and tier.max_cancellation_rate > 0:
        needed = max(needed, math.ceil(cancelled * 100 / tier.max_cancellation_rate) - n)
    return needed


def _last_months(tier: Tier) -> list:
    last = add_months(month_start(timezone.localdate()), -1)
    return [add_months(last, -back) for back in range(tier.months_held)]


def _promotion_candidate(bronzes: list[Partnership], tier: Tier) -> Partnership:
    """The Bronze partner closest to the tier: the fewest orders short of its criteria."""
    months = _last_months(tier)
    cards = {
        (card.partnership_id, card.month): card
        for card in Scorecard.objects.filter(partnership__in=bronzes, month__in=months)
    }
    return min(
        bronzes,
        key=lambda p: sum(_orders_to_meet(cards.get((p.pk, m)), tier) for m in months),
    )


def _earn_promotion(partnership: Partnership, tier: Tier, by: "User | None") -> None:
    """Completed orders in each of the tier's last months, so that the pending promotion's
    figures really meet the criteria its reasons quote."""
    months = _last_months(tier)
    cards = {
        c.month: c for c in Scorecard.objects.filter(partnership=partnership, month__in=months)
    }
    products = list(
        orderable_products(manufacturer=partnership.manufacturer, reseller=partnership.reseller)[:1]
    )
    customer = partnership.reseller.end_customers.order_by("pk").first()
    buyer = partnership.reseller.memberships.select_related("user").first()
    if not products:
        return
    for month in months:
        start = timezone.make_aware(datetime.combine(month, time(9)))
        for n in range(_orders_to_meet(cards.get(month), tier)):
            placed = start + timedelta(days=n % 20, hours=n // 20)
            order = order_create(
                partnership=partnership,
                lines=[LineRequest(product_id=products[0].pk, quantity=1)],
                created_by=buyer.user if buyer else None,
                end_customer=customer,
                own_use=customer is None,
                created_at=placed,
            )
            for days, status in enumerate(
                (OrderStatus.ACCEPTED, OrderStatus.FULFILLED, OrderStatus.COMPLETED), start=1
            ):
                order = order_transition(
                    order=order,
                    to_status=status,
                    side=MANUFACTURER,
                    changed_by=by,
                    reason="",
                    at=placed + timedelta(days=days),
                )


def _propose(partnership: Partnership, from_tier: Tier, to_tier: Tier, judged: Tier) -> None:
    last = add_months(month_start(timezone.localdate()), -1)
    cards = list(
        Scorecard.objects.filter(
            partnership=partnership,
            month__gt=add_months(last, -judged.months_held),
            month__lte=last,
        )
    )
    TierProposal.objects.create(
        manufacturer_id=partnership.manufacturer_id,
        partnership=partnership,
        from_tier=from_tier,
        to_tier=to_tier,
        figures=proposal_figures(cards),
        reasons=proposal_reasons(judged, cards, promotion=to_tier.rank > from_tier.rank),
        status=ProposalStatus.PENDING,
        created_at=timezone.now() - timedelta(days=2),
    )


def _meetings(
    manufacturer: Manufacturer,
    silvers: list[Partnership],
    golds: list[Partnership],
    by: "User | None",
    report: "DemoReport",
) -> None:
    """Check-ins and reviews: one held with notes and a follow-up, one due this week, one
    overdue; the rest as the schedule gives them."""
    meetings_schedule(manufacturer=manufacturer)
    today = timezone.localdate()
    open_of = {
        m.partnership_id: m
        for m in Meeting.objects.filter(manufacturer=manufacturer, held_at__isnull=True)
    }
    if by is not None and silvers:
        meeting_hold(
            meeting=open_of[silvers[0].pk],
            by=by,
            notes="Went through last month: completion up, two late cancellations explained.",
            follow_ups=[FollowUpValues(description="Send the spring price sheet", owner=by)],
        )
    if len(silvers) > 2:
        Meeting.objects.filter(pk=open_of[silvers[1].pk].pk).update(
            due_on=today + timedelta(days=3)
        )
        Meeting.objects.filter(pk=open_of[silvers[2].pk].pk).update(
            due_on=today - timedelta(days=5)
        )
    for partnership in golds[1:]:
        Meeting.objects.filter(pk=open_of[partnership.pk].pk).update(
            due_on=today + timedelta(days=40)
        )
    report.count("check-ins and reviews", Meeting.objects.filter(manufacturer=manufacturer).count())


def _announcements(
    manufacturer: Manufacturer,
    silver: Tier,
    named: list[Partnership],
    by: "User | None",
    report: "DemoReport",
) -> None:
    """Planned downtime for everyone, a promotion for Silver and above, a new service for
    named partners (published days ago, as rows: nobody is notified of the past) and a
    draft service area not yet published."""
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    weekend = midnight.replace(hour=22)
    weekend += timedelta(days=(5 - weekend.weekday()) % 7 or 7)
    written = [
        (
            AnnouncementValues(
                kind=AnnouncementKind.DOWNTIME,
                title="Ordering system maintenance",
                body="Orders and payment links are unavailable while we upgrade the "
                "ordering system. Orders placed before it starts are not affected.",
                starts_at=weekend,
                ends_at=weekend + timedelta(hours=4),
            ),
            1,
        ),
        (
            AnnouncementValues(
                kind=AnnouncementKind.PROMOTION,
                title="Installation kits: 10% off for Silver and Gold",
                body="Until the end of the month, installation kits are 10% off on top "
                "of your tier pricing.",
                audience=Audience.MIN_TIER,
                min_tier=silver,
                starts_at=midnight - timedelta(days=3),
                ends_at=midnight + timedelta(days=28),
            ),
            3,
        ),
        (
            AnnouncementValues(
                kind=AnnouncementKind.NEW_SERVICE,
                title="On-site commissioning by our engineers",
                body="Book an engineer to commission larger installations with your team.",
                audience=Audience.NAMED,
                recipient_ids=[p.pk for p in named],
            ),
            6,
        ),
        (
            AnnouncementValues(
                kind=AnnouncementKind.SERVICE_AREA,
                title="We now deliver to Austria",
                body="Next-day delivery to Austrian addresses from January.",
            ),
            None,
        ),
    ]
    for values, days_ago in written:
        if by is None:
            break
        announcement = announcement_save(
            manufacturer=manufacturer, announcement=None, values=values, by=by
        )
        if days_ago is None:
            continue
        published_at = now - timedelta(days=days_ago)
        Announcement.objects.filter(pk=announcement.pk).update(
            status=AnnouncementStatus.PUBLISHED, published_at=published_at, published_by=by
        )
        AnnouncementDelivery.objects.bulk_create(
            AnnouncementDelivery(
                manufacturer=manufacturer,
                announcement=announcement,
                partnership=partnership,
                delivered_at=published_at,
            )
            for partnership in audience_of(announcement)
        )
    report.count("announcements", Announcement.objects.filter(manufacturer=manufacturer).count())


def build_demo_partners(
    manufacturer: Manufacturer, rng: random.Random, report: "DemoReport"
) -> None:
    from partners.models import Offer

    if Offer.objects.filter(manufacturer=manufacturer).exists():
        return
    tiers = {tier.name: tier for tier in tiers_create_defaults(manufacturer=manufacturer)}
    bronze, silver, gold = tiers["Bronze"], tiers["Silver"], tiers["Gold"]
    _rate_orders(manufacturer, rng, report)
    scorecards_refresh(manufacturer=manufacturer)
    report.count("scorecards", Scorecard.objects.filter(manufacturer=manufacturer).count())
    ranked = _by_orders(manufacturer)
    if len(ranked) < 12:
        return
    manager = manufacturer.memberships.filter(role=Role.MANAGER).select_related("user").first()
    by = manager.user if manager else None

    flagship = next(
        (p for p in ranked if p.reseller.public_id == SILVER_LOGIN.get(manufacturer.slug)), None
    )
    golds = [p for p in ranked[:3] if p != flagship]
    silvers = [p for p in ranked[3:8] if p != flagship]
    if flagship is not None:
        silvers.append(flagship)
    for partnership in golds:
        _place(partnership, gold, "Quarterly business review: a strategic partner.", 200)
    for partnership in silvers:
        _place(partnership, silver, "Met the Silver criteria for three months.", 120)
    if by is not None and golds:
        PartnerTier.objects.filter(partnership=golds[0]).update(account_manager=by)
    report.count("partner tiers", len(golds) + len(silvers))
    _meetings(manufacturer, silvers, golds, by, report)
    placed = {p.pk for p in golds + silvers}
    bronzes = [p for p in ranked if p.pk not in placed]
    rising = _promotion_candidate(bronzes, silver)
    _earn_promotion(rising, silver, by)
    scorecards_refresh(manufacturer=manufacturer)  # the months those orders touched
    bronzes = [rising, *(p for p in bronzes if p != rising)]
    _propose(rising, bronze, silver, silver)  # a pending promotion
    _propose(golds[-1], gold, silver, gold)  # a pending demotion
    report.count("tier proposals", 2)

    today = timezone.localdate()
    starts, ends = today - timedelta(days=10), today + timedelta(days=60)
    product_ids = list(
        manufacturer.products.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
    )[:3]
    offers = [
        OfferValues(
            title="Spring install bundle",
            terms="Three products at a bundle price, for orders placed before the end date.",
            price=Decimal("1490.00"),
            visibility=Visibility.PUBLIC,
            items=dict.fromkeys(product_ids, 1),
            starts_on=starts,
            ends_on=ends,
        ),
        OfferValues(
            title="Partner pricing on the new range",
            terms="Silver and Gold partners order the new range at the launch price.",
            price=Decimal("990.00"),
            visibility=Visibility.PREFERRED,
            min_tier=silver,
            items=dict.fromkeys(product_ids[:1], 2),
            starts_on=starts,
            ends_on=ends,
        ),
        OfferValues(
            title="Summer launch: preview",
            terms="Opens to all partners in five days; Silver and Gold see it first.",
            price=Decimal("1190.00"),
            visibility=Visibility.PUBLIC,
            starts_on=today + timedelta(days=5),
            ends_on=today + timedelta(days=90),
        ),
        OfferValues(
            title="Showroom display set",
            terms="A display set for named partners' showrooms.",
            price=Decimal("450.00"),
            visibility=Visibility.SELECTED,
            recipient_ids=[p.pk for p in (flagship, *golds[:1]) if p is not None],
            starts_on=starts,
            ends_on=ends,
        ),
    ]
    saved = [offer_save(manufacturer=manufacturer, offer=None, values=v) for v in offers]
    Offer.objects.filter(pk__in=[o.pk for o in saved]).update(
        is_published=True, published_at=timezone.now() - timedelta(days=10)
    )
    report.count("offers", len(saved))
    _announcements(manufacturer, silver, [p for p in (flagship, *golds[:1]) if p], by, report)

    troubled, blocked = bronzes[1], bronzes[2]
    incident = incident_raise(
        partnership=troubled,
        kind="high_cancellations",
        summary="A quarter of last month's orders were cancelled.",
        by=by,
    )
    incident_step_take(
        incident=incident,
        step="friendly_contact",
        notes="Called the owner: two customers changed their minds after the quote.",
        by=by,
    )
    incident_step_take(
        incident=incident,
        step="formal_conversation",
        notes="Meeting held; agreed to confirm stock before quoting. Review next month.",
        by=by,
    )
    serious = incident_raise(
        partnership=blocked,
        kind="complaints",
        summary="Repeated complaints about installations.",
        by=by,
    )
    for step, notes in (
        ("friendly_contact", "Called about three complaints."),
        ("formal_conversation", "Formal meeting; a written improvement plan was agreed."),
        ("blocked_all", "No improvement after the plan: blocked from all offers."),
    ):
        incident_step_take(incident=serious, step=step, notes=notes, by=by)
    report.count("incidents", 2)

    start = add_months(month_start(today), -4)
    # In good standing: the requirement is what the partner did in its weakest month.
    weakest = min(
        Scorecard.objects.filter(
            partnership=golds[0], month__gte=start, month__lt=month_start(today)
        ).values_list("orders", flat=True),
        default=0,
    )
    for partnership, region, minimum in (
        (golds[0], Region.NORTH, weakest),
        (bronzes[3], Region.SOUTH, 20),  # in breach
    ):
        Reseller.objects.filter(pk=partnership.reseller_id).update(region=region)
        offer = offer_save(
            manufacturer=manufacturer,
            offer=None,
            values=OfferValues(
                title=f"Regional exclusive: {Region(region).label}",
                terms="Exclusive rights to the region for the contract term.",
                price=Decimal("0.00"),
                visibility=Visibility.SELECTED,
                starts_on=start,
                recipient_ids=[partnership.pk],
                regions=[region],
            ),
        )
        Offer.objects.filter(pk=offer.pk).update(is_published=True, published_at=timezone.now())
        exclusive_grant(
            partnership=partnership,
            offer=offer,
            terms=ExclusiveTerms(
                kind="regional",
                scope=region,
                starts_on=start,
                term_months=12,
                min_monthly_orders=minimum,
                min_completion_rate=None,
                renewal_criteria="Renewed for 12 months when every quarter met the requirements.",
            ),
        )
    report.count("exclusives", 2)
    PartnerNote.objects.bulk_create(
        PartnerNote(
            manufacturer=manufacturer,
            partnership=partnership,
            body=body,
            author=by,
        )
        for partnership, body in (
            (golds[0], "Quarterly business review: plans a second showroom in autumn."),
            (troubled, "Owner asked for a stock-availability feed to quote more safely."),
        )
    )
    report.count("partner notes", 2)
