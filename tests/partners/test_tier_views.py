"""Tier pages: managers define tiers and decide proposals; resellers see their tier."""

from decimal import Decimal

import pytest
from django.utils import timezone

from notifications.models import Notification, NotificationKind
from partners.metrics import add_months, month_start
from partners.models import PartnerTier, ProposalStatus, Tier, TierChange, TierProposal
from partners.selectors.tiers import current_tier
from partners.services.tiers import partner_account_manager_set, partner_tier_set
from tests.accounts.factories import ResellerUserFactory
from tests.partners.factories import ScorecardFactory, TierProposalFactory, tier_named
from tests.resellers.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def url(manufacturer, rest=""):
    return f"/m/{manufacturer.slug}/partners/{rest}"


TIER_POST = {
    "name": "Platinum",
    "rank": "3",
    "description": "Everything.",
    "min_monthly_orders": "40",
    "min_completion_rate": "98",
    "max_cancellation_rate": "2",
    "min_satisfaction": "4.5",
    "months_held": "6",
    "discount_percent": "15",
    "commission_rate": "",
    "early_access_days": "30",
    "priority_support": "on",
    "check_ins": "quarterly",
}


def test_managers_define_a_tier(client_for, manager, manufacturer):
    client = client_for(manager)
    assert client.get(url(manufacturer, "tiers/")).status_code == 200
    assert client.get(url(manufacturer, "tiers/new/")).status_code == 200

    response = client.post(url(manufacturer, "tiers/new/"), TIER_POST)

    assert response.status_code == 302
    platinum = Tier.objects.get(manufacturer=manufacturer, name="Platinum")
    assert (platinum.min_completion_rate, platinum.months_held) == (Decimal("98.00"), 6)
    page = client.get(url(manufacturer, "tiers/")).content.decode()
    assert "Completion rate at least 98%" in page and "15% better pricing" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_completion_rate", "101"),
        ("max_cancellation_rate", "-1"),
        ("min_monthly_orders", "-1"),
        ("min_monthly_orders", "1000000000000"),
        ("min_satisfaction", "6"),
        ("months_held", "0"),
        ("discount_percent", "NaN"),
        ("name", "Gold"),
        ("rank", "1"),
    ],
)
def test_impossible_criteria_are_refused_with_a_message(
    client_for, manager, manufacturer, field, value
):
    response = client_for(manager).post(
        url(manufacturer, "tiers/new/"), {**TIER_POST, field: value}
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert Tier.objects.filter(manufacturer=manufacturer).count() == 3


def test_another_tenants_tier_is_404(client_for, manager, manufacturer, other_manufacturer):
    foreign = tier_named(other_manufacturer, "Gold")
    client = client_for(manager)
    assert client.get(url(manufacturer, f"tiers/{foreign.pk}/edit/")).status_code == 404
    assert client.post(url(manufacturer, f"tiers/{foreign.pk}/edit/"), TIER_POST).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Gold"


@pytest.fixture
def pending(manufacturer, partnership):
    return TierProposalFactory(
        partnership=partnership,
        reasons=["Met the criteria of Silver in each month."],
        figures=[
            {"month": "2026-09", "orders": 9, "completion_rate": "94.50",
             "cancellation_rate": None, "satisfaction": "4.20"},
        ],
    )  # fmt: skip


def test_a_manager_approves_from_the_proposals_page(
    client_for, manager, manufacturer, partnership, pending
):
    reseller_user = ResellerUserFactory(reseller=partnership.reseller).user
    client = client_for(manager)
    page = client.get(url(manufacturer, "tiers/proposals/"))
    assert page.status_code == 200
    assert "Met the criteria of Silver" in page.content.decode()
    figures = " ".join(page.content.decode().split())
    assert '<td>Sep 2026</td><td class="num">9</td><td class="num">94.5%</td>' in figures
    assert '<td class="num">—</td><td class="num">4.2</td>' in figures

    response = client.post(url(manufacturer, f"tiers/proposals/{pending.pk}/approve/"), {})

    assert response.status_code == 302
    assert current_tier(partnership).name == "Silver"
    assert Notification.objects.filter(
        user=reseller_user, kind=NotificationKind.TIER_CHANGED
    ).exists()
    again = client.post(url(manufacturer, f"tiers/proposals/{pending.pk}/approve/"), {})
    assert again.status_code == 404  # decided: no longer pending
    assert TierChange.objects.count() == 1


def test_overriding_without_a_reason_changes_nothing(
    client_for, manager, manufacturer, partnership, pending
):
    gold = tier_named(manufacturer, "Gold")
    client = client_for(manager)
    override = url(manufacturer, f"tiers/proposals/{pending.pk}/override/")

    client.post(override, {"tier": gold.pk, "reason": ""})
    assert TierProposal.objects.get(pk=pending.pk).status == ProposalStatus.PENDING

    foreign = tier_named(PartnershipFactory().manufacturer, "Gold")
    client.post(override, {"tier": foreign.pk, "reason": "Because."})
    assert TierProposal.objects.get(pk=pending.pk).status == ProposalStatus.PENDING
    assert not PartnerTier.objects.exists()

    client.post(override, {"tier": gold.pk, "reason": "Strategic account."})
    assert current_tier(partnership).name == "Gold"
    assert TierChange.objects.get().reason == "Strategic account."


def test_evaluate_now(client_for, manager, manufacturer, partnership):
    last = add_months(month_start(timezone.localdate()), -1)
    Tier.objects.filter(manufacturer=manufacturer, name="Silver").update(months_held=1)
    ScorecardFactory(
        partnership=partnership,
        month=last,
        orders=9,
        completed=9,
        completion_rate=Decimal("100"),
        cancellation_rate=Decimal("0"),
    )
    response = client_for(manager).post(url(manufacturer, "tiers/proposals/evaluate/"))
    assert response.status_code == 302
    assert TierProposal.objects.get().to_tier.name == "Silver"


def test_the_scorecard_sets_a_tier_and_an_account_manager(
    client_for, manager, manufacturer, partnership
):
    client = client_for(manager)
    base = url(manufacturer, f"{partnership.reseller.public_id}/")
    gold = tier_named(manufacturer, "Gold")
    assert client.get(base).status_code == 200

    client.post(base + "tier/", {"tier": gold.pk, "reason": "Top partner."})
    client.post(base + "account-manager/", {"account_manager": manager.pk})

    row = PartnerTier.objects.get(partnership=partnership)
    assert (row.tier, row.account_manager) == (gold, manager)
    page = client.get(base).content.decode()
    assert "Top partner." in page


def test_a_seller_cannot_be_account_manager_through_the_form(
    client_for, manager, seller, manufacturer, partnership
):
    base = url(manufacturer, f"{partnership.reseller.public_id}/")
    client_for(manager).post(base + "account-manager/", {"account_manager": seller.pk})
    assert not PartnerTier.objects.filter(account_manager=seller).exists()


@pytest.mark.parametrize("role", ["seller", "reseller_user"])
def test_sellers_and_resellers_do_not_reach_tier_pages(
    client_for, manufacturer, partnership, pending, role, request
):
    client = client_for(request.getfixturevalue(role))
    expected = 403 if role == "seller" else 404
    gold = tier_named(manufacturer, "Gold")
    for path in ("tiers/", "tiers/new/", f"tiers/{gold.pk}/edit/", "tiers/proposals/"):
        assert client.get(url(manufacturer, path)).status_code == expected, path
    for path, data in (
        (f"tiers/proposals/{pending.pk}/approve/", {}),
        (f"tiers/proposals/{pending.pk}/override/", {"tier": gold.pk, "reason": "x"}),
        ("tiers/proposals/evaluate/", {}),
        (f"{partnership.reseller.public_id}/tier/", {"tier": gold.pk, "reason": "x"}),
    ):
        assert client.post(url(manufacturer, path), data).status_code == expected, path
    assert not PartnerTier.objects.exists()
    assert TierProposal.objects.get().status == ProposalStatus.PENDING


def test_the_reseller_sees_its_tier_criteria_and_progress(
    client_for, reseller_user, manufacturer, partnership, manager
):
    partner_tier_set(
        partnership=partnership, tier=tier_named(manufacturer, "Gold"), by=manager, reason="QBR"
    )
    partner_account_manager_set(partnership=partnership, user=manager, by=manager)
    page = client_for(reseller_user).get(
        f"/r/{partnership.reseller.public_id}/m/{manufacturer.slug}/partner/"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "You are in the best tier." in text
    assert manager.email in text  # the named account manager
    for name in ("Bronze", "Silver", "Gold"):
        assert name in text
    assert "At least 15 orders a month" in text


def test_a_bronze_reseller_sees_how_far_silver_is(
    client_for, reseller_user, manufacturer, partnership
):
    page = client_for(reseller_user).get(
        f"/r/{partnership.reseller.public_id}/m/{manufacturer.slug}/partner/"
    )
    text = page.content.decode()
    assert "Your way to Silver" in text
    assert "0 of 8" in text


def test_another_resellers_user_cannot_see_the_tier_page(client_for, manufacturer, partnership):
    stranger = ResellerUserFactory().user
    response = client_for(stranger).get(
        f"/r/{partnership.reseller.public_id}/m/{manufacturer.slug}/partner/"
    )
    assert response.status_code == 404
