"""Removing a member from the team page: the portfolio moves to the rep the manager chose
(after a preview), the member's access ends at once, the receiving rep is told; only staff
reach it, never for themselves or the last owner."""

import threading

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django_scopes import scope

from accounts.models import ManufacturerMembership, Role
from notifications.models import Notification, NotificationKind, OutboxEmail
from salesreps.models import PortfolioAssignment
from salesreps.services import RemovalRefused, member_remove
from tests.accounts.factories import ManufacturerFactory
from tests.salesreps.conftest import member


def remove_url(world, user, tenant=None):
    return world.url("salesreps_manufacturer:member_remove", tenant, user_id=user.pk)


def is_member(world, user) -> bool:
    return ManufacturerMembership.objects.filter(manufacturer=world.tenant, user=user).exists()


def reps_of(world, *partnerships) -> set:
    return set(
        PortfolioAssignment.objects.filter(
            partnership__in=partnerships, ended_at__isnull=True
        ).values_list("rep_id", flat=True)
    )


def sessions_of(user) -> int:
    return sum(
        1 for s in Session.objects.all() if str(s.get_decoded().get(SESSION_KEY)) == str(user.pk)
    )


def test_preview_says_what_moves_to_whom_and_changes_nothing(world, login):
    manager = login(world.manager)
    page = manager.get(remove_url(world, world.rep_a), {"to_rep": world.rep_b.pk})
    assert page.status_code == 200
    assert page.context["ready"] is True
    assert page.context["to_rep"] == world.rep_b
    preview = page.context["preview"]
    assert {p.pk for p in preview.customers} == {world.a1.pk, world.a2.pk}
    assert preview.open_orders == 2
    assert "Ben Beta" in page.text and "Alpha Sound Two" in page.text
    assert is_member(world, world.rep_a)
    assert reps_of(world, world.a1, world.a2) == {world.rep_a.pk}


def test_without_a_receiving_rep_the_page_asks_for_one(world, login):
    page = login(world.manager).get(remove_url(world, world.rep_a))
    assert page.status_code == 200
    assert page.context["ready"] is False
    assert "to_rep" in page.context["form"].fields


def test_removal_moves_the_portfolio_ends_access_and_tells_the_new_rep(world, login):
    rep_a = login(world.rep_a)
    dashboard = world.url("accounts_manufacturer:dashboard")
    assert rep_a.get(dashboard).status_code == 200
    assert sessions_of(world.rep_a) == 1

    response = login(world.manager).post(remove_url(world, world.rep_a), {"to_rep": world.rep_b.pk})
    assert response.status_code == 302
    assert not is_member(world, world.rep_a)
    world.rep_a.refresh_from_db()
    assert world.rep_a.is_active is False
    assert sessions_of(world.rep_a) == 0
    assert reps_of(world, world.a1, world.a2) == {world.rep_b.pk}

    (notice,) = Notification.objects.filter(kind=NotificationKind.PORTFOLIO_RECEIVED)
    assert notice.user == world.rep_b and "2 customers" in notice.title
    assert OutboxEmail.objects.filter(recipient=world.rep_b.email, kind=notice.kind).exists()
    assert not Notification.objects.filter(
        kind=NotificationKind.PORTFOLIO_RECEIVED, user=world.rep_a
    ).exists()
    assert (
        login(world.rep_b)
        .get(world.url("orders_manufacturer:detail", pk=world.orders["a1"].pk))
        .status_code
        == 200
    )


def test_a_removed_member_is_logged_out_on_every_page(world, login):
    rep_a = login(world.rep_a)
    login(world.manager).post(remove_url(world, world.rep_a), {"to_rep": world.rep_b.pk})
    for path in (
        world.url("accounts_manufacturer:dashboard"),
        world.url("orders_manufacturer:list"),
        world.url("orders_manufacturer:detail", pk=world.orders["a1"].pk),
        world.url("resellers_manufacturer:directory"),
        world.url("salesreps_manufacturer:my_sales"),
    ):
        response = rep_a.get(path)
        assert response.status_code == 302 and "/login" in response["Location"], path


def test_a_removed_member_who_works_elsewhere_keeps_that_login(world, login):
    world.other.memberships.create(user=world.rep_a, role=Role.SELLER)
    rep_a = login(world.rep_a)
    login(world.manager).post(remove_url(world, world.rep_a), {"to_rep": world.rep_b.pk})
    world.rep_a.refresh_from_db()
    assert world.rep_a.is_active is True
    assert sessions_of(world.rep_a) == 0
    assert rep_a.get(world.url("accounts_manufacturer:dashboard")).status_code == 302
    again = login(world.rep_a)
    assert again.get(world.url("accounts_manufacturer:dashboard", world.other)).status_code == 200
    assert again.get(world.url("accounts_manufacturer:dashboard")).status_code == 404


def test_a_rep_with_customers_cannot_go_without_a_receiving_rep(world, login):
    manager = login(world.manager)
    for data in ({}, {"to_rep": world.rep_a.pk}, {"to_rep": world.other_rep.pk}, {"to_rep": "x"}):
        response = manager.post(remove_url(world, world.rep_a), data)
        assert response.status_code == 400, data
    assert is_member(world, world.rep_a)
    assert reps_of(world, world.a1, world.a2) == {world.rep_a.pk}


def test_a_member_without_customers_is_removed_without_choosing_a_rep(world, login):
    colleague = member(world.tenant, Role.MANAGER)
    manager = login(world.manager)
    page = manager.get(remove_url(world, colleague))
    assert page.status_code == 200 and page.context["ready"] is True
    assert manager.post(remove_url(world, colleague)).status_code == 302
    assert not is_member(world, colleague)
    assert not Notification.objects.filter(kind=NotificationKind.PORTFOLIO_RECEIVED).exists()


def test_nobody_removes_themselves(world, login):
    for user in (world.manager, world.owner):
        client = login(user)
        page = client.get(remove_url(world, user))
        assert page.status_code == 200 and page.context["refusal"] and not page.context["ready"]
        assert client.post(remove_url(world, user)).status_code == 400
        assert is_member(world, user)


def test_a_manager_cannot_remove_the_owner_and_the_last_owner_stays(world, login):
    assert login(world.manager).post(remove_url(world, world.owner)).status_code == 400
    assert is_member(world, world.owner)
    second_owner = member(world.tenant, Role.OWNER)
    assert login(second_owner).post(remove_url(world, world.owner)).status_code == 302
    assert not is_member(world, world.owner)
    # second_owner is now the last owner: the service refuses even a direct call.
    membership = world.tenant.memberships.get(user=second_owner)
    with pytest.raises(RemovalRefused):
        member_remove(
            manufacturer=world.tenant, membership=membership, to_rep=None, by=world.manager
        )
    assert is_member(world, second_owner)


def test_a_rep_gets_403_and_nothing_changes(world, login):
    rep_b = login(world.rep_b)
    assert rep_b.get(remove_url(world, world.rep_a)).status_code == 403
    assert rep_b.post(remove_url(world, world.rep_a), {"to_rep": world.rep_b.pk}).status_code == 403
    assert is_member(world, world.rep_a)


def test_another_tenants_member_and_outsiders_get_404_or_login(world, login, client):
    manager = login(world.manager)
    assert manager.get(remove_url(world, world.other_rep)).status_code == 404
    assert manager.post(remove_url(world, world.other_rep)).status_code == 404
    assert manager.get(remove_url(world, world.reseller_user)).status_code == 404
    assert login(world.other_manager).post(remove_url(world, world.rep_a)).status_code == 404
    assert login(world.reseller_user).get(remove_url(world, world.rep_a)).status_code == 404
    anonymous = client.post(remove_url(world, world.rep_a), {"to_rep": world.rep_b.pk})
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert is_member(world, world.rep_a)
    assert ManufacturerMembership.objects.filter(user=world.other_rep).exists()


def test_team_page_links_to_removal_except_for_oneself(world, login):
    page = login(world.manager).get(world.url("accounts_manufacturer:team"))
    assert remove_url(world, world.rep_a) in page.text
    assert remove_url(world, world.manager) not in page.text


# --- two owners removing each other at the same moment (real PostgreSQL) --------------------


@pytest.mark.django_db(transaction=True)
def test_two_owners_removing_each_other_at_once_leave_one_owner():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    tenant = ManufacturerFactory(slug="duo")
    first, second = member(tenant, Role.OWNER), member(tenant, Role.OWNER)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def remove(target, by):
        try:
            barrier.wait(timeout=10)
            with scope(manufacturer=tenant):
                membership = ManufacturerMembership.objects.get(manufacturer=tenant, user=target)
                member_remove(manufacturer=tenant, membership=membership, to_rep=None, by=by)
            outcomes.append("removed")
        except RemovalRefused as refused:
            outcomes.append(refused)
        except BaseException as error:  # reported below, whatever it is
            outcomes.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=remove, args=(first, second)),
        threading.Thread(target=remove, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    assert sorted(map(type, outcomes), key=str) == sorted([str, RemovalRefused], key=str)
    assert ManufacturerMembership.objects.filter(manufacturer=tenant, role=Role.OWNER).count() == 1
