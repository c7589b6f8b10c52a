"""A believable reseller channel to explore, built through the same services the pages use.

Every step is idempotent: it looks for what it would create and creates only what is
missing, so `make run` can load the demo again and again. A fixed random seed keeps the
names and figures the same on every machine.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import F, Max, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Manufacturer, Region, Reseller, ResellerType, Role, User
from accounts.services import (
    manufacturer_create,
    membership_add,
    reseller_create,
    reseller_user_add,
    user_create,
    user_preferences_update,
)
from channel.models import Partnership, PartnershipStatus
from channel.services import partnership_create
from demo.affiliate import build_demo_affiliate
from demo.catalog import build_demo_catalog
from demo.commissions import build_demo_commissions
from demo.communications import build_demo_communications
from demo.orders import build_demo_orders
from demo.partners import build_demo_partners
from demo.qualifications import build_demo_qualifications
from demo.salesreps import assign_demo_portfolios
from notifications.models import Notification

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DEMO_PASSWORD = "channel-demo"  # noqa: S105 - published demo logins, never a real account
FLAGSHIP_RESELLER_ID = "36G8J2Z"


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    # What they read the portal in (accounts.i18n): language, region of formats, time zone.
    language: str = "en"
    region: str = ""
    time_zone: str = "Europe/Berlin"


@dataclass(frozen=True)
class DemoManufacturer:
    name: str
    slug: str
    currency: str
    domain: str
    owner: DemoUser
    manager: DemoUser
    reps: tuple[DemoUser, DemoUser]


MANUFACTURERS = (
    DemoManufacturer(
        name="Northwind Audio",
        slug="northwind",
        currency="EUR",
        domain="northwind.example",
        owner=DemoUser("olivia.owner@northwind.example", "Olivia", "Hartmann"),
        manager=DemoUser("marco.manager@northwind.example", "Marco", "Bianchi"),
        reps=(
            DemoUser("sara.rep@northwind.example", "Sara", "Lindqvist"),
            DemoUser("tom.rep@northwind.example", "Tom", "Okafor"),
        ),
    ),
    DemoManufacturer(
        name="Helios Lighting",
        slug="helios",
        currency="EUR",
        domain="helios.example",
        owner=DemoUser("henrik.owner@helios.example", "Henrik", "Aalto"),
        manager=DemoUser("maya.manager@helios.example", "Maya", "Fernández"),
        reps=(
            DemoUser("lena.rep@helios.example", "Lena", "Novak"),
            # The Spanish-speaking rep (Latin America's manual): Mexican formats and time.
            DemoUser(
                "lucia.rep@helios.example", "Lucía", "Ramírez", "es", "MX", "America/Mexico_City"
            ),
        ),
    ),
)
# The French-Canadian manager of Helios (the distributor's manual is Canada's).
FRENCH_CANADIAN_MANAGER = DemoUser(
    "chloe.manager@helios.example", "Chloé", "Tremblay", "fr", "CA", "America/Toronto"
)
# Soundhouse's Italian colleague of anna@: both read the same emails, each in their language.
ITALIAN_RESELLER_USER = DemoUser(
    "giulia@soundhouse.example", "Giulia", "Rossi", "it", "", "Europe/Rome"
)

# A consultant who manages both channels shows the organisation switcher.
GROUP_USER = DemoUser("grace.group@channel.example", "Grace", "Whitfield")

CITIES = {
    Region.NORTH: ["Hamburg", "Bremen", "Kiel", "Rostock", "Lübeck", "Hanover"],
    Region.SOUTH: ["Munich", "Stuttgart", "Nuremberg", "Augsburg", "Freiburg", "Regensburg"],
    Region.EAST: ["Berlin", "Leipzig", "Dresden", "Potsdam", "Erfurt", "Magdeburg"],
    Region.WEST: ["Cologne", "Düsseldorf", "Dortmund", "Essen", "Aachen", "Bonn"],
    Region.CENTRAL: ["Frankfurt", "Kassel", "Würzburg", "Mainz", "Wiesbaden", "Fulda"],
    Region.INTERNATIONAL: ["Vienna", "Zurich", "Amsterdam", "Copenhagen", "Prague", "Milan"],
}
NAME_STEMS = [
    "Soundhouse",
    "Brightline",
    "Clearwave",
    "Lumen Works",
    "Studio Nord",
    "Hifi Corner",
    "Pixel & Tone",
    "Voltage",
    "Resonance",
    "Lightcraft",
    "Audiofactory",
    "Signal Store",
    "Beacon",
    "Echo Systems",
    "Prism",
    "Mediapoint",
    "Bassline",
    "Glow Design",
    "Stagecraft",
    "Klangwerk",
    "Vista Home",
    "Sonic Rooms",
    "Aurora Electronics",
    "Cinema Select",
    "Smart Living",
    "Tech Depot",
    "Harmony",
    "Spotlight",
    "Wavefront",
    "Horizon AV",
    "Nordlicht",
    "Blue Note Audio",
    "Lichtblick",
    "Tonstudio",
    "Home Theatre Pros",
    "Urban Sound",
    "Luxe Lighting",
    "Connect AV",
    "Amplify",
    "Brilliance",
    "Audio Atelier",
    "Radiant Spaces",
    "Integra Solutions",
    "Crescendo",
    "Quantum Home",
]
SUFFIXES = ["GmbH", "KG", "AG", "& Co.", "Ltd", "e.K."]
TYPE_WEIGHTS = [
    (ResellerType.RETAILER, 10),
    (ResellerType.ONLINE_SHOP, 8),
    (ResellerType.INSTALLER, 7),
    (ResellerType.DISTRIBUTOR, 3),
    (ResellerType.SERVICE_PROVIDER, 4),
    (ResellerType.CONSULTANT, 2),
]
STREETS = [
    "Hauptstraße",
    "Bahnhofstraße",
    "Marktplatz",
    "Gartenweg",
    "Industriestraße",
    "Lindenallee",
]
RESELLER_FIRST_NAMES = [
    "Anna",
    "Jonas",
    "Lea",
    "Felix",
    "Mia",
    "Paul",
    "Emma",
    "Noah",
    "Lina",
    "Ben",
]
RESELLER_LAST_NAMES = [
    "Schmidt",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Koch",
    "Richter",
    "Wolf",
]


@dataclass
class DemoReport:
    # (email, role, organisation); a role is its translatable label.
    logins: "list[tuple[str, StrOrPromise, str]]" = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, n: int = 1) -> None:
        if n:  # "0 orders" is not something the run created
            self.created[what] = self.created.get(what, 0) + n


def _user(person: DemoUser, report: DemoReport) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = user_create(
            email=person.email,
            password=DEMO_PASSWORD,
            first_name=person.first_name,
            last_name=person.last_name,
        )
        user_preferences_update(
            user=user,
            language=person.language,
            region=person.region,
            time_zone=person.time_zone,
        )
        report.count("users")
    return user


def _membership(manufacturer: Manufacturer, user: User, role: str, report: DemoReport) -> None:
    if not manufacturer.memberships.filter(user=user).exists():
        membership_add(manufacturer=manufacturer, user=user, role=role)
        report.count("memberships")


def _slugify(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())[:20]


def build_resellers(rng: random.Random, report: DemoReport) -> list[Reseller]:
    resellers = []
    types = [t for t, weight in TYPE_WEIGHTS for _ in range(weight)]
    for index, stem in enumerate(NAME_STEMS):
        # Draw every value first, so the sequence does not depend on what already exists.
        region = list(Region)[index % len(Region)]
        slug = _slugify(stem)
        attributes = {
            "name": f"{stem} {rng.choice(SUFFIXES)}",
            "reseller_type": rng.choice(types),
            "public_email": f"sales@{slug}.example",
            "website": f"https://www.{slug}.example",
            "phone": f"+49 {rng.randint(30, 89)} {rng.randint(100000, 999999)}",
            "street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
            "postal_code": f"{rng.randint(10000, 99999)}",
            "city": rng.choice(CITIES[region]),
            "country": "Germany" if region != Region.INTERNATIONAL else "Europe",
            "region": region,
        }
        existing = Reseller.objects.filter(name=attributes["name"]).first()
        if existing is not None:
            resellers.append(existing)
            continue
        reseller = reseller_create(**attributes)
        if index == 0:
            # The reseller the product's own examples name ("reseller ID 36G8J2Z").
            Reseller.objects.filter(pk=reseller.pk).update(public_id=FLAGSHIP_RESELLER_ID)
            reseller.refresh_from_db()
        report.count("resellers")
        resellers.append(reseller)
    return resellers


def build_reseller_users(resellers: list[Reseller], report: DemoReport) -> None:
    for index, reseller in enumerate(resellers[:12]):
        first = RESELLER_FIRST_NAMES[index % len(RESELLER_FIRST_NAMES)]
        last = RESELLER_LAST_NAMES[index % len(RESELLER_LAST_NAMES)]
        domain = reseller.public_email.split("@")[-1] or "reseller.example"
        user = _user(DemoUser(f"{first.lower()}@{domain}", first, last), report)
        if not reseller.memberships.filter(user=user).exists():
            reseller_user_add(reseller=reseller, user=user)
            report.count("reseller users")
        if index < 3:
            report.logins.append((user.email, "Reseller user", reseller.name))
        if reseller.public_id == FLAGSHIP_RESELLER_ID:
            italian = _user(ITALIAN_RESELLER_USER, report)
            if not reseller.memberships.filter(user=italian).exists():
                reseller_user_add(reseller=reseller, user=italian)
                report.count("reseller users")
            report.logins.append((italian.email, "Reseller user (Italiano)", reseller.name))


def build_manufacturer(
    spec: DemoManufacturer, resellers: list[Reseller], rng: random.Random, report: DemoReport
) -> Manufacturer:
    manufacturer = Manufacturer.objects.filter(slug=spec.slug).first()
    if manufacturer is None:
        manufacturer = manufacturer_create(name=spec.name, slug=spec.slug, currency=spec.currency)
        report.count("manufacturers")
    for person, role in (
        (spec.owner, Role.OWNER),
        (spec.manager, Role.MANAGER),
        (spec.reps[0], Role.SELLER),
        (spec.reps[1], Role.SELLER),
    ):
        _membership(manufacturer, _user(person, report), role, report)
        report.logins.append((person.email, Role(role).label, spec.name))
    if spec.slug == "helios":
        person = FRENCH_CANADIAN_MANAGER
        _membership(manufacturer, _user(person, report), Role.MANAGER, report)
        report.logins.append((person.email, Role.MANAGER.label, spec.name))

    # Each channel holds most resellers; the overlap shows resellers shared across manufacturers.
    already = set(
        Partnership.objects.filter(manufacturer=manufacturer).values_list("reseller_id", flat=True)
    )
    for reseller in resellers:
        joins, roll = rng.random(), rng.random()
        # Partners of long standing: the channel existed before its year of demo orders.
        since = timezone.now() - timedelta(days=rng.randint(380, 2200))
        if reseller.pk in already or (joins >= 0.8 and reseller.public_id != FLAGSHIP_RESELLER_ID):
            continue
        status = (
            PartnershipStatus.ACTIVE
            if roll < 0.86
            else PartnershipStatus.SUSPENDED
            if roll < 0.94
            else PartnershipStatus.ENDED
        )
        partnership = partnership_create(
            manufacturer=manufacturer, reseller=reseller, status=status
        )
        Partnership.objects.filter(pk=partnership.pk).update(created_at=since)
        report.count("partnerships")
    return manufacturer


QUALIFIED_LOGINS = {"northwind": frozenset({FLAGSHIP_RESELLER_ID})}


# The key of the PostgreSQL advisory lock one demo load holds at a time (any fixed number).
DEMO_LOCK_KEY = 20261123


def _one_load_at_a_time() -> None:
    """Wait for a load that is already running; it ends when its transaction does.

    Two `make run` at once on an empty database would both find nothing and both create,
    and the loser would crash on a unique email or slug. Behind the lock the second one
    starts after the first committed, finds everything, and changes nothing. (SQLite,
    for one developer's `make run`, has no such lock and needs none.)
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [DEMO_LOCK_KEY])


def _history_notifications_read(*, after_pk: int, unread_per_user: int = 3) -> None:
    """A year of orders, payouts and returns notifies as it happens; a demo user opens the portal
    to a bell with the latest few unread, not a hundred items of history all stamped today."""
    history = Notification.objects.filter(pk__gt=after_pk, read_at__isnull=True)
    newest = history.annotate(
        rank=Window(RowNumber(), partition_by=[F("user_id")], order_by=F("pk").desc())
    ).filter(rank__lte=unread_per_user)
    history.exclude(pk__in=newest.values("pk")).update(read_at=timezone.now())


@scopes_disabled()
@transaction.atomic
def build_demo_channel() -> DemoReport:
    _one_load_at_a_time()
    history_starts_after = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    rng = random.Random(20261123)  # noqa: S311 - demo data, not security
    report = DemoReport()
    resellers = build_resellers(rng, report)
    manufacturers = [build_manufacturer(spec, resellers, rng, report) for spec in MANUFACTURERS]
    for manufacturer in manufacturers:
        build_demo_catalog(manufacturer, rng, report)
        # Anna's company is qualified at Northwind (restricted categories) but not at Helios.
        qualified_ids = QUALIFIED_LOGINS.get(manufacturer.slug, frozenset())
        build_demo_qualifications(manufacturer, report, qualified_ids=qualified_ids)
    group_user = _user(GROUP_USER, report)
    for manufacturer in manufacturers:
        _membership(manufacturer, group_user, Role.MANAGER, report)
    report.logins.insert(
        0, (GROUP_USER.email, "Manager", " + ".join(m.name for m in manufacturers))
    )
    build_reseller_users(resellers, report)
    build_demo_orders(rng, report)
    for manufacturer in manufacturers:  # after the orders: no email per historic order
        assign_demo_portfolios(manufacturer, report=report)
    build_demo_affiliate(resellers, report)  # after the orders and their end customers
    build_demo_commissions(report)  # after the orders: their completions accrued
    _history_notifications_read(after_pk=history_starts_after)
    for manufacturer in manufacturers:
        build_demo_communications(manufacturer, rng, report)
    for manufacturer in manufacturers:  # after the orders: scorecards are built from them
        build_demo_partners(manufacturer, rng, report)
    return report
