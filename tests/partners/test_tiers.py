"""Tiers: the defaults, published criteria, the evaluation at every boundary, decisions."""

from datetime import date
from decimal import Decimal

import pytest

from notifications.models import Notification, NotificationKind
from partners.models import PartnerTier, ProposalStatus, Tier, TierChange, TierProposal
from partners.selectors.tiers import current_tier, partner_progress
from partners.services import PartnerRefused
from partners.services.tiers import (
    partner_account_manager_set,
    partner_tier_set,
    tier_proposal_approve,
    tier_proposal_override,
    tier_save,
    tiers_evaluate,
)
from tests.accounts.factories import ResellerFactory, ResellerUserFactory
from tests.partners.factories import ScorecardFactory, tier_named
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 15)  # the last complete months: April, May, June
WINDOW = [date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]


def months(partnership, *, orders=8, completed=None, cancelled=0, satisfaction=None, rated=0):
    """The same figures in each month of the window (rates follow from the counts)."""
    completed = orders if completed is None else completed
    for month in WINDOW:
        ScorecardFactory(
            partnership=partnership,
            month=month,
            orders=orders,
            completed=completed,
            cancelled=cancelled,
            completion_rate=(Decimal(completed * 100) / orders if orders else None),
            cancellation_rate=(Decimal(cancelled * 100) / orders if orders else None),
            satisfaction=satisfaction,
            rated_orders=rated,
        )


def test_every_new_manufacturer_starts_with_the_guides_tiers(manufacturer):
    tiers = list(Tier.objects.filter(manufacturer=manufacturer).order_by("rank"))
    assert [(t.name, t.discount_percent) for t in tiers] == [
        ("Bronze", Decimal("0.00")),
        ("Silver", Decimal("5.00")),
        ("Gold", Decimal("10.00")),
    ]
    silver, gold = tiers[1], tiers[2]
    assert silver.priority_support and silver.early_access_days > 0
    assert gold.account_manager and gold.exclusive_offers and gold.co_marketing


def test_a_partner_without_a_row_is_in_the_entry_tier(partnership):
    assert current_tier(partnership).name == "Bronze"


@pytest.mark.parametrize(
    ("figures", "promoted"),
    [
        ({"orders": 8, "completed": 8}, True),  # every criterion exactly met
        ({"orders": 7, "completed": 7}, False),  # one order short
        ({"orders": 10, "completed": 9}, True),  # completion 90.00 %: the minimum
        ({"orders": 11, "completed": 9}, False),  # 81.8 %
        ({"orders": 10, "completed": 9, "cancelled": 1}, True),  # cancellation 10 %: the max
        ({"orders": 9, "completed": 9, "cancelled": 1}, False),  # 11.1 %
    ],
)
def test_silver_at_each_criterions_boundary(manufacturer, partnership, figures, promoted):
    months(partnership, **figures)

    result = tiers_evaluate(manufacturer=manufacturer, today=TODAY)

    proposals = list(TierProposal.objects.filter(partnership=partnership))
    assert bool(proposals) is promoted
    assert result.promotions == int(promoted)
    if promoted:
        assert proposals[0].to_tier.name == "Silver"
        assert proposals[0].status == ProposalStatus.PENDING
        assert [row["month"] for row in proposals[0].figures] == ["2026-04", "2026-05", "2026-06"]
        assert "Met the criteria of Silver" in proposals[0].reasons[0]
    assert current_tier(partnership).name == "Bronze"  # nothing changes before a decision


def test_criteria_must_hold_for_every_month(manufacturer, partnership):
    months(partnership, orders=20)
    TierProposal.objects.all().delete()
    ScorecardFactory._meta.model.objects.filter(month=WINDOW[0]).update(orders=3)

    tiers_evaluate(manufacturer=manufacturer, today=TODAY)

    assert not TierProposal.objects.exists()


@pytest.mark.parametrize(("satisfaction", "to"), [("4.00", "Gold"), ("3.99", "Silver")])
def test_gold_needs_its_satisfaction(manufacturer, partnership, satisfaction, to):
    months(partnership, orders=15, satisfaction=Decimal(satisfaction), rated=5)
    tiers_evaluate(manufacturer=manufacturer, today=TODAY)
    assert TierProposal.objects.get(partnership=partnership).to_tier.name == to


def test_a_slipping_gold_partner_is_proposed_for_demotion(manufacturer, partnership, manager):
    partner_tier_set(
        partnership=partnership,
        tier=tier_named(manufacturer, "Gold"),
        by=manager,
        reason="Strategic partner.",
    )
    months(partnership, orders=9, completed=9)

    result = tiers_evaluate(manufacturer=manufacturer, today=TODAY)

    proposal = TierProposal.objects.get(partnership=partnership)
    assert (proposal.from_tier.name, proposal.to_tier.name) == ("Gold", "Silver")
    assert (result.promotions, result.demotions) == (0, 1)
    assert "No longer met the criteria of Gold" in proposal.reasons[0]


def test_evaluating_again_refreshes_and_withdraws(manufacturer, partnership):
    months(partnership, orders=8)
    tiers_evaluate(manufacturer=manufacturer, today=TODAY)
    tiers_evaluate(manufacturer=manufacturer, today=TODAY)
    assert TierProposal.objects.filter(partnership=partnership).count() == 1

    ScorecardFactory._meta.model.objects.update(orders=1)
    result = tiers_evaluate(manufacturer=manufacturer, today=TODAY)
    assert result.withdrawn == 1
    assert not TierProposal.objects.exists()


def test_another_tenants_partners_are_not_evaluated(manufacturer, other_manufacturer):
    theirs = PartnershipFactory(manufacturer=other_manufacturer)
    months(theirs, orders=20)
    tiers_evaluate(manufacturer=manufacturer, today=TODAY)
    assert not TierProposal.objects.exists()


@pytest.fixture
def proposal(manufacturer, partnership):
    months(partnership, orders=8)
    tiers_evaluate(manufacturer=manufacturer, today=TODAY)
    return TierProposal.objects.get(partnership=partnership)


def test_approving_moves_the_partner_and_tells_the_reseller(proposal, partnership, manager):
    reseller_user = ResellerUserFactory(reseller=partnership.reseller).user

    tier_proposal_approve(proposal=proposal, by=manager)

    assert current_tier(partnership).name == "Silver"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.APPROVED, manager)
    change = TierChange.objects.get(partnership=partnership)
    assert (change.from_tier.name, change.to_tier.name, change.proposal) == (
        "Bronze",
        "Silver",
        proposal,
    )
    notice = Notification.objects.get(user=reseller_user, kind=NotificationKind.TIER_CHANGED)
    assert "Silver" in notice.title
    assert "Orders per month: 8, 8, 8" in notice.body and "5% better pricing" in notice.body
    with pytest.raises(PartnerRefused, match="already decided"):
        tier_proposal_approve(proposal=proposal, by=manager)


def test_overriding_needs_a_reason_and_may_keep_the_partner_where_it_is(
    proposal, partnership, manager, manufacturer
):
    bronze = tier_named(manufacturer, "Bronze")
    with pytest.raises(PartnerRefused, match="Give a reason"):
        tier_proposal_override(proposal=proposal, by=manager, tier=bronze, reason="  ")
    assert TierProposal.objects.get(pk=proposal.pk).status == ProposalStatus.PENDING

    tier_proposal_override(
        proposal=proposal, by=manager, tier=bronze, reason="Open complaints first."
    )

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_tier) == (ProposalStatus.OVERRIDDEN, bronze)
    assert current_tier(partnership).name == "Bronze"
    assert not TierChange.objects.exists()


def test_another_tenants_tier_is_refused(proposal, manager, other_manufacturer, partnership):
    foreign = tier_named(other_manufacturer, "Gold")
    with pytest.raises(PartnerRefused, match="No such tier"):
        tier_proposal_override(proposal=proposal, by=manager, tier=foreign, reason="x")
    with pytest.raises(PartnerRefused, match="No such tier"):
        partner_tier_set(partnership=partnership, tier=foreign, by=manager, reason="x")
    assert not PartnerTier.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"min_completion_rate": Decimal("100.01")}, "between 0% and 100%"),
        ({"max_cancellation_rate": Decimal("-1")}, "between 0% and 100%"),
        ({"min_monthly_orders": -1}, "between 0 and"),
        ({"min_satisfaction": Decimal("5.5")}, "from 1 to 5"),
        ({"months_held": 0}, "1 to 24 months"),
        ({"discount_percent": Decimal("120")}, "between 0% and 100%"),
        ({"name": "Gold"}, "already called Gold"),
        ({"rank": 2}, "already has rank 2"),
    ],
)
def test_impossible_criteria_are_refused_and_nothing_written(manufacturer, change, message):
    values = {"name": "Platinum", "rank": 3, "min_monthly_orders": 40, **change}
    with pytest.raises(PartnerRefused, match=message):
        tier_save(manufacturer=manufacturer, tier=None, values=values)
    assert Tier.objects.filter(manufacturer=manufacturer).count() == 3


def test_a_tier_is_changed(manufacturer):
    silver = tier_named(manufacturer, "Silver")
    tier_save(
        manufacturer=manufacturer,
        tier=silver,
        values={"name": "Silver", "rank": 1, "min_monthly_orders": 12},
    )
    silver.refresh_from_db()
    assert silver.min_monthly_orders == 12


def test_the_account_manager_is_a_staff_member(partnership, manager, seller, manufacturer):
    with pytest.raises(PartnerRefused, match="owner or manager"):
        partner_account_manager_set(partnership=partnership, user=seller, by=manager)
    partner_tier_set(
        partnership=partnership, tier=tier_named(manufacturer, "Gold"), by=manager, reason="QBR"
    )
    partner_account_manager_set(partnership=partnership, user=manager, by=manager)
    partnership.refresh_from_db()
    from channel.benefits import partnership_benefits

    assert partnership_benefits(partnership).account_manager == manager


def test_progress_towards_the_next_tier(manufacturer, partnership):
    months(partnership, orders=8)
    ScorecardFactory._meta.model.objects.filter(month=WINDOW[0]).update(orders=2)

    progress = partner_progress(partnership=partnership, today=TODAY)

    assert (progress.current.name, progress.next_tier.name) == ("Bronze", "Silver")
    assert progress.months_met == 2  # May and June, not April
    orders = progress.criteria[0]
    assert (orders.actual, orders.needed, orders.met) == (0, 8, False)
    completion = progress.criteria[1]
    assert (completion.actual, completion.met) == (None, False)  # no orders this month yet


def test_a_partner_of_another_reseller_is_not_touched(manufacturer, partnership, manager):
    other = PartnershipFactory(manufacturer=manufacturer, reseller=ResellerFactory())
    partner_tier_set(
        partnership=partnership, tier=tier_named(manufacturer, "Silver"), by=manager, reason="x"
    )
    assert current_tier(other).name == "Bronze"
