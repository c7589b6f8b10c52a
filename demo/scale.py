"""A throwaway manufacturer at scale, for `manage.py benchmark_pages --scale N`.

"Scale Test" (slug `scale-test`) gets a manager and a sales rep, about N/100 reseller
partnerships (every second one in the rep's portfolio), N conversations of two or three
messages spread over two years, and about N orders with their lines and timelines.

The few rows that carry rules (users, memberships, catalog, partnerships, portfolio
assignments with their django-guardian permissions) go through the services. The many rows
(conversations, messages, comments, orders, lines, status changes, end customers, grants)
are written with `bulk_create`: the same rows the services would write, back-dated, and
without their side effects (emails, notifications, commissions). Totals are computed the
way `orders.services.orders.order_create` computes them. Benchmark data, not a demo.

Idempotent: each step counts what is there and creates only what is missing, so running
it again with the same N adds nothing and a larger N tops the tenant up.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from django.db import connection, transaction
from django.db.models import Min, Model, OuterRef, Subquery
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import (
    Manufacturer,
    ManufacturerMembership,
    Region,
    ResellerMembership,
    ResellerType,
    Role,
    User,
)
from accounts.services import manufacturer_create, membership_add, user_create
from catalog.models import Category, Product, ProductKind, Qualification
from catalog.pricing import quantize_money
from catalog.services import category_create, product_create
from channel.models import EndCustomer, Partnership, PaymentMethod, QualifyingStatus, ShippingMethod
from channel.services import reseller_onboard
from communications.models import (
    DONE_EMOJI,
    Conversation,
    ConversationType,
    Message,
    MessageKind,
    StaffComment,
)
from demo.channel import DEMO_PASSWORD
from demo.communications import COMMENTS, FOLLOW_UPS, OPENERS, STAFF_REPLIES
from orders.models import Order, OrderLine, OrderStatus, OrderStatusChange, OrderTally, SaleKind
from orders.services.orders import order_numbers_draw
from orders.summaries import tally_rebuild
from qualifications.models import QualificationGrant
from qualifications.services import qualification_create
from salesreps.models import PortfolioAssignment
from salesreps.services import portfolio_assign, rep_permissions

SLUG = "scale-test"
NAME = "Scale Test"
MANAGER_EMAIL = "manager@scale-test.example"
REP_EMAIL = "rep@scale-test.example"
RESELLER_DOMAIN = "scale-reseller.example"
CONVERSATIONS_PER_PARTNERSHIP = 100
PRODUCTS = 24
END_CUSTOMERS_PER_RESELLER = 3
HISTORY_DAYS = 730
BATCH = 2000  # rows per INSERT
CHUNK = 5000  # conversations or orders built in memory at once

S = OrderStatus
# The workflow's main path; a final status is reached by walking it (orders.workflow).
MAIN_PATH = (S.PLACED, S.ACCEPTED, S.FULFILLED, S.COMPLETED)
CITIES = ["Hamburg", "Munich", "Berlin", "Cologne", "Frankfurt", "Leipzig", "Stuttgart", "Bremen"]


@dataclass
class ScaleReport:
    manufacturer: Manufacturer | None = None
    created: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def count(self, what: str, n: int) -> None:
        if n:
            self.created[what] = self.created.get(what, 0) + n


def build_scale_channel(*, size: int, seed: int = 1) -> ScaleReport:
    """Make `scale-test` hold about `size` conversations and orders (see the module doc)."""
    report = ScaleReport()
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
    now = timezone.now()
    with scopes_disabled(), transaction.atomic():
        manufacturer = _manufacturer(report)
        manager, rep = _staff(manufacturer, report)
        products = _catalog(manufacturer, report)
        partnerships = _partnerships(
            manufacturer, max(size // CONVERSATIONS_PER_PARTNERSHIP, 2), rng, report
        )
        buyers = _reseller_users(partnerships, report)
        customers = _end_customers(partnerships, report)
        _portfolio(manufacturer, partnerships, rep=rep, manager=manager, report=report)
        _grants(manufacturer, partnerships, manager=manager, now=now, report=report)
        weights = _activity(partnerships, rng)
        _conversations(
            manufacturer,
            size,
            partnerships,
            weights,
            buyers=buyers,
            staff=[manager, rep],
            rng=rng,
            now=now,
            report=report,
        )
        _orders(
            manufacturer,
            size,
            partnerships,
            weights,
            products=products,
            buyers=buyers,
            customers=customers,
            rep=rep,
            manager=manager,
            rng=rng,
            now=now,
            report=report,
        )
        if report.created.get("orders"):
            # bulk_create skips the services that keep the tallies: compute them once.
            tally_rebuild(manufacturer_id=manufacturer.pk)
    if report.created:
        _analyze()
    report.manufacturer = manufacturer
    report.seconds = time.perf_counter() - started
    return report


def _analyze() -> None:
    """Tidy PostgreSQL up after a bulk load the way autovacuum soon would: fresh planner
    statistics, the visibility map (index-only scans) and the GIN pending list merged into
    the trigram index. Measuring right after the load would measure the wrong plans."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    models: tuple[type[Model], ...] = (
        Partnership, EndCustomer, QualificationGrant, Conversation, Message, StaffComment,
        Order, OrderLine, OrderStatusChange, OrderTally,
    )  # fmt: skip
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")


# --- the tenant and its people -------------------------------------------------------------


def _manufacturer(report: ScaleReport) -> Manufacturer:
    manufacturer = Manufacturer.objects.filter(slug=SLUG).first()
    if manufacturer is None:
        manufacturer = manufacturer_create(name=NAME, slug=SLUG)
        report.count("manufacturers", 1)
    return manufacturer


def _member(
    manufacturer: Manufacturer, email: str, first: str, role: str, report: ScaleReport
) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, password=DEMO_PASSWORD, first_name=first, last_name="Scale")
        report.count("users", 1)
    if not ManufacturerMembership.objects.filter(manufacturer=manufacturer, user=user).exists():
        membership_add(manufacturer=manufacturer, user=user, role=role)
        report.count("memberships", 1)
    return user


def _staff(manufacturer: Manufacturer, report: ScaleReport) -> tuple[User, User]:
    manager = _member(manufacturer, MANAGER_EMAIL, "Mia", Role.MANAGER, report)
    rep = _member(manufacturer, REP_EMAIL, "Rex", Role.SELLER, report)
    return manager, rep


def _catalog(manufacturer: Manufacturer, report: ScaleReport) -> list[Product]:
    products = list(Product.objects.filter(manufacturer=manufacturer).order_by("pk"))
    if len(products) >= PRODUCTS:
        return products
    category = Category.objects.filter(manufacturer=manufacturer).first() or category_create(
        manufacturer=manufacturer, name="Scale goods"
    )
    rng = random.Random(len(products))  # noqa: S311 - benchmark data
    for index in range(len(products), PRODUCTS):
        products.append(
            product_create(
                manufacturer=manufacturer,
                category=category,
                sku=f"SC-{index + 1:04d}",
                name=f"Scale product {index + 1:02d}",
                price=Decimal(rng.randrange(990, 199_000)) / 100,
                kind=ProductKind.SERVICE if index % 6 == 5 else ProductKind.PHYSICAL,
            )
        )
        report.count("products", 1)
    return products


def _partnerships(
    manufacturer: Manufacturer, target: int, rng: random.Random, report: ScaleReport
) -> list[Partnership]:
    partnerships = list(
        Partnership.objects.filter(manufacturer=manufacturer).select_related("reseller")
    )
    made = [
        reseller_onboard(
            manufacturer=manufacturer,
            name=f"Scale Reseller {index + 1:05d}",
            reseller_type=rng.choice(ResellerType.values),
            public_email=f"shop{index + 1}@{RESELLER_DOMAIN}",
            city=rng.choice(CITIES),
            country="Germany",
            region=rng.choice(Region.values),
        )
        for index in range(len(partnerships), target)
    ]
    for partnership in made:  # commercial conditions and qualifying status, one UPDATE each
        partnership.qualifying_status = rng.choice(QualifyingStatus.values)
        partnership.discount_percent = Decimal(rng.choice([0, 0, 0, 5, 10, 15]))
        partnership.payment_method = rng.choice(PaymentMethod.values)
        partnership.shipping_method = rng.choice(ShippingMethod.values)
    Partnership.objects.bulk_update(
        made,
        ["qualifying_status", "discount_percent", "payment_method", "shipping_method"],
        batch_size=BATCH,
    )
    report.count("partnerships", len(made))
    return sorted(partnerships + made, key=lambda p: p.pk)


def _reseller_users(partnerships: list[Partnership], report: ScaleReport) -> dict[int, int]:
    """One login per reseller (no usable password); reseller_id -> user id."""
    reseller_ids = [p.reseller_id for p in partnerships]
    buyers = dict(
        ResellerMembership.objects.filter(reseller_id__in=reseller_ids)
        .order_by("reseller_id", "-pk")
        .values_list("reseller_id", "user_id")
    )
    missing = [p.reseller for p in partnerships if p.reseller_id not in buyers]
    users = []
    for reseller in missing:
        user = User(
            email=f"buyer.{reseller.public_id.lower()}@{RESELLER_DOMAIN}",
            first_name="Buyer",
            last_name=reseller.name,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=BATCH)
    ResellerMembership.objects.bulk_create(
        [ResellerMembership(reseller=r, user=u) for r, u in zip(missing, users, strict=True)],
        batch_size=BATCH,
    )
    buyers.update({r.pk: u.pk for r, u in zip(missing, users, strict=True)})
    report.count("reseller users", len(users))
    return buyers


def _end_customers(partnerships: list[Partnership], report: ScaleReport) -> dict[int, list[int]]:
    """reseller_id -> ids of its end customers."""
    reseller_ids = {p.reseller_id for p in partnerships}
    customers: dict[int, list[int]] = {}
    for reseller_id, pk in EndCustomer.objects.filter(reseller_id__in=reseller_ids).values_list(
        "reseller_id", "pk"
    ):
        customers.setdefault(reseller_id, []).append(pk)
    made = [
        EndCustomer(
            reseller_id=reseller_id,
            name=f"Customer {index + 1} of {reseller_id}",
            email=f"customer{index + 1}.{reseller_id}@end-customer.example",
            city=CITIES[(reseller_id + index) % len(CITIES)],
            country="Germany",
        )
        for reseller_id in sorted(reseller_ids - customers.keys())
        for index in range(END_CUSTOMERS_PER_RESELLER)
    ]
    EndCustomer.objects.bulk_create(made, batch_size=BATCH)
    for customer in made:
        customers.setdefault(customer.reseller_id, []).append(customer.pk)
    report.count("end customers", len(made))
    return customers


def _portfolio(
    manufacturer: Manufacturer,
    partnerships: list[Partnership],
    *,
    rep: User,
    manager: User,
    report: ScaleReport,
) -> None:
    """Every second customer goes to the rep, through the one service that grants access."""
    assigned = set(
        PortfolioAssignment.objects.filter(
            manufacturer=manufacturer, ended_at__isnull=True
        ).values_list("partnership_id", flat=True)
    )
    perms = rep_permissions()
    todo = [p for p in partnerships[::2] if p.pk not in assigned]
    for partnership in todo:
        portfolio_assign(
            manufacturer=manufacturer, partnership=partnership, rep=rep, by=manager, _perms=perms
        )
    report.count("portfolio assignments", len(todo))


def _grants(
    manufacturer: Manufacturer,
    partnerships: list[Partnership],
    *,
    manager: User,
    now: datetime,
    report: ScaleReport,
) -> None:
    """A default qualifying code, held by the qualified partnerships (the inbox shows it)."""
    qualification = Qualification.objects.filter(manufacturer=manufacturer, is_default=True).first()
    if qualification is None:
        qualification = qualification_create(
            manufacturer=manufacturer,
            code="SCALE-CERTIFIED",
            name="Scale certified partner",
            is_default=True,
        )
        report.count("qualifications", 1)
    holding = set(
        QualificationGrant.objects.filter(
            qualification=qualification, revoked_at__isnull=True
        ).values_list("partnership_id", flat=True)
    )
    made = [
        QualificationGrant(
            manufacturer=manufacturer,
            partnership=partnership,
            qualification=qualification,
            granted_at=now - timedelta(days=365),
            granted_by=manager,
        )
        for partnership in partnerships
        if partnership.qualifying_status == QualifyingStatus.QUALIFIED
        and partnership.pk not in holding
    ]
    QualificationGrant.objects.bulk_create(made, batch_size=BATCH)
    report.count("qualification grants", len(made))


def _activity(partnerships: list[Partnership], rng: random.Random) -> list[float]:
    """How busy each partnership is: a few large resellers, a long tail of small ones."""
    return [rng.paretovariate(1.2) for _ in partnerships]


def _moments(count: int, rng: random.Random, now: datetime) -> list[datetime]:
    """`count` moments over the last two years, oldest first."""
    span = HISTORY_DAYS * 86400 - 3600
    return sorted(now - timedelta(seconds=3600 + rng.random() * span) for _ in range(count))


def _in_chunks(total: int, build: Callable[[int, int], None]) -> None:
    for start in range(0, total, CHUNK):
        build(start, min(start + CHUNK, total))


# --- conversations -------------------------------------------------------------------------


def _conversations(
    manufacturer: Manufacturer,
    size: int,
    partnerships: list[Partnership],
    weights: list[float],
    *,
    buyers: dict[int, int],
    staff: list[User],
    rng: random.Random,
    now: datetime,
    report: ScaleReport,
) -> None:
    missing = size - Conversation.objects.filter(manufacturer=manufacturer).count()
    if missing <= 0:
        return
    moments = _moments(missing, rng, now)
    kinds = ConversationType.values

    def build(start: int, stop: int) -> None:
        conversations, threads = [], []
        for last_at in moments[start:stop]:
            partnership = rng.choices(partnerships, weights)[0]
            kind = rng.choice(kinds)
            subject, opener = rng.choice(OPENERS[kind])
            # Old conversations are mostly triaged; recent ones are mostly new leads.
            marked = rng.random() < (0.85 if last_at < now - timedelta(days=30) else 0.3)
            steps = rng.choice([2, 3, 3])
            gaps = sorted(rng.uniform(0, 10 * 86400) for _ in range(steps - 1))
            sent = [last_at - timedelta(seconds=gap) for gap in reversed(gaps)] + [last_at]
            conversations.append(
                Conversation(
                    manufacturer=manufacturer,
                    partnership=partnership,
                    kind=kind,
                    subject=subject,
                    mark=DONE_EMOJI if marked else "",
                    marked_at=min(last_at + timedelta(hours=2), now) if marked else None,
                    last_message_at=last_at,
                )
            )
            threads.append((partnership, opener, sent, marked))
        Conversation.objects.bulk_create(conversations, batch_size=BATCH)
        messages, comments = [], []
        for conversation, (partnership, opener, sent, marked) in zip(
            conversations, threads, strict=True
        ):
            buyer = buyers.get(partnership.reseller_id)
            kinds_sent = [MessageKind.RESELLER, MessageKind.STAFF, MessageKind.RESELLER]
            bodies = [opener, rng.choice(STAFF_REPLIES), rng.choice(FOLLOW_UPS)]
            thread = [
                Message(
                    manufacturer=manufacturer,
                    conversation=conversation,
                    kind=kind,
                    author_id=buyer if kind == MessageKind.RESELLER else rng.choice(staff).pk,
                    body=body,
                    created_at=at,
                )
                for kind, body, at in zip(kinds_sent, bodies, sent, strict=False)
            ]
            if marked:  # "mark as done" puts ✅ on the newest message from the reseller
                [m for m in thread if m.kind == MessageKind.RESELLER][-1].emoji = DONE_EMOJI
            messages.extend(thread)
            if rng.random() < 0.1:
                comments.append(
                    StaffComment(
                        manufacturer=manufacturer,
                        conversation=conversation,
                        author=staff[0],
                        body=rng.choice(COMMENTS),
                        created_at=sent[0] + timedelta(minutes=30),
                    )
                )
        Message.objects.bulk_create(messages, batch_size=BATCH)
        StaffComment.objects.bulk_create(comments, batch_size=BATCH)
        report.count("conversations", len(conversations))
        report.count("messages", len(messages))
        report.count("staff comments", len(comments))

    created_since = timezone.now()
    _in_chunks(missing, build)
    # created_at is auto_now_add, which bulk_create stamps "now": back-date it to the first
    # message, in one UPDATE.
    first_message = (
        Message.objects.filter(conversation=OuterRef("pk"))
        .order_by()
        .values("conversation")
        .annotate(first=Min("created_at"))
        .values("first")
    )
    Conversation.objects.filter(manufacturer=manufacturer, created_at__gte=created_since).update(
        created_at=Subquery(first_message)
    )


# --- orders --------------------------------------------------------------------------------


def _final_status(placed_at: datetime, now: datetime, rng: random.Random) -> str:
    age = now - placed_at
    if age > timedelta(days=60):
        return rng.choices(
            [S.COMPLETED, S.CANCELLED, S.REJECTED, S.FULFILLED], weights=[80, 8, 5, 7]
        )[0]
    if age < timedelta(days=2):
        return rng.choice([S.AWAITING_PAYMENT, S.PLACED, S.PLACED])
    return rng.choices(
        [S.PLACED, S.ACCEPTED, S.FULFILLED, S.COMPLETED, S.CANCELLED], weights=[15, 25, 25, 30, 5]
    )[0]


def _timeline(final: str) -> list[tuple[str, str]]:
    """(from, to) steps from a new order to `final`, along orders.workflow's transitions."""
    if final == S.AWAITING_PAYMENT:
        return [("", S.AWAITING_PAYMENT)]
    if final in (S.REJECTED, S.CANCELLED):
        return [("", S.PLACED), (S.PLACED, final)]
    path = MAIN_PATH[: MAIN_PATH.index(final) + 1]
    return [("", S.PLACED), *pairwise(path)]


def _orders(
    manufacturer: Manufacturer,
    size: int,
    partnerships: list[Partnership],
    weights: list[float],
    *,
    products: list[Product],
    buyers: dict[int, int],
    customers: dict[int, list[int]],
    rep: User,
    manager: User,
    rng: random.Random,
    now: datetime,
    report: ScaleReport,
) -> None:
    existing = Order.objects.filter(manufacturer=manufacturer).count()
    missing = size - existing
    if missing <= 0:
        return
    moments = _moments(missing, rng, now)  # oldest first, so numbers follow the dates
    numbers = order_numbers_draw(manufacturer=manufacturer, count=missing)  # from its counter
    portfolio = {p.pk for p in partnerships[::2]}  # see _portfolio
    hundred = Decimal("100")

    def build(start: int, stop: int) -> None:
        orders, details = [], []
        for offset, placed_at in enumerate(moments[start:stop], start=start):
            partnership = rng.choices(partnerships, weights)[0]
            factor = (hundred - partnership.discount_percent) / hundred
            chosen = rng.sample(products, k=rng.choice([1, 1, 2, 2, 3]))
            lines = []
            for product in sorted(chosen, key=lambda p: p.name):
                quantity = rng.choice([1, 1, 2, 3, 5, 10])
                unit_price = quantize_money(product.price * factor)
                lines.append((product, quantity, unit_price))
            subtotal = sum((quantize_money(p.price * q) for p, q, _ in lines), Decimal("0.00"))
            total = sum((u * q for _, q, u in lines), Decimal("0.00"))
            own_use = rng.random() < 0.15 or not customers.get(partnership.reseller_id)
            manual = rng.random() < 0.1  # entered by the rep, or a manager for others' customers
            final = _final_status(placed_at, now, rng)
            orders.append(
                Order(
                    manufacturer=manufacturer,
                    partnership=partnership,
                    reseller_id=partnership.reseller_id,
                    end_customer_id=None
                    if own_use
                    else rng.choice(customers[partnership.reseller_id]),
                    own_use=own_use,
                    sale_kind=SaleKind.OWN_USE if own_use else SaleKind.WHOLESALE,
                    number=numbers[offset],
                    status=final,
                    currency=manufacturer.currency,
                    subtotal=subtotal,
                    discount_total=max(subtotal - total, Decimal("0.00")),
                    total=total,
                    payment_method=partnership.payment_method,
                    shipping_method=partnership.shipping_method,
                    created_by_id=(rep.pk if partnership.pk in portfolio else manager.pk)
                    if manual
                    else buyers.get(partnership.reseller_id),
                    is_manual=manual,
                    created_at=placed_at,
                )
            )
            details.append((lines, final, placed_at))
        Order.objects.bulk_create(orders, batch_size=BATCH)
        order_lines: list[OrderLine] = []
        changes: list[OrderStatusChange] = []
        for order, (lines, final, placed_at) in zip(orders, details, strict=True):
            order_lines.extend(
                OrderLine(
                    manufacturer=manufacturer,
                    order=order,
                    product=product,
                    sku=product.sku,
                    name=product.name,
                    quantity=quantity,
                    unit_price=unit_price,
                    line_total=unit_price * quantity,
                )
                for product, quantity, unit_price in lines
            )
            at = placed_at
            for step, (from_status, to_status) in enumerate(_timeline(final)):
                if step:
                    at = min(at + timedelta(hours=rng.uniform(2, 96)), now)
                changes.append(
                    OrderStatusChange(
                        manufacturer=manufacturer,
                        order=order,
                        from_status=from_status,
                        to_status=to_status,
                        changed_by_id=order.created_by_id if not step else manager.pk,
                        reason="Scale test" if to_status in (S.REJECTED, S.CANCELLED) else "",
                        created_at=at,
                    )
                )
        OrderLine.objects.bulk_create(order_lines, batch_size=BATCH)
        OrderStatusChange.objects.bulk_create(changes, batch_size=BATCH)
        report.count("orders", len(orders))
        report.count("order lines", len(order_lines))
        report.count("order status changes", len(changes))

    _in_chunks(missing, build)
