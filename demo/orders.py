"""Demo orders: about a year of ordering per active partnership, built through the services.

Each reseller gets a handful of end customers; each active partnership gets 1–4 orders a
month (fewer for small resellers) in every status: older orders are mostly completed,
recent ones spread over awaiting payment, placed, accepted and fulfilled, and some were
rejected or cancelled. Some are for the reseller's own use, some were entered manually by
the manufacturer's sales reps, and a few completed orders had goods returned.

Orders go through `order_create(created_at=…)` and `order_transition(at=…)`, so timelines
read like real ones and every hook (commissions, rep emails) sees what the pages would.
Idempotent: a partnership that already has orders is skipped.
"""

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Manufacturer, Reseller, Role, User
from catalog.gate import orderable_products
from catalog.models import Product, ProductKind
from channel.models import EndCustomer, Partnership, PartnershipStatus
from orders.models import NoteSide, Order, OrderNote, OrderStatus, PaymentLink
from orders.services.orders import (
    LineRequest,
    ReturnLineRequest,
    order_create,
    order_note_add,
    order_return_create,
    order_transition,
)
from orders.services.payment_links import payment_link_create
from orders.workflow import MANUFACTURER, RESELLER, SYSTEM

if TYPE_CHECKING:
    from demo.channel import DemoReport

S = OrderStatus
# (when an order is placed, what places it): planned per partnership, placed in date order.
OrderPlan = tuple[datetime, Callable[[datetime], None]]

PERSON_FIRST = [
    "Julia", "Lukas", "Sophie", "Maximilian", "Hannah", "Elias", "Laura", "Leon", "Clara",
    "David", "Marie", "Moritz", "Johanna", "Simon", "Katharina", "Niklas", "Greta", "Tobias",
]  # fmt: skip
PERSON_LAST = [
    "Müller", "Schneider", "Fischer", "Weber", "Schulz", "Neumann", "Zimmermann", "Braun",
    "Krüger", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Lehmann", "Köhler",
]  # fmt: skip
COMPANIES = [
    "Hotel Seeblick", "Café Morgenrot", "Praxis Dr. Weber", "Kanzlei Brandt & Partner",
    "Autohaus Keller", "Restaurant Alte Mühle", "Fitnessstudio Pulse", "Galerie Nordlicht",
    "Weingut Sonnenhang", "Bäckerei Kornblume", "Zahnarztpraxis Lächeln", "Yoga Loft",
    "Tagungshaus am Park", "Buchhandlung Seitenweise", "Architekturbüro Linie", "Kita Sonnenschein",
    "Stadtbibliothek", "Gemeindezentrum St. Paul", "Boutique Hotel Adler", "Musikschule Allegro",
]  # fmt: skip
CITIES = ["Hamburg", "Munich", "Berlin", "Cologne", "Frankfurt", "Leipzig", "Stuttgart", "Bremen"]
MANUFACTURER_NOTES = [
    "Shipped in two parcels; tracking sent to the reseller.",
    "Customer asked for delivery after 2 pm.",
    "Serial numbers recorded for the warranty.",
    "Stock reserved from the spring allocation.",
]
INTERNAL_NOTES = [
    "Check payment terms before the next order.",
    "Follow up: possible larger project in Q3.",
    "Priority customer, ship from the central warehouse.",
]
RESELLER_NOTES = [
    "Installation booked for the week after delivery.",
    "Customer wants an invoice addressed to the head office.",
    "Part of the showroom refit.",
]
REJECT_REASONS = [
    "Product discontinued in this market.",
    "Credit limit exceeded; please pay open invoices first.",
    "Installer qualification required for this configuration.",
]
CANCEL_REASONS = [
    "Customer changed their mind.",
    "Ordered twice by mistake.",
    "Project postponed to next year.",
]


def _ensure_end_customers(
    reseller: Reseller, rng: random.Random, report: "DemoReport"
) -> list[EndCustomer]:
    customers = list(EndCustomer.objects.filter(reseller=reseller))
    if customers:
        return customers
    domain = (reseller.public_email.split("@")[-1] if reseller.public_email else "") or (
        "customer.example"
    )
    for index in range(rng.randint(3, 8)):
        first, last = rng.choice(PERSON_FIRST), rng.choice(PERSON_LAST)
        company = rng.choice(COMPANIES) if rng.random() < 0.6 else ""
        local = f"{first}.{last}".lower().replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")
        customers.append(
            EndCustomer.objects.create(
                reseller=reseller,
                name=f"{first} {last}",
                company=company,
                email=f"{local}.{index}@kunden.{domain}",
                phone=f"+49 {rng.randint(30, 89)} {rng.randint(1000000, 9999999)}",
                street=f"{rng.choice(['Ringstraße', 'Am Markt', 'Parkweg', 'Schulstraße'])} "
                f"{rng.randint(1, 80)}",
                postal_code=f"{rng.randint(10000, 99999)}",
                city=rng.choice(CITIES),
                country="Germany",
            )
        )
    report.count("end customers", len(customers))
    return customers


def _lines(rng: random.Random, products: list[Product]) -> list[LineRequest]:
    chosen = rng.sample(products, k=min(len(products), rng.choice([1, 1, 2, 2, 3, 4])))
    return [
        LineRequest(
            product_id=product.pk,
            quantity=rng.randint(1, 2)
            if product.kind == ProductKind.SERVICE
            else rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 10]),
        )
        for product in chosen
    ]


def _plan_orders(
    *,
    partnership: Partnership,
    rng: random.Random,
    products: list[Product],
    customers: list[EndCustomer],
    reps: list[User],
    staff: list[User],
    buyer: User | None,
    now: datetime,
    report: "DemoReport",
) -> list[OrderPlan]:
    """(placed_at, create) for a year of this partnership's orders; `create()` places one
    and walks it along the workflow. Planned first so a tenant's numbers follow the dates."""
    # Orders a month, small … large reseller: most resellers order now and then.
    monthly = rng.choices([(0, 1), (1, 2), (1, 3), (2, 4)], weights=[35, 35, 20, 10])[0]
    plans: list[OrderPlan] = []

    def create(placed_at: datetime) -> None:
        own_use = rng.random() < 0.15
        manual = rng.random() < 0.1 and bool(reps)
        awaiting = not manual and rng.random() < 0.15
        order = order_create(
            partnership=partnership,
            lines=_lines(rng, products),
            created_by=rng.choice(reps) if manual else buyer,
            end_customer=None if own_use else rng.choice(customers),
            own_use=own_use,
            customer_pays=awaiting and not own_use,
            is_manual=manual,
            status=S.AWAITING_PAYMENT if awaiting else S.PLACED,
            created_at=placed_at,
        )
        _advance(order, rng=rng, staff=staff, buyer=buyer, now=now, report=report)

    for months_ago in range(11, -1, -1):
        for _ in range(rng.randint(*monthly)):
            placed_at = now - timedelta(days=months_ago * 30 + rng.uniform(0, 30))
            if placed_at < now - timedelta(minutes=30):
                plans.append((placed_at, create))
    return plans


def _advance(
    order: Order,
    *,
    rng: random.Random,
    staff: list[User],
    buyer: User | None,
    now: datetime,
    report: "DemoReport",
) -> None:
    """Walk the order along the workflow while each step's time is in the past."""
    at = order.created_at
    fate = rng.random()

    def step(
        to_status: str, side: str, who: User | None, delay_days: float, reason: str = ""
    ) -> bool:
        nonlocal at
        when = at + timedelta(days=delay_days)
        if when >= now:
            return False
        order_transition(
            order=order, to_status=to_status, side=side, changed_by=who, reason=reason, at=when
        )
        at = when
        return True

    if order.status == S.AWAITING_PAYMENT:
        if now - at < timedelta(days=5):  # the customer has not paid yet
            _send_payment_link(order, at)
            return
        if fate < 0.05:
            step(S.CANCELLED, RESELLER, buyer, rng.uniform(1, 5), rng.choice(CANCEL_REASONS))
            return
        if not step(S.PLACED, SYSTEM, None, rng.uniform(0.2, 8)):
            return
    manager = rng.choice(staff)
    if fate < 0.05:
        step(S.REJECTED, MANUFACTURER, manager, rng.uniform(0.5, 4), rng.choice(REJECT_REASONS))
        return
    if fate < 0.09:
        step(S.CANCELLED, RESELLER, buyer, rng.uniform(0.1, 1), rng.choice(CANCEL_REASONS))
        return
    if not step(S.ACCEPTED, MANUFACTURER, manager, rng.uniform(0.5, 5)):
        return
    if fate < 0.11:
        step(
            S.CANCELLED,
            MANUFACTURER,
            manager,
            rng.uniform(0.5, 3),
            "Out of stock until next quarter.",
        )
        return
    if not step(S.FULFILLED, MANUFACTURER, manager, rng.uniform(2, 10)):
        return
    if rng.random() < 0.12:
        _note(order, rng, manager, buyer, at)
    if not step(S.COMPLETED, MANUFACTURER, manager, rng.uniform(10, 25)):
        return
    if rng.random() < 0.04:
        line = rng.choice(list(order.lines.all()))
        returned_at = at + timedelta(days=rng.uniform(2, 20))
        if returned_at < now:
            order_return_create(
                order=order,
                lines=[ReturnLineRequest(order_line_id=line.pk, quantity=1)],
                created_by=manager,
                reason=rng.choice(
                    ["Damaged in transit.", "Wrong colour delivered.", "Not needed."]
                ),
                returned_at=returned_at,
            )
            report.count("returns")


def _send_payment_link(order: Order, at: datetime) -> None:
    """The link the customer got by email (the demo sends no mail for the past)."""
    recipient = order.end_customer.email if order.end_customer else order.reseller.public_email
    link, _token = payment_link_create(order=order, recipient=recipient, now=at)
    PaymentLink.objects.filter(pk=link.pk).update(created_at=at)


def _note(
    order: Order, rng: random.Random, manager: User, buyer: User | None, at: datetime
) -> None:
    roll = rng.random()
    author: User | None  # a reseller's note may have no buyer behind it
    if roll < 0.5:
        author, side, body, internal = manager, NoteSide.MANUFACTURER, MANUFACTURER_NOTES, False
    elif roll < 0.75:
        author, side, body, internal = manager, NoteSide.MANUFACTURER, INTERNAL_NOTES, True
    else:
        author, side, body, internal = buyer, NoteSide.RESELLER, RESELLER_NOTES, roll < 0.87
    note = order_note_add(
        order=order, author=author, side=side, body=rng.choice(body), is_internal=internal
    )
    # Notes are stamped on creation; date the demo's at the moment they describe.
    OrderNote.objects.filter(pk=note.pk).update(created_at=at)


def build_demo_orders(rng: random.Random, report: "DemoReport") -> None:
    now = timezone.now()
    base_seed = rng.randint(0, 10**9)
    for manufacturer in Manufacturer.objects.order_by("slug"):
        members = list(manufacturer.memberships.select_related("user"))
        staff = [m.user for m in members if m.role in (Role.OWNER, Role.MANAGER)]
        reps = [m.user for m in members if m.role == Role.SELLER]
        if not staff:
            continue
        partnerships = (
            Partnership.objects.filter(manufacturer=manufacturer, status=PartnershipStatus.ACTIVE)
            .select_related("reseller", "manufacturer", "price_list")
            .order_by("reseller__name")
        )
        with_orders = set(
            Order.objects.filter(manufacturer=manufacturer).values_list("partnership_id", flat=True)
        )
        plans: list[OrderPlan] = []
        for partnership in partnerships:
            if partnership.pk in with_orders:
                continue
            reseller = partnership.reseller
            # One generator per partnership: what exists elsewhere does not change this one.
            local = random.Random(f"{base_seed}-{manufacturer.slug}-{reseller.name}")  # noqa: S311
            products = list(orderable_products(manufacturer=manufacturer, reseller=reseller))
            if not products:
                continue
            customers = _ensure_end_customers(reseller, local, report)
            buyer_membership = reseller.memberships.select_related("user").first()
            plans += _plan_orders(
                partnership=partnership,
                rng=local,
                products=products,
                customers=customers,
                reps=reps,
                staff=staff,
                buyer=buyer_membership.user if buyer_membership else None,
                now=now,
                report=report,
            )
        plans.sort(key=lambda plan: plan[0])
        for placed_at, create in plans:
            create(placed_at)
        report.count("orders", len(plans))
        _fresh_orders(manufacturer, partnerships, now, report)


def _fresh_orders(
    manufacturer: Manufacturer,
    partnerships: QuerySet[Partnership],
    now: datetime,
    report: "DemoReport",
) -> None:
    """Today's orders, awaiting payment and awaiting acceptance, so that those statuses have
    rows to look at whatever the random history left open."""
    for status, hours_ago in ((S.AWAITING_PAYMENT, 3), (S.PLACED, 6)):
        if Order.objects.filter(manufacturer=manufacturer, status=status).exists():
            continue
        made = 0
        for partnership in partnerships:
            customer = partnership.reseller.end_customers.order_by("pk").first()
            products = list(
                orderable_products(manufacturer=manufacturer, reseller=partnership.reseller)[:2]
            )
            if customer is None or not products:
                continue
            at = now - timedelta(hours=hours_ago + made)
            buyer = partnership.reseller.memberships.select_related("user").first()
            order = order_create(
                partnership=partnership,
                lines=[LineRequest(product_id=product.pk, quantity=2) for product in products],
                created_by=buyer.user if buyer else None,
                end_customer=customer,
                customer_pays=status == S.AWAITING_PAYMENT,
                status=status,
                created_at=at,
            )
            if status == S.AWAITING_PAYMENT:
                _send_payment_link(order, at)
            report.count("orders")
            made += 1
            if made == 2:
                break
