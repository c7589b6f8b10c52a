"""The data the journeys walk through, built through services and factories."""

from dataclasses import dataclass

from accounts.models import Role, User
from channel.models import Partnership
from orders.models import Order
from orders.services.orders import LineRequest, order_create
from salesreps.services import portfolio_assign
from tests.accounts.factories import MembershipFactory, ResellerFactory, UserFactory
from tests.form_walker_world import TenantWorld, build_world
from tests.resellers.factories import PartnershipFactory


@dataclass
class Journeys:
    a: TenantWorld  # the tenant every journey walks
    manager: User
    other_seller: User
    other_partnership: Partnership  # in other_seller's portfolio, not world.a.seller's
    placed_order: Order  # waits for the manufacturer to accept it


def build_journeys() -> Journeys:
    UserFactory()
    a = build_world("acme", "Acme Audio")
    manager = MembershipFactory(
        manufacturer=a.manufacturer, role=Role.MANAGER, user=UserFactory(first_name="Mia")
    ).user
    other_seller = MembershipFactory(
        manufacturer=a.manufacturer, role=Role.SELLER, user=UserFactory(first_name="Otto")
    ).user
    other_partnership = PartnershipFactory(
        manufacturer=a.manufacturer, reseller=ResellerFactory(name="Klangwerk KG")
    )
    portfolio_assign(
        manufacturer=a.manufacturer, partnership=other_partnership, rep=other_seller, by=a.owner
    )
    placed_order = order_create(
        partnership=a.partnership,
        lines=[LineRequest(product_id=a.product.pk, quantity=1)],
        created_by=a.reseller_user,
        end_customer=a.customer,
    )
    return Journeys(
        a=a,
        manager=manager,
        other_seller=other_seller,
        other_partnership=other_partnership,
        placed_order=placed_order,
    )
