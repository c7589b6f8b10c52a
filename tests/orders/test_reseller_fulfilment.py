"""A reseller moves its order on: fulfilled and completed where its manufacturer lets
resellers fulfil their own orders, otherwise it sees who moves the order next. Staff and the
customer's rep hear about every move a reseller makes."""

import pytest

from accounts.models import Role
from accounts.services import manufacturer_settings_update
from notifications.models import Notification, NotificationKind
from orders import workflow
from orders.models import Order, OrderStatus, OrderStatusChange
from orders.services.orders import OrderRefused
from orders.services.reseller_moves import order_reseller_move
from salesreps.services import portfolio_assign
from tests.accounts.factories import ResellerUserFactory
from tests.orders.factories import force_status, make_order
from tests.resellers.factories import PartnershipFactory

S = OrderStatus


def allow_resellers_to_fulfil(manufacturer, allowed=True):
    manufacturer_settings_update(
        manufacturer=manufacturer,
        name=manufacturer.name,
        currency=manufacturer.currency,
        default_commission_rate=manufacturer.default_commission_rate,
        commission_holding_weeks=manufacturer.commission_holding_weeks,
        payout_deadline_weeks=manufacturer.payout_deadline_weeks,
        resellers_fulfil_orders=allowed,
    )


def move_url(order, reseller=None):
    reseller = reseller or order.reseller
    return f"/r/{reseller.public_id}/m/{order.manufacturer.slug}/orders/{order.pk}/status/"


def detail_url(order):
    return f"/r/{order.reseller.public_id}/m/{order.manufacturer.slug}/orders/{order.pk}/"


@pytest.fixture
def accepted(partnership, products, customer, reseller_user):
    order = make_order(partnership, products[:1], end_customer=customer, created_by=reseller_user)
    return force_status(order, S.ACCEPTED)


@pytest.fixture
def staff(manufacturer, make_member, partnership, other_partnership):
    """An owner, a manager, the customer's rep and a rep of another customer."""
    owner = make_member(manufacturer, Role.OWNER)
    manager = make_member(manufacturer, Role.MANAGER)
    rep = make_member(manufacturer, Role.SELLER)
    other_rep = make_member(manufacturer, Role.SELLER)
    portfolio_assign(manufacturer=manufacturer, partnership=partnership, rep=rep, by=None)
    portfolio_assign(
        manufacturer=manufacturer, partnership=other_partnership, rep=other_rep, by=None
    )
    return {"owner": owner, "manager": manager, "rep": rep, "other_rep": other_rep}


def status_of(order) -> str:
    return Order.objects.get(pk=order.pk).status


def test_the_reseller_marks_its_order_fulfilled_then_completed_where_allowed(
    client_for, manufacturer, accepted, reseller_user
):
    allow_resellers_to_fulfil(manufacturer)
    client = client_for(reseller_user)

    assert client.post(move_url(accepted), {"to_status": S.FULFILLED}).status_code == 302
    assert status_of(accepted) == S.FULFILLED
    assert client.post(move_url(accepted), {"to_status": S.COMPLETED}).status_code == 302
    assert status_of(accepted) == S.COMPLETED
    change = OrderStatusChange.objects.filter(order=accepted).order_by("pk").last()
    assert (change.from_status, change.to_status, change.changed_by) == (
        S.FULFILLED,
        S.COMPLETED,
        reseller_user,
    )


def test_with_the_setting_off_the_reseller_gets_403_and_nothing_changes(
    client_for, accepted, reseller_user, staff
):
    response = client_for(reseller_user).post(move_url(accepted), {"to_status": S.FULFILLED})

    assert response.status_code == 403
    assert status_of(accepted) == S.ACCEPTED
    assert not Notification.objects.exists()
    with pytest.raises(OrderRefused):
        order_reseller_move(order=accepted, to_status=S.FULFILLED, user=reseller_user)
    assert status_of(accepted) == S.ACCEPTED


def test_a_move_out_of_order_is_refused_and_changes_nothing(
    client_for, manufacturer, partnership, products, customer, reseller_user
):
    allow_resellers_to_fulfil(manufacturer)
    placed = make_order(partnership, products[:1], end_customer=customer)

    client_for(reseller_user).post(move_url(placed), {"to_status": S.FULFILLED})
    client_for(reseller_user).post(move_url(placed), {"to_status": S.ACCEPTED})

    assert status_of(placed) == S.PLACED


def test_others_cannot_move_the_order(
    client,
    client_for,
    manufacturer,
    other_manufacturer,
    accepted,
    other_partnership,
    other_reseller_user,
    staff,
):
    allow_resellers_to_fulfil(manufacturer)
    foreign = PartnershipFactory(manufacturer=other_manufacturer)
    stranger = ResellerUserFactory(reseller=foreign.reseller).user
    data = {"to_status": S.FULFILLED}

    assert (
        client_for(other_reseller_user)
        .post(move_url(accepted, reseller=other_partnership.reseller), data)
        .status_code
        == 404
    )
    assert client_for(stranger).post(move_url(accepted), data).status_code == 404
    assert client_for(staff["rep"]).post(move_url(accepted), data).status_code == 404
    assert client.post(move_url(accepted), data).status_code == 302  # to the login page
    assert status_of(accepted) == S.ACCEPTED


def test_staff_and_the_customers_rep_are_notified_when_the_reseller_moves_an_order(
    manufacturer, accepted, reseller_user, staff
):
    allow_resellers_to_fulfil(manufacturer)

    order_reseller_move(order=accepted, to_status=S.FULFILLED, user=reseller_user)

    told = set(
        Notification.objects.filter(kind=NotificationKind.ORDER_MOVED).values_list(
            "user_id", flat=True
        )
    )
    assert told == {staff["owner"].pk, staff["manager"].pk, staff["rep"].pk}
    note = Notification.objects.filter(user=staff["rep"]).get()
    assert accepted.number in note.title and f"/orders/{accepted.pk}/" in note.url


def test_a_cancel_by_the_reseller_notifies_staff_too(
    client_for, partnership, products, customer, reseller_user, staff
):
    order = make_order(partnership, products[:1], end_customer=customer)
    cancel = f"/r/{order.reseller.public_id}/m/{order.manufacturer.slug}/orders/{order.pk}/cancel/"

    client_for(reseller_user).post(cancel, {"reason": "Customer changed their mind"})

    assert status_of(order) == S.CANCELLED
    assert Notification.objects.filter(user=staff["owner"], body__contains="changed").exists()


def test_the_reseller_sees_who_moves_the_order_next(
    client_for, manufacturer, accepted, reseller_user
):
    page = client_for(reseller_user).get(detail_url(accepted)).content.decode()
    assert 'id="next-mover"' in page and "Acme Audio fulfils and completes the order" in page
    assert 'id="reseller-moves"' not in page

    allow_resellers_to_fulfil(manufacturer)
    page = client_for(reseller_user).get(detail_url(accepted)).content.decode()
    assert 'id="reseller-moves"' in page and 'value="fulfilled"' in page
    assert 'id="next-mover"' not in page


def test_the_owner_turns_the_setting_on_on_the_settings_page(client_for, manufacturer, staff):
    data = {
        "name": manufacturer.name,
        "currency": manufacturer.currency,
        "default_commission_rate": "10.00",
        "commission_holding_weeks": "4",
        "payout_deadline_weeks": "10",
        "resellers_fulfil_orders": "on",
    }
    assert (
        client_for(staff["owner"]).post(f"/m/{manufacturer.slug}/settings/", data).status_code
        == 302
    )
    manufacturer.refresh_from_db()
    assert manufacturer.resellers_fulfil_orders is True
    assert client_for(staff["rep"]).post(f"/m/{manufacturer.slug}/settings/", {}).status_code == 403


def test_the_workflow_lets_a_reseller_fulfil_only_where_allowed():
    for fulfils, expected in ((False, []), (True, [S.FULFILLED])):
        assert (
            workflow.available_transitions(
                from_status=S.ACCEPTED, side=workflow.RESELLER, reseller_fulfils=fulfils
            )
            == expected
        )
    assert not workflow.can_transition(
        from_status=S.ACCEPTED, to_status=S.CANCELLED, side=workflow.RESELLER, reseller_fulfils=True
    )
    assert workflow.next_mover(status=S.FULFILLED, reseller_fulfils=True) == workflow.RESELLER
    assert workflow.next_mover(status=S.FULFILLED, reseller_fulfils=False) == workflow.MANUFACTURER
