"""Sales-rep services run inside the scope their real caller sets, or fail closed.

Staff assign and reassign customers in the manufacturer portal (`manufacturer_view`); the
new-order email is sent by the `orders.hooks.order_created` receiver, inside the scope of
whoever placed the order: a reseller's page (`reseller_partner_view`) or a rep's manual
order (`manufacturer_view`). The other tenant has its own rep and customer (world.foreign),
whose assignment and permissions must stay exactly as they were.
"""

import pytest
from django_scopes import ScopeError, scopes_disabled

from channel.models import PartnershipUserObjectPermission
from notifications.models import OutboxEmail
from orders.services.orders import LineRequest, order_create
from salesreps.models import PortfolioAssignment
from salesreps.services import (
    AssignmentRefused,
    order_created_notify_rep,
    portfolio_assign,
    portfolio_reassign,
)
from tests.salesreps.conftest import World
from tests.scoping import manufacturer_view_scope, reseller_partner_view_scope, worker_scope

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


@pytest.fixture
def world(world: World) -> World:
    """The sales-rep world with an empty outbox (its own orders emailed the reps already)."""
    OutboxEmail.objects.all().delete()
    return world


def current_rep(partnership):
    assignment = PortfolioAssignment.objects.filter(
        partnership=partnership, ended_at__isnull=True
    ).first()
    return assignment.rep if assignment else None


def rep_permission_holders(partnership) -> set[int]:
    return set(
        PartnershipUserObjectPermission.objects.filter(content_object=partnership).values_list(
            "user", flat=True
        )
    )


def assert_foreign_untouched(world: World) -> None:
    with scopes_disabled():
        assignments = PortfolioAssignment.objects.filter(partnership=world.foreign)
        assert [(a.rep, a.ended_at) for a in assignments] == [(world.other_rep, None)]
        assert rep_permission_holders(world.foreign) == {world.other_rep.pk}
        assert not OutboxEmail.objects.filter(manufacturer=world.other).exists()


def test_assign_and_reassign_in_the_manufacturer_view_scope(world: World):
    with manufacturer_view_scope(world.tenant):
        portfolio_assign(
            manufacturer=world.tenant, partnership=world.free, rep=world.rep_b, by=world.manager
        )
        moved = portfolio_reassign(
            manufacturer=world.tenant,
            partnerships=[world.a1, world.a2],
            to_rep=world.rep_b,
            by=world.manager,
        )

    assert moved == 2
    with scopes_disabled():
        for partnership in (world.free, world.a1, world.a2, world.b1):
            assert current_rep(partnership) == world.rep_b
            assert rep_permission_holders(partnership) == {world.rep_b.pk}
        ended = PortfolioAssignment.objects.get(partnership=world.a1, ended_at__isnull=False)
        assert (ended.rep, ended.ended_by) == (world.rep_a, world.manager)
    assert_foreign_untouched(world)


def test_a_rep_of_another_tenant_is_refused_in_the_scope(world: World):
    """In the tenant's scope the other tenant's seller is no member at all."""
    with manufacturer_view_scope(world.tenant), pytest.raises(AssignmentRefused):
        portfolio_assign(
            manufacturer=world.tenant, partnership=world.free, rep=world.other_rep, by=world.manager
        )
    with scopes_disabled():
        assert current_rep(world.free) is None
    assert_foreign_untouched(world)


def test_portfolio_services_with_no_tenant_in_scope_raise(world: World):
    with worker_scope():
        with pytest.raises(ScopeError):
            portfolio_assign(
                manufacturer=world.tenant, partnership=world.free, rep=world.rep_a, by=world.manager
            )
        with pytest.raises(ScopeError):
            portfolio_reassign(
                manufacturer=world.tenant, partnerships=[world.a1], to_rep=None, by=world.manager
            )

    with scopes_disabled():
        assert current_rep(world.free) is None
        assert current_rep(world.a1) == world.rep_a
        assert rep_permission_holders(world.a1) == {world.rep_a.pk}
    assert_foreign_untouched(world)


# --- the new-order email --------------------------------------------------------------------


def test_new_order_emails_the_rep_in_the_scope_of_either_portal(world: World):
    with reseller_partner_view_scope(world.a1):
        by_reseller = order_create(
            partnership=world.a1,
            lines=[LineRequest(product_id=world.product.pk, quantity=1)],
            created_by=world.reseller_user,
            own_use=True,
        )
    with manufacturer_view_scope(world.tenant):
        order_create(
            partnership=world.b1,
            lines=[LineRequest(product_id=world.product.pk, quantity=2)],
            created_by=world.manager,
            own_use=True,
            is_manual=True,
        )
        # A rep's own manual order for their customer tells nobody.
        order_create(
            partnership=world.a2,
            lines=[LineRequest(product_id=world.product.pk, quantity=1)],
            created_by=world.rep_a,
            own_use=True,
            is_manual=True,
        )

    with scopes_disabled():
        emails = OutboxEmail.objects.filter(kind="order_created").order_by("pk")
        assert [(e.manufacturer, e.recipient) for e in emails] == [
            (world.tenant, world.rep_a.email),
            (world.tenant, world.rep_b.email),
        ]
        assert by_reseller.number in emails[0].subject
    assert_foreign_untouched(world)


def test_new_order_hook_with_no_tenant_in_scope_raises(world: World):
    with worker_scope(), pytest.raises(ScopeError):
        order_created_notify_rep(order=world.orders["a1"])

    with scopes_disabled():
        assert not OutboxEmail.objects.exists()
    assert_foreign_untouched(world)
