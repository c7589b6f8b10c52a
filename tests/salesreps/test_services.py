"""The one assignment service, its guardian permissions, history, refusals, the consistency
check and the new-order email."""

from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from accounts.models import Role
from channel.models import PartnershipUserObjectPermission
from channel.selectors import partnerships_visible_to
from notifications.models import OutboxEmail
from salesreps.models import PortfolioAssignment
from salesreps.selectors import (
    coverage_gaps,
    partnerships_of_rep,
    portfolio_inconsistencies,
    rep_overview,
)
from salesreps.services import AssignmentRefused, portfolio_assign, portfolio_reassign
from tests.orders.factories import make_order


def membership(world, user, tenant=None):
    return (tenant or world.tenant).memberships.get(user=user)


def visible(world, user) -> set[str]:
    rows = partnerships_visible_to(manufacturer=world.tenant, membership=membership(world, user))
    return set(rows.values_list("reseller__name", flat=True))


def perms_of(partnership) -> set[tuple[int, str]]:
    return set(
        PartnershipUserObjectPermission.objects.filter(content_object=partnership).values_list(
            "user_id", "permission__codename"
        )
    )


def test_each_member_sees_exactly_their_customers(world):
    assert visible(world, world.rep_a) == {"Alpha Sound One", "Alpha Sound Two"}
    assert visible(world, world.rep_b) == {"Beta Hifi"}
    everyone = {"Alpha Sound One", "Alpha Sound Two", "Beta Hifi", "Free Radio"}
    assert visible(world, world.manager) == everyone
    assert visible(world, world.owner) == everyone


def test_assignment_grants_view_and_change_and_guardian_agrees(world):
    assert perms_of(world.a1) == {
        (world.rep_a.pk, "view_partnership"),
        (world.rep_a.pk, "change_partnership"),
    }
    world.rep_a.refresh_from_db()  # guardian's cache
    assert world.rep_a.has_perm("channel.view_partnership", world.a1)
    assert world.rep_a.has_perm("channel.change_partnership", world.a1)
    assert not world.rep_a.has_perm("channel.view_partnership", world.b1)


def test_reassignment_moves_visibility_both_ways_and_keeps_history(world):
    portfolio_assign(
        manufacturer=world.tenant, partnership=world.a1, rep=world.rep_b, by=world.owner
    )

    assert visible(world, world.rep_a) == {"Alpha Sound Two"}
    assert visible(world, world.rep_b) == {"Alpha Sound One", "Beta Hifi"}
    assert perms_of(world.a1) == {
        (world.rep_b.pk, "view_partnership"),
        (world.rep_b.pk, "change_partnership"),
    }
    old, new = PortfolioAssignment.objects.filter(partnership=world.a1).order_by("pk")
    assert old.rep == world.rep_a and old.ended_at is not None and old.ended_by == world.owner
    assert new.rep == world.rep_b and new.ended_at is None and new.assigned_by == world.owner

    portfolio_assign(
        manufacturer=world.tenant, partnership=world.a1, rep=world.rep_a, by=world.owner
    )
    assert visible(world, world.rep_a) == {"Alpha Sound One", "Alpha Sound Two"}
    assert visible(world, world.rep_b) == {"Beta Hifi"}
    assert PortfolioAssignment.objects.filter(partnership=world.a1).count() == 3


def test_unassign_withdraws_everything_and_reassigning_same_rep_is_a_no_op(world):
    portfolio_assign(manufacturer=world.tenant, partnership=world.a1, rep=world.rep_a, by=None)
    assert PortfolioAssignment.objects.filter(partnership=world.a1).count() == 1

    assert (
        portfolio_assign(manufacturer=world.tenant, partnership=world.a1, rep=None, by=None) is None
    )
    assert perms_of(world.a1) == set()
    assert visible(world, world.rep_a) == {"Alpha Sound Two"}
    assert not PortfolioAssignment.objects.filter(
        partnership=world.a1, ended_at__isnull=True
    ).exists()


def _snapshot(world):
    return (
        sorted(
            PortfolioAssignment.objects.values_list("pk", "partnership_id", "rep_id", "ended_at")
        ),
        sorted(PartnershipUserObjectPermission.objects.values_list("content_object_id", "user_id")),
    )


@pytest.mark.parametrize("case", ["foreign_rep", "manager", "foreign_customer", "reseller_user"])
def test_bad_assignments_are_refused_with_a_message_and_change_nothing(world, case):
    before = _snapshot(world)
    partnership, rep = world.free, None
    if case == "foreign_rep":
        rep = world.other_rep
    elif case == "manager":
        rep = world.manager
    elif case == "reseller_user":
        rep = world.reseller_user
    else:
        partnership, rep = world.foreign, world.rep_a

    with pytest.raises(AssignmentRefused) as refused:
        portfolio_assign(
            manufacturer=world.tenant, partnership=partnership, rep=rep, by=world.manager
        )

    message = " ".join(refused.value.messages)
    assert "nothing was changed" in message
    assert ("not a sales rep" in message) or ("does not belong" in message)
    assert _snapshot(world) == before


def test_bulk_reassign_is_all_or_nothing(world):
    before = _snapshot(world)
    with pytest.raises(AssignmentRefused):
        portfolio_reassign(
            manufacturer=world.tenant,
            partnerships=[world.a1, world.foreign],
            to_rep=world.rep_b,
            by=world.manager,
        )
    assert _snapshot(world) == before

    moved = portfolio_reassign(
        manufacturer=world.tenant, partnerships=[world.a1, world.a2], to_rep=world.rep_b, by=None
    )
    assert moved == 2
    assert list(partnerships_of_rep(manufacturer=world.tenant, rep=world.rep_a)) == []
    assert set(partnerships_of_rep(manufacturer=world.tenant, rep=world.rep_b)) == {
        world.a1,
        world.a2,
        world.b1,
    }


def test_coverage_lists_active_customers_without_rep(world):
    world.b1.status = "suspended"
    world.b1.save()
    portfolio_assign(manufacturer=world.tenant, partnership=world.b1, rep=None, by=None)
    assert list(coverage_gaps(manufacturer=world.tenant)) == [world.free]


def test_overview_counts_customers_orders_and_sales_per_rep(world):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    rows = rep_overview(
        manufacturer=world.tenant, date_from=today - timedelta(days=30), date_to=today
    )
    by_rep = {row.rep.pk if row.rep else None: row for row in rows}
    assert by_rep[world.rep_a.pk].customers == 2
    assert by_rep[world.rep_a.pk].orders == 2
    assert by_rep[world.rep_a.pk].sales == world.orders["a1"].total + world.orders["a2"].total
    assert by_rep[world.rep_b.pk].customers == 1
    assert by_rep[world.rep_b.pk].sales == world.orders["b1"].total
    assert by_rep[None].customers == 1
    assert by_rep[None].orders == 1
    assert world.other_rep.pk not in by_rep


# --- portfolio_check -------------------------------------------------------------------------


def test_portfolio_check_passes_on_clean_data(world):
    out = StringIO()
    call_command("portfolio_check", stdout=out)
    assert "agree" in out.getvalue()
    assert portfolio_inconsistencies() == []


@pytest.mark.parametrize("plant", ["stray_permission", "missing_permission"])
def test_portfolio_check_finds_a_planted_inconsistency(world, plant):
    view = Permission.objects.get(codename="view_partnership", content_type__app_label="channel")
    if plant == "stray_permission":
        PartnershipUserObjectPermission.objects.create(
            content_object=world.b1, user=world.rep_a, permission=view
        )
        bad = world.b1
    else:
        PartnershipUserObjectPermission.objects.filter(
            content_object=world.a2, permission=view
        ).delete()
        bad = world.a2

    problems = portfolio_inconsistencies()
    assert [p.partnership_id for p in problems] == [bad.pk]
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("portfolio_check", stderr=err)
    assert f"partnership {bad.pk}" in err.getvalue()

    # Re-assigning through the service repairs it.
    rep = world.rep_b if bad == world.b1 else world.rep_a
    portfolio_assign(manufacturer=world.tenant, partnership=bad, rep=rep, by=None)
    call_command("portfolio_check", stdout=StringIO())


# --- the new-order email ---------------------------------------------------------------------


def rep_emails():
    return list(OutboxEmail.objects.filter(kind="order_created").order_by("pk"))


def test_new_order_emails_the_assigned_rep_only(world):
    OutboxEmail.objects.all().delete()
    order = make_order(world.a1, [world.product], created_by=world.reseller_user)

    emails = rep_emails()
    assert [e.recipient for e in emails] == [world.rep_a.email]
    assert order.number in emails[0].subject
    assert emails[0].manufacturer == world.tenant


def test_new_order_without_rep_or_by_the_rep_sends_nothing(world):
    OutboxEmail.objects.all().delete()
    make_order(world.free, [world.product])
    make_order(world.a1, [world.product], created_by=world.rep_a, is_manual=True)
    assert rep_emails() == []


def test_new_order_after_reassignment_goes_to_the_new_rep(world):
    portfolio_assign(manufacturer=world.tenant, partnership=world.a1, rep=world.rep_b, by=None)
    OutboxEmail.objects.all().delete()
    make_order(world.a1, [world.product])
    assert [e.recipient for e in rep_emails()] == [world.rep_b.email]


def test_a_promoted_rep_no_longer_can_be_assigned(world):
    world.tenant.memberships.filter(user=world.rep_b).update(role=Role.MANAGER)
    with pytest.raises(AssignmentRefused):
        portfolio_assign(
            manufacturer=world.tenant, partnership=world.free, rep=world.rep_b, by=None
        )
