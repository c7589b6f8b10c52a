"""Two reps and a manager in one tenant, a rep in another, and customers and orders for each."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Manufacturer, Role, User
from catalog.models import Product
from channel.models import Partnership
from orders.models import Order
from salesreps.services import portfolio_assign
from tests.accounts.factories import (
    ManufacturerFactory,
    MembershipFactory,
    ResellerFactory,
    ResellerUserFactory,
    UserFactory,
)
from tests.catalog.factories import ProductFactory
from tests.orders.factories import make_order
from tests.resellers.factories import PartnershipFactory


@dataclass
class World:
    tenant: Manufacturer
    other: Manufacturer
    owner: User
    manager: User
    rep_a: User
    rep_b: User
    other_rep: User
    other_manager: User
    reseller_user: User
    product: Product
    a1: Partnership  # rep A
    a2: Partnership  # rep A
    b1: Partnership  # rep B
    free: Partnership  # no rep
    foreign: Partnership  # the other tenant, its rep
    orders: dict[str, Order]

    def url(self, name: str, tenant: Manufacturer | None = None, **kwargs) -> str:
        slug = (tenant or self.tenant).slug
        return reverse(name, kwargs={"manufacturer_slug": slug, **kwargs})


def member(manufacturer: Manufacturer, role: str, **fields) -> User:
    return MembershipFactory(manufacturer=manufacturer, role=role, user=UserFactory(**fields)).user


def customer(manufacturer: Manufacturer, name: str) -> Partnership:
    return PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory(name=name))


@pytest.fixture
def world(db) -> World:
    tenant = ManufacturerFactory(name="Acme Audio", slug="acme")
    other = ManufacturerFactory(name="Borealis Lighting", slug="borealis")
    owner = member(tenant, Role.OWNER)
    manager = member(tenant, Role.MANAGER)
    rep_a = member(tenant, Role.SELLER, first_name="Anna", last_name="Alpha")
    rep_b = member(tenant, Role.SELLER, first_name="Ben", last_name="Beta")
    other_rep = member(other, Role.SELLER)
    other_manager = member(other, Role.MANAGER)

    a1 = customer(tenant, "Alpha Sound One")
    a2 = customer(tenant, "Alpha Sound Two")
    b1 = customer(tenant, "Beta Hifi")
    free = customer(tenant, "Free Radio")
    foreign = customer(other, "Foreign Lamps")
    for partnership, rep, by in (
        (a1, rep_a, manager),
        (a2, rep_a, manager),
        (b1, rep_b, manager),
        (foreign, other_rep, other_manager),
    ):
        portfolio_assign(
            manufacturer=partnership.manufacturer, partnership=partnership, rep=rep, by=by
        )

    reseller_user = ResellerUserFactory(reseller=a1.reseller).user
    product = ProductFactory(manufacturer=tenant, name="Speaker")
    foreign_product = ProductFactory(manufacturer=other, name="Lamp")
    orders = {
        "a1": make_order(a1, [product]),
        "a2": make_order(a2, [product], quantities=[3]),
        "b1": make_order(b1, [product]),
        "free": make_order(free, [product]),
        "foreign": make_order(foreign, [foreign_product]),
    }
    return World(
        tenant=tenant,
        other=other,
        owner=owner,
        manager=manager,
        rep_a=rep_a,
        rep_b=rep_b,
        other_rep=other_rep,
        other_manager=other_manager,
        reseller_user=reseller_user,
        product=product,
        a1=a1,
        a2=a2,
        b1=b1,
        free=free,
        foreign=foreign,
        orders=orders,
    )


@pytest.fixture
def login():
    def make(user: User) -> Client:
        from tests.accounts.two_factor_helpers import login_as

        return login_as(Client(), user)

    return make
